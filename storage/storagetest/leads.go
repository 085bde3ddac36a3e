package storagetest

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// LeadStore is what the lead cases need: the lifecycle and the key index.
// LeadStore is what RunLeads needs.
type LeadStore interface {
	storage.Leads
	storage.LeadFinder
}

// lead builds a valid lead of company at domain, in status.
func newLead(id affiliate.LeadID, domain string, status affiliate.LeadStatus, at time.Time) affiliate.Lead {
	l := affiliate.Lead{
		ID: id, Affiliate: "aff-1", Company: strings.ToUpper(domain[:1]) + domain[1:], Email: "contact@" + domain,
		Website: "https://" + domain, LinkedIn: "https://www.linkedin.com/company/" + domain,
		Status: status, SubmittedAt: at,
	}
	switch status {
	case affiliate.LeadAccepted:
		l.DecidedAt = at
	case affiliate.LeadRefused:
		l.DecidedAt, l.Reasons = at, []string{"free_mail: example", "freelancer"}
	case affiliate.LeadConverted:
		l.DecidedAt, l.Customer, l.ConvertedAt = at, "cus-"+affiliate.CustomerID(id), at.Add(time.Hour)
	}
	return l
}

func convertLead(l affiliate.Lead, c affiliate.CustomerID, at time.Time) affiliate.Lead {
	l.Status, l.Customer, l.ConvertedAt = affiliate.LeadConverted, c, at
	return l
}

func refuseLead(l affiliate.Lead, reasons ...string) affiliate.Lead {
	l.Status, l.Reasons = affiliate.LeadRefused, reasons
	return l
}

// withCompany is an accepted lead l-1 of acme.com named company.
func withCompany(company string) affiliate.Lead {
	l := newLead("l-1", "acme.com", affiliate.LeadAccepted, t0)
	l.Company = company
	return l
}

func leadIDs(ls []affiliate.Lead) []affiliate.LeadID {
	out := make([]affiliate.LeadID, len(ls))
	for i, l := range ls {
		out[i] = l.ID
	}
	return out
}

