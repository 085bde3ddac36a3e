package attribution_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

func TestRecordTouch(t *testing.T) {
	f := newFixture(t)
	got, err := f.t.RecordTouch(ctx, attribution.TouchInput{Visitor: "v1", Code: " Ann ", LandingURL: "https://example.com/?ref=Ann", IP: "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	want := affiliate.Touch{ID: "t_0001", Visitor: "v1", Affiliate: "ann", Code: "ann", Source: affiliate.TouchLink, At: t0, LandingURL: "https://example.com/?ref=Ann", IP: "192.0.2.1"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("RecordTouch (-want +got):\n%s", diff)
	}
	stored, err := storedTouch(ctx, f.store, got)
	if err != nil || !cmp.Equal(stored, want) {
		t.Fatalf("stored touch = %+v, %v", stored, err)
	}
	if kinds := f.obs.kinds(); !slices.Equal(kinds, []attribution.EventKind{attribution.TouchRecorded}) || f.obs.events[0].Touch != want {
		t.Fatalf("observer heard %v", f.obs.events)
	}
}

func TestRecordTouchRefusesAndStoresNothing(t *testing.T) {
	cases := []struct {
		name string
		in   attribution.TouchInput
		want []error
	}{
		{"UnknownCode", attribution.TouchInput{Visitor: "v1", Code: "nobody"}, []error{attribution.ErrUnknownCode, affiliate.ErrNotFound}},
		{"SuspendedAffiliate", attribution.TouchInput{Visitor: "v1", Code: "SUE"}, []error{attribution.ErrAffiliateInactive, affiliate.ErrInvalid}},
		{"MalformedCode", attribution.TouchInput{Visitor: "v1", Code: "ann;drop"}, []error{affiliate.ErrInvalid}},
		{"MissingCode", attribution.TouchInput{Visitor: "v1"}, []error{affiliate.ErrInvalid}},
		{"MissingVisitor", attribution.TouchInput{Code: "ann"}, []error{affiliate.ErrInvalid}},
		{"ControlCharInVisitor", attribution.TouchInput{Visitor: "v\x00", Code: "ann"}, []error{affiliate.ErrInvalid}},
		{"BadSource", attribution.TouchInput{Visitor: "v1", Code: "ann", Source: "banner"}, []error{affiliate.ErrInvalid}},
		{"LongUserAgent", attribution.TouchInput{Visitor: "v1", Code: "ann", UserAgent: strings.Repeat("x", 2049)}, []error{affiliate.ErrInvalid}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			_, err := f.t.RecordTouch(ctx, tc.in)
			for _, want := range tc.want {
				if !errors.Is(err, want) {
					t.Fatalf("RecordTouch = %v, want errors.Is %v", err, want)
				}
			}
			var ce *attribution.CodeError
			var fe *affiliate.FieldError
			if !errors.As(err, &ce) && !errors.As(err, &fe) {
				t.Fatalf("RecordTouch error %T is neither *CodeError nor *FieldError", err)
			}
			if n := f.store.writes.Load(); n != 0 {
				t.Fatalf("a refused touch wrote %d records", n)
			}
			if ts, _ := f.store.VisitorTouches(ctx, "v1"); len(ts) != 0 {
				t.Fatalf("a refused touch was stored: %+v", ts)
			}
			if len(f.obs.kinds()) != 0 {
				t.Fatalf("the observer heard about a refused touch: %v", f.obs.kinds())
			}
		})
	}
}

