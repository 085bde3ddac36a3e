package attribution_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
)

// A cookie configuration browsers drop silently is refused when the
// middleware is built; the name defaults to the __Host- one where the
// prefix can apply.
func TestCookieConfig(t *testing.T) {
	cases := []struct {
		name   string
		cookie attribution.CookieConfig
		field  string // "" when accepted
		set    string // the name the cookie is set under, when accepted
	}{
		{"the defaults", attribution.CookieConfig{}, "", attribution.DefaultCookieName},
		{"path / spelt out", attribution.CookieConfig{Path: "/"}, "", attribution.DefaultCookieName},
		{"shared with subdomains", attribution.CookieConfig{Domain: ".example.com"}, "", attribution.LegacyCookieName},
		{"insecure for localhost", attribution.CookieConfig{Insecure: true}, "", attribution.LegacyCookieName},
		{"under /shop", attribution.CookieConfig{Path: "/shop"}, "", attribution.LegacyCookieName},
		{"a name of its own", attribution.CookieConfig{Name: "ref"}, "", "ref"},
		{"SameSite=None and Secure", attribution.CookieConfig{SameSite: http.SameSiteNoneMode}, "", attribution.DefaultCookieName},
		{"a __Secure- name", attribution.CookieConfig{Name: "__Secure-ref", Domain: ".example.com"}, "", "__Secure-ref"},

		{"SameSite=None without Secure", attribution.CookieConfig{SameSite: http.SameSiteNoneMode, Insecure: true}, "CookieConfig.SameSite", ""},
		{"__Host- with a Domain", attribution.CookieConfig{Name: "__Host-ref", Domain: ".example.com"}, "CookieConfig.Domain", ""},
		{"__Host- without Secure", attribution.CookieConfig{Name: "__Host-ref", Insecure: true}, "CookieConfig.Insecure", ""},
		{"__host- in lower case with a Domain", attribution.CookieConfig{Name: "__host-ref", Domain: "example.com"}, "CookieConfig.Domain", ""},
		{"__Host- under /shop", attribution.CookieConfig{Name: "__Host-ref", Path: "/shop"}, "CookieConfig.Path", ""},
		{"__Secure- without Secure", attribution.CookieConfig{Name: "__Secure-ref", Insecure: true}, "CookieConfig.Insecure", ""},
		{"not a cookie name", attribution.CookieConfig{Name: "a;b"}, "CookieConfig.Name", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			mw, err := attribution.NewMiddleware(f.t, attribution.MiddlewareConfig{Keys: testKeys, Cookie: tc.cookie})
			if tc.field != "" {
				var fe *affiliate.FieldError
				if !errors.As(err, &fe) || !errors.Is(err, affiliate.ErrInvalid) || fe.Field != tc.field {
					t.Fatalf("NewMiddleware = %v; want a *FieldError for %s", err, tc.field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			rec := httptest.NewRecorder()
			mw.Handler(http.NotFoundHandler()).ServeHTTP(rec, httptest.NewRequest("GET", "https://example.com/?ref=ann", nil))
			if cs := rec.Result().Cookies(); len(cs) != 1 || cs[0].Name != tc.set {
				t.Fatalf("cookies set %v, want one named %s", cs, tc.set)
			}
		})
	}
}

// A cookie set under the old default name before an upgrade is still
// read by a middleware with the new default name.
func TestLegacyCookieStillRead(t *testing.T) {
	f := newFixture(t)
	mw, err := attribution.NewMiddleware(f.t, attribution.MiddlewareConfig{Keys: testKeys})
	if err != nil {
		t.Fatal(err)
	}
	value := mustEncode(t, mw.Codec(), attribution.Referral{Affiliate: "ann", Visitor: "v_old", At: t0.Add(-day)})
	req := httptest.NewRequest("POST", "https://example.com/signup", nil)
	req.AddCookie(&http.Cookie{Name: attribution.LegacyCookieName, Value: value})
	got, err := mw.Referral(req)
	if err != nil || got.Visitor != "v_old" {
		t.Fatalf("Referral = %+v, %v; want the legacy cookie's referral", got, err)
	}
}
