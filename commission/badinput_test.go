package commission_test

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
)

// snapshot is everything the engine could have written.
type snapshot struct {
	entries    []affiliate.Entry
	events     map[string][]affiliate.EventRecord
	states     map[string]storage.CustomerState
	aggregates map[string][]storage.Aggregate
}

func (f *fixture) snapshot(customers ...string) snapshot {
	f.t.Helper()
	s := snapshot{events: map[string][]affiliate.EventRecord{}, states: map[string]storage.CustomerState{}, aggregates: map[string][]storage.Aggregate{}}
	var err error
	if s.entries, err = f.store.Entries(f.ctx, storage.EntryQuery{}); err != nil {
		f.t.Fatal(err)
	}
	for _, c := range customers {
		if s.events[c], err = f.store.Events(f.ctx, storage.EventQuery{Customer: affiliate.CustomerID(c)}); err != nil {
			f.t.Fatal(err)
		}
		if s.states[c], err = f.store.CustomerState(f.ctx, affiliate.CustomerID(c)); err != nil {
			f.t.Fatal(err)
		}
	}
	for _, m := range []affiliate.Metric{affiliate.MetricRevenue, affiliate.MetricRevenueConverted, affiliate.MetricConversions, affiliate.MetricPayingCustomers, affiliate.MetricEarnings} {
		for _, p := range []string{"2026-01", "2026-02", "2026-03"} {
			if s.aggregates[p+string(m)], err = f.store.PeriodAggregates(f.ctx, per(p), m); err != nil {
				f.t.Fatal(err)
			}
		}
	}
	return s
}

// wrongCurrency is a rule that pays in a currency other than the payment's.
var wrongCurrency = rules.RuleFunc(func(f rules.Facts) ([]rules.Accrual, error) {
	return []rules.Accrual{{Beneficiary: f.Chain[0].ID, Kind: affiliate.KindCommission, Amount: affiliate.MustParseMoney("1", "JPY"), Rule: "bad"}}, nil
})

