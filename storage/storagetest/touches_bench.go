package storagetest

import (
	"strconv"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
)

// benchAttribution measures the attribution shell's store calls: a click
// (AddTouch), the signup's read of a visitor's touches, and Bind, each on
// a fresh store. The lead wires it into benchSuites as
// {"Attribution", benchAttribution}.
func benchAttribution(b *testing.B, newStore func(*testing.B) Store) {
	b.Run("AddTouch", func(b *testing.B) {
		s := newStore(b)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			id := strconv.Itoa(i)
			if err := s.AddTouch(ctxT(), tch(affiliate.TouchID("bt-"+id), affiliate.VisitorID("bv-"+strconv.Itoa(i%10000)), "aff-1", t0.Add(time.Duration(i)*time.Second))); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("VisitorTouches", func(b *testing.B) {
		s := newStore(b)
		for i := range 20 {
			if err := s.AddTouch(ctxT(), tch(affiliate.TouchID("vt-"+strconv.Itoa(i)), "bv-reader", "aff-1", t0.Add(time.Duration(i)*time.Hour))); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportAllocs()
		for b.Loop() {
			if ts, err := s.VisitorTouches(ctxT(), "bv-reader"); err != nil || len(ts) != 20 {
				b.Fatal(len(ts), err)
			}
		}
	})
	b.Run("Bind", func(b *testing.B) {
		s := newStore(b)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := s.Bind(ctxT(), bnd(affiliate.CustomerID("bc-"+strconv.Itoa(i)), "aff-1")); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}
