package commission_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

var _ commission.Store = (*memstore.Store)(nil)

// jan15 is the first payment of most scenarios.
var jan15 = time.Date(2026, time.January, 15, 10, 0, 0, 0, time.UTC)

// month returns jan15 moved n months on.
func month(n int) time.Time { return jan15.AddDate(0, n, 0) }

func line(kind affiliate.LineKind, amount string, cur affiliate.Currency) affiliate.Line {
	return affiliate.Line{Kind: kind, Amount: affiliate.MustParseMoney(amount, string(cur))}
}

func pay(id, customer string, at time.Time, cur affiliate.Currency, lines ...affiliate.Line) affiliate.Payment {
	return affiliate.Payment{ID: affiliate.EventID(id), Customer: affiliate.CustomerID(customer), PaidAt: at, Currency: cur, Lines: lines}
}

func refund(id, payment, customer string, at time.Time, amount string, cur affiliate.Currency) affiliate.Refund {
	r := affiliate.Refund{ID: affiliate.EventID(id), Payment: affiliate.EventID(payment), Customer: affiliate.CustomerID(customer), RefundedAt: at, Kind: affiliate.KindRefund}
	if amount == "" {
		r.Full = true
	} else {
		r.Amount = affiliate.MustParseMoney(amount, string(cur))
	}
	return r
}

func aff(id, parent string) affiliate.Affiliate {
	return affiliate.Affiliate{ID: affiliate.AffiliateID(id), Parent: affiliate.AffiliateID(parent), Status: affiliate.StatusActive}
}

// fixture is a memstore with affiliates and an engine over it.
type fixture struct {
	t     testing.TB
	ctx   context.Context
	store *memstore.Store
	eng   *commission.Engine
}

func terms(r rules.Rule) []commission.TermsVersion {
	return []commission.TermsVersion{{Version: "v1", Rule: r}}
}

func newFixture(t testing.TB, cfg commission.Config, affs ...affiliate.Affiliate) *fixture {
	t.Helper()
	st := memstore.New()
	ctx := context.Background()
	for _, a := range affs {
		if err := st.PutAffiliate(ctx, a); err != nil {
			t.Fatalf("PutAffiliate(%s): %v", a.ID, err)
		}
	}
	cfg.Store = st
	eng, err := commission.New(cfg)
	if err != nil {
		t.Fatalf("commission.New: %v", err)
	}
	return &fixture{t: t, ctx: ctx, store: st, eng: eng}
}

func (f *fixture) bind(customer, affiliateID string, at time.Time) {
	f.t.Helper()
	_, err := f.store.Bind(f.ctx, affiliate.Binding{Customer: affiliate.CustomerID(customer), Affiliate: affiliate.AffiliateID(affiliateID), Source: affiliate.BindByManual, BoundAt: at})
	if err != nil {
		f.t.Fatalf("Bind(%s): %v", customer, err)
	}
}

func (f *fixture) record(ev affiliate.Event) commission.Result {
	f.t.Helper()
	res, err := f.eng.Record(f.ctx, ev)
	if err != nil {
		f.t.Fatalf("Record(%s): %v", ev.EventID(), err)
	}
	return res
}

func (f *fixture) entries(customer string) []affiliate.Entry {
	f.t.Helper()
	es, err := f.store.Entries(f.ctx, storage.EntryQuery{Customer: affiliate.CustomerID(customer)})
	if err != nil {
		f.t.Fatal(err)
	}
	return es
}

// netKey is one line of a net ledger: a beneficiary's net from one
// payment, per earning kind (reversals and adjustments count toward the
// kind of the entry they correct).
type netKey struct {
	Beneficiary affiliate.AffiliateID
	Payment     affiliate.EventID
	Kind        affiliate.EntryKind
}

func (k netKey) String() string { return fmt.Sprintf("%s/%s/%s", k.Beneficiary, k.Payment, k.Kind) }

// netOf sums entries per netKey, leaving out lines that net to zero.
func netOf(es []affiliate.Entry) map[netKey]affiliate.Money {
	byID := map[affiliate.EntryID]affiliate.Entry{}
	for _, e := range es {
		byID[e.ID] = e
	}
	out := map[netKey]affiliate.Money{}
	for _, e := range es {
		root := e
		for range len(es) {
			if c, ok := byID[root.Corrects]; ok && root.Corrects != "" {
				root = c
				continue
			}
			break
		}
		k := netKey{e.Beneficiary, e.Payment, root.Kind}
		sum, ok := out[k]
		if !ok {
			sum = affiliate.Zero(e.Amount.Currency())
		}
		sum, err := sum.Add(e.Amount)
		if err != nil {
			panic(err)
		}
		out[k] = sum
	}
	for k, v := range out {
		if v.IsZero() {
			delete(out, k)
		}
	}
	return out
}

// netStrings renders a net ledger as sorted "beneficiary/payment/kind=amount" lines.
func netStrings(m map[netKey]affiliate.Money) []string {
	var out []string
	for k, v := range m {
		out = append(out, k.String()+"="+v.String())
	}
	slices.Sort(out)
	return out
}

func amounts(es []affiliate.Entry) string {
	var parts []string
	for _, e := range es {
		parts = append(parts, fmt.Sprintf("%s %s %s", e.Beneficiary, e.Kind, e.Amount))
	}
	return strings.Join(parts, "; ")
}
