package commission

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// BenchmarkRecordContract measures, for BenchmarkRecord's seed-000
// payment, the steps the public contract asks of every Record whatever
// the rules: validating the host's event and making its key and hash (the
// store keeps them), decoding the customer's summary from the bytes the
// storage contract holds and encoding it again, and copying out the
// entries the caller owns (Result). Together they are the part of
// BenchmarkRecordEngine that no pricing or store change can remove
// (docs/performance.md, "The floor under today's contract"), though
// result alone overstates its share: the collector runs throughout a
// loop that only allocates. The key's hash is memstore's (the engine
// picks it by store).
func BenchmarkRecordContract(b *testing.B) {
	ctx := context.Background()
	at := time.Date(2026, time.January, 15, 10, 0, 0, 0, time.UTC)
	st := memstore.New()
	for _, a := range []affiliate.Affiliate{{ID: "p", Status: affiliate.StatusActive}, {ID: "a", Parent: "p", Status: affiliate.StatusActive}} {
		if err := st.PutAffiliate(ctx, a); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := st.Bind(ctx, affiliate.Binding{Customer: "c", Affiliate: "a", Source: affiliate.BindByLink, BoundAt: at}); err != nil {
		b.Fatal(err)
	}
	standard := rules.Tier{Name: "Standard", Rate: affiliate.MustPercent("15"), BonusRate: affiliate.MustPercent("5")}
	e, err := New(Config{
		Store: st, Terms: []TermsVersion{{Version: "v1", Rule: rules.AllOf{rules.TierRate{}, rules.SubAffiliateBonus{}}, Hold: 30 * 24 * time.Hour}},
		Tiers: FixedTier(standard), Currency: "EUR",
	})
	if err != nil {
		b.Fatal(err)
	}
	payment := func(i int) affiliate.Event {
		return affiliate.Payment{
			ID: affiliate.EventID(fmt.Sprintf("pay-%09d", i)), Customer: "c", PaidAt: at.Add(time.Duration(i) * time.Hour), Currency: "USD",
			Lines: []affiliate.Line{
				{Kind: affiliate.LineSubscription, Amount: affiliate.MustParseMoney("20", "USD")},
				{Kind: affiliate.LineAddOn, Amount: affiliate.MustParseMoney("200", "USD")},
			},
			Conversion: affiliate.Conversion{To: "EUR", Rate: affiliate.MustRate("0.92")},
		}
	}
	var last Result
	for i := range 100 { // BenchmarkRecord's history=100
		if last, err = e.Record(ctx, payment(i)); err != nil {
			b.Fatal(err)
		}
	}
	state, err := st.CustomerState(ctx, "c")
	if err != nil || len(last.Entries) != 2 {
		b.Fatalf("state %v, %d entries: want the seed-000 payment's 2", err, len(last.Entries))
	}
	ev := payment(100)

	b.Run("event", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c, err := e.canonical(ev)
			if err != nil {
				b.Fatal(err)
			}
			k, err := e.hasher.keysOf(c)
			if err != nil {
				b.Fatal(err)
			}
			if k.key == "" || k.hash == "" {
				b.Fatalf("keys %+v: want a key and a hash", k)
			}
		}
	})
	b.Run("summary", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			s, err := decodeSummary(state.Data)
			if err != nil {
				b.Fatal(err)
			}
			buf = appendSummary(buf[:0], &s)
		}
		if len(buf) != len(state.Data) {
			b.Fatalf("summary encoded again in %d bytes, stored in %d", len(buf), len(state.Data))
		}
	})
	b.Run("result", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if out := ownEntries(last.Entries); &out[0] == &last.Entries[0] {
				b.Fatal("entries not copied")
			}
		}
	})
}
