package tiers_test

import (
	"strings"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/tiers"
)

// TestPolicies runs the same two months of events under each policy.
// Ann refers two customers; in January they pay 4,000 + 5,000 + 2,000 +
// 1,000 EUR (12,000 EUR: Premium from the third payment, which brings the
// month to 11,000), in February 1,000 EUR (Standard on its own).
func TestPolicies(t *testing.T) {
	events := []struct {
		id       string
		customer affiliate.CustomerID
		at       time.Time
		amount   string
	}{
		{"p1", "c1", day(time.January, 5), "4000"},
		{"p2", "c2", day(time.January, 12), "5000"},
		{"p3", "c1", day(time.January, 20), "2000"}, // the month reaches 11,000: crosses 10,000
		{"p4", "c2", day(time.January, 28), "1000"},
		{"p5", "c1", day(time.February, 10), "1000"},
	}
	tests := []struct {
		policy tiers.Policy
		// priced is what each payment earned when recorded; final is what
		// it nets to once January and February are closed.
		priced, final map[string]string
		// trueUps are the adjustments the close of January appends.
		trueUps map[string]string
		// janTier and febTier are the tiers the closes decide.
		janTier, febTier string
	}{
		{
			// January is paid at December's tier (Standard: nothing in
			// December); February at January's (Premium).
			policy:  tiers.NextPeriod,
			priced:  map[string]string{"p1": "600.00", "p2": "750.00", "p3": "300.00", "p4": "150.00", "p5": "200.00"},
			final:   map[string]string{"p1": "600.00", "p2": "750.00", "p3": "300.00", "p4": "150.00", "p5": "200.00"},
			trueUps: map[string]string{},
			janTier: "Premium", febTier: "Standard",
		},
		{
			// January is priced at the floor (Standard) and trued up to
			// Premium by its close: +5% of each payment.
			policy:  tiers.Retroactive,
			priced:  map[string]string{"p1": "600.00", "p2": "750.00", "p3": "300.00", "p4": "150.00", "p5": "150.00"},
			final:   map[string]string{"p1": "800.00", "p2": "1000.00", "p3": "400.00", "p4": "200.00", "p5": "150.00"},
			trueUps: map[string]string{"p1": "200.00", "p2": "250.00", "p3": "100.00", "p4": "50.00"},
			janTier: "Premium", febTier: "Standard",
		},
		{
			// Premium from p3, the payment that crosses, onward; February
			// starts again from zero.
			policy:  tiers.Immediate,
			priced:  map[string]string{"p1": "600.00", "p2": "750.00", "p3": "400.00", "p4": "200.00", "p5": "150.00"},
			final:   map[string]string{"p1": "600.00", "p2": "750.00", "p3": "400.00", "p4": "200.00", "p5": "150.00"},
			trueUps: map[string]string{},
			janTier: "Premium", febTier: "Standard",
		},
	}
	for _, tt := range tests {
		t.Run(tt.policy.String(), func(t *testing.T) {
			w := newWorld(t, tiers.Config{Policy: tt.policy})
			w.bind("c1", "ann", "")
			w.bind("c2", "ann", "")
			var jan closed
			for _, ev := range events {
				if ev.at.Month() == time.February && jan.Revision == 0 {
					jan = w.close(time.January, time.Hour)
				}
				es := must[[]affiliate.Entry](t)(w.pay(payment(ev.id, ev.customer, ev.at, eur(ev.amount))))
				if got := es[0].Amount.AmountString(); got != tt.priced[ev.id] {
					t.Errorf("%s priced at %s (%s), want %s", ev.id, got, es[0].Tier, tt.priced[ev.id])
				}
			}
			w.close(time.February, time.Hour)
			for _, ev := range events {
				if got := w.net("ann", affiliate.EventID(ev.id)).AmountString(); got != tt.final[ev.id] {
					t.Errorf("%s nets %s, want %s", ev.id, got, tt.final[ev.id])
				}
			}
			got := map[string]string{}
			for _, e := range jan.Entries {
				if e.Kind != affiliate.KindAdjustment || !w.corrects(e, affiliate.EntryID(e.Payment+"/1")) || !strings.Contains(e.Explanation, "Premium") {
					t.Errorf("true-up %+v: want an adjustment correcting %s/1 that names Premium", e, e.Payment)
				}
				got[string(e.Payment)] = e.Amount.AmountString()
			}
			if !equalMaps(got, tt.trueUps) {
				t.Errorf("close of January appended %v, want %v", got, tt.trueUps)
			}
			for m, want := range map[time.Month]string{time.January: tt.janTier, time.February: tt.febTier} {
				d := must[tiers.Decision](t)(w.prog.Decide(w.ctx, "ann", affiliate.PeriodOf(day(m, 1), nil)))
				if d.Tier.Name != want || d.Revision != 1 {
					t.Errorf("%s decided %s (run %d), want %s (run 1)", m, d.Tier.Name, d.Revision, want)
				}
			}
			if tt.policy == tiers.Retroactive {
				t.Logf("true-up explanation: %s", jan.Entries[0].Explanation)
			}
		})
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
