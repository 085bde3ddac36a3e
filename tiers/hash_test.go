package tiers

import (
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// TestHashCommitStreamsTheCanonicalForm checks that the streamed hash is
// affiliate.Hash of the whole closeKey, for no snapshots (null), an empty
// list, and many, and that both refuse the same payloads.
func TestHashCommitStreamsTheCanonicalForm(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		loc := rapid.SampledFrom([]*time.Location{time.UTC, time.FixedZone("X", 3600)}).Draw(t, "loc")
		period := affiliate.PeriodOf(time.Date(rapid.IntRange(2000, 2030).Draw(t, "year"), time.Month(rapid.IntRange(1, 12).Draw(t, "month")), 1, 0, 0, 0, 0, loc), loc)
		text := rapid.OneOf(rapid.String(), rapid.SampledFrom([]string{"", "Premium", "é\"\\\n", "\xff"}))
		var snaps []affiliate.TierSnapshot
		switch rapid.IntRange(0, 2).Draw(t, "shape") {
		case 1:
			snaps = []affiliate.TierSnapshot{}
		case 2:
			for i := range rapid.IntRange(1, 20).Draw(t, "snapshots") {
				s := affiliate.TierSnapshot{
					Program:   text.Draw(t, "program"),
					Period:    period,
					Revision:  rapid.Int64().Draw(t, "revision"),
					Affiliate: affiliate.AffiliateID(text.Draw(t, "affiliate")),
					Metric:    affiliate.MetricRevenue,
					Count:     rapid.Int64().Draw(t, "count"),
					Reached:   text.Draw(t, "reached"),
					Tier:      text.Draw(t, "tier"),
					Applied:   text.Draw(t, "applied"),
				}
				if i%2 == 0 {
					s.Amount = affiliate.MustMoney(rapid.Int64Range(-1e12, 1e12).Draw(t, "minor"), "EUR")
					s.HeldFrom = period.Prev()
				}
				snaps = append(snaps, s)
			}
		}
		c := storage.TierCloseCommit{
			Close:     affiliate.TierClose{Program: text.Draw(t, "close program"), Period: period, Revision: rapid.Int64().Draw(t, "close revision"), AsOf: time.Unix(1, 0)},
			Snapshots: snaps,
		}
		got, gotErr := hashCommit(c)
		want, wantErr := affiliate.Hash(closeKey{c.Close.Program, c.Close.Period, c.Close.Revision, c.Snapshots})
		if got != want || (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("hashCommit = %q, %v; affiliate.Hash = %q, %v", got, gotErr, want, wantErr)
		}
	})
}
