package storagetest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// PayoutStore is what the payout cases need: the ledger holds the entries
// that payouts claim.
// PayoutStore is what RunPayouts needs: the payouts, and the ledger
// they settle with the commits that fill it.
type PayoutStore interface {
	storage.Events
	storage.Ledger
	storage.Payouts
	storage.PayoutHistory
}

var poJan = affiliate.Period{Year: 2026, Month: time.January, Location: time.UTC}

// poEntry is an entry of minor units in cur for a, earned on January day d.
func poEntry(id string, a affiliate.AffiliateID, minor int64, cur affiliate.Currency, d int) affiliate.Entry {
	at := time.Date(2026, time.January, d, 12, 0, 0, 0, time.UTC)
	return affiliate.Entry{
		ID: affiliate.EntryID(id), Beneficiary: a, Kind: affiliate.KindCommission,
		Amount: affiliate.MustMoney(minor, cur), Rule: "storagetest", Terms: "v1",
		At: at, AvailableAt: at, Explanation: "payout conformance fixture",
	}
}

// poPayout is a created payout of entries for the period p.
func poPayout(id string, p affiliate.Period, entries ...affiliate.Entry) affiliate.Payout {
	out := affiliate.Payout{ID: affiliate.PayoutID(id), Period: p, Status: affiliate.PayoutCreated, CreatedAt: p.End()}
	var sum int64
	for _, e := range entries {
		out.Affiliate = e.Beneficiary
		out.Entries = append(out.Entries, e.ID)
		sum += e.Amount.Minor()
		out.Amount = affiliate.MustMoney(sum, e.Amount.Currency())
	}
	return out
}

func poRun(p affiliate.Period, hash string, payouts ...affiliate.Payout) affiliate.PayoutRun {
	return affiliate.PayoutRun{Program: "prog", Period: p, Hash: hash, AsOf: p.End(), Payouts: payouts}
}

func poOpen(t testing.TB, s PayoutStore) []affiliate.EntryID {
	t.Helper()
	es, err := s.Entries(ctxT(), storage.EntryQuery{Unsettled: true})
	if err != nil {
		t.Fatalf("Entries(Unsettled): %v", err)
	}
	return entryIDs(es)
}

// poFixture stores entries for ann (a1, a2 EUR; a3 USD) and bob (b1 EUR).
func poFixture(t *testing.T, newStore Factory[PayoutStore]) (PayoutStore, map[string]affiliate.Entry) {
	t.Helper()
	s := newStore(t)
	es := map[string]affiliate.Entry{
		"a1": poEntry("a1", "ann", 4000, "EUR", 3),
		"a2": poEntry("a2", "ann", 2500, "EUR", 9),
		"a3": poEntry("a3", "ann", 7000, "USD", 9),
		"b1": poEntry("b1", "bob", 9900, "EUR", 4),
	}
	mustWrite(t, s, ledgerWrite{Key: "po-fixture", Hash: "h", Entries: []affiliate.Entry{es["a1"], es["a2"], es["a3"], es["b1"]}})
	return s, es
}

// payoutOf reads payout id as it stands now, from its run of period in
// program "prog", or ErrNotFound.
func payoutOf(s PayoutStore, period affiliate.Period, id affiliate.PayoutID) (affiliate.Payout, error) {
	run, err := s.PayoutRun(ctxT(), "prog", period)
	for _, p := range run.Payouts {
		if p.ID == id {
			return p, nil
		}
	}
	if err == nil {
		err = affiliate.ErrNotFound
	}
	return affiliate.Payout{}, err
}

// RunPayouts runs the cases of storage.Payouts and storage.PayoutHistory.
func RunPayouts(t *testing.T, newStore Factory[PayoutStore]) {
	t.Run("PeriodLocation", func(t *testing.T) { payoutPeriods(t, newStore(t)) })
	t.Run("CreateAndRead", func(t *testing.T) { poCreateAndRead(t, newStore) })
	t.Run("Replay", func(t *testing.T) { poReplay(t, newStore) })
	t.Run("BadRuns", func(t *testing.T) { poBadRuns(t, newStore) })
	t.Run("Settle", func(t *testing.T) { poSettle(t, newStore) })
	t.Run("BadSettlements", func(t *testing.T) { poBadSettlements(t, newStore) })
	t.Run("History", func(t *testing.T) { poHistory(t, newStore) })
	t.Run("CopyInOut", func(t *testing.T) { poCopies(t, newStore) })
	t.Run("ConcurrentClaims", func(t *testing.T) { poConcurrent(t, newStore) })
	t.Run("Model", func(t *testing.T) { poModel(t, newStore) })
}

