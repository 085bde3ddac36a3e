package main

import (
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
)

func TestRun(t *testing.T) {
	got, err := run(io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := figures{
		Earned: map[affiliate.EventID]affiliate.Money{
			"in_ava_jan":        usd("6"), // $20 subscription → $6
			"in_dana_jan":       usd("6"),
			"in_ava_feb":        usd("6"),
			"in_dana_feb":       usd("6"),
			"in_ava_whitelabel": usd("60"), // $200 Whitelabel add-on → $60
			"in_bistro_mar":     usd("450"),
			"in_ava_mar":        usd("66"),
			"in_dana_mar":       usd("6"),
			"in_dana_credits":   usd("36"), // 30% of $120 of credits; the $9.60 tax is not revenue
		},
		Paid: map[payoutKey]affiliate.Money{
			{"2026-02", "maya"}: usd("72"),
			{"2026-03", "maya"}: usd("516"),
			{"2026-03", "leo"}:  usd("54"), // the balance reached the minimum
		},
		Carried: map[payoutKey]affiliate.Money{
			{"2026-01", "maya"}: usd("6"),
			{"2026-01", "leo"}:  usd("6"),
			{"2026-02", "leo"}:  usd("48"), // below the USD 50 minimum
		},
		Stats: map[affiliate.AffiliateID]stats{
			"maya": {Referred: 3, Conversions: 2, Spent: usd("1960"), Earned: usd("588"), PaidOut: usd("588")},
			"leo":  {Referred: 1, Conversions: 1, Spent: usd("180"), Earned: usd("54"), PaidOut: usd("54")},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("figures (-want +got):\n%s", diff)
	}
}
