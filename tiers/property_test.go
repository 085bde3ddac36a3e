package tiers_test

import (
	"errors"
	"fmt"
	"maps"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/tiers"
)

// history is a generated program: affiliates (the second may be the
// first's sub-affiliate), customers bound to them, and a sequence of
// payments, refunds and closes over three months, in arrival order.
type history struct {
	keepFor int
	sub     bool // a1's parent is a0
	binding map[affiliate.CustomerID]affiliate.AffiliateID
	ops     []op
}

type op struct {
	kind     string // "pay", "refund", "close"
	customer affiliate.CustomerID
	month    time.Month
	day      int
	minor    int64 // payment amount, or partial refund amount (0 = full)
	payment  int   // refund: index among the payments made so far
}

// genHistory draws a history of payments from 0.01 EUR.
func genHistory(t *rapid.T) history {
	h := history{
		keepFor: rapid.IntRange(0, 2).Draw(t, "keepFor"),
		sub:     rapid.Bool().Draw(t, "sub"),
		binding: map[affiliate.CustomerID]affiliate.AffiliateID{},
	}
	nCust := rapid.IntRange(1, 4).Draw(t, "customers")
	for i := range nCust {
		h.binding[affiliate.CustomerID(fmt.Sprintf("c%d", i))] = affiliate.AffiliateID(fmt.Sprintf("a%d", rapid.IntRange(0, 2).Draw(t, "affiliate")))
	}
	n := rapid.IntRange(1, 25).Draw(t, "ops")
	for range n {
		o := op{
			kind:     rapid.SampledFrom([]string{"pay", "pay", "pay", "refund", "close"}).Draw(t, "kind"),
			customer: affiliate.CustomerID(fmt.Sprintf("c%d", rapid.IntRange(0, nCust-1).Draw(t, "customer"))),
			month:    time.Month(rapid.IntRange(1, 3).Draw(t, "month")),
			day:      rapid.IntRange(1, 28).Draw(t, "day"),
		}
		switch o.kind {
		case "pay":
			// Up to 8,000 EUR, so a month crosses 10,000 now and then;
			// often 0.03 EUR, whose 15% rounds to 0.00 and 20% to 0.01
			// (TestZeroAccrual).
			o.minor = rapid.OneOf(rapid.Just[int64](3), rapid.Int64Range(1, 800_000)).Draw(t, "minor")
		case "refund":
			o.payment = rapid.IntRange(0, 30).Draw(t, "payment")
			if !rapid.Bool().Draw(t, "full") {
				o.minor = rapid.Int64Range(1, 500_000).Draw(t, "refund")
			}
		}
		h.ops = append(h.ops, o)
	}
	return h
}

type paid struct {
	p affiliate.Payment
	a affiliate.AffiliateID
}

// run plays h on a fresh world and returns the payments recorded.
func (h history) run(t *rapid.T, w *world) []paid {
	for c, a := range h.binding {
		parent := affiliate.AffiliateID("")
		if h.sub && a == "a1" {
			parent = "a0"
		}
		w.bind(c, a, parent)
	}
	var pays []paid
	for i, o := range h.ops {
		switch o.kind {
		case "pay":
			p := payment(fmt.Sprintf("p%d", i), o.customer, day(o.month, o.day), affiliate.MustMoney(o.minor, "EUR"))
			if _, err := w.pay(p); err != nil {
				t.Fatalf("pay: %v", err)
			}
			pays = append(pays, paid{p: p, a: h.binding[o.customer]})
		case "refund":
			if o.payment >= len(pays) {
				continue
			}
			p := pays[o.payment].p
			at := day(o.month, o.day)
			if at.Before(p.PaidAt) {
				at = p.PaidAt
			}
			amount := affiliate.Money{}
			if o.minor > 0 {
				amount = affiliate.MustMoney(o.minor, "EUR")
			}
			if _, err := w.refund(fmt.Sprintf("r%d", i), p.ID, at, amount); err != nil {
				// The engine refuses a refund larger than what is left of
				// its payment.
				if errors.Is(err, affiliate.ErrInvalid) {
					continue
				}
				t.Fatalf("refund: %v", err)
			}
		case "close":
			w.close(o.month, time.Duration(i)*time.Minute)
		}
	}
	return pays
}

