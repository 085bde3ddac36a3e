package attribution_test

import (
	"errors"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
)

// Every ?ref= request used to store a touch. Repeats from one visitor for
// one affiliate within Config.TouchDedupe store one row now, and return
// the stored touch.
func TestTouchDedupe(t *testing.T) {
	cases := []struct {
		name   string
		dedupe time.Duration
		clicks []click
		rows   int
	}{
		{"a reload within the default 30 minutes", 0, []click{{"v1", "ann", "", 0}, {"v1", "ann", "", 29 * time.Minute}}, 1},
		{"a hundred reloads in a second", 0, hundred(), 1},
		{"again after 30 minutes", 0, []click{{"v1", "ann", "", 0}, {"v1", "ann", "", 30 * time.Minute}}, 2},
		{"another affiliate", 0, []click{{"v1", "ann", "", 0}, {"v1", "bob", "", time.Minute}}, 2},
		{"another visitor", 0, []click{{"v1", "ann", "", 0}, {"v2", "ann", "", time.Minute}}, 2},
		{"a typed code after a click", 0, []click{{"v1", "ann", "", 0}, {"v1", "ann", affiliate.TouchCode, time.Minute}}, 2},
		{"an earlier click arriving late", 0, []click{{"v1", "ann", "", time.Minute}, {"v1", "ann", "", 0}}, 2},
		{"a configured interval of a day", 24 * time.Hour, []click{{"v1", "ann", "", 0}, {"v1", "ann", "", 23 * time.Hour}}, 1},
		{"dedupe off", -1, []click{{"v1", "ann", "", 0}, {"v1", "ann", "", 0}, {"v1", "ann", "", time.Second}}, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, func(c *attribution.Config) { c.TouchDedupe = tc.dedupe })
			var first affiliate.Touch
			for i, c := range tc.clicks {
				got, err := f.t.RecordTouch(ctx, attribution.TouchInput{Visitor: c.visitor, Code: c.code, Source: c.source, At: t0.Add(c.after)})
				if err != nil {
					t.Fatal(err)
				}
				if i == 0 {
					first = got
				} else if tc.rows == 1 && got != first {
					t.Errorf("click %d returned %+v, want the stored %+v", i, got, first)
				}
			}
			if n := f.store.writes.Load(); n != int64(tc.rows) {
				t.Errorf("%d touches stored, want %d", n, tc.rows)
			}
			if n := len(f.obs.events); n != tc.rows {
				t.Errorf("observer heard %d touches, want %d", n, tc.rows)
			}
		})
	}
}

// click is one RecordTouch, after t0.
type click struct {
	visitor affiliate.VisitorID
	code    string
	source  affiliate.TouchSource
	after   time.Duration
}

// hundred is a hundred reloads of one link within a second.
func hundred() []click {
	cs := make([]click, 100)
	for i := range cs {
		cs[i] = click{"v1", "ann", "", time.Duration(i) * 10 * time.Millisecond}
	}
	return cs
}

func TestTouchDedupeRefusesTooLong(t *testing.T) {
	_, err := attribution.New(attribution.Config{Store: newFixture(t).store, TouchDedupe: 100 * 365 * 24 * time.Hour})
	var fe *affiliate.FieldError
	if !errors.As(err, &fe) || fe.Field != "Config.TouchDedupe" {
		t.Fatalf("New = %v; want a *FieldError for Config.TouchDedupe", err)
	}
}