func poCreateAndRead(t *testing.T, newStore Factory[PayoutStore]) {
	s, es := poFixture(t, newStore)
	run := poRun(poJan, "h1", poPayout("p-ann", poJan, es["a1"], es["a2"]), poPayout("p-bob", poJan, es["b1"]))
	run.Carried = []affiliate.CarriedBalance{{Affiliate: "ann", Amount: affiliate.MustMoney(7000, "USD"), Reason: "below_minimum", Note: "below"}}
	res, err := s.CreatePayoutRun(ctxT(), run)
	if err != nil {
		t.Fatalf("CreatePayoutRun: %v", err)
	}
	if res.Replayed || len(res.Run.Payouts) != 2 || res.Run.Hash != "h1" || !res.Run.AsOf.Equal(poJan.End()) || len(res.Run.Carried) != 1 {
		t.Fatalf("CreatePayoutRun = %+v", res)
	}
	got, err := payoutOf(s, poJan, "p-ann")
	if err != nil || got.Amount.Minor() != 6500 || got.Status != affiliate.PayoutCreated || !slices.Equal(got.Entries, []affiliate.EntryID{"a1", "a2"}) {
		t.Fatalf("Payout(p-ann) = %+v, %v", got, err)
	}
	if open := poOpen(t, s); !slices.Equal(open, []affiliate.EntryID{"a3"}) {
		t.Fatalf("unsettled after the run = %v, want [a3]", open)
	}
	stored, err := s.PayoutRun(ctxT(), "prog", per("2026-01"))
	if err != nil || len(stored.Payouts) != 2 || stored.Payouts[0].ID != "p-ann" || stored.Carried[0].Note != "below" {
		t.Fatalf("PayoutRun = %+v, %v", stored, err)
	}
	if _, err := s.PayoutRun(ctxT(), "prog", per("2026-02")); !errors.Is(err, affiliate.ErrNotFound) {
		t.Fatalf("PayoutRun of a period without a run: %v, want ErrNotFound", err)
	}
	if _, err := s.PayoutRun(ctxT(), "other", per("2026-01")); !errors.Is(err, affiliate.ErrNotFound) {
		t.Fatalf("PayoutRun of another program: %v, want ErrNotFound", err)
	}
	if _, err := payoutOf(s, poJan, "p-none"); !errors.Is(err, affiliate.ErrNotFound) {
		t.Fatalf("Payout(unknown): %v, want ErrNotFound", err)
	}
	// An empty run records that nothing was due.
	feb := poJan.Next()
	if _, err := s.CreatePayoutRun(ctxT(), poRun(feb, "h")); err != nil {
		t.Fatalf("empty run: %v", err)
	}
}

func poReplay(t *testing.T, newStore Factory[PayoutStore]) {
	s, es := poFixture(t, newStore)
	first, err := s.CreatePayoutRun(ctxT(), poRun(poJan, "h1", poPayout("p-ann", poJan, es["a1"])))
	if err != nil {
		t.Fatal(err)
	}
	// Same key and hash: the earlier run, even with another body.
	again, err := s.CreatePayoutRun(ctxT(), poRun(poJan, "h1", poPayout("p-bob", poJan, es["b1"])))
	if err != nil || !again.Replayed || len(again.Run.Payouts) != 1 || again.Run.Payouts[0].ID != first.Run.Payouts[0].ID {
		t.Fatalf("replay = %+v, %v", again, err)
	}
	if _, err := payoutOf(s, poJan, "p-bob"); !errors.Is(err, affiliate.ErrNotFound) {
		t.Fatalf("a replay wrote its body: %v", err)
	}
	// Same key, other hash.
	if _, err := s.CreatePayoutRun(ctxT(), poRun(poJan, "h2", poPayout("p-bob", poJan, es["b1"]))); !errors.Is(err, affiliate.ErrIdempotencyMismatch) {
		t.Fatalf("reuse with another hash: %v, want ErrIdempotencyMismatch", err)
	}
	// The same period under another program is another run.
	other := poRun(poJan, "h1", poPayout("p-bob", poJan, es["b1"]))
	other.Program = "other"
	if res, err := s.CreatePayoutRun(ctxT(), other); err != nil || res.Replayed {
		t.Fatalf("another program's run: %+v, %v", res, err)
	}
}

