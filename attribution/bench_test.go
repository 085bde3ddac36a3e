package attribution_test

import (
	"strconv"
	"testing"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
)

// go test ./attribution/ -run '^$' -bench . -benchmem -count=5

func BenchmarkRecordTouch(b *testing.B) {
	f := newFixture(b, func(c *attribution.Config) { c.Observer = nil })
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := f.t.RecordTouch(ctx, attribution.TouchInput{Visitor: affiliate.VisitorID("v" + strconv.Itoa(i%10000)), Code: "ann", At: t0}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkDecodeCookie(b *testing.B) {
	c := codec(b, t0, newKey, oldKey)
	v := mustEncode(b, c, attribution.Referral{Affiliate: "aff-000123", Visitor: "v_JZ3QY5XKQ6B2M7T4H8N1D0PRSW", Touch: "t_K2X9C4V7B1N5M8Q3W6E0R2T4YU", At: t0.Add(-day)})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Decode(v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBind binds a fresh customer per iteration whose visitor has
// three touches and a cookie: the signup path of a referred customer.
func BenchmarkBind(b *testing.B) {
	f := newFixture(b, func(c *attribution.Config) { c.Observer = nil })
	const visitors = 1000
	for v := range visitors {
		visitor := affiliate.VisitorID("v" + strconv.Itoa(v))
		f.touch(b, visitor, "bob", t0.Add(-30*day))
		f.touch(b, visitor, "ann", t0.Add(-3*day))
		f.touch(b, visitor, "bob", t0.Add(-day))
	}
	ref := attribution.Referral{Affiliate: "bob", Visitor: "v0", Touch: "t_0001", At: t0.Add(-30 * day)}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		visitor := affiliate.VisitorID("v" + strconv.Itoa(i%visitors))
		ref.Visitor = visitor
		_, err := f.t.Bind(ctx, attribution.Signup{Customer: affiliate.CustomerID("cus-" + strconv.Itoa(i)), Email: "carol@carolco.io", Visitor: visitor, Referral: ref})
		if err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkBindTypedCode: a signup that binds by the code typed into the
// form, which also stores the code's use as a touch.
func BenchmarkBindTypedCode(b *testing.B) {
	f := newFixture(b, func(c *attribution.Config) { c.Observer = nil })
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s := attribution.Signup{Customer: affiliate.CustomerID("cus-" + strconv.Itoa(i)), Email: "carol@carolco.io", Visitor: affiliate.VisitorID("v" + strconv.Itoa(i)), Code: "ANN"}
		if _, err := f.t.Bind(ctx, s); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
