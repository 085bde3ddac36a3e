package rules_test

import (
	"strings"
	"sync/atomic"
	"testing"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/rules/rulestest"
)

var logLines atomic.Int64

// logged is issue 12's wrapper exactly: it embeds a rules.Rule and
// forwards neither ChainDepth nor HistoryDepth (an embedded interface
// promotes only Accrue).
type logged struct{ rules.Rule }

func (l logged) Accrue(f rules.Facts) ([]rules.Accrual, error) {
	logLines.Add(1) // stands for a log line
	return l.Rule.Accrue(f)
}

// hidden keeps its rule where reflect cannot see it and forwards nothing.
type hidden struct{ inner rules.Rule }

func (h hidden) Accrue(f rules.Facts) ([]rules.Accrual, error) { return h.inner.Accrue(f) }

var seed000 = rules.AllOf{rules.TierRate{}, rules.SubAffiliateBonus{Rate: affiliate.MustPercent("5")}}

// TestWrapperKeepsItsDepth: the depth a wrapped rule needs cannot be lost
// by a wrapper that embeds it.
func TestWrapperKeepsItsDepth(t *testing.T) {
	deferred := rules.Deferred{Rate: affiliate.MustPercent("50"), Months: 2}
	for _, tt := range []struct {
		name           string
		rule           rules.Rule
		chain, history int
	}{
		{"logged seed 000", logged{seed000}, 2, 0},
		{"logged deferred", logged{deferred}, 1, deferred.HistoryDepth()},
		{"logged inside logged", logged{logged{rules.SubAffiliateBonus{Depth: 3}}}, 4, 0},
		{"a pointer to logged", &logged{seed000}, 2, 0},
		{"a slice of rules in a field", struct {
			rules.RuleFunc
			Rules []rules.Rule
		}{nil, []rules.Rule{deferred, seed000}}, 2, deferred.HistoryDepth()},
		{"hidden: nothing to find", hidden{seed000}, 1, 0},
	} {
		if got := rules.ChainDepth(tt.rule); got != tt.chain {
			t.Errorf("%s: ChainDepth = %d, want %d", tt.name, got, tt.chain)
		}
		if got := rules.HistoryDepth(tt.rule); got != tt.history {
			t.Errorf("%s: HistoryDepth = %d, want %d", tt.name, got, tt.history)
		}
	}
}

// TestKitOnWrappers: rulestest passes the logged wrapper (its depth is
// found), and fails the one that hides its rule, saying how to fix it.
func TestKitOnWrappers(t *testing.T) {
	tiers := []rules.Tier{standard, premium}
	opts := rulestest.Options{MaxRate: affiliate.MustPercent("20"), Tiers: tiers}
	rulestest.Check(t, logged{seed000}, opts)
	rulestest.Check(t, logged{rules.Deferred{Rate: affiliate.MustPercent("50"), Months: 2}}, rulestest.Options{MaxRate: affiliate.MustPercent("50")})
	f := rulestest.Boundary(opts)[0].Facts
	f.Payment.Lines = []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustParseMoney("100", "EUR")}}
	err := rulestest.CheckFacts(hidden{seed000}, f, opts)
	if err == nil {
		t.Fatal("CheckFacts passed a wrapper that loses the bonus")
	}
	fail, ok := err.(*rulestest.Failure)
	if !ok || fail.Property != rulestest.DeclaresDepth || !strings.Contains(err.Error(), "must forward ChainDepth") {
		t.Fatalf("err = %v, want a *Failure of %q saying how to fix it", err, rulestest.DeclaresDepth)
	}
}
