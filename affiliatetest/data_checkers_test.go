package affiliatetest_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/affiliatetest"
)

func eur(minor int64) affiliate.Money { return affiliate.MustMoney(minor, "EUR") }

func wantViolation(t *testing.T, err error, inv string, want ...string) {
	t.Helper()
	var v *affiliatetest.Violation
	if !errors.As(err, &v) {
		t.Fatalf("got %v, want a *Violation of %s", err, inv)
	}
	if v.Invariant != inv {
		t.Errorf("Invariant = %s, want %s", v.Invariant, inv)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("the report does not say %q; it says:\n%v", w, err)
		}
	}
}

func TestCheckPayouts(t *testing.T) {
	asOf := affiliatetest.Epoch.AddDate(0, 2, 0)
	early := affiliatetest.Epoch.AddDate(0, 1, 0)
	late := asOf.Add(24 * time.Hour)
	entry := func(id string, aff affiliate.AffiliateID, minor int64, available time.Time) affiliate.Entry {
		return affiliate.Entry{ID: affiliate.EntryID(id), Beneficiary: aff, Kind: affiliate.KindCommission, Amount: eur(minor), At: affiliatetest.Epoch, AvailableAt: available}
	}
	ledger := []affiliate.Entry{
		entry("e1", "aff_1", 6000, early), // paid
		entry("e2", "aff_1", -1000, early),
		entry("e3", "aff_1", 9999, late),  // not available yet
		entry("e4", "aff_2", 3000, early), // below the minimum: carried
		entry("e5", "aff_3", -700, early), // negative: carried
		entry("e6", "aff_4", 8000, early), // settled by an earlier run
	}
	good := func() affiliatetest.PayoutCheck {
		return affiliatetest.PayoutCheck{
			Run: affiliate.PayoutRun{
				Program: "default", Period: per("2026-02"), AsOf: asOf,
				Payouts: []affiliate.Payout{{ID: "po_1", Affiliate: "aff_1", Amount: eur(5000), Entries: []affiliate.EntryID{"e1", "e2"}, Status: affiliate.PayoutCreated}},
				Carried: []affiliate.CarriedBalance{{Affiliate: "aff_2", Amount: eur(3000)}, {Affiliate: "aff_3", Amount: eur(-700)}},
			},
			Minimum: map[affiliate.Currency]affiliate.Money{"EUR": eur(5000)},
			Ledger:  ledger,
			Earlier: []affiliate.Payout{{ID: "po_0", Affiliate: "aff_4", Amount: eur(8000), Entries: []affiliate.EntryID{"e6"}, Status: affiliate.PayoutPaid}},
		}
	}
	if err := affiliatetest.CheckPayouts(good()); err != nil {
		t.Fatalf("a correct run: %v", err)
	}
	for _, tc := range []struct {
		name   string
		break_ func(c *affiliatetest.PayoutCheck)
		want   []string
	}{
		{"below the minimum", func(c *affiliatetest.PayoutCheck) {
			c.Run.Carried = c.Run.Carried[1:]
			c.Run.Payouts = append(c.Run.Payouts, affiliate.Payout{ID: "po_2", Affiliate: "aff_2", Amount: eur(3000), Entries: []affiliate.EntryID{"e4"}, Status: affiliate.PayoutCreated})
		}, []string{"on po_2", "payout po_2 to aff_2 pays 30.00 EUR, below the 50.00 EUR minimum"}},
		{"an entry in two payouts", func(c *affiliatetest.PayoutCheck) {
			c.Earlier = append(c.Earlier, affiliate.Payout{ID: "po_old", Affiliate: "aff_1", Amount: eur(6000), Entries: []affiliate.EntryID{"e1"}, Status: affiliate.PayoutPaid})
		}, []string{"entry e1 is in payout po_old and in payout po_1"}},
		{"a failed payout releases its entries", func(c *affiliatetest.PayoutCheck) {
			c.Earlier = append(c.Earlier, affiliate.Payout{ID: "po_old", Affiliate: "aff_1", Amount: eur(6000), Entries: []affiliate.EntryID{"e1"}, Status: affiliate.PayoutFailed})
		}, nil},
		{"amount not the sum of its entries", func(c *affiliatetest.PayoutCheck) {
			c.Run.Payouts[0].Amount = eur(6000)
		}, []string{"payout po_1 pays 60.00 EUR, but its entries sum to 50.00 EUR"}},
		{"an entry not yet available", func(c *affiliatetest.PayoutCheck) {
			c.Run.Payouts[0].Entries = append(c.Run.Payouts[0].Entries, "e3")
			c.Run.Payouts[0].Amount = eur(14999)
		}, []string{"payout po_1 settles entry e3, which is available only at"}},
		{"a negative balance paid", func(c *affiliatetest.PayoutCheck) {
			c.Run.Carried = c.Run.Carried[:1]
			c.Run.Payouts = append(c.Run.Payouts, affiliate.Payout{ID: "po_3", Affiliate: "aff_3", Amount: eur(-700), Entries: []affiliate.EntryID{"e5"}, Status: affiliate.PayoutCreated})
		}, []string{"payout po_3 to aff_3 pays -7.00 EUR, which is not above zero", "aff_3 has a negative available balance of -7.00 EUR, yet was paid -7.00 EUR"}},
		{"a balance neither paid nor carried", func(c *affiliatetest.PayoutCheck) {
			c.Run.Carried = c.Run.Carried[1:]
		}, []string{"on aff_2", "aff_2 was paid 0.00 EUR and carried 0.00 EUR, which does not add up to its available balance of 30.00 EUR"}},
		{"another affiliate's entry", func(c *affiliatetest.PayoutCheck) {
			c.Run.Payouts[0].Entries = append(c.Run.Payouts[0].Entries, "e4")
			c.Run.Payouts[0].Amount = eur(8000)
			c.Run.Carried = c.Run.Carried[1:]
		}, []string{"payout po_1 to aff_1 settles entry e4, which belongs to aff_2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := good()
			tc.break_(&c)
			err := affiliatetest.CheckPayouts(c)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("a correct run: %v", err)
				}
				return
			}
			wantViolation(t, err, "I6", tc.want...)
		})
	}
}

