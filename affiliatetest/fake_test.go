package affiliatetest_test

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"sync/atomic"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/affiliatetest"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// fakeEngine is a small, slow, obviously correct engine: on every event it
// reloads the customer's whole history from the store, computes the net
// ledger the history calls for (30% of the base to the referrer, 5% to
// its parent, refunds pro rata with one rounding), and commits the
// difference with the event in one atomic call. The checkers must pass
// it; each bug flag breaks exactly one invariant, and the matching
// checker must catch it.
type fakeEngine struct {
	store fakeStore
	bug   bug
}

type fakeStore interface {
	storage.Events
	storage.CustomerStates
	storage.Ledger
	storage.Bindings
	storage.Affiliates
}

type bug int

const (
	noBug            bug = iota
	bugReplayAppends     // I1: a redelivery appends the commission again
	bugArrivalRate       // I2: the rate depends on what arrived first
	bugFullReversal      // I3: a partial refund reverses everything
	bugOverRate          // I4: pays 31% while recording 30%
	bugNegativeBonus     // I4: the parent's bonus comes out negative
	bugWrongCurrency     // I5: entries in EUR whatever the payment's currency
	bugMixedTotals       // I5: earnings totals kept in EUR whatever the entry's currency
	bugTwoWrites         // I7: logs the event, then appends its entries in a second call
	bugRandomIDs         // I8: entry IDs from a process-wide counter
)

var (
	rate      = affiliate.MustPercent("30")
	bonusRate = affiliate.MustPercent("5")
	counter   atomic.Int64
)

func (e *fakeEngine) Record(ctx context.Context, ev affiliate.Event) error {
	if err := ev.Validate(); err != nil {
		return err
	}
	hash := hashOf(ev)
	if rec, err := e.store.Event(ctx, ev.EventID()); err == nil {
		if rec.Hash != hash {
			return affiliate.ErrIdempotencyMismatch
		}
		if e.bug == bugReplayAppends {
			_, err := affiliatetest.SeedLedger(ctx, e.store, fmt.Sprint("again", counter.Add(1)), []affiliate.Entry{{
				ID: affiliate.EntryID(fmt.Sprintf("%s/again%d", ev.EventID(), counter.Add(1))), Beneficiary: "aff_1", Event: ev.EventID(), Payment: ev.EventID(),
				Customer: ev.EventCustomer(), Kind: affiliate.KindCommission, Amount: affiliate.MustMoney(1, "EUR"), At: ev.EventTime(), AvailableAt: ev.EventTime(),
			}}, nil)
			return err
		}
		return nil
	} else if !errors.Is(err, affiliate.ErrNotFound) {
		return err
	}
	c := ev.EventCustomer()
	st, err := e.store.CustomerState(ctx, c)
	if err != nil {
		return err
	}
	recs, err := e.store.Events(ctx, storage.EventQuery{Customer: c})
	if err != nil {
		return err
	}
	held, err := e.store.Entries(ctx, storage.EntryQuery{Customer: c})
	if err != nil {
		return err
	}
	rec := affiliate.EventRecord{ID: ev.EventID(), Customer: c, Time: ev.EventTime(), Hash: hash}
	switch x := ev.(type) {
	case affiliate.Payment:
		rec.Payment = &x
	case affiliate.Refund:
		rec.Refund = &x
	}
	var chain []affiliate.AffiliateID
	if b, err := e.store.Binding(ctx, c); err == nil {
		chain = append(chain, b.Affiliate)
		a, err := e.store.Affiliate(ctx, b.Affiliate)
		if err != nil {
			return err
		}
		if a.Parent != "" {
			chain = append(chain, a.Parent)
		}
		rec.Affiliate = b.Affiliate
	} else if !errors.Is(err, affiliate.ErrNotFound) {
		return err
	}
	entries, err := e.plan(ev, append(recs, rec), held, chain)
	if err != nil {
		return err
	}
	var deltas []storage.AggregateDelta
	for _, x := range entries {
		amt := x.Amount
		if e.bug == bugMixedTotals {
			amt = affiliate.MustMoney(amt.Minor(), "EUR")
		}
		deltas = append(deltas, storage.AggregateDelta{Affiliate: x.Beneficiary, Period: affiliate.PeriodOf(x.At, nil), Metric: affiliate.MetricEarnings, Amount: amt})
	}
	commit := storage.Commit{
		Key: "event:" + string(ev.EventID()), Hash: hash, Event: &rec,
		State: storage.CustomerState{Customer: c, Version: st.Version + 1}, Entries: entries, Deltas: deltas,
	}
	if e.bug == bugTwoWrites {
		commit.Entries, commit.Deltas = nil, nil
		if _, err := e.store.Commit(ctx, commit); err != nil {
			return err
		}
		_, err := affiliatetest.SeedLedger(ctx, e.store, "entries:"+string(ev.EventID()), entries, deltas)
		return err
	}
	_, err = e.store.Commit(ctx, commit)
	return err
}

