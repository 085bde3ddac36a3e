package storagetest

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
	"pgregory.net/rapid"
)

// BalanceStore is what RunBalances needs: payouts, and the open balances
// runs settle by watermark.
type BalanceStore interface {
	PayoutStore
	storage.BalanceReader
}

// RunBalances checks storage.BalanceReader: balances are the sums of the
// open entries a query selects, and a run written with their watermark
// claims exactly those entries, or nothing when the balance moved.
func RunBalances(t *testing.T, newStore Factory[BalanceStore]) {
	t.Run("Sums", func(t *testing.T) { balSums(t, newStore(t)) })
	t.Run("BadQuery", func(t *testing.T) { balBadQuery(t, newStore(t)) })
	t.Run("SettleByWatermark", func(t *testing.T) { balSettle(t, newStore(t)) })
	t.Run("Moved", func(t *testing.T) { balMoved(t, newStore(t)) })
	t.Run("Model", func(t *testing.T) { balModel(t, newStore) })
}

// balEntry is an entry of minor units in cur for a, earned on January
// day d at noon and available hold days later.
func balEntry(id string, a affiliate.AffiliateID, minor int64, cur affiliate.Currency, d, hold int) affiliate.Entry {
	e := poEntry(id, a, minor, cur, 1)
	e.At = time.Date(2026, time.January, d, 12, 0, 0, 0, time.UTC)
	e.AvailableAt = e.At.AddDate(0, 0, hold)
	return e
}

// wantBalances sums es the way OpenBalances must: per affiliate and
// currency, the entries q selects, ordered by affiliate, then currency.
func wantBalances(es []affiliate.Entry, q storage.BalanceQuery) []storage.OpenBalance {
	var out []storage.OpenBalance
	for _, e := range es {
		if !e.At.Before(q.To) || e.AvailableAt.After(q.AvailableBy) || q.Beneficiary != "" && e.Beneficiary != q.Beneficiary {
			continue
		}
		i := slices.IndexFunc(out, func(b storage.OpenBalance) bool {
			return b.Affiliate == e.Beneficiary && b.Amount.Currency() == e.Amount.Currency()
		})
		if i < 0 {
			out = append(out, storage.OpenBalance{Affiliate: e.Beneficiary, Amount: affiliate.Zero(e.Amount.Currency())})
			i = len(out) - 1
		}
		out[i].Amount = affiliate.MustMoney(out[i].Amount.Minor()+e.Amount.Minor(), e.Amount.Currency())
		out[i].Entries++
	}
	slices.SortFunc(out, func(x, y storage.OpenBalance) int {
		return cmp.Or(strings.Compare(string(x.Affiliate), string(y.Affiliate)), strings.Compare(string(x.Amount.Currency()), string(y.Amount.Currency())))
	})
	return out
}

// tb is what the checks need of a *testing.T or a *rapid.T.
type tb interface {
	Helper()
	Fatalf(string, ...any)
}

func readBalances(t tb, s BalanceStore, q storage.BalanceQuery) storage.Balances {
	t.Helper()
	b, err := s.OpenBalances(ctxT(), q)
	if err != nil {
		t.Fatalf("OpenBalances(%+v): %v", q, err)
	}
	return b
}

func sameBalances(t tb, what string, got, want []storage.OpenBalance) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Fatalf("%s: OpenBalances = %v, want %v", what, got, want)
	}
}

// balFixture stores, for January: ann 40.00 EUR (day 3), -5.00 EUR (day
// 9), 70.00 USD (day 20, held 30 days) and 12.00 EUR earned on February
// 2; bob 99.00 EUR (day 4, held 10 days).
func balFixture(t *testing.T, s BalanceStore) []affiliate.Entry {
	t.Helper()
	feb := balEntry("a4", "ann", 1200, "EUR", 1, 0)
	feb.At, feb.AvailableAt = time.Date(2026, time.February, 2, 9, 0, 0, 0, time.UTC), time.Date(2026, time.February, 2, 9, 0, 0, 0, time.UTC)
	es := []affiliate.Entry{
		balEntry("a1", "ann", 4000, "EUR", 3, 0),
		balEntry("a2", "ann", -500, "EUR", 9, 0),
		balEntry("a3", "ann", 7000, "USD", 20, 30),
		feb,
		balEntry("b1", "bob", 9900, "EUR", 4, 10),
	}
	mustWrite(t, s, ledgerWrite{Key: "bal-fixture", Hash: "h", Entries: es})
	return es
}

