package memstore

import (
	"encoding/binary"
	"hash/maphash"
	"time"
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

// pages is a column of rows in fixed-size pages: positions are stable and
// growing never copies the rows already stored.
type pages[T any] struct {
	pages [][]T
	n     int
}

const pageSize = 4096

func (p *pages[T]) len() int { return p.n }

func (p *pages[T]) at(i int) *T { return &p.pages[i/pageSize][i%pageSize] }

func (p *pages[T]) append(v T) int {
	if p.n%pageSize == 0 {
		p.pages = append(p.pages, make([]T, 0, pageSize))
	}
	last := len(p.pages) - 1
	p.pages[last] = append(p.pages[last], v)
	p.n++
	return p.n - 1
}

// instant is a time.Time without pointers: its location is a number in
// the store's location table.
type instant struct {
	sec  int64
	nsec int32
	loc  uint16
}

func (i instant) before(o instant) bool {
	return i.sec < o.sec || (i.sec == o.sec && i.nsec < o.nsec)
}

func (i instant) compare(o instant) int {
	switch {
	case i.before(o):
		return -1
	case o.before(i):
		return 1
	}
	return 0
}

// locations numbers the time.Locations the store has seen.
type locations []*time.Location

func (ls *locations) instant(t time.Time) instant {
	loc := t.Location()
	n := -1
	for i, l := range *ls {
		if l == loc {
			n = i
			break
		}
	}
	if n < 0 {
		n = len(*ls)
		*ls = append(*ls, loc)
	}
	return instant{sec: t.Unix(), nsec: int32(t.Nanosecond()), loc: uint16(n)}
}

// bare is the instant of t without a location, for comparisons.
func bare(t time.Time) instant { return instant{sec: t.Unix(), nsec: int32(t.Nanosecond())} }

func (ls locations) time(i instant) time.Time {
	return time.Unix(i.sec, int64(i.nsec)).In(ls[i.loc])
}

// blob writes a row's variable fields as bytes for the arena; reader
// reads them back in the same order.
type blob []byte

func (b blob) str(s string) blob {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func (b blob) int(v int64) blob { return binary.AppendVarint(b, v) }

func (b blob) uint(v uint64) blob { return binary.AppendUvarint(b, v) }

type reader struct{ b []byte }

func (r *reader) uint() uint64 {
	v, n := binary.Uvarint(r.b)
	r.b = r.b[n:]
	return v
}

func (r *reader) int() int64 {
	v, n := binary.Varint(r.b)
	r.b = r.b[n:]
	return v
}

// str returns the next string, pointing into the arena.
func (r *reader) str() string {
	n := r.uint()
	if n == 0 {
		return ""
	}
	s := unsafe.String(&r.b[0], n)
	r.b = r.b[n:]
	return s
}
