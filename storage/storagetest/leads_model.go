package storagetest

import (
	"cmp"
	"errors"
	"slices"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// leadModel runs random adds, lifecycle steps and reads against a plain
// model: a map of leads with their keys, where a key is held by the one
// lead filed under it that is not refused.
func leadModel(t *testing.T, newStore Factory[LeadStore]) {
	checkRuns(t, newStore, func(rt *rapid.T, s LeadStore) {
		type rec struct {
			lead affiliate.Lead
			keys []string
		}
		model := map[affiliate.LeadID]rec{}
		ids := rapid.SampledFrom([]affiliate.LeadID{"l1", "l2", "l3", "l4", "l5"})
		keyGen := rapid.SampledFrom([]string{"acme.com", "globex.com", "initech.com"})
		holder := func(key string, except affiliate.LeadID) bool {
			for id, r := range model {
				if id != except && r.lead.Status != affiliate.LeadRefused && slices.Contains(r.keys, key) {
					return true
				}
			}
			return false
		}
		rt.Repeat(map[string]func(*rapid.T){
			"AddLead": func(rt *rapid.T) {
				id := ids.Draw(rt, "id")
				status := rapid.SampledFrom([]affiliate.LeadStatus{affiliate.LeadSubmitted, affiliate.LeadAccepted, affiliate.LeadRefused}).Draw(rt, "status")
				l := newLead(id, "acme.com", status, t0.Add(time.Duration(rapid.IntRange(0, 3).Draw(rt, "hour"))*time.Hour))
				keys := rapid.SliceOfN(keyGen, 0, 3).Draw(rt, "keys")
				err := s.AddLead(ctxT(), l, keys)
				stored, taken := model[id]
				if taken && storage.SameLead(stored.lead, l) {
					if err != nil {
						rt.Fatalf("AddLead(%s) of the stored lead = %v, want nil (a replay)", id, err)
					}
					return
				}
				clash := false
				if status != affiliate.LeadRefused {
					for _, k := range keys {
						clash = clash || holder(k, "")
					}
				}
				if taken || clash {
					if !errors.Is(err, affiliate.ErrConflict) {
						rt.Fatalf("AddLead(%s, %v) = %v, want ErrConflict (taken %v, clash %v)", id, keys, err, taken, clash)
					}
					return
				}
				if err != nil {
					rt.Fatalf("AddLead(%s, %v): %v", id, keys, err)
				}
				var uniq []string
				for _, k := range keys {
					if !slices.Contains(uniq, k) {
						uniq = append(uniq, k)
					}
				}
				model[id] = rec{l, uniq}
			},
			"UpdateLead": func(rt *rapid.T) {
				id := ids.Draw(rt, "id")
				r, ok := model[id]
				from := rapid.SampledFrom([]affiliate.LeadStatus{affiliate.LeadSubmitted, affiliate.LeadAccepted}).Draw(rt, "from")
				to := rapid.SampledFrom([]affiliate.LeadStatus{affiliate.LeadAccepted, affiliate.LeadRefused, affiliate.LeadConverted}).Draw(rt, "to")
				// A fresh lead with the stored identity, so only the status
				// fields differ from what is stored.
				submitted := t0
				if ok {
					submitted = r.lead.SubmittedAt
				}
				l := newLead(id, "acme.com", affiliate.LeadSubmitted, submitted)
				l.DecidedAt = t0.Add(time.Hour)
				switch to {
				case affiliate.LeadAccepted:
					l.Status = affiliate.LeadAccepted
				case affiliate.LeadRefused:
					l = refuseLead(l, "not_a_fit")
				case affiliate.LeadConverted:
					l = convertLead(l, "cus-"+affiliate.CustomerID(id), t0.Add(2*time.Hour))
				}
				err := s.UpdateLead(ctxT(), l, from)
				switch {
				case !storage.LeadTransitionAllowed(from, to):
					if !errors.Is(err, affiliate.ErrInvalid) {
						rt.Fatalf("UpdateLead(%s, %s→%s) = %v, want ErrInvalid", id, from, to, err)
					}
				case !ok:
					if !errors.Is(err, affiliate.ErrNotFound) {
						rt.Fatalf("UpdateLead(absent %s) = %v, want ErrNotFound", id, err)
					}
				case r.lead.Status != from:
					if !errors.Is(err, affiliate.ErrConflict) {
						rt.Fatalf("UpdateLead(%s is %s, from %s) = %v, want ErrConflict", id, r.lead.Status, from, err)
					}
				default:
					if err != nil {
						rt.Fatalf("UpdateLead(%s, %s→%s): %v", id, from, to, err)
					}
					r.lead = l
					model[id] = r
				}
			},
			"Lead": func(rt *rapid.T) {
				id := ids.Draw(rt, "id")
				got, err := s.Lead(ctxT(), id)
				r, ok := model[id]
				if !ok {
					if !errors.Is(err, affiliate.ErrNotFound) {
						rt.Fatalf("Lead(absent %s) = %+v, %v", id, got, err)
					}
					return
				}
				if err != nil || !gocmp.Equal(r.lead, got) {
					rt.Fatalf("Lead(%s) = %+v, %v; want %+v", id, got, err, r.lead)
				}
			},
			"LeadsByKey": func(rt *rapid.T) {
				key := keyGen.Draw(rt, "key")
				var want []affiliate.Lead
				for _, r := range model {
					if slices.Contains(r.keys, key) {
						want = append(want, r.lead)
					}
				}
				slices.SortFunc(want, func(a, b affiliate.Lead) int {
					return cmp.Or(a.SubmittedAt.Compare(b.SubmittedAt), cmp.Compare(a.ID, b.ID))
				})
				got, err := s.LeadsByKey(ctxT(), key)
				if err != nil {
					rt.Fatal(err)
				}
				if len(want) == 0 && len(got) == 0 {
					return
				}
				if diff := gocmp.Diff(want, got); diff != "" {
					rt.Fatalf("LeadsByKey(%s) (-model +store):\n%s", key, diff)
				}
			},
		})
	})
}