// TestPropRetroactiveRecomputation: under the retroactive policy, once the
// months are closed (again) after the last event, every payment's
// commission and bonus net to a recomputation at its month's final tier:
// base × rate, kept pro rata after refunds. Whatever came in between
// (closes before late events, refunds, reruns), the ledger converges.
func TestPropRetroactiveRecomputation(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := genHistory(t)
		w := newWorld(t, tiers.Config{Policy: tiers.Retroactive, KeepFor: h.keepFor})
		pays := h.run(t, w)
		for m := time.January; m <= time.March; m++ {
			w.close(m, 24*time.Hour)
		}
		for _, pp := range pays {
			per := affiliate.PeriodOf(pp.p.PaidAt, nil)
			total, _ := pp.p.Total()
			refunded := refundedOf(t, w, pp.p.ID, total.Minor())
			check := func(beneficiary affiliate.AffiliateID, bonus bool) {
				d, err := w.prog.Decide(w.ctx, beneficiary, per)
				if err != nil {
					t.Fatal(err)
				}
				rate := d.Tier.Rate
				if bonus {
					rate = d.Tier.BonusRate
				}
				gross, _ := total.MulRate(rate, affiliate.HalfEven)
				want := halfEven(gross.Minor(), total.Minor()-refunded, total.Minor())
				got := w.net(beneficiary, pp.p.ID).Minor()
				if got != want {
					t.Fatalf("%s's %s on %s (%s, %s at %s): nets %d, want %d", beneficiary, map[bool]string{false: "commission", true: "bonus"}[bonus], pp.p.ID, total, d.Tier.Name, d.Value, got, want)
				}
			}
			check(pp.a, false)
			if h.sub && pp.a == "a1" {
				check("a0", true)
			}
		}
		// Retier left nothing to do: recomputing any customer appends
		// nothing.
		for c := range h.binding {
			res, err := w.eng.Recompute(w.ctx, c)
			if err != nil || len(res.Entries) != 0 {
				t.Fatalf("Recompute(%s) after the closes: %v, %v", c, amounts(res.Entries), err)
			}
		}
	})
}

// TestPropCloseTwice: under every policy, closing a month again with
// nothing new is a no-op: no run, no entry, no snapshot.
func TestPropCloseTwice(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h := genHistory(t)
		policy := rapid.SampledFrom([]tiers.Policy{tiers.NextPeriod, tiers.Retroactive, tiers.Immediate}).Draw(t, "policy")
		w := newWorld(t, tiers.Config{Policy: policy, KeepFor: h.keepFor})
		h.run(t, w)
		for m := time.January; m <= time.March; m++ {
			w.close(m, 24*time.Hour)
		}
		before := len(w.ledger())
		for m := time.January; m <= time.March; m++ {
			if res := w.close(m, 48*time.Hour); res.Written || len(res.Entries) != 0 || len(res.Snapshots) != 0 {
				t.Fatalf("closing %s twice wrote %+v", m, res)
			}
		}
		if after := len(w.ledger()); after != before {
			t.Fatalf("the ledger grew from %d to %d entries", before, after)
		}
	})
}

// TestPropMoreRevenueNeverLower: for any schedule, a higher value never
// reaches a lower tier, and a close gives the affiliate with more revenue
// a tier at least as high.
func TestPropMoreRevenueNeverLower(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := genSchedule(t)
		a := rapid.Int64Range(-1_000_000_00, 1_000_000_00).Draw(t, "a")
		b := rapid.Int64Range(a, 1_000_000_00).Draw(t, "b")
		ta, err := s.Reach(tiers.Amount(affiliate.MustMoney(a, "EUR")))
		if err != nil {
			t.Fatal(err)
		}
		tb, err := s.Reach(tiers.Amount(affiliate.MustMoney(b, "EUR")))
		if err != nil {
			t.Fatal(err)
		}
		if rank(s, tb) < rank(s, ta) {
			t.Fatalf("%d reaches %s but more, %d, reaches %s", a, ta.Name, b, tb.Name)
		}

		w := newWorld(t, tiers.Config{Schedule: s, Policy: tiers.Retroactive})
		w.bind("ca", "low", "")
		w.bind("cb", "high", "")
		if a > 0 {
			must[[]affiliate.Entry](t)(w.pay(payment("pa", "ca", day(time.January, 2), affiliate.MustMoney(a, "EUR"))))
		}
		if b > 0 {
			must[[]affiliate.Entry](t)(w.pay(payment("pb", "cb", day(time.January, 2), affiliate.MustMoney(b, "EUR"))))
		}
		w.close(time.January, 0)
		dl := must[tiers.Decision](t)(w.prog.Decide(w.ctx, "low", jan))
		dh := must[tiers.Decision](t)(w.prog.Decide(w.ctx, "high", jan))
		if rank(s, dh.Tier) < rank(s, dl.Tier) {
			t.Fatalf("close: %s at %s, but %s at %s", dl.Tier.Name, dl.Value, dh.Tier.Name, dh.Value)
		}
	})
}