func balSums(t *testing.T, s BalanceStore) {
	es := balFixture(t, s)
	end := poJan.End()
	for _, q := range []storage.BalanceQuery{
		{To: end, AvailableBy: end},                     // a3 held, a4 too late
		{To: end, AvailableBy: end.AddDate(0, 1, 0)},    // a3 now available
		{To: end.AddDate(0, 1, 0), AvailableBy: end},    // a4 earned and available
		{To: end, AvailableBy: end, Beneficiary: "bob"}, // one affiliate
		{To: end, AvailableBy: end, Beneficiary: "eve"}, // an unknown one
		{To: poJan.Start(), AvailableBy: end},           // nothing earned before
	} {
		got := readBalances(t, s, q)
		sameBalances(t, fmt.Sprintf("%+v", q), got.Balances, wantBalances(es, q))
		if got.Through == 0 {
			t.Fatalf("OpenBalances(%+v).Through = 0 over a ledger of %d entries", q, len(es))
		}
	}
	// A run by list takes a1 out of the balances.
	run := poRun(poJan, "h", poPayout("p-a1", poJan, es[0]))
	if _, err := s.CreatePayoutRun(ctxT(), run); err != nil {
		t.Fatalf("CreatePayoutRun: %v", err)
	}
	q := storage.BalanceQuery{To: end, AvailableBy: end}
	sameBalances(t, "after a1 was paid", readBalances(t, s, q).Balances, wantBalances(es[1:], q))
}

func balBadQuery(t *testing.T, s BalanceStore) {
	balFixture(t, s)
	end := poJan.End()
	for _, q := range []storage.BalanceQuery{{AvailableBy: end}, {To: end}} {
		if _, err := s.OpenBalances(ctxT(), q); !errors.Is(err, affiliate.ErrInvalid) {
			t.Fatalf("OpenBalances(%+v) = %v, want ErrInvalid", q, err)
		}
	}
}

// watermarkRun is a run of period p as of asOf paying, by watermark, every
// positive balance of b.
func watermarkRun(p affiliate.Period, asOf time.Time, hash string, b storage.Balances) affiliate.PayoutRun {
	run := affiliate.PayoutRun{Program: "prog", Period: p, Hash: hash, AsOf: asOf, Through: b.Through}
	for _, bal := range b.Balances {
		if bal.Amount.Sign() <= 0 {
			continue
		}
		run.Payouts = append(run.Payouts, affiliate.Payout{
			ID:        affiliate.PayoutID(fmt.Sprintf("w-%s-%s-%s", p, bal.Affiliate, bal.Amount.Currency())),
			Affiliate: bal.Affiliate, Period: p, Amount: bal.Amount, Status: affiliate.PayoutCreated, CreatedAt: asOf,
		})
	}
	return run
}