func poBadRuns(t *testing.T, newStore Factory[PayoutStore]) {
	s, es := poFixture(t, newStore)
	if _, err := s.CreatePayoutRun(ctxT(), poRun(poJan, "h", poPayout("p-held", poJan, es["a1"]))); err != nil {
		t.Fatal(err)
	}
	feb := poJan.Next()
	bad := func(mut func(*affiliate.PayoutRun)) affiliate.PayoutRun {
		r := poRun(feb, "h", poPayout("p-1", feb, es["a2"]), poPayout("p-2", feb, es["b1"]))
		mut(&r)
		return r
	}
	tests := []struct {
		name string
		run  affiliate.PayoutRun
		want error
	}{
		{"no program", bad(func(r *affiliate.PayoutRun) { r.Program = "" }), affiliate.ErrInvalid},
		{"no period", bad(func(r *affiliate.PayoutRun) { r.Period = affiliate.Period{} }), affiliate.ErrInvalid},
		{"no hash", bad(func(r *affiliate.PayoutRun) { r.Hash = "" }), affiliate.ErrInvalid},
		{"no as-of", bad(func(r *affiliate.PayoutRun) { r.AsOf = time.Time{} }), affiliate.ErrInvalid},
		{"status paid", bad(func(r *affiliate.PayoutRun) { r.Payouts[0].Status = affiliate.PayoutPaid }), affiliate.ErrInvalid},
		{"no entries", bad(func(r *affiliate.PayoutRun) { r.Payouts[0].Entries = nil }), affiliate.ErrInvalid},
		{"a payout ID twice", bad(func(r *affiliate.PayoutRun) { r.Payouts[1].ID = "p-1" }), affiliate.ErrInvalid},
		{"an entry twice", bad(func(r *affiliate.PayoutRun) { r.Payouts[0].Entries = []affiliate.EntryID{"a2", "a2"} }), affiliate.ErrInvalid},
		{"amount not the sum", bad(func(r *affiliate.PayoutRun) { r.Payouts[0].Amount = affiliate.MustMoney(1, "EUR") }), affiliate.ErrInvalid},
		{"another affiliate's entry", bad(func(r *affiliate.PayoutRun) { r.Payouts[0].Entries = []affiliate.EntryID{"b1"} }), affiliate.ErrInvalid},
		{"another currency's entry", bad(func(r *affiliate.PayoutRun) {
			r.Payouts[0].Entries = []affiliate.EntryID{"a3"}
			r.Payouts[0].Amount = affiliate.MustMoney(7000, "EUR")
		}), affiliate.ErrInvalid},
		{"another period", bad(func(r *affiliate.PayoutRun) { r.Payouts[0].Period = poJan }), affiliate.ErrInvalid},
		{"a bad carried balance", bad(func(r *affiliate.PayoutRun) {
			r.Carried = []affiliate.CarriedBalance{{Affiliate: "", Amount: affiliate.MustMoney(1, "EUR")}}
		}), affiliate.ErrInvalid},
		{"an unknown entry", bad(func(r *affiliate.PayoutRun) { r.Payouts[0].Entries = []affiliate.EntryID{"zz"} }), affiliate.ErrNotFound},
		{"an entry in a created payout", bad(func(r *affiliate.PayoutRun) {
			r.Payouts[0] = poPayout("p-1", feb, es["a1"], es["a2"])
		}), affiliate.ErrConflict},
		{"a stored payout ID", bad(func(r *affiliate.PayoutRun) { r.Payouts[1].ID = "p-held" }), affiliate.ErrConflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.CreatePayoutRun(ctxT(), tt.run)
			if !errors.Is(err, tt.want) {
				t.Fatalf("CreatePayoutRun: %v, want %v", err, tt.want)
			}
			if _, err := s.PayoutRun(ctxT(), tt.run.Program, tt.run.Period); !errors.Is(err, affiliate.ErrNotFound) && tt.run.Program != "" {
				t.Fatalf("a refused run was stored: %v", err)
			}
			if open := poOpen(t, s); !slices.Equal(open, []affiliate.EntryID{"b1", "a2", "a3"}) {
				t.Fatalf("unsettled after a refused run = %v", open)
			}
			if _, err := payoutOf(s, poJan, "p-1"); !errors.Is(err, affiliate.ErrNotFound) {
				t.Fatalf("a payout of a refused run was stored: %v", err)
			}
		})
	}
	var se *storage.EntrySettledError
	_, err := s.CreatePayoutRun(ctxT(), poRun(feb, "h", poPayout("p-1", feb, es["a1"])))
	if !errors.As(err, &se) || se.Entry != "a1" || se.Payout != "p-held" {
		t.Fatalf("claiming a held entry: %#v, want *EntrySettledError{a1, p-held}", err)
	}
}