func TestBindSources(t *testing.T) {
	signup := attribution.Signup{Customer: "cus-1", Email: "carol@carolco.io", Visitor: "v1"}
	cases := []struct {
		name  string
		setup func(t *testing.T, f *fixture)
		edit  func(*attribution.Signup)
		cfg   func(*attribution.Config)
		want  affiliate.Binding
	}{
		{
			name:  "LinkTouch",
			setup: func(t *testing.T, f *fixture) { f.touch(t, "v1", "ann", t0.Add(-3*day)) },
			want:  affiliate.Binding{Customer: "cus-1", Affiliate: "ann", Source: affiliate.BindByLink, Touch: "t_0001", Code: "ann", TouchedAt: t0.Add(-3 * day), BoundAt: t0},
		},
		{
			name: "FirstClickKeepsTheFirstTouch",
			setup: func(t *testing.T, f *fixture) {
				f.touch(t, "v1", "bob", t0.Add(-30*day))
				f.touch(t, "v1", "ann", t0.Add(-3*day))
			},
			want: affiliate.Binding{Customer: "cus-1", Affiliate: "bob", Source: affiliate.BindByLink, Touch: "t_0001", Code: "bob", TouchedAt: t0.Add(-30 * day), BoundAt: t0},
		},
		{
			name: "LastClickTakesTheLatest",
			setup: func(t *testing.T, f *fixture) {
				f.touch(t, "v1", "bob", t0.Add(-30*day))
				f.touch(t, "v1", "ann", t0.Add(-3*day))
			},
			cfg:  func(c *attribution.Config) { c.Policy.Model = attribution.LastClick },
			want: affiliate.Binding{Customer: "cus-1", Affiliate: "ann", Source: affiliate.BindByLink, Touch: "t_0002", Code: "ann", TouchedAt: t0.Add(-3 * day), BoundAt: t0},
		},
		{
			name: "TouchOutsideTheWindowIsSkipped",
			setup: func(t *testing.T, f *fixture) {
				f.touch(t, "v1", "bob", t0.Add(-100*day))
				f.touch(t, "v1", "ann", t0.Add(-3*day))
			},
			want: affiliate.Binding{Customer: "cus-1", Affiliate: "ann", Source: affiliate.BindByLink, Touch: "t_0002", Code: "ann", TouchedAt: t0.Add(-3 * day), BoundAt: t0},
		},
		{
			name:  "TypedCodeWins",
			setup: func(t *testing.T, f *fixture) { f.touch(t, "v1", "bob", t0.Add(-3*day)) },
			edit:  func(s *attribution.Signup) { s.Code = "ANN" },
			want:  affiliate.Binding{Customer: "cus-1", Affiliate: "ann", Source: affiliate.BindByCode, Touch: signupTouch, Code: "ann", TouchedAt: t0, BoundAt: t0},
		},
		{
			// Seed 000: "whoever's link the prospect clicked first gets
			// the credit", codes included as touches at their time.
			name:  "ByTimeFirstClickKeepsTheEarlierClick",
			setup: func(t *testing.T, f *fixture) { f.touch(t, "v1", "bob", t0.Add(-4*day)) },
			edit:  func(s *attribution.Signup) { s.Code = "ANN" },
			cfg: func(c *attribution.Config) {
				c.Policy = attribution.Policy{Model: attribution.FirstClick, ByTime: true}
			},
			want: affiliate.Binding{Customer: "cus-1", Affiliate: "bob", Source: affiliate.BindByLink, Touch: "t_0001", Code: "bob", TouchedAt: t0.Add(-4 * day), BoundAt: t0},
		},
		{
			name:  "ByTimeLastClickTakesTheTypedCode",
			setup: func(t *testing.T, f *fixture) { f.touch(t, "v1", "bob", t0.Add(-4*day)) },
			edit:  func(s *attribution.Signup) { s.Code = "ANN" },
			cfg:   func(c *attribution.Config) { c.Policy = attribution.Policy{Model: attribution.LastClick, ByTime: true} },
			want:  affiliate.Binding{Customer: "cus-1", Affiliate: "ann", Source: affiliate.BindByCode, Touch: signupTouch, Code: "ann", TouchedAt: t0, BoundAt: t0},
		},
		{
			name:  "TouchFirstWhenConfigured",
			setup: func(t *testing.T, f *fixture) { f.touch(t, "v1", "bob", t0.Add(-3*day)) },
			edit:  func(s *attribution.Signup) { s.Code = "ANN" },
			cfg: func(c *attribution.Config) {
				c.Policy.Precedence = []attribution.Source{attribution.SourceTouch, attribution.SourceCode}
			},
			want: affiliate.Binding{Customer: "cus-1", Affiliate: "bob", Source: affiliate.BindByLink, Touch: "t_0001", Code: "bob", TouchedAt: t0.Add(-3 * day), BoundAt: t0},
		},
		{
			name: "CodeUsedOnTheWayIn",
			setup: func(t *testing.T, f *fixture) {
				if _, err := f.t.RecordTouch(ctx, attribution.TouchInput{Visitor: "v1", Code: "bob", Source: affiliate.TouchCode, At: t0.Add(-5 * day)}); err != nil {
					t.Fatal(err)
				}
				f.touch(t, "v1", "ann", t0.Add(-3*day))
			},
			want: affiliate.Binding{Customer: "cus-1", Affiliate: "bob", Source: affiliate.BindByCode, Touch: "t_0001", Code: "bob", TouchedAt: t0.Add(-5 * day), BoundAt: t0},
		},
		{
			name:  "UnknownTypedCodeFallsBackToTheTouch",
			setup: func(t *testing.T, f *fixture) { f.touch(t, "v1", "bob", t0.Add(-3*day)) },
			edit:  func(s *attribution.Signup) { s.Code = "nobody" },
			want:  affiliate.Binding{Customer: "cus-1", Affiliate: "bob", Source: affiliate.BindByLink, Touch: "t_0001", Code: "bob", TouchedAt: t0.Add(-3 * day), BoundAt: t0},
		},
		{
			name: "AcceptedLeadBeatsTheTouch",
			setup: func(t *testing.T, f *fixture) {
				f.touch(t, "v1", "bob", t0.Add(-3*day))
				submitAcme(t, f, "ann")
			},
			edit: func(s *attribution.Signup) { s.Email = "erin@acme.com" },
			want: affiliate.Binding{Customer: "cus-1", Affiliate: "ann", Source: affiliate.BindByLead, Lead: "l_0002", TouchedAt: t0, BoundAt: t0},
		},
		{
			name: "CookieAlone",
			edit: func(s *attribution.Signup) {
				s.Visitor = ""
				s.Referral = attribution.Referral{Affiliate: "ann", Visitor: "v9", Touch: "t-elsewhere", At: t0.Add(-day)}
			},
			want:  affiliate.Binding{Customer: "cus-1", Affiliate: "ann", Source: affiliate.BindByLink, Touch: "t-elsewhere", TouchedAt: t0.Add(-day), BoundAt: t0},
			setup: func(*testing.T, *fixture) {},
		},
		{
			name:  "TimeBoxed",
			setup: func(t *testing.T, f *fixture) { f.touch(t, "v1", "ann", t0.Add(-3*day)) },
			cfg:   func(c *attribution.Config) { c.BindingTTL = 365 * day },
			want:  affiliate.Binding{Customer: "cus-1", Affiliate: "ann", Source: affiliate.BindByLink, Touch: "t_0001", Code: "ann", TouchedAt: t0.Add(-3 * day), BoundAt: t0, ExpiresAt: t0.Add(365 * day)},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var edits []func(*attribution.Config)
			if tc.cfg != nil {
				edits = append(edits, tc.cfg)
			}
			f := newFixture(t, edits...)
			tc.setup(t, f)
			s := signup
			if tc.edit != nil {
				tc.edit(&s)
			}
			got, err := f.t.Bind(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Fatalf("Bind (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.want, f.binding(t, "cus-1")); diff != "" {
				t.Fatalf("stored binding (-want +got):\n%s", diff)
			}
			if e := f.obs.events[len(f.obs.events)-1]; e.Kind != attribution.CustomerBound || e.Binding != got {
				t.Fatalf("last event = %+v, want CustomerBound", e)
			}
		})
	}
}

