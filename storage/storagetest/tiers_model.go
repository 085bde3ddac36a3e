package storagetest

import (
	"errors"
	"fmt"
	"testing"

	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// tiersModel compares the store with a model under random runs (right,
// stale or skipped revisions, replays) and reads (latest, as of a
// revision, one affiliate). The model keeps, per period, the number of
// runs and each affiliate's snapshots in run order.
func tiersModel(t *testing.T, newStore Factory[storage.TierCloses]) {
	checkRuns(t, newStore, func(rt *rapid.T, s storage.TierCloses) {
		periods := []string{"2026-01", "2026-02"}
		affiliates := []affiliate.AffiliateID{"ann", "bob", "cid"}
		runs := map[string][]storage.TierCloseCommit{}
		history := map[string]map[affiliate.AffiliateID][]affiliate.TierSnapshot{}
		rt.Repeat(map[string]func(*rapid.T){
			"commit": func(rt *rapid.T) {
				period := rapid.SampledFrom(periods).Draw(rt, "period")
				stored := int64(len(runs[period]))
				rev := rapid.Int64Range(max(stored-1, 1), stored+2).Draw(rt, "revision")
				c := tierClose("m", period, rev)
				c.Hash = fmt.Sprintf("m:%s:%d:%d", period, rev, len(runs[period]))
				for _, a := range rapid.SliceOfDistinct(rapid.SampledFrom(affiliates), rapid.ID[affiliate.AffiliateID]).Draw(rt, "affiliates") {
					tier := rapid.SampledFrom([]string{"Standard", "Premium"}).Draw(rt, "tier")
					c.Snapshots = append(c.Snapshots, tierSnap(c.Close, a, tier, eur(rapid.Int64Range(-100, 100).Draw(rt, "value"))))
				}
				_, err := s.CommitTierClose(ctxT(), c)
				switch {
				case rev <= stored: // another run of a written revision
					if !errors.Is(err, affiliate.ErrIdempotencyMismatch) {
						rt.Fatalf("run %d of %s at %d: %v, want ErrIdempotencyMismatch", rev, period, stored, err)
					}
					return
				case rev > stored+1:
					if !errors.Is(err, affiliate.ErrConflict) {
						rt.Fatalf("run %d of %s at %d: %v, want ErrConflict", rev, period, stored, err)
					}
					return
				}
				if err != nil {
					rt.Fatalf("run %d of %s: %v", rev, period, err)
				}
				runs[period] = append(runs[period], c)
				if history[period] == nil {
					history[period] = map[affiliate.AffiliateID][]affiliate.TierSnapshot{}
				}
				for _, sn := range c.Snapshots {
					history[period][sn.Affiliate] = append(history[period][sn.Affiliate], sn)
				}
			},
			"replay": func(rt *rapid.T) {
				period := rapid.SampledFrom(periods).Draw(rt, "period")
				if len(runs[period]) == 0 {
					rt.Skip("no run")
				}
				c := rapid.SampledFrom(runs[period]).Draw(rt, "run")
				if replayed, err := s.CommitTierClose(ctxT(), c); err != nil || !replayed {
					rt.Fatalf("replay of run %d of %s: %v, %v", c.Close.Revision, period, replayed, err)
				}
			},
			"read": func(rt *rapid.T) {
				period := rapid.SampledFrom(periods).Draw(rt, "period")
				rev := rapid.Int64Range(0, int64(len(runs[period]))+1).Draw(rt, "asOf")
				only := rapid.SampledFrom(append([]affiliate.AffiliateID{""}, affiliates...)).Draw(rt, "affiliate")
				got, err := s.TierSnapshots(ctxT(), storage.TierSnapshotQuery{Program: "m", Period: per(period), Affiliate: only, Revision: rev})
				if err != nil {
					rt.Fatal(err)
				}
				var want []affiliate.TierSnapshot
				for _, a := range affiliates { // affiliates is sorted
					if only != "" && a != only {
						continue
					}
					var last *affiliate.TierSnapshot
					for i, sn := range history[period][a] {
						if rev == 0 || sn.Revision <= rev {
							last = &history[period][a][i]
						}
					}
					if last != nil {
						want = append(want, *last)
					}
				}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					rt.Fatalf("TierSnapshots(%s, %q, run %d) = %v, want %v", period, only, rev, got, want)
				}
			},
			"": func(rt *rapid.T) {
				for _, period := range periods {
					c, err := s.TierClose(ctxT(), "m", per(period))
					n := len(runs[period])
					switch {
					case n == 0 && !errors.Is(err, affiliate.ErrNotFound):
						rt.Fatalf("TierClose(%s) with no run: %+v, %v", period, c, err)
					case n > 0 && (err != nil || c != runs[period][n-1].Close):
						rt.Fatalf("TierClose(%s) = %+v, %v; want %+v", period, c, err, runs[period][n-1].Close)
					}
				}
			},
		})
	})
}