// TestPropTierReadsBefore: what TierReadsBefore claims holds. After a
// history (payments, refunds, closes), the tier TierAt gives each
// affiliate at a probe payment is the same at another payment of the
// probe's month, and stays the same after more payments and refunds
// dated in that month or later. Under Immediate, and for a payment TierAt
// refuses, the program claims nothing.
func TestPropTierReadsBefore(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		h, policy, loc, w := genZonedWorld(t)
		month := time.Month(rapid.IntRange(1, 3).Draw(t, "probe month"))
		probe := payment("probe", "c0", day(month, rapid.IntRange(1, 28).Draw(t, "probe day")), eur("100"))

		if _, ok := w.prog.TierReadsBefore(payment("usd", "c0", probe.PaidAt, affiliate.MustParseMoney("100", "USD"))); ok {
			t.Fatalf("a payment without the conversion TierAt needs is claimed bounded")
		}
		before, ok := w.prog.TierReadsBefore(probe)
		if policy == tiers.Immediate {
			if ok {
				t.Fatalf("Immediate claims to read only before %s", before)
			}
			return
		}
		if !ok || before != affiliate.PeriodOf(probe.PaidAt, loc) {
			t.Fatalf("TierReadsBefore = %s, %v; want the probe's month", before, ok)
		}
		// Another payment of the probe's month in loc: day(m, 1) at noon
		// UTC is still the month before in UTC-13.
		span := int64(before.End().Sub(before.Start()))
		other := payment("other", "c0", before.Start().Add(time.Duration(rapid.Int64Range(0, span-1).Draw(t, "other offset"))),
			affiliate.MustMoney(rapid.Int64Range(1, 2_000_000).Draw(t, "other minor"), "EUR"))
		tierOf := func(p affiliate.Payment) map[affiliate.AffiliateID]string {
			out := map[affiliate.AffiliateID]string{}
			for _, a := range []affiliate.AffiliateID{"a0", "a1", "a2"} {
				out[a] = must[rules.Tier](t)(w.prog.TierAt(w.ctx, a, p)).Name
			}
			return out
		}
		want := tierOf(probe)
		if got := tierOf(other); !maps.Equal(got, want) {
			t.Fatalf("tiers at two payments of %s: %v and %v", before, want, got)
		}
		for i := range rapid.IntRange(1, 6).Draw(t, "later payments") {
			c := affiliate.CustomerID(fmt.Sprintf("c%d", rapid.IntRange(0, len(h.binding)-1).Draw(t, "later customer")))
			at := before.Start().AddDate(0, 0, rapid.IntRange(0, 60).Draw(t, "days after"))
			p := payment(fmt.Sprintf("later%d", i), c, at, affiliate.MustMoney(rapid.Int64Range(1, 2_000_000).Draw(t, "later minor"), "EUR"))
			must[[]affiliate.Entry](t)(w.pay(p))
			if rapid.Bool().Draw(t, "refunded") {
				must[[]affiliate.Entry](t)(w.refund(fmt.Sprintf("later%d-r", i), p.ID, at.Add(time.Hour), affiliate.Money{}))
			}
		}
		if got := tierOf(probe); !maps.Equal(got, want) {
			t.Fatalf("tiers at the probe went from %v to %v by payments from %s on", want, got, before)
		}
	})
}

// TestPropTiersAtIsTierAt: after any history, under each policy and in
// UTC or a zone 13 hours behind, TiersAt gives each affiliate asked (in
// any order, repeated, or never bound) what TierAt gives it, at a payment
// of any month, closed or not, with or without kept months; and it
// refuses what TierAt refuses.
func TestPropTiersAtIsTierAt(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		_, _, _, w := genZonedWorld(t)
		probe := payment("probe", "c0", day(time.Month(rapid.IntRange(1, 4).Draw(t, "probe month")), rapid.IntRange(1, 28).Draw(t, "probe day")), eur("100"))
		as := rapid.SliceOfN(rapid.SampledFrom([]affiliate.AffiliateID{"a0", "a1", "a2", "never"}), 0, 6).Draw(t, "affiliates")
		got, err := w.prog.TiersAt(w.ctx, as, probe)
		if err != nil || len(got) != len(as) {
			t.Fatalf("TiersAt(%v) = %v, %v", as, got, err)
		}
		for i, a := range as {
			if want := must[rules.Tier](t)(w.prog.TierAt(w.ctx, a, probe)); got[i] != want {
				t.Fatalf("TiersAt gives %s %+v, TierAt %+v", a, got[i], want)
			}
		}
		usd := payment("usd", "c0", probe.PaidAt, affiliate.MustParseMoney("100", "USD"))
		if _, err := w.prog.TiersAt(w.ctx, []affiliate.AffiliateID{"a0"}, usd); !errors.Is(err, tiers.ErrMissingConversion) {
			t.Fatalf("TiersAt of a payment without its conversion = %v, want ErrMissingConversion", err)
		}
		if _, err := w.prog.TiersAt(w.ctx, []affiliate.AffiliateID{"a0", ""}, probe); !errors.Is(err, affiliate.ErrInvalid) {
			t.Fatalf("TiersAt of an empty affiliate ID = %v, want ErrInvalid", err)
		}
	})
}

