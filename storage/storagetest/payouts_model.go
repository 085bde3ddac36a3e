package storagetest

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
	"pgregory.net/rapid"
)

// poModel compares the store with a map model under random appends, runs
// that claim random entries, and settlements. The model knows which
// payout holds each entry and each payout's status.
func poModel(t *testing.T, newStore Factory[PayoutStore]) {
	checkRuns(t, newStore, func(rt *rapid.T, s PayoutStore) {
		var entries []affiliate.Entry
		holder := map[affiliate.EntryID]affiliate.PayoutID{}
		status := map[affiliate.PayoutID]affiliate.PayoutStatus{}
		periods := map[affiliate.PayoutID]affiliate.Period{}
		claims := map[affiliate.PayoutID][]affiliate.EntryID{}
		var payouts []affiliate.PayoutID
		year := 2000
		rt.Repeat(map[string]func(*rapid.T){
			"append": func(rt *rapid.T) {
				i := len(entries)
				e := poEntry(fmt.Sprintf("e%03d", i), rapid.SampledFrom([]affiliate.AffiliateID{"ann", "bob"}).Draw(rt, "affiliate"),
					rapid.Int64Range(-500, 5000).Draw(rt, "minor"), "EUR", 1+i%28)
				mustWrite(t, s, ledgerWrite{Key: "m-" + string(e.ID), Hash: "h", Entries: []affiliate.Entry{e}})
				entries = append(entries, e)
			},
			"run": func(rt *rapid.T) {
				if len(entries) == 0 {
					rt.Skip("no entries")
				}
				picked := rapid.SliceOfNDistinct(rapid.IntRange(0, len(entries)-1), 1, 4, rapid.ID[int]).Draw(rt, "entries")
				year++
				p := affiliate.Period{Year: year, Month: time.January, Location: time.UTC}
				run := poRun(p, "h")
				byAff := map[affiliate.AffiliateID][]affiliate.Entry{}
				for _, i := range picked {
					byAff[entries[i].Beneficiary] = append(byAff[entries[i].Beneficiary], entries[i])
				}
				wantConflict := false
				for _, a := range []affiliate.AffiliateID{"ann", "bob"} {
					if len(byAff[a]) == 0 {
						continue
					}
					po := poPayout(fmt.Sprintf("p%d-%s", year, a), p, byAff[a]...)
					for _, e := range byAff[a] {
						if _, held := holder[e.ID]; held {
							wantConflict = true
						}
					}
					run.Payouts = append(run.Payouts, po)
				}
				_, err := s.CreatePayoutRun(ctxT(), run)
				if wantConflict {
					if !errors.Is(err, affiliate.ErrConflict) {
						rt.Fatalf("claiming held entries: %v, want ErrConflict", err)
					}
					return
				}
				if err != nil {
					rt.Fatalf("CreatePayoutRun: %v", err)
				}
				for _, po := range run.Payouts {
					status[po.ID] = affiliate.PayoutCreated
					periods[po.ID] = po.Period
					claims[po.ID] = po.Entries
					payouts = append(payouts, po.ID)
					for _, id := range po.Entries {
						holder[id] = po.ID
					}
				}
			},
			"settle": func(rt *rapid.T) {
				if len(payouts) == 0 {
					rt.Skip("no payouts")
				}
				id := rapid.SampledFrom(payouts).Draw(rt, "payout")
				to := rapid.SampledFrom([]affiliate.PayoutStatus{affiliate.PayoutPaid, affiliate.PayoutFailed, affiliate.PayoutCancelled}).Draw(rt, "to")
				_, err := s.SettlePayout(ctxT(), storage.PayoutSettlement{ID: id, Status: to, Reference: "TR", At: time.Unix(1, 0)})
				switch status[id] {
				case affiliate.PayoutCreated:
					if err != nil {
						rt.Fatalf("settling created %s: %v", id, err)
					}
					status[id] = to
					if to != affiliate.PayoutPaid {
						for _, e := range claims[id] {
							delete(holder, e)
						}
					}
				case affiliate.PayoutPaid:
					if !errors.Is(err, storage.ErrPayoutPaid) {
						rt.Fatalf("settling paid %s: %v, want ErrPayoutPaid", id, err)
					}
				default:
					if !errors.Is(err, storage.ErrPayoutReleased) {
						rt.Fatalf("settling released %s: %v, want ErrPayoutReleased", id, err)
					}
				}
			},
			"": func(rt *rapid.T) {
				var want []affiliate.EntryID
				for _, e := range entries {
					if _, held := holder[e.ID]; !held {
						want = append(want, e.ID)
					}
				}
				got := poOpen(t, s)
				slices.Sort(want)
				slices.Sort(got)
				if !slices.Equal(want, got) {
					rt.Fatalf("unsettled entries = %v, model %v", got, want)
				}
				for id, st := range status {
					p, err := payoutOf(s, periods[id], id)
					if err != nil || p.Status != st {
						rt.Fatalf("Payout(%s) = %s, %v; model %s", id, p.Status, err, st)
					}
				}
			},
		})
	})
}