// signupTouch is the ID of the touch that records the code cus-1 typed at
// signup: derived from the customer and ann, so a retried Bind reuses it.
const signupTouch = "t_signup_GOHXHB2VVHKU57KJ4GMQAZTW6Q"

func submitAcme(t tb, f *fixture, partner affiliate.AffiliateID) affiliate.Lead {
	t.Helper()
	l, err := f.t.SubmitLead(ctx, attribution.LeadInput{
		Affiliate: partner, Company: "Acme", Email: "dana@acme.com",
		Website: "https://acme.com", LinkedIn: "https://www.linkedin.com/company/acme",
	})
	if err != nil {
		t.Fatal(err)
	}
	if l.Status != affiliate.LeadAccepted {
		t.Fatalf("acme lead %s: %v", l.Status, l.Reasons)
	}
	return l
}

func TestBindIsStoredOnce(t *testing.T) {
	f := newFixture(t)
	f.touch(t, "v1", "ann", t0.Add(-3*day))
	first, err := f.t.Bind(ctx, attribution.Signup{Customer: "cus-1", Visitor: "v1"})
	if err != nil {
		t.Fatal(err)
	}
	writes := f.store.writes.Load()
	events := len(f.obs.kinds())
	again, err := f.t.Bind(ctx, attribution.Signup{Customer: "cus-1", Code: "bob"})
	if !errors.Is(err, affiliate.ErrAlreadyBound) || !errors.Is(err, affiliate.ErrConflict) {
		t.Fatalf("second Bind = %v, want ErrAlreadyBound", err)
	}
	if again != first {
		t.Fatalf("second Bind returned %+v, want the existing %+v", again, first)
	}
	if f.store.writes.Load() != writes || len(f.obs.kinds()) != events {
		t.Fatal("second Bind wrote or notified")
	}
}