func TestCheckBindings(t *testing.T) {
	at := func(days int) time.Time { return affiliatetest.Epoch.AddDate(0, 0, days) }
	touches := []affiliate.Touch{
		{ID: "t1", Visitor: "v1", Affiliate: "aff_1", Source: affiliate.TouchLink, At: at(0)},
		{ID: "t2", Visitor: "v1", Affiliate: "aff_2", Source: affiliate.TouchLink, At: at(10)},
		{ID: "t3", Visitor: "v2", Affiliate: "aff_2", Source: affiliate.TouchLink, At: at(0)},
		{ID: "t4", Visitor: "v3", Affiliate: "aff_3", Source: affiliate.TouchLink, At: at(1)},
	}
	b1 := affiliate.Binding{Customer: "cus_1", Affiliate: "aff_1", Source: affiliate.BindByLink, Touch: "t1", TouchedAt: at(0), BoundAt: at(20)}
	b2 := affiliate.Binding{Customer: "cus_2", Affiliate: "aff_2", Source: affiliate.BindByLink, Touch: "t3", TouchedAt: at(0), BoundAt: at(30)}
	good := func() affiliatetest.Attribution {
		return affiliatetest.Attribution{
			Window: 90 * 24 * time.Hour, FirstClick: true, Touches: touches,
			Observed: []affiliate.Binding{b1, b2, b1, b2},
			Self:     func(c affiliate.CustomerID, a affiliate.AffiliateID) bool { return c == "cus_3" && a == "aff_3" },
		}
	}
	if err := affiliatetest.CheckBindings(good()); err != nil {
		t.Fatalf("correct bindings: %v", err)
	}
	for _, tc := range []struct {
		name   string
		break_ func(a *affiliatetest.Attribution)
		want   []string
	}{
		{"moved by a later touch", func(a *affiliatetest.Attribution) {
			moved := b1
			moved.Affiliate, moved.Touch, moved.TouchedAt = "aff_2", "t2", at(10)
			a.Observed = append(a.Observed, moved)
		}, []string{"on cus_1", "customer cus_1 was bound to aff_1 (link, at 2026-01-21T00:00:00Z), then to aff_2"}},
		{"last click under first-click", func(a *affiliatetest.Attribution) {
			last := b1
			last.Affiliate, last.Touch, last.TouchedAt = "aff_2", "t2", at(10)
			a.Observed = []affiliate.Binding{last}
		}, []string{"customer cus_1 was bound through touch t2 (aff_2 at 2026-01-11T00:00:00Z), but under first-click the earlier touch t1 (aff_1 at 2026-01-01T00:00:00Z) wins"}},
		{"last click is fine under last-click", func(a *affiliatetest.Attribution) {
			last := b1
			last.Affiliate, last.Touch, last.TouchedAt = "aff_2", "t2", at(10)
			a.Observed, a.FirstClick = []affiliate.Binding{last}, false
		}, nil},
		{"outside the window", func(a *affiliatetest.Attribution) {
			late := b2
			late.BoundAt = at(91)
			a.Observed = []affiliate.Binding{late}
		}, []string{"customer cus_2 was bound at 2026-04-02T00:00:00Z through touch t3 of 2026-01-01T00:00:00Z, 2184h0m0s before, outside the 2160h0m0s window"}},
		{"a touch from after the binding", func(a *affiliatetest.Attribution) {
			early := b2
			early.BoundAt = at(-1)
			a.Observed = []affiliate.Binding{early}
		}, []string{"through touch t3, made later"}},
		{"a touch on another affiliate", func(a *affiliatetest.Attribution) {
			wrong := b2
			wrong.Affiliate = "aff_9"
			a.Observed = []affiliate.Binding{wrong}
		}, []string{"customer cus_2 is bound to aff_9 through touch t3, which was on aff_2"}},
		{"an unknown touch", func(a *affiliatetest.Attribution) {
			wrong := b2
			wrong.Touch = "t99"
			a.Observed = []affiliate.Binding{wrong}
		}, []string{"names touch t99, which was never recorded"}},
		{"a self-referral", func(a *affiliatetest.Attribution) {
			a.Observed = append(a.Observed, affiliate.Binding{Customer: "cus_3", Affiliate: "aff_3", Source: affiliate.BindByLink, Touch: "t4", TouchedAt: at(1), BoundAt: at(2)})
		}, []string{"on cus_3", "customer cus_3 is affiliate aff_3, yet was bound to itself (a self-referral)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := good()
			tc.break_(&a)
			err := affiliatetest.CheckBindings(a)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("correct bindings: %v", err)
				}
				return
			}
			wantViolation(t, err, "I9", tc.want...)
		})
	}
}
