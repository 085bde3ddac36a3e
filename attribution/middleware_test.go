package attribution_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
)

// site is a host application: a landing page and a signup form behind the
// referral middleware, on an https test server.
type site struct {
	f      *fixture
	mw     *attribution.Middleware
	srv    *httptest.Server
	client *http.Client

	mu     sync.Mutex
	errors []error
}

func newSite(t *testing.T, model attribution.Model) *site {
	t.Helper()
	s := &site{f: newFixture(t, func(c *attribution.Config) { c.Policy.Model = model })}
	mw, err := attribution.NewMiddleware(s.f.t, attribution.MiddlewareConfig{
		Keys: testKeys,
		OnError: func(_ *http.Request, err error) {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.errors = append(s.errors, err)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	s.mw = mw
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{page}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "page %s", r.PathValue("page"))
	})
	mux.HandleFunc("POST /signup", func(w http.ResponseWriter, r *http.Request) {
		ref, err := mw.Referral(r)
		if err != nil && !errors.Is(err, attribution.ErrNoReferral) {
			// A bad cookie never blocks a signup.
			fmt.Fprintf(w, "cookie refused: %v\n", err)
		}
		b, err := s.f.t.Bind(r.Context(), attribution.Signup{
			Customer: affiliate.CustomerID(r.FormValue("customer")),
			Email:    r.FormValue("email"),
			Code:     r.FormValue("code"),
			Referral: ref,
		})
		if err != nil {
			fmt.Fprintf(w, "not bound: %v", err)
			return
		}
		fmt.Fprintf(w, "bound to %s by %s", b.Affiliate, b.Source)
	})
	s.srv = httptest.NewTLSServer(mw.Handler(mux))
	t.Cleanup(s.srv.Close)
	s.client = s.srv.Client()
	s.client.Jar, _ = cookiejar.New(nil)
	return s
}

func (s *site) get(t *testing.T, path string) *http.Response {
	t.Helper()
	resp, err := s.client.Get(s.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", path, resp.Status)
	}
	return resp
}

func (s *site) signup(t *testing.T, form url.Values) string {
	t.Helper()
	resp, err := s.client.PostForm(s.srv.URL+"/signup", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return string(body)
}

func referralCookie(resp *http.Response) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == attribution.DefaultCookieName {
			return c
		}
	}
	return nil
}

// TestHTTPEndToEnd: a click sets the cookie, a later click under
// first-click keeps it, and the signup binds the customer to the first
// affiliate.
func TestHTTPEndToEnd(t *testing.T) {
	s := newSite(t, attribution.FirstClick)

	resp := s.get(t, "/pricing?ref=ANN")
	c := referralCookie(resp)
	if c == nil {
		t.Fatal("the click set no referral cookie")
	}
	if !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.MaxAge != 90*24*3600 {
		t.Fatalf("cookie attributes = %+v; want Secure, HttpOnly, SameSite=Lax, Path=/, MaxAge 90 days", c)
	}
	first, err := s.mw.Codec().Decode(c.Value)
	if err != nil || first.Affiliate != "ann" || first.Touch == "" {
		t.Fatalf("cookie carries %+v, %v", first, err)
	}

	s.f.clock.Advance(10 * day)
	if c := referralCookie(s.get(t, "/features?ref=bob")); c != nil {
		t.Fatalf("under first-click a second click replaced the cookie: %+v", c)
	}
	touches, _ := s.f.store.VisitorTouches(ctx, first.Visitor)
	if len(touches) != 2 || touches[1].Affiliate != "bob" || !strings.HasSuffix(touches[1].LandingURL, "/features?ref=bob") {
		t.Fatalf("the visitor's touches = %+v, want ann then bob", touches)
	}

	s.f.clock.Advance(day)
	if got := s.signup(t, url.Values{"customer": {"cus-1"}, "email": {"carol@carolco.io"}}); got != "bound to ann by link" {
		t.Fatalf("signup: %s", got)
	}
	b := s.f.binding(t, "cus-1")
	if b.Affiliate != "ann" || b.Touch != first.Touch || !b.TouchedAt.Equal(t0) {
		t.Fatalf("stored binding %+v, want ann's first touch", b)
	}
	if len(s.errors) != 0 {
		t.Fatalf("OnError heard %v", s.errors)
	}
}

func TestHTTPLastClickReplacesTheCookie(t *testing.T) {
	s := newSite(t, attribution.LastClick)
	first, _ := s.mw.Codec().Decode(referralCookie(s.get(t, "/pricing?ref=ann")).Value)
	s.f.clock.Advance(day)
	c := referralCookie(s.get(t, "/pricing?ref=bob"))
	if c == nil {
		t.Fatal("under last-click a second click kept the old cookie")
	}
	second, _ := s.mw.Codec().Decode(c.Value)
	if second.Affiliate != "bob" || second.Visitor != first.Visitor {
		t.Fatalf("replaced cookie = %+v; want bob for the same visitor %s", second, first.Visitor)
	}
	if got := s.signup(t, url.Values{"customer": {"cus-1"}}); got != "bound to bob by link" {
		t.Fatalf("signup: %s", got)
	}
}