func TestBindRefusalsStoreNothing(t *testing.T) {
	cases := []struct {
		name   string
		setup  func(t *testing.T, f *fixture)
		signup attribution.Signup
		dir    attribution.Directory
		want   error
		reason attribution.ReasonCode
	}{
		{"NoReferral", nil, attribution.Signup{Customer: "cus-1", Visitor: "v-nobody"}, nil, attribution.ErrNoReferral, ""},
		{"SelfReferralByEmail", func(t *testing.T, f *fixture) { f.touch(t, "v1", "ann", t0.Add(-day)) },
			attribution.Signup{Customer: "cus-1", Visitor: "v1", Email: "Ann+2@annco.io"}, nil, attribution.ErrIneligible, attribution.ReasonSelfReferral},
		{"SelfReferralByID", func(t *testing.T, f *fixture) { f.touch(t, "v1", "ann", t0.Add(-day)) },
			attribution.Signup{Customer: "ann", Visitor: "v1"}, nil, attribution.ErrIneligible, attribution.ReasonSelfReferral},
		{"SelfReferralByDomain", func(t *testing.T, f *fixture) { f.touch(t, "v1", "ann", t0.Add(-day)) },
			attribution.Signup{Customer: "cus-1", Visitor: "v1", Email: "boss@annco.io"}, nil, attribution.ErrIneligible, attribution.ReasonSelfReferral},
		{"CustomerExisted", func(t *testing.T, f *fixture) { f.touch(t, "v1", "ann", t0.Add(-day)) },
			attribution.Signup{Customer: "cus-1", Visitor: "v1"}, directory{customers: map[affiliate.CustomerID]bool{"cus-1": true}}, attribution.ErrIneligible, attribution.ReasonCustomerExists},
		{"SuspendedByCode", nil, attribution.Signup{Customer: "cus-1", Code: "sue"}, nil, attribution.ErrIneligible, attribution.ReasonAffiliateInactive},
		{"UnknownCode", nil, attribution.Signup{Customer: "cus-1", Code: "ghost"}, nil, attribution.ErrIneligible, attribution.ReasonUnknownAffiliate},
		{"OutsideWindow", func(t *testing.T, f *fixture) { f.touch(t, "v1", "ann", t0.Add(-90*day)) },
			attribution.Signup{Customer: "cus-1", Visitor: "v1"}, nil, attribution.ErrIneligible, attribution.ReasonOutsideWindow},
		{"MalformedCustomer", nil, attribution.Signup{Code: "ann"}, nil, affiliate.ErrInvalid, ""},
		{"MalformedEmail", nil, attribution.Signup{Customer: "cus-1", Code: "ann", Email: "Carol <carol@x.io>"}, nil, affiliate.ErrInvalid, ""},
		{"MalformedCode", nil, attribution.Signup{Customer: "cus-1", Code: "a b"}, nil, affiliate.ErrInvalid, ""},
		{"MalformedReferral", nil, attribution.Signup{Customer: "cus-1", Referral: attribution.Referral{Affiliate: "ann"}}, nil, affiliate.ErrInvalid, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, func(c *attribution.Config) { c.Directory = tc.dir })
			if tc.setup != nil {
				tc.setup(t, f)
			}
			f.clock.Set(t0) // the setup's touches are in the past
			writes, events := f.store.writes.Load(), len(f.obs.kinds())
			b, err := f.t.Bind(ctx, tc.signup)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Bind = %+v, %v; want %v", b, err, tc.want)
			}
			if tc.reason != "" {
				var ie *attribution.IneligibleError
				if !errors.As(err, &ie) || !ie.Has(tc.reason) {
					t.Fatalf("Bind = %v, want a *IneligibleError with %s", err, tc.reason)
				}
			}
			if b != (affiliate.Binding{}) {
				t.Fatalf("a refused Bind returned %+v", b)
			}
			if f.store.writes.Load() != writes || len(f.obs.kinds()) != events {
				t.Fatal("a refused Bind wrote or notified")
			}
			if got := f.binding(t, tc.signup.Customer); got != (affiliate.Binding{}) {
				t.Fatalf("a refused Bind stored %+v", got)
			}
		})
	}
}

