package memstore

import (
	"encoding/hex"
	"strings"
)

// Idempotency hashes are most of a commit's text: "c1:" and 64 hex
// digits, twice (the commit's and its event record's). The store keeps a
// hash as its prefix and its hex tail as bytes, half the size, and gives
// back the same string. Only lowercase hex goes into the tail, so
// anything else round-trips as it came.

// packHash appends h's packed form to b: the prefix, then the tail's
// bytes, each after its length, so a blob can hold it among other fields.
func packHash(b blob, h string) blob {
	tail := len(h)
	for tail > 0 && isLowerHex(h[tail-1]) {
		tail--
	}
	if (len(h)-tail)%2 == 1 {
		tail++
	}
	b = b.str(h[:tail]).uint(uint64(len(h)-tail) / 2)
	out, _ := hex.AppendDecode(b, []byte(h[tail:])) // the tail is hex
	return out
}

func isLowerHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' }

// hash reads a hash packHash wrote.
func (r *reader) hash() string {
	prefix := r.str()
	n := r.uint()
	var sb strings.Builder
	sb.Grow(len(prefix) + 2*int(n))
	sb.WriteString(prefix)
	sb.WriteString(hex.EncodeToString(r.b[:n]))
	r.b = r.b[n:]
	return sb.String()
}

// skipHash moves past a hash packHash wrote.
func (r *reader) skipHash() {
	r.str()
	n := r.uint()
	r.b = r.b[n:]
}