func TestBadInputStoresNothing(t *testing.T) {
	const eur = affiliate.Currency("EUR")
	good := pay("p1", "c1", jan15, eur, line(affiliate.LineSubscription, "100", eur))
	setup := func(t *testing.T, r rules.Rule) *fixture {
		f := newFixture(t, commission.Config{Terms: terms(r), Currency: eur, RequireConversion: true}, aff("a1", ""), aff("a2", ""))
		f.bind("c1", "a1", jan15)
		f.bind("c2", "a2", jan15)
		f.record(good)
		f.record(refund("r0", "p1", "c1", jan15.Add(time.Hour), "30", eur))
		f.record(pay("q1", "c2", jan15, eur, line(affiliate.LineSubscription, "10", eur)))
		return f
	}
	percent := rules.Percent{Rate: affiliate.MustPercent("30")}
	negative := good
	negative.ID = "neg"
	negative.Lines = []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustParseMoney("-5", "EUR")}}
	zero := good
	zero.ID = "zero"
	zero.Lines = []affiliate.Line{line(affiliate.LineSubscription, "0", eur)}
	mixed := good
	mixed.ID = "mixed"
	mixed.Lines = []affiliate.Line{line(affiliate.LineSubscription, "10", eur), line(affiliate.LineAddOn, "10", "USD")}
	unknown := good
	unknown.ID = "unknown"
	unknown.Currency = "XXX"
	noID := good
	noID.ID = ""
	noTime := good
	noTime.ID = "notime"
	noTime.PaidAt = time.Time{}
	noConversion := pay("usd", "c1", month(1), "USD", line(affiliate.LineSubscription, "10", "USD"))
	changed := good
	changed.Lines = []affiliate.Line{line(affiliate.LineSubscription, "101", eur)}
	refundNoTime := refund("rx", "p1", "c1", time.Time{}, "1", eur)
	farFuture := good
	farFuture.ID = "y10k"
	farFuture.PaidAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)

	tests := []struct {
		name  string
		rule  rules.Rule
		ev    affiliate.Event
		is    error
		typed any // a pointer to the typed error errors.As must find
	}{
		{"negative payment line", percent, negative, affiliate.ErrInvalid, new(*affiliate.FieldError)},
		{"zero payment", percent, zero, affiliate.ErrInvalid, new(*affiliate.FieldError)},
		{"mixed currencies", percent, mixed, affiliate.ErrCurrencyMismatch, new(*affiliate.FieldError)},
		{"unknown currency", percent, unknown, affiliate.ErrUnknownCurrency, new(*affiliate.FieldError)},
		{"missing payment ID", percent, noID, affiliate.ErrInvalid, new(*affiliate.FieldError)},
		{"missing payment time", percent, noTime, affiliate.ErrInvalid, new(*affiliate.FieldError)},
		{"missing refund time", percent, refundNoTime, affiliate.ErrInvalid, new(*affiliate.FieldError)},
		{"payment after the year 9999", percent, farFuture, affiliate.ErrInvalid, new(*affiliate.FieldError)},
		{"refund after the year 9999", percent, refund("ry", "p1", "c1", farFuture.PaidAt, "1", eur), affiliate.ErrInvalid, new(*affiliate.FieldError)},
		{"missing refund ID", percent, refund("", "p1", "c1", month(1), "1", eur), affiliate.ErrInvalid, new(*affiliate.FieldError)},
		{"no conversion to the program currency", percent, noConversion, commission.ErrMissingConversion, new(*affiliate.FieldError)},
		{"refund larger than the payment", percent, refund("r1", "p1", "c1", month(1), "100.01", eur), commission.ErrRefundExceedsPayment, new(*commission.RefundError)},
		{"refund in another currency", percent, refund("r1", "p1", "c1", month(1), "10", "USD"), affiliate.ErrCurrencyMismatch, new(*commission.RefundError)},
		{"refund of another customer's payment", percent, refund("r1", "q1", "c1", month(1), "1", eur), commission.ErrRefundTarget, new(*commission.RefundError)},
		{"refund of a refund", percent, refund("r1", "r0", "c1", month(1), "1", eur), commission.ErrRefundTarget, new(*commission.RefundError)},
		{"same ID, other payload", percent, changed, affiliate.ErrIdempotencyMismatch, new(*affiliate.FieldError)},
		{"same ID as a refund", percent, refund("p1", "q1", "c1", month(1), "1", eur), affiliate.ErrIdempotencyMismatch, new(*affiliate.FieldError)},
		{"a rule paying in another currency", wrongCurrency, pay("p2", "c1", month(1), eur, line(affiliate.LineSubscription, "10", eur)), commission.ErrRule, new(*commission.RuleError)},
		{"a rule that fails", rules.RuleFunc(func(rules.Facts) ([]rules.Accrual, error) { return nil, errors.New("boom") }),
			pay("p2", "c1", month(1), eur, line(affiliate.LineSubscription, "10", eur)), commission.ErrRule, new(*commission.RuleError)},
		{"a nil event", percent, nil, affiliate.ErrInvalid, new(*affiliate.FieldError)},
		{"a nil *Payment", percent, (*affiliate.Payment)(nil), affiliate.ErrInvalid, new(*affiliate.FieldError)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rule := tt.rule
			var armed bool
			if _, isPercent := tt.rule.(rules.Percent); !isPercent {
				// The fixture records its own payments under a sane rule
				// first; the broken one takes over for the event under test.
				inner := tt.rule
				rule = rules.RuleFunc(func(f rules.Facts) ([]rules.Accrual, error) {
					if armed {
						return inner.Accrue(f)
					}
					return percent.Accrue(f)
				})
			}
			f := setup(t, rule)
			armed = true
			before := f.snapshot("c1", "c2")
			_, err := f.eng.Record(f.ctx, tt.ev)
			if !errors.Is(err, tt.is) {
				t.Fatalf("err = %v, want one matching %v", err, tt.is)
			}
			if !errors.As(err, tt.typed) {
				t.Fatalf("err = %T (%v), want %T", err, err, reflect.ValueOf(tt.typed).Elem().Interface())
			}
			// A host that treats ErrInvalid as "do not retry" must be
			// right to: every bad input matches it, none is retryable.
			if !errors.Is(err, affiliate.ErrInvalid) || errors.Is(err, affiliate.ErrRetryable) {
				t.Fatalf("err = %v: bad input must match ErrInvalid and not ErrRetryable", err)
			}
			if after := f.snapshot("c1", "c2"); !reflect.DeepEqual(before, after) {
				t.Fatalf("the store changed:\nbefore %s\nafter  %s", fmt.Sprint(before), fmt.Sprint(after))
			}
		})
	}
}

func TestRefundErrorSaysWhatRemained(t *testing.T) {
	f := newFixture(t, commission.Config{Terms: terms(rules.Percent{Rate: affiliate.MustPercent("30")})}, aff("a1", ""))
	f.bind("c1", "a1", jan15)
	f.record(pay("p1", "c1", jan15, "EUR", line(affiliate.LineSubscription, "100", "EUR")))
	f.record(refund("r1", "p1", "c1", month(1), "60", "EUR"))
	_, err := f.eng.Record(f.ctx, refund("r2", "p1", "c1", month(1), "100.01", "EUR"))
	var re *commission.RefundError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v, want a *RefundError", err)
	}
	if re.Remaining.String() != "40.00 EUR" || re.Requested.String() != "100.01 EUR" || re.Payment != "p1" || re.Refund != "r2" {
		t.Fatalf("RefundError = %+v", re)
	}
}