func TestBindHostCheck(t *testing.T) {
	blocked := attribution.CheckFunc(func(_ context.Context, a attribution.Attempt) error {
		if a.Signup.IP == "203.0.113.9" {
			return attribution.Refuse("blocked_ip", a.Signup.IP)
		}
		return nil
	})
	f := newFixture(t, func(c *attribution.Config) { c.Checks = []attribution.Check{blocked} })
	f.touch(t, "v1", "ann", t0.Add(-day))
	_, err := f.t.Bind(ctx, attribution.Signup{Customer: "cus-1", Visitor: "v1", IP: "203.0.113.9"})
	var ie *attribution.IneligibleError
	if !errors.As(err, &ie) || !ie.Has("blocked_ip") {
		t.Fatalf("Bind = %v, want refused for blocked_ip", err)
	}
	if _, err := f.t.Bind(ctx, attribution.Signup{Customer: "cus-1", Visitor: "v1", IP: "198.51.100.1"}); err != nil {
		t.Fatal(err)
	}
}

// TestBindConcurrentSignups: many goroutines bind one customer through
// different affiliates; exactly one wins, the others get ErrAlreadyBound
// and the winner's binding. Run with -race.
func TestBindConcurrentSignups(t *testing.T) {
	f := newFixture(t)
	const n = 32
	for i := range n {
		id := affiliate.AffiliateID(fmt.Sprintf("p%02d", i))
		if err := f.store.PutAffiliate(ctx, affiliate.Affiliate{ID: id, Status: affiliate.StatusActive, Codes: []string{string(id)}}); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	results := make([]affiliate.Binding, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = f.t.Bind(ctx, attribution.Signup{Customer: "cus-1", Code: fmt.Sprintf("p%02d", i)})
		}()
	}
	wg.Wait()
	stored := f.binding(t, "cus-1")
	wins := 0
	for i := range n {
		switch {
		case errs[i] == nil:
			wins++
		case !errors.Is(errs[i], affiliate.ErrAlreadyBound):
			t.Fatalf("Bind %d: %v", i, errs[i])
		}
		if results[i] != stored {
			t.Fatalf("Bind %d returned %+v, stored is %+v", i, results[i], stored)
		}
	}
	if wins != 1 {
		t.Fatalf("%d Binds won, want exactly 1", wins)
	}
	bound := 0
	for _, k := range f.obs.kinds() {
		if k == attribution.CustomerBound {
			bound++
		}
	}
	if bound != 1 {
		t.Fatalf("observer heard %d CustomerBound, want 1", bound)
	}
}

func TestBindUsesTheClockWhenTheSignupHasNoTime(t *testing.T) {
	f := newFixture(t)
	f.touch(t, "v1", "ann", t0)
	f.clock.Advance(time.Hour)
	b, err := f.t.Bind(ctx, attribution.Signup{Customer: "cus-1", Visitor: "v1"})
	if err != nil || !b.BoundAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("Bind = %+v, %v; want BoundAt one hour after t0", b, err)
	}
}

