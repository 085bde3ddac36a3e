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

// blobAt is where a blob (see blob) starts in an arena: a ref without
// the length, as a blob's reader stops at its last field by itself.
// Rows hold millions of them.
type blobAt struct{ chunk, off uint32 }

// addBlob appends b, which must not be empty.
func (a *arena) addBlob(b blob) blobAt {
	r := a.add(b)
	return blobAt{r.chunk, r.off}
}

// blob returns the bytes from a blob's start to its chunk's end.
func (a *arena) blob(at blobAt) []byte { return a.chunks[at.chunk][at.off:] }

func (a *arena) str(r ref) string {
	if r.n == 0 {
		return ""
	}
	return unsafe.String(&a.chunks[r.chunk][r.off], r.n)
}

// interner gives each distinct string a dense number, once, at the
// store's boundary; inside, rows and indexes hold the numbers. Number 0
// is the empty string. The index is an open-addressing table, kept at
// most three quarters full, whose 8-byte slots hold a number and 32 bits
// of its string's hash: a probe reads one slot and compares strings only
// when the hash bits match, and the table holds no pointers for the
// collector to scan.
type interner struct {
	text  *arena
	refs  []ref    // by number
	slots []uint64 // tag<<32 | number; 0 is an empty slot
	seed  maphash.Seed
	// recent holds strings interned lately, placed by a cheap mix of
	// their length and last byte: a commit names the same event,
	// customer, currency and rule words several times, and a string
	// found here is not hashed or probed for. Each holds the arena's
	// copy, whose bytes never change, so what it matches is what was
	// interned, whatever becomes of the caller's bytes.
	recent [64]recentString
}

type recentString struct {
	s string
	n uint32
}

// recentSlot places a non-empty string among the recent ones.
func recentSlot(s string) int { return (len(s)*7 + int(s[len(s)-1])) & 63 }

func newInterner(text *arena) *interner {
	return &interner{text: text, refs: []ref{{}}, slots: make([]uint64, 64), seed: maphash.MakeSeed()}
}

// find returns s's number, or 0 and the empty slot where it would go,
// and s's slot value without the number.
func (in *interner) find(s string) (n uint32, slot int, tag uint64) {
	h := maphash.String(in.seed, s)
	tag, mask := h&^0xffffffff, len(in.slots)-1
	for i := int(h) & mask; ; i = (i + 1) & mask {
		v := in.slots[i]
		if v == 0 {
			return 0, i, tag
		}
		if v&^0xffffffff == tag && in.text.str(in.refs[uint32(v)]) == s {
			return uint32(v), i, tag
		}
	}
}

// lookup returns s's number, or false when s was never interned. It
// writes nothing, not even to recent: readers share the store's lock.
func (in *interner) lookup(s string) (uint32, bool) {
	if s == "" {
		return 0, true
	}
	if r := &in.recent[recentSlot(s)]; r.s == s {
		return r.n, true
	}
	n, _, _ := in.find(s)
	return n, n != 0
}

// intern returns s's number, giving it the next one when s is new.
// Callers hold the store's lock for writing.
func (in *interner) intern(s string) uint32 {
	if s == "" {
		return 0
	}
	r := &in.recent[recentSlot(s)]
	if r.s == s {
		return r.n
	}
	n, slot, tag := in.find(s)
	if n == 0 {
		n = uint32(len(in.refs))
		in.refs = append(in.refs, in.text.addString(s))
		in.slots[slot] = tag | uint64(n)
		if 4*len(in.refs) > 3*len(in.slots) {
			in.grow()
		}
	}
	*r = recentString{in.text.str(in.refs[n]), n}
	return n
}

// grow doubles the table and places every number again; the slots keep
// only the hash's high half, so the strings are hashed again.
func (in *interner) grow() {
	in.slots = make([]uint64, 2*len(in.slots))
	mask := len(in.slots) - 1
	for n := 1; n < len(in.refs); n++ {
		h := maphash.String(in.seed, in.text.str(in.refs[n]))
		i := int(h) & mask
		for in.slots[i] != 0 {
			i = (i + 1) & mask
		}
		in.slots[i] = h&^0xffffffff | uint64(n)
	}
}

func (in *interner) str(n uint32) string { return in.text.str(in.refs[n]) }