// plan returns the entries that bring the held ledger to what the
// customer's events call for.
func (e *fakeEngine) plan(ev affiliate.Event, recs []affiliate.EventRecord, held []affiliate.Entry, chain []affiliate.AffiliateID) ([]affiliate.Entry, error) {
	payments := map[affiliate.EventID]affiliate.Payment{}
	refunded := map[affiliate.EventID]int64{}
	for _, r := range recs {
		if r.Payment != nil {
			payments[r.ID] = *r.Payment
		}
	}
	for _, r := range recs {
		if r.Refund == nil {
			continue
		}
		p, ok := payments[r.Refund.Payment]
		if !ok {
			continue // parked until its payment comes
		}
		total, _ := p.Total()
		if r.Refund.Full {
			refunded[p.ID] = total.Minor()
			continue
		}
		if r.Refund.Amount.Currency() != p.Currency {
			return nil, affiliate.ErrCurrencyMismatch
		}
		refunded[p.ID] = min(total.Minor(), refunded[p.ID]+r.Refund.Amount.Minor())
	}
	type key struct {
		aff     affiliate.AffiliateID
		payment affiliate.EventID
		kind    affiliate.EntryKind
	}
	type sums struct {
		gross, net int64
		first      affiliate.EntryID
	}
	have := map[key]*sums{}
	for _, x := range held {
		kind := x.Kind
		if kind == affiliate.KindReversal || kind == affiliate.KindAdjustment {
			kind = affiliate.KindCommission
			if x.Rate == bonusRate {
				kind = affiliate.KindBonus
			}
		}
		k := key{x.Beneficiary, x.Payment, kind}
		s := have[k]
		if s == nil {
			s = &sums{first: x.ID}
			have[k] = s
		}
		s.net += x.Amount.Minor()
		if x.Kind != affiliate.KindReversal {
			s.gross += x.Amount.Minor()
		}
	}
	ids := make([]affiliate.EventID, 0, len(payments))
	for id := range payments {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b affiliate.EventID) int {
		return cmp.Or(payments[a].PaidAt.Compare(payments[b].PaidAt), cmp.Compare(a, b))
	})
	var out []affiliate.Entry
	n := 0
	add := func(x affiliate.Entry) {
		n++
		x.ID = affiliate.EntryID(fmt.Sprintf("%s/%d", ev.EventID(), n))
		if e.bug == bugRandomIDs {
			x.ID = affiliate.EntryID(fmt.Sprintf("e%d", counter.Add(1)))
		}
		out = append(out, x)
	}
	for i, id := range ids {
		p := payments[id]
		base, _ := p.Sum(func(k affiliate.LineKind) bool { return k != affiliate.LineTax && k != affiliate.LineShipping })
		total, _ := p.Total()
		cur := p.Currency
		if e.bug == bugWrongCurrency {
			cur = "EUR"
		}
		for level, aff := range chain {
			kind, r := affiliate.KindCommission, rate
			if level > 0 {
				kind, r = affiliate.KindBonus, bonusRate
			}
			if e.bug == bugArrivalRate && level == 0 && i > 0 && p.ID == ev.EventID() {
				r = affiliate.MustPercent("20") // a later arrival, not a later payment
			}
			want, _ := base.MulRate(r, affiliate.HalfEven)
			if e.bug == bugOverRate {
				want, _ = base.MulRate(affiliate.MustPercent("31"), affiliate.HalfEven)
			}
			gross := max(want.Minor(), 0)
			if e.bug == bugNegativeBonus && level > 0 {
				gross = -gross
			}
			net := gross - prorata(gross, refunded[id], total.Minor())
			if e.bug == bugFullReversal && refunded[id] > 0 {
				net = 0
			}
			k := key{aff, id, kind}
			s := have[k]
			if s == nil {
				s = &sums{}
			}
			if e.bug == bugArrivalRate && s.gross != 0 {
				gross = s.gross // never recomputed once earned
				net = gross - prorata(gross, refunded[id], total.Minor())
			}
			entry := affiliate.Entry{
				Beneficiary: aff, Event: ev.EventID(), Payment: id, Customer: p.Customer,
				Base: mustMoney(base.Minor(), cur), Rate: r, Rule: "fake", Terms: "v1",
				Chain: chain[:level+1], At: ev.EventTime(), AvailableAt: ev.EventTime(), Corrects: s.first,
			}
			if adj := gross - s.gross; adj != 0 {
				entry.Kind, entry.Amount = affiliate.KindAdjustment, mustMoney(adj, cur)
				if s.first == "" {
					entry.Kind = kind
				}
				add(entry)
				if s.first == "" {
					s.first = out[len(out)-1].ID
					entry.Corrects = s.first
				}
			}
			if rev := net - (s.net + gross - s.gross); rev != 0 {
				entry.Kind, entry.Amount = affiliate.KindReversal, mustMoney(rev, cur)
				add(entry)
			}
		}
	}
	return out, nil
}

