package commission

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash/maphash"
	"strings"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// taggedEvent names the event's type in its hash, so a payment, a refund
// and a reinstatement with one ID never hash alike. keysOf writes its
// canonical encoding by hand; TestEventHashIsTaggedEventHash pins the two
// to the same bytes.
type taggedEvent struct {
	Type  string
	Event affiliate.Event
}

// processHashPrefix starts the hashes of a store that implements
// storage.ProcessHashes: a 64-bit maphash in 16 hex digits, of a
// payment's binary encoding (processPaymentBytes) or of another event's
// canonical bytes (those affiliate.HashPrefix's SHA-256 hashes).
const processHashPrefix = "p1:"

// hasher makes events' idempotency hashes: SHA-256 (affiliate.HashOf's
// hash of taggedEvent), or on a store of storage.ProcessHashes the
// maphash under its seed, a tenth of the cost, and 14 bytes memstore
// keeps for each event instead of 38. Such a hash lives no longer than
// the process, so its bytes need only tell payloads apart as the
// canonical form does; a payment, the event of nearly every Record, is
// hashed without writing its canonical JSON.
type hasher struct {
	process bool
	seed    maphash.Seed
}

// hasherFor returns the hasher of events recorded in store.
func hasherFor(store any) hasher {
	if p, ok := store.(storage.ProcessHashes); ok {
		return hasher{process: true, seed: p.HashSeed()}
	}
	return hasher{}
}

// eventHash is the idempotency hash of ev under SHA-256,
// affiliate.Hash(taggedEvent{…}): two deliveries of one event hash alike
// whatever time zone or monotonic reading their times carry; any change
// to any field changes the hash.
func eventHash(ev affiliate.Event) (string, error) {
	k, err := hasher{}.keysOf(ev)
	return k.hash, err
}

// eventKeys are the strings Record derives from an event before it reads
// anything, cut from one string (one allocation): the idempotency key
// the event is stored under ("event:" and its ID), its hash, and for a
// payment the IDs of its first entries back to back (batch.ids). They are
// ordinary strings: a store may keep any of them as it is.
type eventKeys struct {
	key, hash string
	entryIDs  string
}

// keysOf returns ev's keys, its hash as h makes it.
func (h hasher) keysOf(ev affiliate.Event) (eventKeys, error) {
	tag := "payment"
	switch ev.(type) {
	case affiliate.Refund:
		tag = "refund"
	case affiliate.Reinstatement:
		tag = "reinstatement"
	}
	var buf [512]byte
	b := buf[:0]
	if p, ok := ev.(affiliate.Payment); ok && h.process {
		b = processPaymentBytes(b, &p)
	} else {
		b = append(append(append(b, `{"Type":"`...), tag...), `","Event":`...)
		var err error
		if b, err = affiliate.AppendCanonical(b, ev); err != nil {
			return eventKeys{}, err
		}
		b = append(b, '}') // affiliate.HashOf's bytes
	}
	var out [256]byte
	kh := append(append(out[:0], "event:"...), ev.EventID()...)
	n := len(kh)
	if h.process {
		kh = append(kh, processHashPrefix...)
		var sum [8]byte
		binary.BigEndian.PutUint64(sum[:], maphash.Bytes(h.seed, b))
		kh = hex.AppendEncode(kh, sum[:])
	} else {
		sum := sha256.Sum256(b)
		kh = append(kh, affiliate.HashPrefix...)
		kh = hex.AppendEncode(kh, sum[:])
	}
	m := len(kh)
	if _, ok := ev.(affiliate.Payment); ok {
		kh = appendSharedIDs(kh, eventPrefix(ev.EventID()))
	}
	s := string(kh)
	return eventKeys{key: s[:n], hash: s[n:m], entryIDs: s[m:]}, nil
}

// samePayload reports whether rec was recorded from the payload that
// hashes to hash under h. A record whose hash is of another kind (written
// before the canonical encoding, without affiliate.HashPrefix, or by an
// engine that hashed otherwise) has its stored payload hashed again, so a
// redelivery after an upgrade is still a replay.
func (h hasher) samePayload(rec affiliate.EventRecord, hash string) bool {
	prefix := affiliate.HashPrefix
	if h.process {
		prefix = processHashPrefix
	}
	if strings.HasPrefix(rec.Hash, prefix) {
		return rec.Hash == hash
	}
	var stored affiliate.Event
	switch {
	case rec.Payment != nil:
		stored = *rec.Payment
	case rec.Refund != nil:
		stored = *rec.Refund
	case rec.Reinstatement != nil:
		stored = *rec.Reinstatement
	default:
		return false
	}
	k, err := h.keysOf(stored)
	return err == nil && k.hash == hash
}

// processPaymentBytes appends what a process hasher hashes of payment
// p: 'P' (never the '{' of a canonical form) and p in the customer
// summary's binary encoding (appendPayment: each string after its
// length, the instant as Unix seconds and nanoseconds, money as currency
// and minor units, the rate as its text). Two valid payments append the
// same bytes exactly when their canonical forms are equal
// (TestPaymentHashBytesAreCanonical). Only valid ones reach it: Record
// validates first, and Validate refuses what the two encodings would
// tell apart differently (text that is not UTF-8, which JSON replaces; a
// payment without lines, nil or empty, which JSON writes as null or []).
func processPaymentBytes(b []byte, p *affiliate.Payment) []byte {
	return appendPayment(append(b, 'P'), p)
}
