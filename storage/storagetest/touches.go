package storagetest

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// tch builds a valid link touch.
func tch(id affiliate.TouchID, visitor affiliate.VisitorID, aff affiliate.AffiliateID, at time.Time) affiliate.Touch {
	return affiliate.Touch{
		ID: id, Visitor: visitor, Affiliate: aff, Code: string(aff), Source: affiliate.TouchLink, At: at,
		LandingURL: "https://example.com/?ref=" + string(aff), Referrer: "https://news.example/", IP: "192.0.2.7", UserAgent: "storagetest/1",
	}
}

func touchIDs(ts []affiliate.Touch) []affiliate.TouchID {
	out := make([]affiliate.TouchID, len(ts))
	for i, t := range ts {
		out[i] = t.ID
	}
	return out
}

// RunTouches is the Touches conformance suite.
// touchOf reads touch id back, among visitor v's touches, or ErrNotFound.
func touchOf(s storage.Touches, v affiliate.VisitorID, id affiliate.TouchID) (affiliate.Touch, error) {
	all, err := s.VisitorTouches(ctxT(), v)
	for _, t := range all {
		if t.ID == id {
			return t, nil
		}
	}
	if err == nil {
		err = affiliate.ErrNotFound
	}
	return affiliate.Touch{}, err
}

// RunTouches runs the cases of storage.Touches.
func RunTouches(t *testing.T, newStore Factory[storage.Touches]) {
	t.Run("AddAndRead", func(t *testing.T) {
		s := newStore(t)
		a := tch("t-a", "v1", "aff-1", t0)
		must(t, s.AddTouch(ctxT(), a))
		got, err := touchOf(s, "v1", "t-a")
		if err != nil {
			t.Fatal(err)
		}
		if diff := gocmp.Diff(a, got); diff != "" {
			t.Fatalf("Touch (-want +got):\n%s", diff)
		}
		code := affiliate.Touch{ID: "t-code", Visitor: "v1", Affiliate: "aff-2", Code: "summer", Source: affiliate.TouchCode, At: t0.Add(time.Hour)}
		must(t, s.AddTouch(ctxT(), code))
		if got, _ := touchOf(s, "v1", "t-code"); !gocmp.Equal(code, got) {
			t.Fatalf("Touch(t-code) = %+v, want %+v", got, code)
		}
	})

	t.Run("VisitorTouchesOrder", func(t *testing.T) {
		s := newStore(t)
		// Added out of order, with two at the same instant.
		for _, tc := range []affiliate.Touch{
			tch("t-3", "v1", "aff-1", t0.Add(2*time.Hour)),
			tch("t-2b", "v1", "aff-2", t0.Add(time.Hour)),
			tch("t-1", "v1", "aff-1", t0),
			tch("t-2a", "v1", "aff-3", t0.Add(time.Hour)),
			tch("t-other", "v2", "aff-1", t0),
		} {
			must(t, s.AddTouch(ctxT(), tc))
		}
		got, err := s.VisitorTouches(ctxT(), "v1")
		if err != nil {
			t.Fatal(err)
		}
		want := []affiliate.TouchID{"t-1", "t-2a", "t-2b", "t-3"} // by At, then ID
		if diff := gocmp.Diff(want, touchIDs(got)); diff != "" {
			t.Fatalf("VisitorTouches order (-want +got):\n%s", diff)
		}
		none, err := s.VisitorTouches(ctxT(), "v-unknown")
		if err != nil || len(none) != 0 {
			t.Fatalf("VisitorTouches(unknown) = %v, %v; want empty and no error", none, err)
		}
	})

	invalid := []struct {
		name string
		t    affiliate.Touch
	}{
		{"NoID", tch("", "v1", "aff-1", t0)},
		{"NoVisitor", tch("t-1", "", "aff-1", t0)},
		{"NoAffiliate", tch("t-1", "v1", "", t0)},
		{"BadSource", func() affiliate.Touch { x := tch("t-1", "v1", "aff-1", t0); x.Source = "banner"; return x }()},
		{"NoTime", tch("t-1", "v1", "aff-1", time.Time{})},
		{"LongUserAgent", func() affiliate.Touch {
			x := tch("t-1", "v1", "aff-1", t0)
			x.UserAgent = strings.Repeat("u", 2049)
			return x
		}()},
		{"ControlCharInID", tch("t\n1", "v1", "aff-1", t0)},
	}
	for _, tc := range invalid {
		t.Run("ErrorInvalid"+tc.name, func(t *testing.T) {
			s := newStore(t)
			if err := s.AddTouch(ctxT(), tc.t); !errors.Is(err, affiliate.ErrInvalid) {
				t.Fatalf("AddTouch = %v, want ErrInvalid", err)
			}
			if got, err := touchOf(s, tc.t.Visitor, tc.t.ID); !errors.Is(err, affiliate.ErrNotFound) {
				t.Fatalf("an invalid AddTouch stored %+v (err %v)", got, err)
			}
			if got, _ := s.VisitorTouches(ctxT(), tc.t.Visitor); len(got) != 0 {
				t.Fatalf("an invalid AddTouch stored %+v", got)
			}
		})
	}

	t.Run("ErrorConflictOnTakenID", func(t *testing.T) {
		s := newStore(t)
		first := tch("t-1", "v1", "aff-1", t0)
		must(t, s.AddTouch(ctxT(), first))
		for _, again := range []affiliate.Touch{first, tch("t-1", "v2", "aff-2", t0.Add(time.Hour))} {
			if err := s.AddTouch(ctxT(), again); !errors.Is(err, affiliate.ErrConflict) {
				t.Fatalf("AddTouch(taken ID) = %v, want ErrConflict", err)
			}
		}
		got, _ := touchOf(s, "v1", "t-1")
		v1, _ := s.VisitorTouches(ctxT(), "v1")
		v2, _ := s.VisitorTouches(ctxT(), "v2")
		if !gocmp.Equal(first, got) || len(v1) != 1 || len(v2) != 0 {
			t.Fatalf("a refused AddTouch changed the store: %+v, v1 %d, v2 %d", got, len(v1), len(v2))
		}
	})

	t.Run("CopyInCopyOut", func(t *testing.T) {
		s := newStore(t)
		a := tch("t-1", "v1", "aff-1", t0)
		want := a
		must(t, s.AddTouch(ctxT(), a))
		a.Affiliate = "mallory"
		list, _ := s.VisitorTouches(ctxT(), "v1")
		list[0].Affiliate = "mallory"
		got, _ := touchOf(s, "v1", "t-1")
		again, _ := s.VisitorTouches(ctxT(), "v1")
		if !gocmp.Equal(want, got) || len(again) != 1 || !gocmp.Equal(want, again[0]) {
			t.Fatalf("mutation leaked into the store: %+v, %+v", got, again)
		}
	})

	// Concurrent clicks of one visitor are all kept, in order; concurrent
	// adds of one ID store it once. Meant for -race.
	t.Run("ConcurrentAdds", func(t *testing.T) {
		s := newStore(t)
		const n = 32
		var wg sync.WaitGroup
		errs := make([]error, 2*n)
		for i := range n {
			wg.Add(2)
			go func() {
				defer wg.Done()
				errs[i] = s.AddTouch(ctxT(), tch(affiliate.TouchID(fmt.Sprintf("t-%02d", i)), "v1", "aff-1", t0.Add(time.Duration(n-i)*time.Minute)))
			}()
			go func() {
				defer wg.Done()
				errs[n+i] = s.AddTouch(ctxT(), tch("t-same", "v2", affiliate.AffiliateID(fmt.Sprintf("aff-%02d", i)), t0))
			}()
		}
		wg.Wait()
		wins := 0
		for i, err := range errs {
			switch {
			case i < n && err != nil:
				t.Fatalf("AddTouch %d: %v", i, err)
			case i >= n && err == nil:
				wins++
			case i >= n && !errors.Is(err, affiliate.ErrConflict):
				t.Fatalf("AddTouch(t-same) %d: %v, want nil or ErrConflict", i, err)
			}
		}
		if wins != 1 {
			t.Fatalf("%d concurrent adds of one touch ID succeeded, want 1", wins)
		}
		got, _ := s.VisitorTouches(ctxT(), "v1")
		if len(got) != n || !slices.IsSortedFunc(got, func(a, b affiliate.Touch) int { return a.At.Compare(b.At) }) {
			t.Fatalf("VisitorTouches after concurrent adds: %d touches, sorted %v", len(got), slices.IsSortedFunc(got, func(a, b affiliate.Touch) int { return a.At.Compare(b.At) }))
		}
		if v2, _ := s.VisitorTouches(ctxT(), "v2"); len(v2) != 1 {
			t.Fatalf("VisitorTouches(v2) = %d touches, want 1", len(v2))
		}
	})

	t.Run("Model", func(t *testing.T) { touchModel(t, newStore) })
}