// RunLeads runs the cases of storage.Leads and storage.LeadFinder.
func RunLeads(t *testing.T, newStore Factory[LeadStore]) {
	t.Run("AddAndRead", func(t *testing.T) {
		s := newStore(t)
		for _, l := range []affiliate.Lead{
			newLead("l-1", "acme.com", affiliate.LeadSubmitted, t0),
			newLead("l-2", "globex.com", affiliate.LeadAccepted, t0),
			newLead("l-3", "initech.com", affiliate.LeadRefused, t0),
			newLead("l-4", "umbrella.com", affiliate.LeadConverted, t0),
		} {
			must(t, s.AddLead(ctxT(), l, []string{strings.TrimPrefix(l.Website, "https://")}))
			got, err := s.Lead(ctxT(), l.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(l, got); diff != "" {
				t.Fatalf("Lead(%s) (-want +got):\n%s", l.ID, diff)
			}
		}
	})

	t.Run("LeadsByKey", func(t *testing.T) {
		s := newStore(t)
		// One company, one live lead and two refused ones, added out of
		// order; another company under another key.
		must(t, s.AddLead(ctxT(), newLead("l-c", "acme.com", affiliate.LeadRefused, t0.Add(time.Hour)), []string{"acme.com"}))
		must(t, s.AddLead(ctxT(), newLead("l-b", "acme.com", affiliate.LeadAccepted, t0), []string{"acme.com", "acme.io", "acme.com"}))
		must(t, s.AddLead(ctxT(), newLead("l-a", "acme.com", affiliate.LeadRefused, t0), []string{"acme.com"}))
		must(t, s.AddLead(ctxT(), newLead("l-x", "globex.com", affiliate.LeadAccepted, t0), []string{"globex.com"}))
		got, err := s.LeadsByKey(ctxT(), "acme.com")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]affiliate.LeadID{"l-a", "l-b", "l-c"}, leadIDs(got)); diff != "" {
			t.Fatalf("LeadsByKey order (-want +got):\n%s", diff)
		}
		if got, _ := s.LeadsByKey(ctxT(), "acme.io"); len(got) != 1 || got[0].ID != "l-b" {
			t.Fatalf("LeadsByKey(second key) = %v", leadIDs(got))
		}
		none, err := s.LeadsByKey(ctxT(), "nobody.com")
		if err != nil || len(none) != 0 {
			t.Fatalf("LeadsByKey(unknown) = %v, %v; want empty and no error", none, err)
		}
	})

	t.Run("KeysAreHeldByLiveLeads", func(t *testing.T) {
		s := newStore(t)
		must(t, s.AddLead(ctxT(), newLead("l-1", "acme.com", affiliate.LeadSubmitted, t0), []string{"acme.com", "acme.io"}))
		for _, st := range []affiliate.LeadStatus{affiliate.LeadSubmitted, affiliate.LeadAccepted, affiliate.LeadConverted} {
			if err := s.AddLead(ctxT(), newLead("l-2", "acme.io", st, t0), []string{"acme.io"}); !errors.Is(err, affiliate.ErrConflict) {
				t.Fatalf("AddLead(%s, held key) = %v, want ErrConflict", st, err)
			}
		}
		if _, err := s.Lead(ctxT(), "l-2"); !errors.Is(err, affiliate.ErrNotFound) {
			t.Fatal("a refused AddLead stored the lead")
		}
		// A refused lead is filed under a held key, and holds nothing.
		must(t, s.AddLead(ctxT(), newLead("l-3", "acme.io", affiliate.LeadRefused, t0), []string{"acme.io", "acme.net"}))
		must(t, s.AddLead(ctxT(), newLead("l-4", "acme.net", affiliate.LeadAccepted, t0), []string{"acme.net"}))
		// Refusing the live lead releases its keys.
		l1, _ := s.Lead(ctxT(), "l-1")
		l1.Status, l1.DecidedAt = affiliate.LeadAccepted, t0
		must(t, s.UpdateLead(ctxT(), l1, affiliate.LeadSubmitted))
		must(t, s.UpdateLead(ctxT(), refuseLead(l1, "not_a_fit"), affiliate.LeadAccepted))
		must(t, s.AddLead(ctxT(), newLead("l-5", "acme.io", affiliate.LeadAccepted, t0), []string{"acme.io", "acme.com"}))
	})

	t.Run("Lifecycle", func(t *testing.T) {
		s := newStore(t)
		l := newLead("l-1", "acme.com", affiliate.LeadSubmitted, t0)
		must(t, s.AddLead(ctxT(), l, []string{"acme.com"}))
		l.Status, l.DecidedAt = affiliate.LeadAccepted, t0.Add(time.Minute)
		must(t, s.UpdateLead(ctxT(), l, affiliate.LeadSubmitted))
		c := convertLead(l, "cus-1", t0.Add(24*time.Hour))
		must(t, s.UpdateLead(ctxT(), c, affiliate.LeadAccepted))
		got, _ := s.Lead(ctxT(), "l-1")
		if diff := cmp.Diff(c, got); diff != "" {
			t.Fatalf("Lead after conversion (-want +got):\n%s", diff)
		}
		byKey, _ := s.LeadsByKey(ctxT(), "acme.com")
		if len(byKey) != 1 || !cmp.Equal(c, byKey[0]) {
			t.Fatalf("LeadsByKey after conversion = %+v", byKey)
		}
		// A converted lead keeps its key.
		if err := s.AddLead(ctxT(), newLead("l-2", "acme.com", affiliate.LeadAccepted, t0), []string{"acme.com"}); !errors.Is(err, affiliate.ErrConflict) {
			t.Fatalf("AddLead(key of a converted lead) = %v, want ErrConflict", err)
		}
	})

	invalidAdds := []struct {
		name string
		l    affiliate.Lead
		keys []string
	}{
		{"NoID", newLead("", "acme.com", affiliate.LeadAccepted, t0), nil},
		{"NoAffiliate", func() affiliate.Lead {
			l := newLead("l-1", "acme.com", affiliate.LeadAccepted, t0)
			l.Affiliate = ""
			return l
		}(), nil},
		{"UnknownStatus", newLead("l-1", "acme.com", "pending", t0), nil},
		{"NoSubmittedAt", newLead("l-1", "acme.com", affiliate.LeadSubmitted, time.Time{}), nil},
		{"SubmittedIn2300", newLead("l-1", "acme.com", affiliate.LeadSubmitted, time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)), nil},
		{"DecidedIn1600", func() affiliate.Lead {
			l := newLead("l-1", "acme.com", affiliate.LeadAccepted, t0)
			l.DecidedAt = time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC)
			return l
		}(), nil},
		{"DecidedWithoutTime", func() affiliate.Lead {
			l := newLead("l-1", "acme.com", affiliate.LeadAccepted, t0)
			l.DecidedAt = time.Time{}
			return l
		}(), nil},
		{"RefusedWithoutReasons", refuseLead(newLead("l-1", "acme.com", affiliate.LeadAccepted, t0)), nil},
		{"ConvertedWithoutCustomer", convertLead(newLead("l-1", "acme.com", affiliate.LeadAccepted, t0), "", t0), nil},
		{"CustomerOnAcceptedLead", func() affiliate.Lead {
			l := newLead("l-1", "acme.com", affiliate.LeadAccepted, t0)
			l.Customer = "cus-1"
			return l
		}(), nil},
		{"LongCompany", func() affiliate.Lead {
			l := newLead("l-1", "acme.com", affiliate.LeadAccepted, t0)
			l.Company = strings.Repeat("c", storage.MaxLeadFieldLen+1)
			return l
		}(), nil},
		{"ANSIEscapeInCompany", withCompany("Acme\x1b[2J\x1b[31mEvil"), nil},
		{"BidiOverrideInCompany", withCompany("Acme \u202egnp.exe"), nil},
		{"NULInCompany", withCompany("Acme\x00"), nil},
		{"NewlineInCompany", withCompany("Acme\nInc"), nil},
		{"C1ControlInCompany", withCompany("Acme\u009b31m"), nil},
		{"EmptyKey", newLead("l-1", "acme.com", affiliate.LeadAccepted, t0), []string{"acme.com", ""}},
		{"LongKey", newLead("l-1", "acme.com", affiliate.LeadAccepted, t0), []string{strings.Repeat("k", affiliate.MaxIDLen+1)}},
	}
	for _, tc := range invalidAdds {
		t.Run("ErrorInvalidAdd"+tc.name, func(t *testing.T) {
			s := newStore(t)
			if err := s.AddLead(ctxT(), tc.l, tc.keys); !errors.Is(err, affiliate.ErrInvalid) {
				t.Fatalf("AddLead = %v, want ErrInvalid", err)
			}
			if _, err := s.Lead(ctxT(), tc.l.ID); !errors.Is(err, affiliate.ErrNotFound) {
				t.Fatalf("an invalid AddLead stored the lead (err %v)", err)
			}
			if got, _ := s.LeadsByKey(ctxT(), "acme.com"); len(got) != 0 {
				t.Fatalf("an invalid AddLead filed %v", leadIDs(got))
			}
		})
	}

	t.Run("ReplayOfTheSameLead", func(t *testing.T) {
		s := newStore(t)
		first := newLead("l-1", "acme.com", affiliate.LeadAccepted, t0)
		must(t, s.AddLead(ctxT(), first, []string{"acme.com"}))
		if err := s.AddLead(ctxT(), first, []string{"acme.com"}); err != nil {
			t.Fatalf("AddLead(the same lead again) = %v, want nil (a replay)", err)
		}
		got, err := s.LeadsByKey(ctxT(), "acme.com")
		if err != nil || len(got) != 1 || got[0].ID != "l-1" {
			t.Fatalf("after a replay LeadsByKey = %v, %v; want l-1 once", leadIDs(got), err)
		}
	})

	for _, edit := range []struct {
		name string
		edit func(*affiliate.Lead)
	}{
		{"Company", func(l *affiliate.Lead) { l.Company = "Acme Two" }},
		{"Affiliate", func(l *affiliate.Lead) { l.Affiliate = "aff-2" }},
		{"SubmittedAt", func(l *affiliate.Lead) { l.SubmittedAt = l.SubmittedAt.Add(time.Second) }},
	} {
		t.Run("ErrorConflictOnTakenIDOther"+edit.name, func(t *testing.T) {
			s := newStore(t)
			first := newLead("l-1", "acme.com", affiliate.LeadAccepted, t0)
			must(t, s.AddLead(ctxT(), first, []string{"acme.com"}))
			other := first
			edit.edit(&other)
			if err := s.AddLead(ctxT(), other, []string{"acme.com"}); !errors.Is(err, affiliate.ErrConflict) {
				t.Fatalf("AddLead(the ID with another %s) = %v, want ErrConflict", edit.name, err)
			}
			if got, _ := s.Lead(ctxT(), "l-1"); !cmp.Equal(first, got) {
				t.Fatalf("a refused AddLead changed the lead to %+v", got)
			}
		})
	}

	t.Run("ErrorConflictOnTakenID", func(t *testing.T) {
		s := newStore(t)
		first := newLead("l-1", "acme.com", affiliate.LeadAccepted, t0)
		must(t, s.AddLead(ctxT(), first, []string{"acme.com"}))
		if err := s.AddLead(ctxT(), newLead("l-1", "globex.com", affiliate.LeadRefused, t0), []string{"globex.com"}); !errors.Is(err, affiliate.ErrConflict) {
			t.Fatalf("AddLead(taken ID) = %v, want ErrConflict", err)
		}
		got, _ := s.Lead(ctxT(), "l-1")
		if diff := cmp.Diff(first, got); diff != "" {
			t.Fatalf("a refused AddLead changed the lead (-want +got):\n%s", diff)
		}
		if got, _ := s.LeadsByKey(ctxT(), "globex.com"); len(got) != 0 {
			t.Fatalf("a refused AddLead filed %v", leadIDs(got))
		}
	})

	updateErrors := []struct {
		name string
		edit func(l affiliate.Lead) (affiliate.Lead, affiliate.LeadStatus)
		want error
	}{
		{"NotFound", func(l affiliate.Lead) (affiliate.Lead, affiliate.LeadStatus) {
			l.ID = "ghost"
			return convertLead(l, "cus-1", t0), affiliate.LeadAccepted
		}, affiliate.ErrNotFound},
		{"StaleFrom", func(l affiliate.Lead) (affiliate.Lead, affiliate.LeadStatus) {
			return refuseLead(l, "late"), affiliate.LeadSubmitted
		}, affiliate.ErrConflict},
		{"BackwardStep", func(l affiliate.Lead) (affiliate.Lead, affiliate.LeadStatus) {
			l.Status = affiliate.LeadSubmitted
			l.DecidedAt = time.Time{}
			return l, affiliate.LeadAccepted
		}, affiliate.ErrInvalid},
		{"SkipStep", func(l affiliate.Lead) (affiliate.Lead, affiliate.LeadStatus) {
			return convertLead(l, "cus-1", t0), affiliate.LeadSubmitted
		}, affiliate.ErrInvalid},
		{"FromFinal", func(l affiliate.Lead) (affiliate.Lead, affiliate.LeadStatus) {
			return convertLead(l, "cus-1", t0), affiliate.LeadRefused
		}, affiliate.ErrInvalid},
		{"InvalidLead", func(l affiliate.Lead) (affiliate.Lead, affiliate.LeadStatus) {
			return convertLead(l, "", t0), affiliate.LeadAccepted
		}, affiliate.ErrInvalid},
		{"OtherAffiliate", func(l affiliate.Lead) (affiliate.Lead, affiliate.LeadStatus) {
			l.Affiliate = "aff-2"
			return convertLead(l, "cus-1", t0), affiliate.LeadAccepted
		}, affiliate.ErrInvalid},
		{"OtherSubmittedAt", func(l affiliate.Lead) (affiliate.Lead, affiliate.LeadStatus) {
			l.SubmittedAt = l.SubmittedAt.Add(-time.Hour)
			return convertLead(l, "cus-1", t0), affiliate.LeadAccepted
		}, affiliate.ErrInvalid},
	}
	for _, tc := range updateErrors {
		t.Run("ErrorUpdate"+tc.name, func(t *testing.T) {
			s := newStore(t)
			stored := newLead("l-1", "acme.com", affiliate.LeadAccepted, t0)
			must(t, s.AddLead(ctxT(), stored, []string{"acme.com"}))
			l, from := tc.edit(stored)
			if err := s.UpdateLead(ctxT(), l, from); !errors.Is(err, tc.want) {
				t.Fatalf("UpdateLead = %v, want %v", err, tc.want)
			}
			got, _ := s.Lead(ctxT(), "l-1")
			if diff := cmp.Diff(stored, got); diff != "" {
				t.Fatalf("a refused UpdateLead changed the lead (-want +got):\n%s", diff)
			}
			if err := s.AddLead(ctxT(), newLead("l-2", "acme.com", affiliate.LeadAccepted, t0), []string{"acme.com"}); !errors.Is(err, affiliate.ErrConflict) {
				t.Fatalf("a refused UpdateLead released the key: %v", err)
			}
		})
	}

	t.Run("ErrorNotFound", func(t *testing.T) {
		s := newStore(t)
		if _, err := s.Lead(ctxT(), "nothing"); !errors.Is(err, affiliate.ErrNotFound) {
			t.Fatalf("Lead(nothing) = %v, want ErrNotFound", err)
		}
	})

	t.Run("CopyInCopyOut", func(t *testing.T) {
		s := newStore(t)
		l := newLead("l-1", "acme.com", affiliate.LeadRefused, t0)
		want := newLead("l-1", "acme.com", affiliate.LeadRefused, t0)
		keys := []string{"acme.com"}
		must(t, s.AddLead(ctxT(), l, keys))
		l.Reasons[0] = "mallory"
		keys[0] = "mallory.com"
		got, _ := s.Lead(ctxT(), "l-1")
		got.Reasons[1] = "mallory"
		byKey, _ := s.LeadsByKey(ctxT(), "acme.com")
		byKey[0].Reasons[0] = "mallory"
		again, _ := s.Lead(ctxT(), "l-1")
		if diff := cmp.Diff(want, again); diff != "" {
			t.Fatalf("mutation leaked into the store (-want +got):\n%s", diff)
		}
		if got, _ := s.LeadsByKey(ctxT(), "acme.com"); len(got) != 1 || !cmp.Equal(want, got[0]) {
			t.Fatalf("mutation leaked into the key index: %+v", got)
		}
		// UpdateLead copies too.
		acc := newLead("l-2", "globex.com", affiliate.LeadAccepted, t0)
		must(t, s.AddLead(ctxT(), acc, nil))
		ref := refuseLead(acc, "a", "b")
		must(t, s.UpdateLead(ctxT(), ref, affiliate.LeadAccepted))
		ref.Reasons[0] = "mallory"
		if got, _ := s.Lead(ctxT(), "l-2"); got.Reasons[0] != "a" {
			t.Fatalf("UpdateLead kept the caller's slice: %v", got.Reasons)
		}
	})

	// Partners submit one company at once: one lead holds the key. Then
	// many conversions of that lead race: exactly one wins. Meant for -race.
	t.Run("ConcurrentSubmissionsAndConversions", func(t *testing.T) {
		s := newStore(t)
		const n = 24
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = s.AddLead(ctxT(), newLead(affiliate.LeadID(fmt.Sprintf("l-%02d", i)), "acme.com", affiliate.LeadAccepted, t0), []string{"acme.com"})
			}()
		}
		wg.Wait()
		var winner affiliate.LeadID
		for i, err := range errs {
			switch {
			case err == nil:
				if winner != "" {
					t.Fatalf("two leads hold acme.com: %s and l-%02d", winner, i)
				}
				winner = affiliate.LeadID(fmt.Sprintf("l-%02d", i))
			case !errors.Is(err, affiliate.ErrConflict):
				t.Fatalf("AddLead %d: %v, want nil or ErrConflict", i, err)
			}
		}
		if got, _ := s.LeadsByKey(ctxT(), "acme.com"); len(got) != 1 || got[0].ID != winner {
			t.Fatalf("LeadsByKey = %v, want only %s", leadIDs(got), winner)
		}
		l, _ := s.Lead(ctxT(), winner)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = s.UpdateLead(ctxT(), convertLead(l, affiliate.CustomerID(fmt.Sprintf("cus-%02d", i)), t0), affiliate.LeadAccepted)
			}()
		}
		wg.Wait()
		wins := 0
		for i, err := range errs {
			switch {
			case err == nil:
				wins++
			case !errors.Is(err, affiliate.ErrConflict):
				t.Fatalf("UpdateLead %d: %v, want nil or ErrConflict", i, err)
			}
		}
		if wins != 1 {
			t.Fatalf("%d concurrent conversions of one lead succeeded, want 1", wins)
		}
	})

	t.Run("Model", func(t *testing.T) { leadModel(t, newStore) })
}
