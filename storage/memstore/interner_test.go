package memstore

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"unsafe"

	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// TestInternerIsAMap checks the interner against a map: the same string
// gets the same number, another string another one, numbers are dense
// from 1, lookups find exactly what was interned, and every number reads
// back as its string, across the table's growth.
func TestInternerIsAMap(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var text arena
		in := newInterner(&text)
		model := map[string]uint32{"": 0}
		pool := rapid.SliceOfN(rapid.String(), 1, 200).Draw(t, "pool")
		for _, s := range rapid.SliceOf(rapid.SampledFrom(pool)).Draw(t, "interns") {
			n := in.intern(s)
			want, seen := model[s]
			if !seen {
				want = uint32(len(model))
				model[s] = want
			}
			if n != want {
				t.Fatalf("intern(%q) = %d, want %d", s, n, want)
			}
		}
		for _, s := range pool {
			n, ok := in.lookup(s)
			want, seen := model[s]
			if ok != seen || n != want {
				t.Fatalf("lookup(%q) = %d, %v; want %d, %v", s, n, ok, want, seen)
			}
		}
		for s, n := range model {
			if got := in.str(n); got != s {
				t.Fatalf("str(%d) = %q, want %q", n, got, s)
			}
		}
	})
}

// TestInternerRecentHoldsItsOwnCopy checks that the strings the interner
// keeps of late are its own: a caller's string whose bytes change after
// it was interned (one made over a reused buffer) must not answer for
// the text it later holds.
func TestInternerRecentHoldsItsOwnCopy(t *testing.T) {
	var text arena
	in := newInterner(&text)
	// The two texts share their length and last byte, so they meet in
	// the same place among the recent strings.
	buf := []byte("cus-1")
	first := in.intern(unsafe.String(&buf[0], len(buf)))
	copy(buf, "cux-1")
	second := in.intern(unsafe.String(&buf[0], len(buf)))
	if first == second {
		t.Fatalf("cus-1 and cux-1 both got number %d", first)
	}
	if got := in.str(first); got != "cus-1" {
		t.Fatalf("str(%d) = %q, want cus-1", first, got)
	}
	if n, ok := in.lookup("cus-1"); !ok || n != first {
		t.Fatalf("lookup(cus-1) = %d, %v; want %d", n, ok, first)
	}

	// The same through the table: cus-1 found there again, after dus-1
	// took its place among the recent strings, over a buffer that then
	// changes.
	in.intern("dus-1")
	copy(buf, "cus-1")
	if n := in.intern(unsafe.String(&buf[0], len(buf))); n != first {
		t.Fatalf("intern(cus-1) again = %d, want %d", n, first)
	}
	copy(buf, "cuy-1")
	if n := in.intern(unsafe.String(&buf[0], len(buf))); n == first {
		t.Fatalf("cuy-1 got cus-1's number %d", n)
	}
}

// TestReadersShareTheLock reads from many goroutines at once, as
// readers holding the store's read lock together do: under -race it
// fails if a read writes the store, such as a lookup remembering what it
// found among the interner's recent strings.
func TestReadersShareTheLock(t *testing.T) {
	s := New()
	ctx := context.Background()
	const customers = 64
	for i := range customers {
		c := affiliate.CustomerID("cus-" + strconv.Itoa(i))
		if _, err := s.Commit(ctx, storage.Commit{Key: "k" + string(c), Hash: "h",
			State: storage.CustomerState{Customer: c, Version: 1, Data: []byte{byte(i)}}}); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4*customers)
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range customers {
				i := (k*7 + g*13) % customers
				st, err := s.CustomerState(ctx, affiliate.CustomerID("cus-"+strconv.Itoa(i)))
				if err == nil && (st.Version != 1 || len(st.Data) != 1 || st.Data[0] != byte(i)) {
					err = fmt.Errorf("cus-%d read as version %d, data %v", i, st.Version, st.Data)
				}
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestInternerGrows(t *testing.T) {
	var text arena
	in := newInterner(&text)
	const n = 100_000
	for i := range n {
		if got := in.intern("id-" + strconv.Itoa(i)); got != uint32(i+1) {
			t.Fatalf("intern(id-%d) = %d, want %d", i, got, i+1)
		}
	}
	for i := range n {
		if got, ok := in.lookup("id-" + strconv.Itoa(i)); !ok || got != uint32(i+1) {
			t.Fatalf("lookup(id-%d) = %d, %v after growth", i, got, ok)
		}
	}
	if _, ok := in.lookup("id-" + strconv.Itoa(n)); ok {
		t.Fatal("lookup found a string never interned")
	}
}

// BenchmarkInterner looks up a million interned IDs in random order, half
// of them hits, half misses: the engine's pattern on a year's store.
func BenchmarkInterner(b *testing.B) {
	var text arena
	in := newInterner(&text)
	const n = 1 << 20
	for i := range n {
		in.intern("cus-" + strconv.Itoa(i))
	}
	probes := make([]string, 4096)
	for i := range probes {
		probes[i] = "cus-" + strconv.Itoa((i*7919)%(2*n))
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		in.lookup(probes[i%len(probes)])
		i++
	}
}
