package tiers_test

import (
	"errors"
	"testing"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
	"github.com/openaffiliate/affiliate/tiers"
)

func TestNewSchedule(t *testing.T) {
	pct := affiliate.MustPercent
	gold := tiers.Tier{Name: "Gold", Threshold: tiers.Amount(eur("50000")), Rate: pct("25"), BonusRate: pct("5")}
	tests := []struct {
		name  string
		tiers []tiers.Tier
		want  error // nil: valid
		index int
	}{
		{"seed 000", []tiers.Tier{standard, premium}, nil, 0},
		{"one tier", []tiers.Tier{standard}, nil, 0},
		{"three tiers", []tiers.Tier{standard, premium, gold}, nil, 0},
		{"count thresholds", []tiers.Tier{standard, {Name: "Premium", Threshold: tiers.Count(5), Rate: pct("20"), BonusRate: pct("5")}}, nil, 0},
		{"rates of 1", []tiers.Tier{{Name: "All", Rate: pct("100"), BonusRate: pct("100")}}, nil, 0},
		{"no rates at all", []tiers.Tier{{Name: "Zero"}, {Name: "Still", Threshold: tiers.Count(1)}}, nil, 0},
		// A zero rate accrues nothing, so its payments have no entry for a
		// later decision to re-price (a rate rounding to zero does:
		// TestZeroAccrual).
		{"a 0% floor under a paying tier", []tiers.Tier{{Name: "Zero", BonusRate: pct("5")}, {Name: "All", Threshold: tiers.Count(1), Rate: pct("100"), BonusRate: pct("5")}}, tiers.ErrZeroRate, 0},
		{"a tier without the bonus the others pay", []tiers.Tier{standard, {Name: "Premium", Threshold: tiers.Count(5), Rate: pct("20")}}, tiers.ErrZeroRate, 1},
		{"empty", nil, tiers.ErrEmptySchedule, -1},
		{"unsorted", []tiers.Tier{standard, gold, premium}, tiers.ErrThresholdOrder, 2},
		{"overlapping", []tiers.Tier{standard, premium, {Name: "Twin", Threshold: premium.Threshold, Rate: pct("21")}}, tiers.ErrThresholdOrder, 2},
		{"second at zero", []tiers.Tier{standard, {Name: "Premium", Threshold: tiers.Amount(eur("0")), Rate: pct("20")}}, tiers.ErrThresholdOrder, 1},
		{"first not zero", []tiers.Tier{premium, gold}, tiers.ErrThresholdOrder, 0},
		{"rate above 1", []tiers.Tier{{Name: "Standard", Rate: affiliate.MustRate("1.01")}}, tiers.ErrRateRange, 0},
		{"bonus rate above 1", []tiers.Tier{standard, {Name: "Premium", Threshold: premium.Threshold, BonusRate: pct("150")}}, tiers.ErrRateRange, 1},
		{"no name", []tiers.Tier{{Rate: pct("15")}}, tiers.ErrSchedule, 0},
		{"repeated name", []tiers.Tier{standard, {Name: "Standard", Threshold: premium.Threshold}}, tiers.ErrSchedule, 1},
		{"two currencies", []tiers.Tier{standard, premium, {Name: "Gold", Threshold: tiers.Amount(affiliate.MustParseMoney("60000", "USD"))}}, tiers.ErrSchedule, 2},
		{"amount then count", []tiers.Tier{standard, premium, {Name: "Gold", Threshold: tiers.Count(50)}}, tiers.ErrSchedule, 2},
		{"negative count", []tiers.Tier{{Name: "Standard", Threshold: tiers.Count(-1)}}, tiers.ErrSchedule, 0},
		{"amount and count", []tiers.Tier{standard, {Name: "Premium", Threshold: tiers.Value{Amount: eur("1"), Count: 1}}}, tiers.ErrSchedule, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := tiers.NewSchedule(tt.tiers...)
			if tt.want == nil {
				if err != nil || s.Len() != len(tt.tiers) {
					t.Fatalf("NewSchedule: %v", err)
				}
				return
			}
			var se *tiers.ScheduleError
			if !errors.Is(err, tt.want) || !errors.Is(err, tiers.ErrSchedule) || !errors.Is(err, affiliate.ErrInvalid) || !errors.As(err, &se) || se.Index != tt.index {
				t.Fatalf("NewSchedule: %v (%#v), want %v at tier %d", err, se, tt.want, tt.index)
			}
			if s.Len() != 0 {
				t.Errorf("a refused schedule has %d tiers", s.Len())
			}
		})
	}
}

