package memstore

import (
	"testing"
	"unsafe"
)

// TestRowSizes pins the sizes of the rows a year's store holds millions
// of: a field added or moved must not bring the padding back.
func TestRowSizes(t *testing.T) {
	if n := unsafe.Sizeof(entryRow{}); n != 72 {
		t.Errorf("entryRow is %d bytes, want 72", n)
	}
	if n := unsafe.Sizeof(eventRow{}); n != 32 {
		t.Errorf("eventRow is %d bytes, want 32", n)
	}
}