// genZonedWorld plays a generated history on a world of any policy, in
// UTC or in a zone where day(m, 1) is still the month before.
func genZonedWorld(t *rapid.T) (history, tiers.Policy, *time.Location, *world) {
	h := genHistory(t)
	policy := rapid.SampledFrom([]tiers.Policy{tiers.NextPeriod, tiers.Retroactive, tiers.Immediate}).Draw(t, "policy")
	loc := rapid.SampledFrom([]*time.Location{time.UTC, time.FixedZone("UTC-13", -13*3600)}).Draw(t, "location")
	w := newWorld(t, tiers.Config{Policy: policy, KeepFor: h.keepFor, Location: loc})
	h.run(t, w)
	return h, policy, loc, w
}

// FuzzSchedule feeds generated schedules and values to NewSchedule and
// Reach: a schedule is refused with ErrSchedule or reaches monotonically.
func FuzzSchedule(f *testing.F) {
	f.Fuzz(rapid.MakeFuzz(func(t *rapid.T) {
		n := rapid.IntRange(0, 4).Draw(t, "n")
		var ts []tiers.Tier
		for i := range n {
			ts = append(ts, tiers.Tier{
				Name:      rapid.SampledFrom([]string{"A", "B", "C", ""}).Draw(t, "name") + fmt.Sprint(i),
				Threshold: tiers.Amount(affiliate.MustMoney(rapid.Int64Range(-10, 1000).Draw(t, "th"), "EUR")),
				Rate:      affiliate.MustRate(rapid.SampledFrom([]string{"0", "0.15", "1", "1.5"}).Draw(t, "rate")),
			})
		}
		s, err := tiers.NewSchedule(ts...)
		if err != nil {
			if !errors.Is(err, tiers.ErrSchedule) {
				t.Fatalf("refused with %v, not ErrSchedule", err)
			}
			return
		}
		prev := -1
		for v := int64(-20); v <= 1010; v += 7 {
			tr, err := s.Reach(tiers.Amount(affiliate.MustMoney(v, "EUR")))
			if err != nil || rank(s, tr) < prev {
				t.Fatalf("Reach(%d) = %s, %v after rank %d", v, tr.Name, err, prev)
			}
			prev = rank(s, tr)
		}
	}))
}

func genSchedule(t *rapid.T) tiers.Schedule {
	n := rapid.IntRange(1, 4).Draw(t, "tiers")
	ts := []tiers.Tier{{Name: "T0", Rate: affiliate.MustPercent("10")}}
	th := int64(0)
	for i := 1; i < n; i++ {
		th += rapid.Int64Range(1, 2_000_000).Draw(t, "step")
		ts = append(ts, tiers.Tier{Name: fmt.Sprintf("T%d", i), Threshold: tiers.Amount(affiliate.MustMoney(th, "EUR")), Rate: affiliate.MustPercent(fmt.Sprint(10 + i))})
	}
	return tiers.MustSchedule(ts...)
}

func rank(s tiers.Schedule, t tiers.Tier) int {
	for i, x := range s.Tiers() {
		if x.Name == t.Name {
			return i
		}
	}
	return -1
}

// refundedOf sums what the logged refunds of a payment took back.
func refundedOf(t *rapid.T, w *world, id affiliate.EventID, total int64) int64 {
	recs, err := w.store.Events(w.ctx, storage.EventQuery{Payment: id})
	if err != nil {
		t.Fatal(err)
	}
	sum := int64(0)
	for _, r := range recs {
		if r.Refund == nil {
			continue
		}
		if r.Refund.Full {
			return total
		}
		sum += r.Refund.Amount.Minor()
	}
	return min(sum, total)
}