func poSettle(t *testing.T, newStore Factory[PayoutStore]) {
	s, es := poFixture(t, newStore)
	run := poRun(poJan, "h", poPayout("p-paid", poJan, es["a1"]), poPayout("p-failed", poJan, es["a2"]), poPayout("p-cancelled", poJan, es["b1"]))
	if _, err := s.CreatePayoutRun(ctxT(), run); err != nil {
		t.Fatal(err)
	}
	at := poJan.End().Add(time.Hour)
	paid, err := s.SettlePayout(ctxT(), storage.PayoutSettlement{ID: "p-paid", Status: affiliate.PayoutPaid, Reference: "TR-1", At: at})
	if err != nil || paid.Status != affiliate.PayoutPaid || paid.Reference != "TR-1" || !paid.SettledAt.Equal(at) {
		t.Fatalf("settle paid = %+v, %v", paid, err)
	}
	failed, err := s.SettlePayout(ctxT(), storage.PayoutSettlement{ID: "p-failed", Status: affiliate.PayoutFailed, Note: "bounced", At: at})
	if err != nil || failed.Status != affiliate.PayoutFailed || failed.Note != "bounced" {
		t.Fatalf("settle failed = %+v, %v", failed, err)
	}
	if _, err := s.SettlePayout(ctxT(), storage.PayoutSettlement{ID: "p-cancelled", Status: affiliate.PayoutCancelled, At: at}); err != nil {
		t.Fatal(err)
	}
	// Failed and cancelled released their entries; the paid one did not.
	if open := poOpen(t, s); !slices.Equal(open, []affiliate.EntryID{"b1", "a2", "a3"}) {
		t.Fatalf("unsettled = %v, want [b1 a2 a3]", open)
	}
	// Released entries can be paid again.
	feb := poJan.Next()
	if _, err := s.CreatePayoutRun(ctxT(), poRun(feb, "h", poPayout("p-again", feb, es["a2"]))); err != nil {
		t.Fatalf("paying a released entry: %v", err)
	}
	stored, _ := s.PayoutRun(ctxT(), "prog", per("2026-01"))
	for _, p := range stored.Payouts {
		if p.ID == "p-failed" && p.Status != affiliate.PayoutFailed {
			t.Fatalf("PayoutRun shows %s as %s", p.ID, p.Status)
		}
	}
}

