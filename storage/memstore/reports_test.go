package memstore

import (
	"context"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// TestReportHooks checks that stored touches and bindings reach the
// report timelines as clicks and signups.
func TestReportHooks(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)
	s := New()
	for i, src := range []affiliate.TouchSource{affiliate.TouchLink, affiliate.TouchCode} {
		id := affiliate.TouchID("t" + string(rune('1'+i)))
		if err := s.AddTouch(ctx, affiliate.Touch{ID: id, Visitor: "v1", Affiliate: "ann", Source: src, At: at.Add(time.Duration(i) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Bind(ctx, affiliate.Binding{Customer: "c1", Affiliate: "ann", Source: affiliate.BindByLink, BoundAt: at}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		who  affiliate.AffiliateID
		from time.Time
		want storage.Activity
	}{
		{"ann", at, storage.Activity{Clicks: 2, Signups: 1}},
		{"", at, storage.Activity{Clicks: 2, Signups: 1}},
		{"ann", at.Add(time.Second), storage.Activity{Clicks: 1}},
		{"bob", at, storage.Activity{}},
	} {
		got, err := s.Activity(ctx, tc.who, tc.from, at.Add(time.Hour))
		if err != nil || got != tc.want {
			t.Errorf("Activity(%q, from %v) = %+v, %v; want %+v", tc.who, tc.from.Format(time.Kitchen), got, err, tc.want)
		}
	}
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

// A timeline counts what a plain list would, whatever order its instants
// arrive in: mostly in order, with some late and some repeated.
func TestTimelineCounts(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var tl timeline
		var all []int64
		last := int64(0)
		for range rapid.IntRange(0, 60).Draw(t, "n") {
			v := last + rapid.Int64Range(-5, 3).Draw(t, "step")
			last = max(last, v)
			tl.add(time.Unix(0, v))
			all = append(all, v)
		}
		from := rapid.Int64Range(-10, last+2).Draw(t, "from")
		to := rapid.Int64Range(from, last+3).Draw(t, "to")
		want := int64(0)
		for _, v := range all {
			if from <= v && v < to {
				want++
			}
		}
		if got := tl.count(time.Unix(0, from), time.Unix(0, to)); got != want {
			t.Fatalf("count [%d, %d) = %d, want %d (instants %v, timeline %v)", from, to, got, want, all, tl)
		}
	})
}