// failingWrites is a store whose writes all fail, as a database that is
// down would; reads still work.
type failingWrites struct {
	*memstore.Store
	err error
}

func (s failingWrites) AddTouch(context.Context, affiliate.Touch) error { return s.err }
func (s failingWrites) Bind(context.Context, affiliate.Binding) (affiliate.Binding, error) {
	return affiliate.Binding{}, s.err
}
func (s failingWrites) AddLead(context.Context, affiliate.Lead, []string) error { return s.err }
func (s failingWrites) UpdateLead(context.Context, affiliate.Lead, affiliate.LeadStatus) error {
	return s.err
}

// TestObserverHearsOnlyStoredWrites: the observer is called after the
// store accepted the write (it can read it back from inside Observe), and
// never for a write the store refused.
func TestObserverHearsOnlyStoredWrites(t *testing.T) {
	t.Run("ReadsBackWhatItHears", func(t *testing.T) {
		var f *fixture
		var missing []string
		heard := 0
		check := attribution.ObserverFunc(func(ctx context.Context, e attribution.Event) {
			heard++
			var err error
			switch e.Kind {
			case attribution.TouchRecorded:
				_, err = storedTouch(ctx, f.store, e.Touch)
			case attribution.CustomerBound:
				_, err = f.store.Binding(ctx, e.Binding.Customer)
			case attribution.LeadAccepted, attribution.LeadRefused, attribution.LeadConverted:
				var l affiliate.Lead
				if l, err = f.store.Lead(ctx, e.Lead.ID); err == nil && l.Status != e.Lead.Status {
					err = fmt.Errorf("stored status %s", l.Status)
				}
			}
			if err != nil {
				missing = append(missing, fmt.Sprintf("%s: %v", e.Kind, err))
			}
		})
		f = newFixture(t, func(c *attribution.Config) { c.Observer = check })
		f.touch(t, "v1", "ann", t0.Add(-day))
		if _, err := f.t.Bind(ctx, attribution.Signup{Customer: "cus-1", Visitor: "v1"}); err != nil {
			t.Fatal(err)
		}
		lead := submitAcme(t, f, "bob")
		if _, err := f.t.ConvertLead(ctx, lead.ID, attribution.Signup{Customer: "cus-acme", Email: "dana@acme.com"}); err != nil {
			t.Fatal(err)
		}
		if len(missing) != 0 {
			t.Fatalf("the observer heard of writes it could not read back: %v", missing)
		}
		// touch, binding, lead accepted, binding, lead converted
		if heard != 5 {
			t.Fatalf("the observer heard %d events, want 5", heard)
		}
	})
	t.Run("SilentWhenTheStoreFails", func(t *testing.T) {
		down := errors.New("database is down")
		var fw failingWrites
		f := newFixture(t, func(c *attribution.Config) {
			fw = failingWrites{Store: c.Affiliates.(*countingStore).Store, err: down}
			c.Touches, c.Bindings, c.Leads = fw, fw, fw
		})
		if err := fw.Store.AddTouch(ctx, affiliate.Touch{ID: "t-old", Visitor: "v1", Affiliate: "ann", Code: "ann", Source: affiliate.TouchLink, At: t0.Add(-day)}); err != nil {
			t.Fatal(err)
		}
		calls := map[string]func() error{
			"RecordTouch": func() error {
				_, err := f.t.RecordTouch(ctx, attribution.TouchInput{Visitor: "v1", Code: "ann"})
				return err
			},
			"Bind": func() error {
				_, err := f.t.Bind(ctx, attribution.Signup{Customer: "cus-1", Visitor: "v1"})
				return err
			},
			"SubmitLead": func() error { _, err := f.t.SubmitLead(ctx, acmeInput()); return err },
		}
		for name, call := range calls {
			if err := call(); !errors.Is(err, down) {
				t.Errorf("%s = %v, want the store's error", name, err)
			}
		}
		if k := f.obs.kinds(); len(k) != 0 {
			t.Fatalf("the observer heard %v though the store stored nothing", k)
		}
	})
}