func TestHTTPBadClicksPassThrough(t *testing.T) {
	s := newSite(t, attribution.FirstClick)
	for _, path := range []string{"/pricing?ref=ghost", "/pricing?ref=sue", "/pricing?ref=" + url.QueryEscape("<script>")} {
		if c := referralCookie(s.get(t, path)); c != nil {
			t.Fatalf("GET %s set a cookie", path)
		}
	}
	if len(s.errors) != 3 || !errors.Is(s.errors[0], attribution.ErrUnknownCode) || !errors.Is(s.errors[1], attribution.ErrAffiliateInactive) || !errors.Is(s.errors[2], affiliate.ErrInvalid) {
		t.Fatalf("OnError heard %v", s.errors)
	}
	if s.f.store.writes.Load() != 0 {
		t.Fatal("refused clicks were stored")
	}
	if got := s.signup(t, url.Values{"customer": {"cus-1"}}); !strings.Contains(got, "no referral") {
		t.Fatalf("signup without a referral: %s", got)
	}
}

func TestHTTPTamperedCookieIsReplaced(t *testing.T) {
	s := newSite(t, attribution.FirstClick)
	u, _ := url.Parse(s.srv.URL)
	good := referralCookie(s.get(t, "/pricing?ref=bob"))
	s.client.Jar.SetCookies(u, []*http.Cookie{{Name: attribution.DefaultCookieName, Value: good.Value[:len(good.Value)-2] + "AA", Path: "/"}})
	if got := s.signup(t, url.Values{"customer": {"cus-0"}}); !strings.Contains(got, "cookie refused") {
		t.Fatalf("signup with a tampered cookie: %s", got)
	}
	c := referralCookie(s.get(t, "/pricing?ref=ann"))
	if c == nil {
		t.Fatal("a click with a tampered cookie set no new cookie")
	}
	if r, err := s.mw.Codec().Decode(c.Value); err != nil || r.Affiliate != "ann" {
		t.Fatalf("new cookie = %+v, %v", r, err)
	}
}

// TestHTTPReferralOnTheClickRequest: a handler behind the middleware sees
// the referral of the very request that carried the click, and the
// middleware works when mounted on one subtree of any router.
func TestHTTPReferralOnTheClickRequest(t *testing.T) {
	f := newFixture(t)
	mw, err := attribution.NewMiddleware(f.t, attribution.MiddlewareConfig{Keys: testKeys, Param: "via", Cookie: attribution.CookieConfig{Name: "ref", Domain: "example.com", Path: "/go", Insecure: true}})
	if err != nil {
		t.Fatal(err)
	}
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref, err := mw.Referral(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusTeapot)
			return
		}
		fmt.Fprintf(w, "%s %s", r.URL.Path, ref.Affiliate)
	})
	mux := http.NewServeMux()
	mux.Handle("/go/", http.StripPrefix("/go", mw.Handler(app)))
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "https://example.com/go/start?via=Ann", nil))
	if rec.Code != http.StatusOK || rec.Body.String() != "/start ann" {
		t.Fatalf("response %d %q", rec.Code, rec.Body.String())
	}
	c := referralCookie(&http.Response{Header: rec.Header()})
	if c != nil {
		t.Fatalf("cookie set under the default name: %+v", c)
	}
	set := rec.Result().Cookies()
	if len(set) != 1 || set[0].Name != "ref" || set[0].Domain != "example.com" || set[0].Path != "/go" || set[0].Secure || !set[0].HttpOnly {
		t.Fatalf("cookies = %+v; want ref on example.com/go, HttpOnly, not Secure", set)
	}
	rec = httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "https://example.com/go/start", nil))
	if rec.Code != http.StatusTeapot || !strings.Contains(rec.Body.String(), "no referral") {
		t.Fatalf("request without a referral: %d %q", rec.Code, rec.Body.String())
	}
}

func TestNewMiddlewareConfig(t *testing.T) {
	f := newFixture(t)
	for _, cfg := range []attribution.MiddlewareConfig{
		{},
		{Keys: []attribution.Key{{ID: "k", Secret: []byte("short")}}},
		{Keys: testKeys, Cookie: attribution.CookieConfig{Name: "bad name"}},
	} {
		if _, err := attribution.NewMiddleware(f.t, cfg); !errors.Is(err, affiliate.ErrInvalid) {
			t.Errorf("NewMiddleware(%+v) = %v, want ErrInvalid", cfg, err)
		}
	}
	if _, err := attribution.NewMiddleware(nil, attribution.MiddlewareConfig{Keys: testKeys}); !errors.Is(err, affiliate.ErrInvalid) {
		t.Errorf("NewMiddleware(nil tracker) = %v", err)
	}
}
