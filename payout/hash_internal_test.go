package payout

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strconv"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/affiliatetest"
)

// TestRunHashCoversPolicy: every minimum and override is in the run's
// hash, and so are the program and the period with its location.
func TestRunHashCoversPolicy(t *testing.T) {
	jan := affiliate.Period{Year: 2026, Month: time.January}
	hash := func(program string, per affiliate.Period, p Policy) string {
		t.Helper()
		h, err := runHash(program, per, p, Caps{})
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	base := hash("default", jan, Policy{})
	for _, v := range affiliatetest.FieldVariants(Policy{}) {
		if hash("default", jan, v.Value.(Policy)) == base {
			t.Errorf("Policy.%s is outside the run hash", v.Path)
		}
	}
	paris := jan
	paris.Location = time.FixedZone("Europe/Paris", 3600)
	for name, h := range map[string]string{
		"program":  hash("other", jan, Policy{}),
		"period":   hash("default", jan.Next(), Policy{}),
		"location": hash("default", paris, Policy{}),
	} {
		if h == base {
			t.Errorf("the %s is outside the run hash", name)
		}
	}
	if hash("default", affiliate.Period{Year: 2026, Month: time.January, Location: time.UTC}, Policy{}) != base {
		t.Error("a nil location and UTC hash apart")
	}
}

// TestRunHashCoversCaps: every cap is in the run's hash, and a run
// without caps hashes as runs did before caps existed.
func TestRunHashCoversCaps(t *testing.T) {
	jan := affiliate.Period{Year: 2026, Month: time.January}
	base, err := runHash("default", jan, Policy{}, Caps{})
	if err != nil {
		t.Fatal(err)
	}
	before, err := affiliate.Hash(struct {
		Program string
		Period  affiliate.Period
		Policy  Policy
	}{"default", jan, Policy{}})
	if err != nil || before != base {
		t.Fatalf("a run without caps hashes to %s, before caps %s (%v)", base, before, err)
	}
	for _, v := range affiliatetest.FieldVariants(Caps{}) {
		h, err := runHash("default", jan, Policy{}, v.Value.(Caps))
		if err != nil {
			t.Fatal(err)
		}
		if h == base {
			t.Errorf("Caps.%s is outside the run hash", v.Path)
		}
	}
}

// TestPayoutIDStable pins payout IDs to the encoding stored runs carry:
// "po_", the period, and 24 hex digits of the SHA-256 of the
// length-prefixed fields. A changed ID would make a rerun's payouts
// strangers to the stored ones.
func TestPayoutIDStable(t *testing.T) {
	sp := affiliate.Period{Year: 2026, Month: time.March, Location: time.UTC}
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone data")
	}
	for _, c := range []struct {
		program string
		period  affiliate.Period
		aff     affiliate.AffiliateID
		cur     affiliate.Currency
	}{
		{"default", sp, "ann", "EUR"},
		{"p", affiliate.Period{Year: 2025, Month: time.December, Location: paris}, "aff_000123", "JPY"},
		{"default", affiliate.Period{Year: 2026, Month: time.January}, "a:b", "USD"},
	} {
		h := sha256.New()
		for _, s := range []string{"payout/v1", c.program, c.period.String(), locationName(c.period), string(c.aff), string(c.cur)} {
			io.WriteString(h, strconv.Itoa(len(s))+":"+s)
		}
		want := affiliate.PayoutID("po_" + c.period.String() + "_" + hex.EncodeToString(h.Sum(nil))[:24])
		if got := PayoutID(c.program, c.period, c.aff, c.cur); got != want {
			t.Errorf("PayoutID(%q, %s, %s, %s) = %s, want %s", c.program, c.period, c.aff, c.cur, got, want)
		}
		ids := newPayoutIDs(c.program, c.period)
		ids.id("someone else", "GBP") // the buffer is reused: the next ID must not see it
		if got := ids.id(c.aff, c.cur); got != want {
			t.Errorf("a run's payoutIDs name %s, want %s", got, want)
		}
	}
}