func balSettle(t *testing.T, s BalanceStore) {
	es := balFixture(t, s)
	asOf := poJan.End()
	b := readBalances(t, s, storage.BalanceQuery{To: poJan.End(), AvailableBy: asOf})
	// Appended after the read, earned and available in the run's window:
	// the watermark keeps it for the next run.
	late := balEntry("a5", "ann", 300, "EUR", 10, 0)
	mustWrite(t, s, ledgerWrite{Key: "bal-late", Hash: "h", Entries: []affiliate.Entry{late}})
	run := watermarkRun(poJan, asOf, "hw", b)
	res, err := s.CreatePayoutRun(ctxT(), run)
	if err != nil {
		t.Fatalf("CreatePayoutRun by watermark: %v", err)
	}
	if res.Run.Through != b.Through {
		t.Fatalf("run.Through = %d, want %d", res.Run.Through, b.Through)
	}
	want := map[affiliate.PayoutID][]affiliate.EntryID{"w-2026-01-ann-EUR": {"a1", "a2"}, "w-2026-01-bob-EUR": {"b1"}}
	if len(res.Run.Payouts) != len(want) {
		t.Fatalf("payouts = %+v, want %v", res.Run.Payouts, want)
	}
	for _, p := range res.Run.Payouts {
		if !slices.Equal(p.Entries, want[p.ID]) {
			t.Fatalf("payout %s lists %v, want %v", p.ID, p.Entries, want[p.ID])
		}
	}
	stored, err := s.PayoutRun(ctxT(), "prog", poJan)
	if err != nil || stored.Through != b.Through || len(stored.Payouts) != 2 || !slices.Equal(stored.Payouts[0].Entries, []affiliate.EntryID{"a1", "a2"}) {
		t.Fatalf("PayoutRun = %+v, %v", stored, err)
	}
	if open := poOpen(t, s); !slices.Equal(open, []affiliate.EntryID{"a5", "a3", "a4"}) {
		t.Fatalf("open after the run = %v, want [a5 a3 a4]", open)
	}
	if res, err := s.CreatePayoutRun(ctxT(), run); err != nil || !res.Replayed {
		t.Fatalf("replay of the run by watermark = %+v, %v", res, err)
	}
	// A failed payout gives its entries back to the balances.
	if _, err := s.SettlePayout(ctxT(), storage.PayoutSettlement{ID: "w-2026-01-ann-EUR", Status: affiliate.PayoutFailed, At: asOf}); err != nil {
		t.Fatalf("SettlePayout(failed): %v", err)
	}
	q := storage.BalanceQuery{To: poJan.End(), AvailableBy: asOf, Beneficiary: "ann"}
	sameBalances(t, "after the failure", readBalances(t, s, q).Balances, wantBalances([]affiliate.Entry{es[0], es[1], es[2], es[3], late}, q))
}

func balMoved(t *testing.T, s BalanceStore) {
	es := balFixture(t, s)
	asOf := poJan.End()
	b := readBalances(t, s, storage.BalanceQuery{To: poJan.End(), AvailableBy: asOf})
	// Another run pays a1 by list between the read and the write.
	feb := affiliate.Period{Year: 2026, Month: time.February, Location: time.UTC}
	if _, err := s.CreatePayoutRun(ctxT(), poRun(feb, "h", poPayout("p-a1", feb, es[0]))); err != nil {
		t.Fatalf("CreatePayoutRun by list: %v", err)
	}
	before := poOpen(t, s)
	_, err := s.CreatePayoutRun(ctxT(), watermarkRun(poJan, asOf, "hw", b))
	var moved *storage.BalanceMovedError
	if !errors.As(err, &moved) || !errors.Is(err, affiliate.ErrConflict) || moved.Payout != "w-2026-01-ann-EUR" ||
		moved.Want.Minor() != 3500 || moved.Got.Minor() != -500 {
		t.Fatalf("run over a moved balance: %v, want *BalanceMovedError for ann 35.00 EUR, now -5.00 EUR", err)
	}
	if _, err := s.PayoutRun(ctxT(), "prog", poJan); !errors.Is(err, affiliate.ErrNotFound) {
		t.Fatalf("PayoutRun after the refused run: %v, want ErrNotFound", err)
	}
	if after := poOpen(t, s); !slices.Equal(after, before) {
		t.Fatalf("open entries after the refused run = %v, want %v", after, before)
	}
}

