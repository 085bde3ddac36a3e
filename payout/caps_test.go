package payout_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/payout"
)

func eur(s string) affiliate.Money { return money(s + " EUR") }

func TestCaps(t *testing.T) {
	jan := func(d int) time.Time { return day(time.January, d) }
	entries := []ent{
		{id: "a1", aff: "ann", amount: "60.00 EUR", at: jan(3)},
		{id: "a2", aff: "ann", amount: "50.00 EUR", at: jan(4)},
		{id: "a3", aff: "ann", amount: "-20.00 EUR", at: jan(5)},
		{id: "a4", aff: "ann", amount: "10.00 EUR", at: jan(6)},
		{id: "b1", aff: "bob", amount: "70.00 EUR", at: jan(3)},
		{id: "c1", aff: "cyd", amount: "30.00 EUR", at: jan(3)},
	}
	tests := []struct {
		name    string
		caps    payout.Caps
		minimum string
		want    []string
	}{
		{"no caps", payout.Caps{}, "0", []string{"pay ann 100.00 EUR", "pay bob 70.00 EUR", "pay cyd 30.00 EUR"}},
		// ann: -20 first, then 60 (40), 50 would make 90 > 80: stop; 10 waits too.
		{"per affiliate", payout.Caps{PerAffiliate: map[affiliate.Currency]affiliate.Money{"EUR": eur("80.00")}}, "0",
			[]string{"pay ann 40.00 EUR", "pay bob 70.00 EUR", "pay cyd 30.00 EUR", "carry ann 60.00 EUR capped"}},
		{"per run, in affiliate order", payout.Caps{PerRun: map[affiliate.Currency]affiliate.Money{"EUR": eur("150.00")}}, "0",
			[]string{"pay ann 100.00 EUR", "carry bob 70.00 EUR capped", "pay cyd 30.00 EUR"}},
		{"capped below the minimum", payout.Caps{PerAffiliate: map[affiliate.Currency]affiliate.Money{"EUR": eur("35.00")}}, "35.00",
			// cyd's 30.00 is under the cap but below the minimum.
			[]string{"carry ann 100.00 EUR capped", "carry bob 70.00 EUR capped", "carry cyd 30.00 EUR below_minimum"}},
		{"other currency uncapped", payout.Caps{PerAffiliate: map[affiliate.Currency]affiliate.Money{"USD": money("1.00 USD")}}, "0",
			[]string{"pay ann 100.00 EUR", "pay bob 70.00 EUR", "pay cyd 30.00 EUR"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := eurMinimum(tt.minimum)
			cfg.Caps = tt.caps
			e := newEnv(t, cfg)
			e.append(entries...)
			res := e.run(month(time.January), day(time.February, 1))
			got := summary(res)
			if diff := cmp.Diff(sortLines(tt.want), sortLines(got)); diff != "" {
				t.Fatalf("run (-want +got):\n%s", diff)
			}
			for _, c := range res.Carried {
				if c.Reason == payout.ReasonCapped && c.Note == "" {
					t.Errorf("%s carried by a cap without a note", c.Affiliate)
				}
			}
		})
	}
}

func sortLines(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

func TestCapsValidate(t *testing.T) {
	for name, c := range map[string]payout.Caps{
		"zero cap":       {PerAffiliate: map[affiliate.Currency]affiliate.Money{"EUR": eur("0")}},
		"negative cap":   {PerRun: map[affiliate.Currency]affiliate.Money{"EUR": eur("-1")}},
		"other currency": {PerRun: map[affiliate.Currency]affiliate.Money{"EUR": money("5 USD")}},
	} {
		if _, err := payout.New(payout.Config{Store: newEnv(t, payout.Config{}).store, Caps: c}); !errors.Is(err, affiliate.ErrInvalid) {
			t.Errorf("%s: New = %v, want ErrInvalid", name, err)
		}
	}
}

// TestCapsInvariants: with any caps, per currency paid plus carried
// equals available, no payout exceeds the per-affiliate cap, the run pays
// no more than the run cap, no entry is paid twice, and no payout is
// below its minimum or not positive.
func TestCapsInvariants(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := genInput(t)
		in.Ineligible = nil
		in.Caps = payout.Caps{PerAffiliate: map[affiliate.Currency]affiliate.Money{}, PerRun: map[affiliate.Currency]affiliate.Money{}}
		for _, c := range propCurrencies {
			if rapid.Bool().Draw(t, "affiliate cap? "+string(c)) {
				in.Caps.PerAffiliate[c] = affiliate.MustMoney(rapid.Int64Range(1, 20000).Draw(t, "affiliate cap"), c)
			}
			if rapid.Bool().Draw(t, "run cap? "+string(c)) {
				in.Caps.PerRun[c] = affiliate.MustMoney(rapid.Int64Range(1, 40000).Draw(t, "run cap"), c)
			}
		}
		plan, err := payout.NewPlan(in)
		if err != nil {
			t.Fatal(err)
		}
		available := map[affiliate.Currency]int64{}
		amounts := map[affiliate.EntryID]int64{}
		for _, e := range in.Entries {
			if payable(in, e) {
				available[e.Amount.Currency()] += e.Amount.Minor()
				amounts[e.ID] = e.Amount.Minor()
			}
		}
		settled := map[affiliate.Currency]int64{}
		paid := map[affiliate.Currency]int64{}
		seen := map[affiliate.EntryID]bool{}
		for _, p := range plan.Payouts {
			c := p.Amount.Currency()
			if capAmt, ok := in.Caps.PerAffiliate[c]; ok && p.Amount.Minor() > capAmt.Minor() {
				t.Fatalf("payout %s of %s exceeds the per-affiliate cap %s", p.ID, p.Amount, capAmt)
			}
			if p.Amount.Sign() <= 0 || p.Amount.Minor() < in.Policy.Minimum(p.Affiliate, c).Minor() {
				t.Fatalf("payout %s of %s is not positive or below its minimum", p.ID, p.Amount)
			}
			var sum int64
			for _, id := range p.Entries {
				if seen[id] {
					t.Fatalf("entry %s paid twice", id)
				}
				seen[id] = true
				sum += amounts[id]
			}
			if sum != p.Amount.Minor() {
				t.Fatalf("payout %s is %s, its entries sum to %d", p.ID, p.Amount, sum)
			}
			paid[c] += p.Amount.Minor()
			settled[c] += p.Amount.Minor()
		}
		for c, capAmt := range in.Caps.PerRun {
			if paid[c] > capAmt.Minor() {
				t.Fatalf("the run pays %d %s, over its cap %s", paid[c], c, capAmt)
			}
		}
		for _, c := range plan.Carried {
			settled[c.Amount.Currency()] += c.Amount.Minor()
		}
		if diff := cmp.Diff(available, settled); diff != "" {
			t.Fatalf("per currency, paid + carried != available (-available +paid+carried):\n%s", diff)
		}
	})
}