// prorata returns gross × refunded / total, rounded half to even.
func prorata(gross, refunded, total int64) int64 {
	if refunded == 0 || total == 0 {
		return 0
	}
	q, r := new(big.Int).QuoRem(new(big.Int).Mul(big.NewInt(gross), big.NewInt(refunded)), big.NewInt(total), new(big.Int))
	twice := new(big.Int).Mul(r, big.NewInt(2))
	if c := twice.Cmp(big.NewInt(total)); c > 0 || (c == 0 && q.Bit(0) == 1) {
		q.Add(q, big.NewInt(1))
	}
	return q.Int64()
}

func mustMoney(minor int64, c affiliate.Currency) affiliate.Money {
	return affiliate.MustMoney(minor, c)
}

func hashOf(ev affiliate.Event) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%#v", ev))
	return hex.EncodeToString(sum[:])
}

// newFake returns a factory of fresh systems running a fake engine with
// bug over a memstore holding aff_1 (parent aff_2) and binding cus_1 to
// it.
func newFake(b bug) affiliatetest.Factory {
	return func() (affiliatetest.System, error) {
		store, err := seeded()
		if err != nil {
			return affiliatetest.System{}, err
		}
		return affiliatetest.System{Engine: &fakeEngine{store: store, bug: b}, Ledger: store, Events: store, Aggregates: store}, nil
	}
}

func newFaultyFake(b bug) affiliatetest.FaultFactory {
	return func(f *affiliatetest.Faults) (affiliatetest.System, error) {
		store, err := seeded()
		if err != nil {
			return affiliatetest.System{}, err
		}
		return affiliatetest.System{Engine: &fakeEngine{store: affiliatetest.NewFaultStore(store, f), bug: b}, Ledger: store, Events: store}, nil
	}
}

func seeded() (*memstore.Store, error) {
	ctx := context.Background()
	store := memstore.New()
	for _, a := range []affiliate.Affiliate{
		{ID: "aff_2", Status: affiliate.StatusActive, CreatedAt: affiliatetest.Epoch},
		{ID: "aff_1", Parent: "aff_2", Status: affiliate.StatusActive, CreatedAt: affiliatetest.Epoch},
	} {
		if err := store.PutAffiliate(ctx, a); err != nil {
			return nil, err
		}
	}
	_, err := store.Bind(ctx, affiliate.Binding{Customer: "cus_1", Affiliate: "aff_1", Source: affiliate.BindByManual, BoundAt: affiliatetest.Epoch.AddDate(0, -1, 0)})
	return store, err
}
