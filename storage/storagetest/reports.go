package storagetest

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
	"pgregory.net/rapid"
)

// ReportStore is what the report cases need: the writers whose data the
// report indexes follow, and the reads themselves.
// ReportStore is what RunReports needs: the reports, and every write
// they count.
type ReportStore interface {
	storage.Events
	storage.Reports
	storage.Touches
	storage.Bindings
	storage.Ledger
	storage.Payouts
}

func rpTouch(id string, a affiliate.AffiliateID, at time.Time) affiliate.Touch {
	return affiliate.Touch{ID: affiliate.TouchID(id), Visitor: affiliate.VisitorID("v-" + id), Affiliate: a, Source: affiliate.TouchLink, At: at}
}

func rpEntry(id string, a affiliate.AffiliateID, minor int64, cur affiliate.Currency, at, available time.Time) affiliate.Entry {
	e := poEntry(id, a, minor, cur, 1)
	e.At, e.AvailableAt = at, available
	return e
}

// RunReports runs the cases of storage.Reports.
func RunReports(t *testing.T, newStore Factory[ReportStore]) {
	t.Run("Activity", func(t *testing.T) { rpActivity(t, newStore) })
	t.Run("EarningsBalances", func(t *testing.T) { rpBalances(t, newStore) })
	t.Run("ProgramEarnings", func(t *testing.T) { rpProgramEarnings(t, newStore) })
	t.Run("Model", func(t *testing.T) { rpModel(t, newStore) })
}

