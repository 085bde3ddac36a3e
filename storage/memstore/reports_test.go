package memstore

import (
	"context"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// TestReportHooks feeds the report timelines the way the attribution code
// does once it calls reportTouch and reportBinding, and the way it does
// without them: the counts are the same either way.
func TestReportHooks(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)
	s := New()
	hooked := affiliate.Touch{ID: "t1", Visitor: "v1", Affiliate: "ann", Source: affiliate.TouchLink, At: at}
	if err := s.AddTouch(ctx, hooked); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	if s.payouts.report.touchesSeen < len(s.attribution.touches) {
		s.reportTouch(hooked) // what AddTouch does once wired
	}
	s.mu.Unlock()
	b := affiliate.Binding{Customer: "c1", Affiliate: "ann", Source: affiliate.BindByLink, BoundAt: at}
	if _, err := s.Bind(ctx, b); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	if s.payouts.report.bindingsSeen < len(s.bindings.byCustomer) {
		s.reportBinding(b) // what bindingAdded does once wired
	}
	s.mu.Unlock()
	check := func(want storage.Activity) {
		t.Helper()
		got, err := s.Activity(ctx, "ann", at, at.Add(time.Hour))
		if err != nil || got != want {
			t.Fatalf("Activity = %+v, %v; want %+v", got, err, want)
		}
	}
	check(storage.Activity{Clicks: 1, Signups: 1})

	// Stored without the hooks: the next read rebuilds the timelines.
	if err := s.AddTouch(ctx, affiliate.Touch{ID: "t2", Visitor: "v2", Affiliate: "ann", Source: affiliate.TouchCode, At: at.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Bind(ctx, affiliate.Binding{Customer: "c2", Affiliate: "ann", Source: affiliate.BindByCode, BoundAt: at.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	check(storage.Activity{Clicks: 2, Signups: 2})
}

func TestDayOf(t *testing.T) {
	for _, tt := range []struct {
		t    time.Time
		want int64
	}{
		{time.Unix(0, 0), 0},
		{time.Unix(86399, 999), 0},
		{time.Unix(86400, 0), 1},
		{time.Unix(-1, 0), -1},
		{time.Unix(-86400, 0), -1},
		{time.Unix(-86401, 0), -2},
	} {
		if got := dayOf(tt.t); got != tt.want {
			t.Errorf("dayOf(%v) = %d, want %d", tt.t.UTC(), got, tt.want)
		}
	}
}