func poBadSettlements(t *testing.T, newStore Factory[PayoutStore]) {
	s, es := poFixture(t, newStore)
	run := poRun(poJan, "h", poPayout("p-paid", poJan, es["a1"]), poPayout("p-open", poJan, es["a2"]), poPayout("p-gone", poJan, es["b1"]))
	if _, err := s.CreatePayoutRun(ctxT(), run); err != nil {
		t.Fatal(err)
	}
	at := poJan.End().Add(time.Hour)
	if _, err := s.SettlePayout(ctxT(), storage.PayoutSettlement{ID: "p-paid", Status: affiliate.PayoutPaid, Reference: "TR-1", At: at}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SettlePayout(ctxT(), storage.PayoutSettlement{ID: "p-gone", Status: affiliate.PayoutCancelled, At: at}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		set  storage.PayoutSettlement
		want []error
	}{
		{"unknown payout", storage.PayoutSettlement{ID: "p-none", Status: affiliate.PayoutPaid, Reference: "TR", At: at}, []error{affiliate.ErrNotFound}},
		{"paid twice", storage.PayoutSettlement{ID: "p-paid", Status: affiliate.PayoutPaid, Reference: "TR-2", At: at}, []error{storage.ErrPayoutPaid, affiliate.ErrConflict}},
		{"cancel paid", storage.PayoutSettlement{ID: "p-paid", Status: affiliate.PayoutCancelled, At: at}, []error{storage.ErrPayoutPaid, affiliate.ErrConflict}},
		{"fail paid", storage.PayoutSettlement{ID: "p-paid", Status: affiliate.PayoutFailed, At: at}, []error{storage.ErrPayoutPaid}},
		{"pay cancelled", storage.PayoutSettlement{ID: "p-gone", Status: affiliate.PayoutPaid, Reference: "TR", At: at}, []error{storage.ErrPayoutReleased, affiliate.ErrConflict}},
		{"cancel cancelled", storage.PayoutSettlement{ID: "p-gone", Status: affiliate.PayoutCancelled, At: at}, []error{storage.ErrPayoutReleased}},
		{"paid without reference", storage.PayoutSettlement{ID: "p-open", Status: affiliate.PayoutPaid, At: at}, []error{affiliate.ErrInvalid}},
		{"back to created", storage.PayoutSettlement{ID: "p-open", Status: affiliate.PayoutCreated, At: at}, []error{affiliate.ErrInvalid}},
		{"unknown status", storage.PayoutSettlement{ID: "p-open", Status: "refunded", At: at}, []error{affiliate.ErrInvalid}},
		{"zero time", storage.PayoutSettlement{ID: "p-open", Status: affiliate.PayoutFailed}, []error{affiliate.ErrInvalid}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := s.PayoutRun(ctxT(), "prog", per("2026-01"))
			openBefore := poOpen(t, s)
			_, err := s.SettlePayout(ctxT(), tt.set)
			for _, want := range tt.want {
				if !errors.Is(err, want) {
					t.Fatalf("SettlePayout: %v, want %v", err, want)
				}
			}
			var se *storage.PayoutStatusError
			if errors.Is(err, affiliate.ErrConflict) && (!errors.As(err, &se) || se.Payout.ID != tt.set.ID || se.To != tt.set.Status) {
				t.Fatalf("SettlePayout: %#v, want a *PayoutStatusError naming the stored payout", err)
			}
			after, _ := s.PayoutRun(ctxT(), "prog", per("2026-01"))
			if fmt.Sprint(before) != fmt.Sprint(after) || !slices.Equal(openBefore, poOpen(t, s)) {
				t.Fatalf("a refused settlement changed the store:\n%+v\n%+v", before, after)
			}
		})
	}
	var se *storage.PayoutStatusError
	_, err := s.SettlePayout(ctxT(), storage.PayoutSettlement{ID: "p-paid", Status: affiliate.PayoutPaid, Reference: "TR-1", At: at})
	if !errors.As(err, &se) || se.Payout.Reference != "TR-1" {
		t.Fatalf("a retried MarkPaid must show the stored reference: %#v", err)
	}
}