func rpActivity(t *testing.T, newStore Factory[ReportStore]) {
	s := newStore(t)
	from, to := t0, t0.Add(24*time.Hour)
	for i, tc := range []struct {
		a  affiliate.AffiliateID
		at time.Time
	}{
		{"ann", from}, {"ann", from.Add(time.Hour)}, {"ann", to.Add(-time.Nanosecond)}, {"ann", to},
		{"bob", from.Add(-time.Nanosecond)}, {"bob", from.Add(2 * time.Hour)},
	} {
		if err := s.AddTouch(ctxT(), rpTouch(fmt.Sprintf("t%d", i), tc.a, tc.at)); err != nil {
			t.Fatal(err)
		}
	}
	for i, b := range []struct {
		a  affiliate.AffiliateID
		at time.Time
	}{{"ann", from.Add(3 * time.Hour)}, {"bob", to}, {"bob", from}} {
		if _, err := s.Bind(ctxT(), affiliate.Binding{Customer: affiliate.CustomerID(fmt.Sprintf("c%d", i)), Affiliate: b.a, Source: affiliate.BindByLink, BoundAt: b.at}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		a    affiliate.AffiliateID
		from time.Time
		to   time.Time
		want storage.Activity
	}{
		{"ann", from, to, storage.Activity{Clicks: 3, Signups: 1}},
		{"bob", from, to, storage.Activity{Clicks: 1, Signups: 1}},
		{"", from, to, storage.Activity{Clicks: 4, Signups: 2}},
		{"", from.Add(-time.Hour), to.Add(time.Hour), storage.Activity{Clicks: 6, Signups: 3}},
		{"cyd", from, to, storage.Activity{}},
		{"ann", from, from, storage.Activity{}},
	}
	for _, tt := range tests {
		got, err := s.Activity(ctxT(), tt.a, tt.from, tt.to)
		if err != nil || got != tt.want {
			t.Errorf("Activity(%q, %s, %s) = %+v, %v; want %+v", tt.a, tt.from, tt.to, got, err, tt.want)
		}
	}
	if _, err := s.Activity(ctxT(), "ann", to, from); !errors.Is(err, affiliate.ErrInvalid) {
		t.Errorf("Activity with to before from: %v, want ErrInvalid", err)
	}
}

func rpBalances(t *testing.T, newStore Factory[ReportStore]) {
	s := newStore(t)
	hold := 30 * 24 * time.Hour
	es := []affiliate.Entry{
		rpEntry("a1", "ann", 1000, "EUR", t0, t0.Add(hold)),
		rpEntry("a2", "ann", 2000, "EUR", t0.Add(time.Hour), t0.Add(time.Hour+hold)),
		rpEntry("a3", "ann", -300, "EUR", t0.Add(2*time.Hour), t0.Add(2*time.Hour)),
		rpEntry("a4", "ann", 500, "USD", t0, t0),
		rpEntry("b1", "bob", 4000, "EUR", t0, t0),
	}
	mustWrite(t, s, ledgerWrite{Key: "rp", Hash: "h", Entries: es})
	check := func(a affiliate.AffiliateID, asOf time.Time, want ...string) {
		t.Helper()
		got, err := s.EarningsBalances(ctxT(), a, asOf)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, b := range got {
			lines = append(lines, fmt.Sprintf("%s %s/%s/%s/%s", b.Currency, b.Pending.AmountString(), b.Available.AmountString(), b.InPayout.AmountString(), b.Paid.AmountString()))
		}
		if !slices.Equal(lines, want) {
			t.Errorf("EarningsBalances(%q, %s) = %q, want %q", a, asOf, lines, want)
		}
	}
	// AvailableAt equal to asOf is available.
	check("ann", t0.Add(hold), "EUR 20.00/7.00/0.00/0.00", "USD 0.00/5.00/0.00/0.00")
	check("", t0.Add(hold), "EUR 20.00/47.00/0.00/0.00", "USD 0.00/5.00/0.00/0.00")
	check("ann", t0.Add(2*hold), "EUR 0.00/27.00/0.00/0.00", "USD 0.00/5.00/0.00/0.00")

	run := poRun(poJan, "h", poPayout("p-ann", poJan, es[0], es[1], es[2]), poPayout("p-bob", poJan, es[4]))
	if _, err := s.CreatePayoutRun(ctxT(), run); err != nil {
		t.Fatal(err)
	}
	check("ann", t0.Add(2*hold), "EUR 0.00/0.00/27.00/0.00", "USD 0.00/5.00/0.00/0.00")
	if _, err := s.SettlePayout(ctxT(), storage.PayoutSettlement{ID: "p-ann", Status: affiliate.PayoutPaid, Reference: "TR", At: t0}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SettlePayout(ctxT(), storage.PayoutSettlement{ID: "p-bob", Status: affiliate.PayoutCancelled, At: t0}); err != nil {
		t.Fatal(err)
	}
	check("ann", t0.Add(2*hold), "EUR 0.00/0.00/0.00/27.00", "USD 0.00/5.00/0.00/0.00")
	check("", t0.Add(2*hold), "EUR 0.00/40.00/0.00/27.00", "USD 0.00/5.00/0.00/0.00")
	check("cyd", t0)
	if _, err := s.EarningsBalances(ctxT(), "ann", time.Time{}); !errors.Is(err, affiliate.ErrInvalid) {
		t.Errorf("EarningsBalances at a zero time: %v, want ErrInvalid", err)
	}
}

func rpProgramEarnings(t *testing.T, newStore Factory[ReportStore]) {
	s := newStore(t)
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	feb := affiliate.Period{Year: 2026, Month: time.February, Location: paris}
	start, end := feb.Start(), feb.End()
	es := []affiliate.Entry{
		rpEntry("x1", "ann", 100, "EUR", start.Add(-time.Nanosecond), start),
		rpEntry("x2", "ann", 200, "EUR", start, start),
		rpEntry("x3", "bob", 400, "EUR", end.Add(-time.Nanosecond), end),
		rpEntry("x4", "bob", 800, "EUR", end, end),
		rpEntry("x5", "ann", 5, "USD", start.Add(time.Hour), start),
		rpEntry("x6", "ann", -5, "USD", start.Add(2*time.Hour), start),
	}
	mustWrite(t, s, ledgerWrite{Key: "rp", Hash: "h", Entries: es})
	got, err := s.ProgramEarnings(ctxT(), start, end)
	if err != nil {
		t.Fatal(err)
	}
	if want := []affiliate.Money{affiliate.MustMoney(600, "EUR"), affiliate.MustMoney(0, "USD")}; !slices.Equal(got, want) {
		t.Errorf("ProgramEarnings(February in Paris) = %v, want %v", got, want)
	}
	if got, _ := s.ProgramEarnings(ctxT(), end.Add(time.Hour), end.Add(2*time.Hour)); len(got) != 0 {
		t.Errorf("ProgramEarnings of an empty range = %v", got)
	}
	if _, err := s.ProgramEarnings(ctxT(), end, start); !errors.Is(err, affiliate.ErrInvalid) {
		t.Errorf("ProgramEarnings with to before from: %v, want ErrInvalid", err)
	}
}

// rpModel compares the report reads with sums over every entry, under
// random appends, claims and settlements.
func rpModel(t *testing.T, newStore Factory[ReportStore]) {
	checkRuns(t, newStore, func(rt *rapid.T, s ReportStore) {
		var entries []affiliate.Entry
		state := map[affiliate.EntryID]affiliate.PayoutStatus{} // live payouts only
		var payouts []affiliate.Payout
		instant := func(rt *rapid.T, label string) time.Time {
			return t0.Add(time.Duration(rapid.IntRange(-72, 24*40).Draw(rt, label)) * time.Hour)
		}
		rt.Repeat(map[string]func(*rapid.T){
			"append": func(rt *rapid.T) {
				at := instant(rt, "at")
				e := rpEntry(fmt.Sprintf("e%03d", len(entries)), rapid.SampledFrom([]affiliate.AffiliateID{"ann", "bob"}).Draw(rt, "affiliate"),
					rapid.Int64Range(-500, 5000).Draw(rt, "minor"), rapid.SampledFrom([]affiliate.Currency{"EUR", "USD"}).Draw(rt, "currency"),
					at, at.Add(time.Duration(rapid.IntRange(0, 24*30).Draw(rt, "hold hours"))*time.Hour))
				mustWrite(t, s, ledgerWrite{Key: "m-" + string(e.ID), Hash: "h", Entries: []affiliate.Entry{e}})
				entries = append(entries, e)
			},
			"claim": func(rt *rapid.T) {
				if len(entries) == 0 {
					rt.Skip("no entries")
				}
				e := rapid.SampledFrom(entries).Draw(rt, "entry")
				if _, held := state[e.ID]; held {
					rt.Skip("held")
				}
				p := affiliate.Period{Year: 2000 + len(payouts), Month: time.January, Location: time.UTC}
				po := poPayout(fmt.Sprintf("p%d", len(payouts)), p, e)
				if _, err := s.CreatePayoutRun(ctxT(), poRun(p, "h", po)); err != nil {
					rt.Fatal(err)
				}
				state[e.ID] = affiliate.PayoutCreated
				payouts = append(payouts, po)
			},
			"settle": func(rt *rapid.T) {
				if len(payouts) == 0 {
					rt.Skip("no payouts")
				}
				po := rapid.SampledFrom(payouts).Draw(rt, "payout")
				to := rapid.SampledFrom([]affiliate.PayoutStatus{affiliate.PayoutPaid, affiliate.PayoutCancelled}).Draw(rt, "to")
				if _, err := s.SettlePayout(ctxT(), storage.PayoutSettlement{ID: po.ID, Status: to, Reference: "TR", At: t0}); err != nil {
					return // not created any more; the payouts case covers these errors
				}
				if to == affiliate.PayoutPaid {
					state[po.Entries[0]] = affiliate.PayoutPaid
				} else {
					delete(state, po.Entries[0])
				}
			},
			"": func(rt *rapid.T) {
				asOf := instant(rt, "asOf")
				from := instant(rt, "from")
				to := from.Add(time.Duration(rapid.IntRange(0, 24*20).Draw(rt, "span hours")) * time.Hour)
				for _, a := range []affiliate.AffiliateID{"ann", ""} {
					want := map[affiliate.Currency][4]int64{}
					for _, e := range entries {
						if a != "" && e.Beneficiary != a {
							continue
						}
						v := want[e.Amount.Currency()]
						switch st, held := state[e.ID]; {
						case held && st == affiliate.PayoutPaid:
							v[3] += e.Amount.Minor()
						case held:
							v[2] += e.Amount.Minor()
						case e.Available(asOf):
							v[1] += e.Amount.Minor()
						default:
							v[0] += e.Amount.Minor()
						}
						want[e.Amount.Currency()] = v
					}
					got, err := s.EarningsBalances(ctxT(), a, asOf)
					if err != nil {
						rt.Fatal(err)
					}
					if len(got) != len(want) {
						rt.Fatalf("EarningsBalances(%q) has %d currencies, the model %d", a, len(got), len(want))
					}
					for _, b := range got {
						if v := [4]int64{b.Pending.Minor(), b.Available.Minor(), b.InPayout.Minor(), b.Paid.Minor()}; v != want[b.Currency] {
							rt.Fatalf("EarningsBalances(%q, %s) %s = %v, model %v", a, asOf, b.Currency, v, want[b.Currency])
						}
					}
				}
				sums := map[affiliate.Currency]int64{}
				for _, e := range entries {
					if !e.At.Before(from) && e.At.Before(to) {
						sums[e.Amount.Currency()] += e.Amount.Minor()
					}
				}
				got, err := s.ProgramEarnings(ctxT(), from, to)
				if err != nil {
					rt.Fatal(err)
				}
				if len(got) != len(sums) {
					rt.Fatalf("ProgramEarnings(%s, %s) = %v, model %v", from, to, got, sums)
				}
				for _, m := range got {
					if m.Minor() != sums[m.Currency()] {
						rt.Fatalf("ProgramEarnings(%s, %s) = %v, model %v", from, to, got, sums)
					}
				}
			},
		})
	})
}
