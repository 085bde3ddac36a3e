package affiliate_test

import (
	"errors"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
)

// Whatever passes the limits stays storable: the latest event plus the
// longest duration is still a time every store keeps.
func TestLimitsFitTheStores(t *testing.T) {
	if last := affiliate.MaxEventTime.Add(affiliate.MaxDuration); !last.Before(affiliate.MaxStoredTime) {
		t.Errorf("MaxEventTime + MaxDuration = %v, after MaxStoredTime %v", last, affiliate.MaxStoredTime)
	}
	if first := affiliate.MinEventTime.Add(-affiliate.MaxDuration); !first.After(affiliate.MinStoredTime) {
		t.Errorf("MinEventTime - MaxDuration = %v, before MinStoredTime %v", first, affiliate.MinStoredTime)
	}
}

func TestCheckLimits(t *testing.T) {
	day := 24 * time.Hour
	cases := []struct {
		name string
		err  error
		ok   bool
	}{
		{"a 30-day hold", affiliate.CheckDuration("Hold", 30*day), true},
		{"no hold", affiliate.CheckDuration("Hold", 0), true},
		{"the longest hold", affiliate.CheckDuration("Hold", affiliate.MaxDuration), true},
		{"a negative hold", affiliate.CheckDuration("Hold", -time.Nanosecond), false},
		{"a hold of 2562047h", affiliate.CheckDuration("Hold", 2562047*time.Hour), false},
		{"a hold a nanosecond too long", affiliate.CheckDuration("Hold", affiliate.MaxDuration+1), false},
		{"an event in 2026", affiliate.CheckEventTime("At", time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)), true},
		{"the first event time", affiliate.CheckEventTime("At", affiliate.MinEventTime), true},
		{"a zero time", affiliate.CheckEventTime("At", time.Time{}), false},
		{"an event in 1899", affiliate.CheckEventTime("At", affiliate.MinEventTime.Add(-1)), false},
		{"an event in 2200", affiliate.CheckEventTime("At", affiliate.MaxEventTime), false},
		{"an event in 2262", affiliate.CheckEventTime("At", affiliate.MaxStoredTime), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var fe *affiliate.FieldError
			switch {
			case tc.ok && tc.err != nil:
				t.Errorf("err = %v, want nil", tc.err)
			case !tc.ok && (!errors.As(tc.err, &fe) || !errors.Is(tc.err, affiliate.ErrInvalid)):
				t.Errorf("err = %v, want a *FieldError matching ErrInvalid", tc.err)
			}
		})
	}
}
