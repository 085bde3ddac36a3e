package memstore

import (
	"testing"

	"pgregory.net/rapid"
)

// TestHashRoundTrips checks that a packed hash reads back as the string
// it was, whatever the string: hex or not, odd tails, uppercase.
func TestHashRoundTrips(t *testing.T) {
	rapid.Check(t, checkHashRoundTrip)
}

func FuzzHashRoundTrips(f *testing.F) { f.Fuzz(rapid.MakeFuzz(checkHashRoundTrip)) }

func checkHashRoundTrip(t *rapid.T) {
	h := rapid.OneOf(
		rapid.String(),
		rapid.StringMatching(`c1:[0-9a-f]{64}`),
		rapid.StringMatching(`[a-z:]{0,4}[0-9a-fA-F]{0,9}`),
	).Draw(t, "hash")
	b := packHash(blob("x"), h)
	rd := reader{b[1:]}
	if got := rd.hash(); got != h || len(rd.b) != 0 {
		t.Fatalf("packHash then hash = %q (%d bytes left), want %q", got, len(rd.b), h)
	}
	if len(h) == 67 && h[:3] == "c1:" && len(b) > 1+1+3+1+32 {
		t.Fatalf("an engine hash packs to %d bytes, want 38", len(b)-1)
	}
}
