package memstore

import (
	"hash/maphash"
	"unsafe"
)

// arena holds the store's text in large byte chunks, so a million stored
// strings are a few dozen objects for the garbage collector instead of a
// million. Bytes once written never change, so the strings read back
// point into the chunks (unsafe.String) and reads copy nothing: a Go
// string is immutable, and so is every byte of the arena below a chunk's
// length.
type arena struct {
	chunks [][]byte
}

const arenaChunk = 1 << 20

// ref is a byte range of an arena.
type ref struct{ chunk, off, n uint32 }

func (a *arena) add(b []byte) ref {
	if len(b) == 0 {
		return ref{}
	}
	last := len(a.chunks) - 1
	if last < 0 || len(a.chunks[last])+len(b) > cap(a.chunks[last]) {
		a.chunks = append(a.chunks, make([]byte, 0, max(arenaChunk, len(b))))
		last++
	}
	c := a.chunks[last]
	a.chunks[last] = append(c, b...)
	return ref{chunk: uint32(last), off: uint32(len(c)), n: uint32(len(b))}
}

func (a *arena) addString(s string) ref {
	return a.add(unsafe.Slice(unsafe.StringData(s), len(s)))
}

// bytes returns the stored bytes; callers must not modify them.
func (a *arena) bytes(r ref) []byte {
	if r.n == 0 {
		return nil
	}
	return a.chunks[r.chunk][r.off : r.off+r.n : r.off+r.n]
}

func (a *arena) str(r ref) string {
	if r.n == 0 {
		return ""
	}
	return unsafe.String(&a.chunks[r.chunk][r.off], r.n)
}

// interner gives each distinct string a dense number, once, at the
// store's boundary; inside, rows and indexes hold the numbers. Number 0
// is the empty string. The index is an open-addressing table of numbers,
// kept at most half full, and each number keeps 32 bits of its string's
// hash so that a probe compares strings only when those match: 4 to 8
// bytes a string, and no pointers for the collector to scan.
type interner struct {
	text  *arena
	refs  []ref    // by number
	tags  []uint32 // by number: the high half of the string's hash
	slots []uint32 // numbers; 0 is an empty slot
	seed  maphash.Seed
}

func newInterner(text *arena) *interner {
	return &interner{text: text, refs: []ref{{}}, tags: []uint32{0}, slots: make([]uint32, 64), seed: maphash.MakeSeed()}
}

// find returns s's number, or 0 and the empty slot where it would go.
func (in *interner) find(s string) (n uint32, slot int) {
	h := maphash.String(in.seed, s)
	tag, mask := uint32(h>>32), len(in.slots)-1
	for i := int(h) & mask; ; i = (i + 1) & mask {
		n := in.slots[i]
		if n == 0 {
			return 0, i
		}
		if in.tags[n] == tag && in.text.str(in.refs[n]) == s {
			return n, i
		}
	}
}

// lookup returns s's number, or false when s was never interned.
func (in *interner) lookup(s string) (uint32, bool) {
	if s == "" {
		return 0, true
	}
	n, _ := in.find(s)
	return n, n != 0
}

// intern returns s's number, giving it the next one when s is new.
func (in *interner) intern(s string) uint32 {
	if s == "" {
		return 0
	}
	n, slot := in.find(s)
	if n != 0 {
		return n
	}
	n = uint32(len(in.refs))
	in.refs = append(in.refs, in.text.addString(s))
	in.tags = append(in.tags, uint32(maphash.String(in.seed, s)>>32))
	in.slots[slot] = n
	if 2*len(in.refs) > len(in.slots) {
		in.grow()
	}
	return n
}

// grow doubles the table and places every number again.
func (in *interner) grow() {
	in.slots = make([]uint32, 2*len(in.slots))
	mask := len(in.slots) - 1
	for n := 1; n < len(in.refs); n++ {
		i := int(maphash.String(in.seed, in.text.str(in.refs[n]))) & mask
		for in.slots[i] != 0 {
			i = (i + 1) & mask
		}
		in.slots[i] = uint32(n)
	}
}

func (in *interner) str(n uint32) string { return in.text.str(in.refs[n]) }
