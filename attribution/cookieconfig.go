package attribution

import (
	"net/http"
	"strings"

	"github.com/openaffiliate/affiliate"
)

// DefaultCookieName is the referral cookie's name when CookieConfig.Name
// is empty and the cookie can carry the __Host- prefix (Secure, no Domain,
// path "/"): browsers then keep it only as such, so neither a subdomain nor
// a plain-http page can plant or overwrite it.
const DefaultCookieName = "__Host-aff_ref"

// LegacyCookieName was the default name before DefaultCookieName. It is
// the name when CookieConfig.Name is empty but the __Host- prefix cannot
// apply (a Domain, Insecure, or another Path). A middleware named
// DefaultCookieName still reads a cookie of this name, so cookies set
// before an upgrade keep their referrals until they expire.
const LegacyCookieName = "aff_ref"

// CookieConfig shapes the referral cookie. The defaults are the safe ones:
// a __Host- name, Secure, HttpOnly, SameSite=Lax, path "/", host-only, and
// a max age equal to the attribution window. Settings that browsers drop
// silently are refused when the middleware is built: SameSite=None without
// Secure, a __Host- name with a Domain, without Secure or with a Path
// other than "/", a __Secure- name without Secure.
type CookieConfig struct {
	Name   string // empty: DefaultCookieName, or LegacyCookieName when __Host- cannot apply
	Domain string // empty: host-only; set ".example.com" to share it with subdomains
	Path   string // empty: "/"
	// Insecure drops the Secure attribute, for http://localhost during
	// development only.
	Insecure bool
	// SameSite zero means http.SameSiteLaxMode: the cookie rides on a
	// top-level navigation from another site, which is how a referral link
	// arrives, but is neither sent nor set on cross-site subrequests
	// (hidden frames and images).
	SameSite http.SameSite
}

// withDefaults returns c with its defaults filled in, or a
// *affiliate.FieldError for a cookie browsers would not keep.
func (c CookieConfig) withDefaults() (CookieConfig, error) {
	if c.Path == "" {
		c.Path = "/"
	}
	if c.SameSite == 0 {
		c.SameSite = http.SameSiteLaxMode
	}
	if c.Name == "" {
		c.Name = DefaultCookieName
		if c.Domain != "" || c.Insecure || c.Path != "/" {
			c.Name = LegacyCookieName
		}
	}
	lower := strings.ToLower(c.Name) // browsers match the prefixes case-insensitively
	switch {
	case !validCookieName(c.Name):
		return c, &affiliate.FieldError{Field: "CookieConfig.Name", Reason: "not a cookie name"}
	case c.SameSite == http.SameSiteNoneMode && c.Insecure:
		return c, &affiliate.FieldError{Field: "CookieConfig.SameSite", Reason: "SameSite=None needs Secure: browsers drop the cookie"}
	case strings.HasPrefix(lower, "__host-") && c.Domain != "":
		return c, &affiliate.FieldError{Field: "CookieConfig.Domain", Reason: "a __Host- cookie has no Domain: browsers drop it"}
	case strings.HasPrefix(lower, "__host-") && c.Path != "/":
		return c, &affiliate.FieldError{Field: "CookieConfig.Path", Reason: "a __Host- cookie has Path \"/\": browsers drop it otherwise"}
	case strings.HasPrefix(lower, "__host-") && c.Insecure:
		return c, &affiliate.FieldError{Field: "CookieConfig.Insecure", Reason: "a __Host- cookie needs Secure: browsers drop it"}
	case strings.HasPrefix(lower, "__secure-") && c.Insecure:
		return c, &affiliate.FieldError{Field: "CookieConfig.Insecure", Reason: "a __Secure- cookie needs Secure: browsers drop it"}
	}
	return c, nil
}

func validCookieName(n string) bool {
	for i := 0; i < len(n); i++ {
		b := n[i]
		if b <= ' ' || b >= 0x7f || b == '=' || b == ';' || b == ',' || b == '"' || b == '\\' || b == '(' || b == ')' || b == '/' || b == ':' || b == '<' || b == '>' || b == '?' || b == '@' || b == '[' || b == ']' || b == '{' || b == '}' {
			return false
		}
	}
	return n != ""
}
