package affiliate_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
)

func TestApprovalPolicyValidate(t *testing.T) {
	eur := func(s string) affiliate.Money { return affiliate.MustParseMoney(s, "EUR") }
	for _, tc := range []struct {
		name string
		p    affiliate.ApprovalPolicy
		ok   bool
	}{
		{"zero", affiliate.ApprovalPolicy{}, true},
		{"manual", affiliate.ApprovalPolicy{Mode: affiliate.Manual}, true},
		{"after hold", affiliate.ApprovalPolicy{Mode: affiliate.AfterHold, Hold: time.Hour}, true},
		{"after hold without hold", affiliate.ApprovalPolicy{Mode: affiliate.AfterHold}, false},
		{"rule after hold without hold", affiliate.ApprovalPolicy{Rules: map[string]affiliate.ApprovalMode{"r": affiliate.AfterHold}}, false},
		{"unknown mode", affiliate.ApprovalPolicy{Mode: 7}, false},
		{"threshold", affiliate.ApprovalPolicy{Above: map[affiliate.Currency]affiliate.Money{"EUR": eur("100")}}, true},
		{"threshold in another currency", affiliate.ApprovalPolicy{Above: map[affiliate.Currency]affiliate.Money{"USD": eur("100")}}, false},
		{"zero threshold", affiliate.ApprovalPolicy{Above: map[affiliate.Currency]affiliate.Money{"EUR": eur("0")}}, false},
	} {
		err := tc.p.Validate()
		if tc.ok != (err == nil) || err != nil && !errors.Is(err, affiliate.ErrInvalid) {
			t.Errorf("%s: Validate = %v; want ok %v", tc.name, err, tc.ok)
		}
	}
}