func TestReach(t *testing.T) {
	s := tiers.MustSchedule(standard, premium)
	for _, tt := range []struct {
		value string
		tier  string
	}{
		{"-500.00", "Standard"}, // a month of refunds stays in the floor
		{"0.00", "Standard"},
		{"9999.99", "Standard"},
		{"10000.00", "Premium"},
		{"10000.01", "Premium"},
		{"92233720368547758.07", "Premium"},
	} {
		got, err := s.Reach(tiers.Amount(eur(tt.value)))
		if err != nil || got.Name != tt.tier {
			t.Errorf("Reach(%s) = %s, %v; want %s", tt.value, got.Name, err, tt.tier)
		}
	}
	if _, err := s.Reach(tiers.Amount(affiliate.MustParseMoney("10000", "USD"))); !errors.Is(err, affiliate.ErrCurrencyMismatch) {
		t.Errorf("Reach in USD: %v", err)
	}
	if _, err := s.Reach(tiers.Count(3)); !errors.Is(err, affiliate.ErrInvalid) {
		t.Errorf("Reach of a count against amounts: %v", err)
	}
	if _, err := (tiers.Schedule{}).Reach(tiers.Count(3)); !errors.Is(err, tiers.ErrEmptySchedule) {
		t.Errorf("Reach on the zero Schedule: %v", err)
	}
	if tr, ok := s.Lookup("Premium"); !ok || tr.Rule().Rate.String() != "0.2" {
		t.Errorf("Lookup(Premium) = %+v, %v", tr, ok)
	}
	// Tiers returns a copy.
	s.Tiers()[0].Name = "Changed"
	if s.Lowest().Name != "Standard" {
		t.Error("Tiers shares the schedule's slice")
	}
}

func TestNewConfig(t *testing.T) {
	st := memstore.New()
	counts := tiers.MustSchedule(standard, tiers.Tier{Name: "Premium", Threshold: tiers.Count(3), Rate: affiliate.MustPercent("20"), BonusRate: affiliate.MustPercent("5")})
	tests := []struct {
		name string
		cfg  tiers.Config
		want error // nil: valid
	}{
		{"seed 000", tiers.Config{Store: st, Schedule: seed000, Currency: "EUR"}, nil},
		{"immediate", tiers.Config{Store: st, Schedule: seed000, Currency: "EUR", Policy: tiers.Immediate}, nil},
		{"count metric", tiers.Config{Store: st, Schedule: counts, Metric: tiers.ActiveCustomers}, nil},
		{"one tier, any metric", tiers.Config{Store: st, Schedule: tiers.MustSchedule(standard), Metric: tiers.NewCustomers}, nil},
		{"no store", tiers.Config{Schedule: seed000, Currency: "EUR"}, affiliate.ErrInvalid},
		{"no schedule", tiers.Config{Store: st, Currency: "EUR"}, tiers.ErrEmptySchedule},
		{"revenue without currency", tiers.Config{Store: st, Schedule: seed000}, affiliate.ErrUnknownCurrency},
		{"thresholds in another currency", tiers.Config{Store: st, Schedule: seed000, Currency: "USD"}, affiliate.ErrInvalid},
		{"count metric, amount thresholds", tiers.Config{Store: st, Schedule: seed000, Metric: tiers.NewCustomers}, affiliate.ErrInvalid},
		{"revenue, count thresholds", tiers.Config{Store: st, Schedule: counts, Currency: "EUR"}, affiliate.ErrInvalid},
		{"bad metric", tiers.Config{Store: st, Schedule: seed000, Currency: "EUR", Metric: 7}, affiliate.ErrInvalid},
		{"bad policy", tiers.Config{Store: st, Schedule: seed000, Currency: "EUR", Policy: 7}, affiliate.ErrInvalid},
		{"negative KeepFor", tiers.Config{Store: st, Schedule: seed000, Currency: "EUR", KeepFor: -1}, affiliate.ErrInvalid},
		{"KeepFor too long", tiers.Config{Store: st, Schedule: seed000, Currency: "EUR", KeepFor: tiers.MaxKeepFor + 1}, affiliate.ErrInvalid},
		{"program name with a newline", tiers.Config{Store: st, Schedule: seed000, Currency: "EUR", Program: "a\nb"}, affiliate.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := tiers.New(tt.cfg)
			if tt.want == nil {
				if err != nil || p == nil {
					t.Fatalf("New: %v", err)
				}
				return
			}
			if !errors.Is(err, tt.want) || p != nil {
				t.Fatalf("New: %v, want %v", err, tt.want)
			}
		})
	}
	var _ storage.TierCloses = st
}
