package memstore

import (
	"testing"

	"pgregory.net/rapid"
)

// TestHashRoundTrips checks that a packed hash reads back as the string
// it was, whatever the string: hex or not, odd tails, uppercase; and
// that skipHash moves past it exactly.
func TestHashRoundTrips(t *testing.T) {
	rapid.Check(t, checkHashRoundTrip)
}

func FuzzHashRoundTrips(f *testing.F) { f.Fuzz(rapid.MakeFuzz(checkHashRoundTrip)) }

func checkHashRoundTrip(t *rapid.T) {
	h := rapid.OneOf(
		rapid.String(),
		rapid.StringMatching(`c1:[0-9a-f]{64}`),
		rapid.StringMatching(`p1:[0-9a-f]{16}`),
		rapid.StringMatching(`[a-z:]{0,4}[0-9a-fA-F]{0,9}`),
	).Draw(t, "hash")
	b := packHash(blob("x"), h)
	rd := reader{b[1:]}
	if got := rd.hash(); got != h || len(rd.b) != 0 {
		t.Fatalf("packHash then hash = %q (%d bytes left), want %q", got, len(rd.b), h)
	}
	skip := reader{append(b[1:], "rest"...)}
	if skip.skipHash(); string(skip.b) != "rest" {
		t.Fatalf("skipHash left %q, want %q", skip.b, "rest")
	}
	if len(h) == 67 && h[:3] == "c1:" && len(b) > 1+1+3+1+32 {
		t.Fatalf("an engine hash packs to %d bytes, want 38", len(b)-1)
	}
	if len(h) == 19 && h[:3] == "p1:" && len(b) > 1+1+3+1+8 {
		t.Fatalf("a process hash packs to %d bytes, want 14", len(b)-1)
	}
}

// TestPackedHashIsNoPrefix checks what sameHash relies on: the packed
// form of a hash is never the start of another hash's, so comparing a
// packed hash with the start of a stored blob compares hashes.
func TestPackedHashIsNoPrefix(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		gen := rapid.OneOf(rapid.String(), rapid.StringMatching(`[a-z:]{0,4}[0-9a-fA-F]{0,9}`))
		a, b := gen.Draw(t, "a"), gen.Draw(t, "b")
		pa, pb := packHash(nil, a), packHash(nil, b)
		if a != b && len(pa) <= len(pb) && string(pb[:len(pa)]) == string(pa) {
			t.Fatalf("packed %q is the start of packed %q", a, b)
		}
	})
}
