package commission_test

import (
	"context"
	"sync"
	"testing"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// replayCounter counts the reads of customers' event logs: one per
// customer the engine re-prices.
type replayCounter struct {
	*memstore.Store
	mu      sync.Mutex
	replays int
}

func (s *replayCounter) Events(ctx context.Context, q storage.EventQuery) ([]affiliate.EventRecord, error) {
	if q.Customer != "" {
		s.mu.Lock()
		s.replays++
		s.mu.Unlock()
	}
	return s.Store.Events(ctx, q)
}

// TestRetierNamesTheNewTier: a parent's bonus rate is 5% in both tiers,
// so when the parent reaches Premium its bonus keeps its amount; the
// restate appends a zero adjustment naming Premium, and the next Retier
// finds the key priced and restates nobody.
func TestRetierNamesTheNewTier(t *testing.T) {
	ctx := context.Background()
	st := &replayCounter{Store: memstore.New()}
	for _, a := range []affiliate.Affiliate{aff("pat", ""), aff("ann", "pat")} {
		if err := st.PutAffiliate(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	tier := map[affiliate.AffiliateID]rules.Tier{"pat": standard, "ann": standard}
	source := commission.TierSourceFunc(func(_ context.Context, a affiliate.AffiliateID, _ affiliate.Payment) (rules.Tier, error) {
		mu.Lock()
		defer mu.Unlock()
		return tier[a], nil
	})
	eng, err := commission.New(commission.Config{Store: st, Terms: terms(rules.AllOf{rules.TierRate{}, rules.SubAffiliateBonus{}}), Tiers: source})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Bind(ctx, affiliate.Binding{Customer: "c1", Affiliate: "ann", Source: affiliate.BindByManual, BoundAt: jan15}); err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Record(ctx, pay("p1", "c1", jan15, "EUR", line(affiliate.LineSubscription, "1000", "EUR"))); err != nil {
		t.Fatal(err)
	}

	mu.Lock()
	tier["pat"] = premium
	mu.Unlock()
	from := per("2026-01").Start()
	res, err := eng.Retier(ctx, "pat", from)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Entries) != 1 || res.Entries[0].Kind != affiliate.KindAdjustment || !res.Entries[0].Amount.IsZero() ||
		res.Entries[0].Tier != "Premium" || res.Entries[0].Corrects != "p1/2" || !res.Entries[0].At.Equal(jan15) {
		t.Fatalf("Retier(pat) appended %+v; want one zero adjustment naming Premium, correcting p1/2, dated at the payment", res.Entries)
	}
	st.replays = 0
	for _, a := range []affiliate.AffiliateID{"pat", "ann"} {
		if res, err := eng.Retier(ctx, a, from); err != nil || len(res.Entries) != 0 {
			t.Fatalf("Retier(%s) again: %s, %v", a, amounts(res.Entries), err)
		}
	}
	if st.replays != 0 {
		t.Errorf("Retier again re-priced %d customers; want none", st.replays)
	}
}

// TestRetierFindsZeroAccruals: an accrual that rounds to zero at its tier
// is a 0.00 entry naming the tier, with its base (15% of 0.03 EUR) or
// without one (a rule of the host's), so Retier finds the customer's only
// payment when the tier changes and raises it; then it has nothing left.
func TestRetierFindsZeroAccruals(t *testing.T) {
	noBase := rules.RuleFunc(func(f rules.Facts) ([]rules.Accrual, error) {
		amount := affiliate.Zero("EUR")
		if f.Tiers[0].Name == "Premium" {
			amount = affiliate.MustParseMoney("0.01", "EUR")
		}
		return []rules.Accrual{{Beneficiary: f.Chain[0].ID, Kind: affiliate.KindCommission, Amount: amount, Rule: "cent", Tier: f.Tiers[0].Name}}, nil
	})
	for _, tt := range []struct {
		name string
		rule rules.Rule
		base string
	}{
		{"tier rate", rules.TierRate{}, "0.03 EUR"},
		{"no base", noBase, "0"}, // the zero Money
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			st := memstore.New()
			if err := st.PutAffiliate(ctx, aff("ann", "")); err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			tier := standard
			source := commission.TierSourceFunc(func(context.Context, affiliate.AffiliateID, affiliate.Payment) (rules.Tier, error) {
				mu.Lock()
				defer mu.Unlock()
				return tier, nil
			})
			eng, err := commission.New(commission.Config{Store: st, Terms: terms(tt.rule), Tiers: source})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := st.Bind(ctx, affiliate.Binding{Customer: "c1", Affiliate: "ann", Source: affiliate.BindByManual, BoundAt: jan15}); err != nil {
				t.Fatal(err)
			}
			res, err := eng.Record(ctx, pay("p1", "c1", jan15, "EUR", line(affiliate.LineSubscription, "0.03", "EUR")))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Entries) != 1 || !res.Entries[0].Amount.IsZero() || res.Entries[0].Tier != "Standard" || res.Entries[0].Base.String() != tt.base {
				t.Fatalf("Record appended %+v; want one 0.00 entry at Standard on %q", res.Entries, tt.base)
			}
			mu.Lock()
			tier = premium
			mu.Unlock()
			from := per("2026-01").Start()
			res, err = eng.Retier(ctx, "ann", from)
			if err != nil || amounts(res.Entries) != "ann adjustment 0.01 EUR" {
				t.Fatalf("Retier appended %s, %v; want the 0.00 raised to 0.01", amounts(res.Entries), err)
			}
			if res, err := eng.Retier(ctx, "ann", from); err != nil || len(res.Entries) != 0 {
				t.Fatalf("Retier again: %s, %v", amounts(res.Entries), err)
			}
		})
	}
}
