package memstore

import "testing"

// TestSlotSize checks that a state's slot holds it and wastes at most an
// eighth of it, and that sizes round to few distinct slots.
func TestSlotSize(t *testing.T) {
	sizes := map[uint32]bool{}
	for n := 0; n <= 1<<16; n++ {
		s := slotSize(n)
		if int(s) < n || n > 16 && int(s)-n > n/8 || n <= 16 && s != 16 {
			t.Fatalf("slotSize(%d) = %d", n, s)
		}
		if slotSize(int(s)) != s {
			t.Fatalf("slotSize(%d) = %d, but slotSize(%d) = %d", n, s, s, slotSize(int(s)))
		}
		sizes[s] = true
	}
	if len(sizes) > 8*13 {
		t.Fatalf("%d slot sizes up to 64 KiB", len(sizes))
	}
}