func poHistory(t *testing.T, newStore Factory[PayoutStore]) {
	s, es := poFixture(t, newStore)
	feb, mar := poJan.Next(), poJan.Next().Next()
	jan := poRun(poJan, "h", poPayout("p-ann-eur", poJan, es["a1"]), poPayout("p-ann-usd", poJan, es["a3"]), poPayout("p-bob", poJan, es["b1"]))
	jan.Carried = []affiliate.CarriedBalance{{Affiliate: "cyd", Amount: affiliate.MustMoney(-100, "EUR"), Reason: "not_positive"}}
	for _, r := range []affiliate.PayoutRun{jan, poRun(feb, "h"), poRun(mar, "h", poPayout("p-ann-mar", mar, es["a2"]))} {
		if _, err := s.CreatePayoutRun(ctxT(), r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.SettlePayout(ctxT(), storage.PayoutSettlement{ID: "p-bob", Status: affiliate.PayoutPaid, Reference: "TR", At: feb.Start()}); err != nil {
		t.Fatal(err)
	}
	runs, err := s.AffiliateRuns(ctxT(), "prog", "ann", per("2026-01"), per("2026-03"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range runs {
		ids := []string{r.Period.String()}
		for _, p := range r.Payouts {
			ids = append(ids, string(p.ID))
		}
		got = append(got, fmt.Sprint(ids))
	}
	if want := []string{"[2026-01 p-ann-eur p-ann-usd]", "[2026-02]", "[2026-03 p-ann-mar]"}; !slices.Equal(got, want) {
		t.Fatalf("AffiliateRuns(ann) = %v, want %v", got, want)
	}
	cyd, err := s.AffiliateRuns(ctxT(), "prog", "cyd", per("2026-01"), per("2026-01"))
	if err != nil || len(cyd) != 1 || len(cyd[0].Carried) != 1 || cyd[0].Carried[0].Reason != "not_positive" {
		t.Fatalf("AffiliateRuns(cyd) = %+v, %v", cyd, err)
	}
	if _, err := s.AffiliateRuns(ctxT(), "prog", "ann", per("2026-03"), per("2026-01")); !errors.Is(err, affiliate.ErrInvalid) {
		t.Fatalf("AffiliateRuns with to before from: %v, want ErrInvalid", err)
	}
	totals, err := s.PayoutTotals(ctxT(), "prog", per("2026-01"), per("2026-02"))
	if err != nil {
		t.Fatal(err)
	}
	got = nil
	for _, tot := range totals {
		got = append(got, fmt.Sprintf("%s %s %s x%d", tot.Period, tot.Status, tot.Amount, tot.Count))
	}
	want := []string{"2026-01 created 40.00 EUR x1", "2026-01 paid 99.00 EUR x1", "2026-01 created 70.00 USD x1"}
	if !slices.Equal(got, want) {
		t.Fatalf("PayoutTotals = %q, want %q", got, want)
	}
	if _, err := s.PayoutTotals(ctxT(), "prog", per("2026-02"), per("2026-01")); !errors.Is(err, affiliate.ErrInvalid) {
		t.Fatalf("PayoutTotals with to before from: %v, want ErrInvalid", err)
	}
}

func poCopies(t *testing.T, newStore Factory[PayoutStore]) {
	s, es := poFixture(t, newStore)
	p := poPayout("p-ann", poJan, es["a1"], es["a2"])
	p.Reference, p.Note = "ref-1", "first run"
	run := poRun(poJan, "h", p)
	run.Carried = []affiliate.CarriedBalance{{Affiliate: "bob", Amount: affiliate.MustMoney(9900, "EUR")}}
	res, err := s.CreatePayoutRun(ctxT(), run)
	if err != nil {
		t.Fatal(err)
	}
	// What CreatePayoutRun returns is what it wrote: the run read back.
	stored, err := s.PayoutRun(ctxT(), "prog", poJan)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(stored, res.Run); diff != "" {
		t.Fatalf("CreatePayoutRun's run (-read back +returned):\n%s", diff)
	}
	run.Payouts[0].Entries[0] = "zz"
	res.Run.Payouts[0].Entries[1] = "zz"
	got, _ := payoutOf(s, poJan, "p-ann")
	got.Entries[0] = "zz"
	again, _ := payoutOf(s, poJan, "p-ann")
	if !slices.Equal(again.Entries, []affiliate.EntryID{"a1", "a2"}) {
		t.Fatalf("a caller's change reached the store: %v", again.Entries)
	}
}

// poConcurrent: many runs claim overlapping entries at once; each entry
// ends in exactly one payout.
func poConcurrent(t *testing.T, newStore Factory[PayoutStore]) {
	s := newStore(t)
	var es []affiliate.Entry
	for i := range 20 {
		es = append(es, poEntry(fmt.Sprintf("e%02d", i), "ann", 100, "EUR", 1+i))
	}
	mustWrite(t, s, ledgerWrite{Key: "k", Hash: "h", Entries: es})
	const workers = 8
	var wg sync.WaitGroup
	won := make([]bool, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := affiliate.Period{Year: 2026 + w, Month: time.January, Location: time.UTC}
			// Every worker claims a window of entries overlapping its
			// neighbours'.
			_, err := s.CreatePayoutRun(ctxT(), poRun(p, "h", poPayout(fmt.Sprintf("p%d", w), p, es[w*2:w*2+6]...)))
			switch {
			case err == nil:
				won[w] = true
			case !errors.Is(err, affiliate.ErrConflict):
				t.Errorf("worker %d: %v, want nil or ErrConflict", w, err)
			}
		}()
	}
	// The same key from many goroutines: exactly one writes.
	replays := make([]bool, workers)
	same := poRun(affiliate.Period{Year: 2099, Month: time.January, Location: time.UTC}, "h")
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := s.CreatePayoutRun(ctxT(), same)
			if err != nil {
				t.Errorf("same key: %v", err)
			}
			replays[w] = res.Replayed
		}()
	}
	wg.Wait()
	holder := map[affiliate.EntryID]int{}
	for w := range workers {
		if !won[w] {
			continue
		}
		for _, e := range es[w*2 : w*2+6] {
			if other, dup := holder[e.ID]; dup {
				t.Fatalf("entry %s was claimed by workers %d and %d", e.ID, other, w)
			}
			holder[e.ID] = w
		}
	}
	if fresh := slices.Index(replays, false); fresh < 0 || slices.Index(replays[fresh+1:], false) >= 0 {
		t.Fatalf("same-key writes: replayed = %v, want exactly one false", replays)
	}
}