// touchModel runs random adds and reads against a map of touches.
func touchModel(t *testing.T, newStore Factory[storage.Touches]) {
	checkRuns(t, newStore, func(rt *rapid.T, s storage.Touches) {
		model := map[affiliate.TouchID]affiliate.Touch{}
		ids := rapid.SampledFrom([]affiliate.TouchID{"t1", "t2", "t3", "t4", "t5", "t6"})
		visitors := rapid.SampledFrom([]affiliate.VisitorID{"v1", "v2", "v3"})
		rt.Repeat(map[string]func(*rapid.T){
			"AddTouch": func(rt *rapid.T) {
				x := tch(ids.Draw(rt, "id"), visitors.Draw(rt, "visitor"), "aff-1",
					t0.Add(time.Duration(rapid.IntRange(0, 5).Draw(rt, "hour"))*time.Hour)) // few instants: ties happen
				if rapid.IntRange(0, 9).Draw(rt, "invalid") == 0 {
					x.Source = "bogus"
					if err := s.AddTouch(ctxT(), x); !errors.Is(err, affiliate.ErrInvalid) {
						rt.Fatalf("AddTouch(invalid) = %v, want ErrInvalid", err)
					}
					return
				}
				err := s.AddTouch(ctxT(), x)
				if _, taken := model[x.ID]; taken {
					if !errors.Is(err, affiliate.ErrConflict) {
						rt.Fatalf("AddTouch(taken %s) = %v, want ErrConflict", x.ID, err)
					}
					return
				}
				if err != nil {
					rt.Fatalf("AddTouch(%s): %v", x.ID, err)
				}
				model[x.ID] = x
			},
			"VisitorTouches": func(rt *rapid.T) {
				v := visitors.Draw(rt, "visitor")
				var want []affiliate.Touch
				for _, x := range model {
					if x.Visitor == v {
						want = append(want, x)
					}
				}
				slices.SortFunc(want, func(a, b affiliate.Touch) int {
					return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.ID, b.ID))
				})
				got, err := s.VisitorTouches(ctxT(), v)
				if err != nil {
					rt.Fatal(err)
				}
				if len(want) == 0 && len(got) == 0 {
					return
				}
				if diff := gocmp.Diff(want, got); diff != "" {
					rt.Fatalf("VisitorTouches(%s) (-model +store):\n%s", v, diff)
				}
			},
		})
	})
}