// TestStandings pins the order in which a root's standing is decided.
func TestStandings(t *testing.T) {
	jan := time.Date(2026, time.January, 10, 0, 0, 0, 0, time.UTC)
	eur := func(minor int64) affiliate.Money { return affiliate.MustMoney(minor, "EUR") }
	entry := func(id, corrects, rule string, amount int64, chain ...affiliate.AffiliateID) affiliate.Entry {
		return affiliate.Entry{ID: affiliate.EntryID(id), Beneficiary: "ann", Customer: "acme", Kind: affiliate.KindCommission, Amount: eur(amount),
			Rule: rule, At: jan, AvailableAt: jan, Corrects: affiliate.EntryID(corrects), Chain: chain}
	}
	rec := func(action affiliate.ReviewAction, entry string, a affiliate.AffiliateID, at time.Time) affiliate.Review {
		return affiliate.Review{Key: "k", Action: action, Entry: affiliate.EntryID(entry), Customer: "acme", Affiliate: a, Reason: string(action), Actor: "rita", At: at}
	}
	manual := affiliate.ApprovalPolicy{Mode: affiliate.Manual}
	for _, tc := range []struct {
		name    string
		entries []affiliate.Entry
		reviews []affiliate.Review
		policy  affiliate.ApprovalPolicy
		asOf    time.Time
		want    string // "id:status:root ..."
	}{
		{"immediate by default", []affiliate.Entry{entry("c", "", "r", 100)}, nil, affiliate.ApprovalPolicy{}, jan, "c:approved:c"},
		{"manual keeps it pending, its reversal too", []affiliate.Entry{entry("c", "", "r", 100), entry("v", "c", "r", -50)}, nil, manual, jan, "c:pending:c v:pending:c"},
		{"approved by a reviewer", []affiliate.Entry{entry("c", "", "r", 100)}, []affiliate.Review{rec(affiliate.ReviewApprove, "c", "ann", jan)}, manual, jan, "c:approved:c"},
		{"rejected by its reversal", []affiliate.Entry{entry("c", "", "r", 100), entry("x", "c", affiliate.RuleRejection, -100)}, []affiliate.Review{rec(affiliate.ReviewApprove, "c", "ann", jan)}, affiliate.ApprovalPolicy{}, jan, "c:rejected:c x:rejected:c"},
		{"held again after its approval", []affiliate.Entry{entry("c", "", "r", 100)}, []affiliate.Review{rec(affiliate.ReviewApprove, "c", "ann", jan), rec(affiliate.ReviewHold, "c", "ann", jan)}, affiliate.ApprovalPolicy{}, jan, "c:pending:c"},
		{"a hold record", []affiliate.Entry{entry("c", "", "r", 100)}, []affiliate.Review{rec(affiliate.ReviewHold, "c", "ann", jan)}, affiliate.ApprovalPolicy{}, jan, "c:pending:c"},
		{"a held binding of this affiliate", []affiliate.Entry{entry("c", "", "r", 100, "ann")}, []affiliate.Review{rec(affiliate.ReviewHold, "", "ann", jan)}, affiliate.ApprovalPolicy{}, jan, "c:pending:c"},
		{"a held binding of another affiliate", []affiliate.Entry{entry("c", "", "r", 100, "ann")}, []affiliate.Review{rec(affiliate.ReviewHold, "", "bob", jan)}, affiliate.ApprovalPolicy{}, jan, "c:approved:c"},
		{"a binding approved after its hold", []affiliate.Entry{entry("c", "", "r", 100, "ann")}, []affiliate.Review{rec(affiliate.ReviewHold, "", "ann", jan), rec(affiliate.ReviewApprove, "", "ann", jan)}, affiliate.ApprovalPolicy{}, jan, "c:approved:c"},
		{"rejected by its record, the reversal outside entries", []affiliate.Entry{entry("c", "", "r", 100)}, []affiliate.Review{rec(affiliate.ReviewReject, "c", "ann", jan)}, affiliate.ApprovalPolicy{}, jan, "c:rejected:c"},
		{"a move away keeps the old affiliate's hold", []affiliate.Entry{entry("c", "", "r", 100, "ann")}, []affiliate.Review{rec(affiliate.ReviewHold, "", "ann", jan), rec(affiliate.ReviewMove, "", "bob", jan.Add(time.Hour))}, affiliate.ApprovalPolicy{}, jan, "c:pending:c"},
		{"the new affiliate's binding starts unheld", []affiliate.Entry{entry("c", "", "r", 100, "bob")}, []affiliate.Review{rec(affiliate.ReviewHold, "", "ann", jan), rec(affiliate.ReviewMove, "", "bob", jan.Add(time.Hour))}, affiliate.ApprovalPolicy{}, jan, "c:approved:c"},
		{"a later stray hold hides no hold", []affiliate.Entry{entry("c", "", "r", 100, "ann")}, []affiliate.Review{rec(affiliate.ReviewHold, "", "ann", jan), rec(affiliate.ReviewHold, "", "bob", jan.Add(time.Hour))}, affiliate.ApprovalPolicy{}, jan, "c:pending:c"},
		{"a negative root is never held", []affiliate.Entry{entry("v", "paid-long-ago", "r", -100)}, nil, manual, jan, "v:approved:v"},
		{"a manual adjustment is its own root", []affiliate.Entry{entry("c", "", "r", 100), entry("m", "c", "manual/correction", 10)}, []affiliate.Review{rec(affiliate.ReviewApprove, "c", "ann", jan)}, manual, jan, "c:approved:c m:pending:m"},
		{"after hold, before", []affiliate.Entry{entry("c", "", "r", 100)}, nil, affiliate.ApprovalPolicy{Mode: affiliate.AfterHold, Hold: 48 * time.Hour}, jan.Add(47 * time.Hour), "c:pending:c"},
		{"after hold, at its end", []affiliate.Entry{entry("c", "", "r", 100)}, nil, affiliate.ApprovalPolicy{Mode: affiliate.AfterHold, Hold: 48 * time.Hour}, jan.Add(48 * time.Hour), "c:approved:c"},
		{"per rule", []affiliate.Entry{entry("c", "", "r", 100), entry("d", "", "s", 100)}, nil, affiliate.ApprovalPolicy{Rules: map[string]affiliate.ApprovalMode{"s": affiliate.Manual}}, jan, "c:approved:c d:pending:d"},
		{"above an amount", []affiliate.Entry{entry("c", "", "r", 9999), entry("d", "", "r", 10000)}, nil, affiliate.ApprovalPolicy{Above: map[affiliate.Currency]affiliate.Money{"EUR": eur(10000)}}, jan, "c:approved:c d:pending:d"},
	} {
		st := affiliate.Standings(tc.entries, tc.reviews, tc.policy, tc.asOf)
		got := ""
		for i, e := range tc.entries {
			if i > 0 {
				got += " "
			}
			got += fmt.Sprintf("%s:%s:%s", e.ID, st[e.ID].Status, st[e.ID].Root)
		}
		if got != tc.want {
			t.Errorf("%s: %s; want %s", tc.name, got, tc.want)
		}
	}
}

// A commission above EUR 100 waits for a reviewer; its refund's reversal
// waits with it.
func ExampleStandings() {
	at := time.Date(2026, time.January, 10, 0, 0, 0, 0, time.UTC)
	entries := []affiliate.Entry{
		{ID: "in_1/1", Beneficiary: "ann", Kind: affiliate.KindCommission, Amount: affiliate.MustParseMoney("300", "EUR"), Rule: "rev_share", At: at, AvailableAt: at},
		{ID: "re_1/1", Beneficiary: "ann", Kind: affiliate.KindReversal, Amount: affiliate.MustParseMoney("-30", "EUR"), Rule: "rev_share", At: at, AvailableAt: at, Corrects: "in_1/1"},
		{ID: "in_2/1", Beneficiary: "ann", Kind: affiliate.KindCommission, Amount: affiliate.MustParseMoney("60", "EUR"), Rule: "rev_share", At: at, AvailableAt: at},
	}
	policy := affiliate.ApprovalPolicy{Above: map[affiliate.Currency]affiliate.Money{"EUR": affiliate.MustParseMoney("100", "EUR")}}
	st := affiliate.Standings(entries, nil, policy, at)
	for _, e := range entries {
		fmt.Println(e.ID, st[e.ID].Status, st[e.ID].Reason)
	}
	// Output:
	// in_1/1 pending needs a reviewer's approval
	// re_1/1 pending needs a reviewer's approval
	// in_2/1 approved approved immediately
}
