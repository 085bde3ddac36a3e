package memstore

import (
	"encoding/binary"
	"time"
	"unsafe"
)

// The pieces rows are made of: paged columns, instants without
// pointers, and blobs for a row's variable fields.

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
	return instant{sec: t.Unix(), nsec: int32(t.Nanosecond()), loc: ls.number(t.Location())}
}

// number returns loc's number, adding it when new; nil is a location
// too (a Period's UTC).
func (ls *locations) number(loc *time.Location) uint16 {
	for i, l := range *ls {
		if l == loc {
			return uint16(i)
		}
	}
	*ls = append(*ls, loc)
	return uint16(len(*ls) - 1)
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