// balModel compares the store with a model under random appends, runs
// by watermark and settlements: balances are the sums of the model's
// open entries, and each payout claims exactly the entries the model
// selects.
func balModel(t *testing.T, newStore Factory[BalanceStore]) {
	checkRuns(t, newStore, func(rt *rapid.T, s BalanceStore) {
		var entries []affiliate.Entry
		held := map[affiliate.EntryID]affiliate.PayoutID{}
		created := map[affiliate.PayoutID][]affiliate.EntryID{}
		month := 0
		open := func() []affiliate.Entry {
			var out []affiliate.Entry
			for _, e := range entries {
				if _, ok := held[e.ID]; !ok {
					out = append(out, e)
				}
			}
			return out
		}
		rt.Repeat(map[string]func(*rapid.T){
			"append": func(rt *rapid.T) {
				e := balEntry(fmt.Sprintf("e%03d", len(entries)),
					rapid.SampledFrom([]affiliate.AffiliateID{"ann", "bob", "cy"}).Draw(rt, "affiliate"),
					rapid.Int64Range(-2000, 5000).Draw(rt, "minor"),
					rapid.SampledFrom([]affiliate.Currency{"EUR", "USD"}).Draw(rt, "currency"),
					1, 0)
				// Earned in the month the next run pays, or early in the one after.
				e.At = time.Date(2026, time.January+time.Month(month), 1+rapid.IntRange(0, 35).Draw(rt, "day"), 12, 0, 0, 0, time.UTC)
				e.AvailableAt = e.At.AddDate(0, 0, rapid.IntRange(0, 40).Draw(rt, "hold"))
				mustWrite(t, s, ledgerWrite{Key: "bm-" + string(e.ID), Hash: "h", Entries: []affiliate.Entry{e}})
				entries = append(entries, e)
			},
			"run": func(rt *rapid.T) {
				start := time.Date(2026, time.January+time.Month(month), 1, 0, 0, 0, 0, time.UTC)
				p := affiliate.Period{Year: start.Year(), Month: start.Month(), Location: time.UTC}
				month++
				asOf := p.End().Add(time.Duration(rapid.IntRange(0, 40*24).Draw(rt, "hours")) * time.Hour)
				q := storage.BalanceQuery{To: p.End(), AvailableBy: asOf}
				b := readBalances(rt, s, q)
				sameBalances(rt, "before the run of "+p.String(), b.Balances, wantBalances(open(), q))
				run := watermarkRun(p, asOf, "h", b)
				res, err := s.CreatePayoutRun(ctxT(), run)
				if err != nil {
					rt.Fatalf("CreatePayoutRun by watermark: %v", err)
				}
				for _, po := range res.Run.Payouts {
					var want []affiliate.Entry
					for _, e := range open() {
						if e.Beneficiary == po.Affiliate && e.Amount.Currency() == po.Amount.Currency() && e.At.Before(q.To) && !e.AvailableAt.After(asOf) {
							want = append(want, e)
						}
					}
					slices.SortFunc(want, func(x, y affiliate.Entry) int {
						return cmp.Or(x.At.Compare(y.At), strings.Compare(string(x.ID), string(y.ID)))
					})
					if !slices.Equal(po.Entries, entryIDs(want)) {
						rt.Fatalf("payout %s lists %v, want %v", po.ID, po.Entries, entryIDs(want))
					}
					for _, id := range po.Entries {
						held[id] = po.ID
					}
					created[po.ID] = po.Entries
				}
			},
			"settle": func(rt *rapid.T) {
				if len(created) == 0 {
					rt.Skip("no created payout")
				}
				ids := make([]affiliate.PayoutID, 0, len(created))
				for id := range created {
					ids = append(ids, id)
				}
				slices.Sort(ids)
				id := rapid.SampledFrom(ids).Draw(rt, "payout")
				st := rapid.SampledFrom([]affiliate.PayoutStatus{affiliate.PayoutPaid, affiliate.PayoutFailed, affiliate.PayoutCancelled}).Draw(rt, "status")
				if _, err := s.SettlePayout(ctxT(), storage.PayoutSettlement{ID: id, Status: st, Reference: "ref", At: time.Date(2027, time.January, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
					rt.Fatalf("SettlePayout(%s, %s): %v", id, st, err)
				}
				if st != affiliate.PayoutPaid {
					for _, e := range created[id] {
						delete(held, e)
					}
				}
				delete(created, id)
			},
		})
	})
}
