package commission

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/openaffiliate/affiliate"
)

// taggedEvent names the event's type in its hash, so a payment, a refund
// and a reinstatement with one ID never hash alike. eventHash writes its
// canonical encoding by hand; TestEventHashIsTaggedEventHash pins the two
// to the same bytes.
type taggedEvent struct {
	Type  string
	Event affiliate.Event
}

// eventHash is the idempotency hash of ev, affiliate.Hash(taggedEvent{…}):
// two deliveries of one event hash alike whatever time zone or monotonic
// reading their times carry; any change to any field changes the hash.
func eventHash(ev affiliate.Event) (string, error) {
	k, err := keysOf(ev)
	return k.hash, err
}

// eventKeys are the strings Record derives from an event before it reads
// anything, cut from one string (one allocation): the idempotency key
// the event is stored under ("event:" and its ID), eventHash(ev), and
// for a payment the IDs of its first entries back to back (batch.ids).
// They are ordinary strings: a store may keep any of them as it is.
type eventKeys struct {
	key, hash string
	entryIDs  string
}

func keysOf(ev affiliate.Event) (eventKeys, error) {
	tag := "payment"
	switch ev.(type) {
	case affiliate.Refund:
		tag = "refund"
	case affiliate.Reinstatement:
		tag = "reinstatement"
	}
	var buf [512]byte
	b := append(append(append(buf[:0], `{"Type":"`...), tag...), `","Event":`...)
	b, err := affiliate.AppendCanonical(b, ev)
	if err != nil {
		return eventKeys{}, err
	}
	// affiliate.HashOf's bytes, written after the key.
	sum := sha256.Sum256(append(b, '}'))
	var out [256]byte
	kh := append(append(out[:0], "event:"...), ev.EventID()...)
	n := len(kh)
	kh = append(kh, affiliate.HashPrefix...)
	kh = hex.AppendEncode(kh, sum[:])
	m := len(kh)
	if _, ok := ev.(affiliate.Payment); ok {
		kh = appendSharedIDs(kh, eventPrefix(ev.EventID()))
	}
	s := string(kh)
	return eventKeys{key: s[:n], hash: s[n:m], entryIDs: s[m:]}, nil
}

// samePayload reports whether rec was recorded from the payload that
// hashes to hash. A record written before the canonical encoding holds a
// hash without affiliate.HashPrefix: its stored payload is hashed again,
// so a redelivery after an upgrade is still a replay.
func samePayload(rec affiliate.EventRecord, hash string) bool {
	if strings.HasPrefix(rec.Hash, affiliate.HashPrefix) {
		return rec.Hash == hash
	}
	var stored affiliate.Event
	switch {
	case rec.Payment != nil:
		stored = *rec.Payment
	case rec.Refund != nil:
		stored = *rec.Refund
	default:
		return false
	}
	h, err := eventHash(stored)
	return err == nil && h == hash
}
