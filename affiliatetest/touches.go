package affiliatetest

import (
	"fmt"
	"slices"
	"time"

	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
)

// TouchOptions shape the touch sequences Touches draws. The zero value
// draws up to ten touches by up to five visitors over 120 days from Epoch.
type TouchOptions struct {
	// Visitors is the largest number of distinct visitors; zero means 5.
	Visitors int
	// MaxTouches is the largest number of touches; zero means 10.
	MaxTouches int
	// Start is the earliest touch; zero means Epoch.
	Start time.Time
	// Span is how long after Start touches may come; zero means 120 days,
	// longer than the usual 90-day window, so touches that fell out of the
	// window are drawn too.
	Span time.Duration
}

// Touches draws a sequence of touches on the affiliates in affs: visitors
// "vis_01", "vis_02"… clicking a referral link or typing a code (the
// affiliate's own codes, normalised), at whole seconds, ordered by time,
// then ID. Touch IDs are "tch_0001", "tch_0002"… in that order. affs must
// not be empty; its suspended affiliates are drawn too, so properties can
// check that they are never bound.
func Touches(affs []affiliate.Affiliate, o TouchOptions) *rapid.Generator[[]affiliate.Touch] {
	if len(affs) == 0 {
		panic("affiliatetest.Touches: no affiliates")
	}
	visitors := cmpOr(o.Visitors, 5)
	maxTouches := cmpOr(o.MaxTouches, 10)
	start := o.Start
	if start.IsZero() {
		start = Epoch
	}
	span := o.Span
	if span <= 0 {
		span = 120 * 24 * time.Hour
	}
	return rapid.Custom(func(t *rapid.T) []affiliate.Touch {
		n := rapid.IntRange(1, maxTouches).Draw(t, "touches")
		out := make([]affiliate.Touch, n)
		for i := range out {
			a := rapid.SampledFrom(affs).Draw(t, "affiliate")
			tc := affiliate.Touch{
				Visitor:   affiliate.VisitorID(fmt.Sprintf("vis_%02d", rapid.IntRange(1, visitors).Draw(t, "visitor"))),
				Affiliate: a.ID,
				Source:    affiliate.TouchLink,
				At:        start.Add(time.Duration(rapid.Int64Range(0, int64(span/time.Second)).Draw(t, "at")) * time.Second),
			}
			if len(a.Codes) > 0 {
				tc.Code = affiliate.NormalizeCode(rapid.SampledFrom(a.Codes).Draw(t, "code"))
			}
			if rapid.IntRange(0, 3).Draw(t, "typed code") == 0 {
				tc.Source = affiliate.TouchCode
			} else {
				tc.LandingURL = "https://example.com/pricing?ref=" + tc.Code
			}
			out[i] = tc
		}
		slices.SortStableFunc(out, func(a, b affiliate.Touch) int { return a.At.Compare(b.At) })
		for i := range out {
			out[i].ID = affiliate.TouchID(fmt.Sprintf("tch_%04d", i+1))
		}
		return out
	})
}

func cmpOr(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}
