package portal

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strconv"
)

// errCrossSite refuses a write that did not come from the portal's own
// pages: another site's origin, or no valid token.
var errCrossSite = errors.New("portal: cross-site request")

// Two defences guard every write, as go.mod's Go 1.24 has no
// http.CrossOriginProtection: the browser's word on where the request
// comes from (Sec-Fetch-Site, else Origin), and a token only the portal's
// own pages and API hand out.

// sameOrigin refuses a request the browser says another site made.
// Requests without either header (curl, old browsers) pass on to the
// token check.
func (h *Handler) sameOrigin(r *http.Request) error {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin", "none":
		return nil
	case "":
	default:
		return errCrossSite
	}
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil || u.Host != r.Host {
			return errCrossSite
		}
	}
	return nil
}

// token is the CSRF token of subject (the signed-in affiliate or
// manager) for day, counted in days since 1970 UTC: an HMAC, so the
// server keeps no session. A token lives until the end of the next day.
func (h *Handler) token(subject string, day int64) string {
	m := hmac.New(sha256.New, h.cfg.Secret)
	m.Write([]byte("portal-csrf\x00" + subject + "\x00" + strconv.FormatInt(day, 10)))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (h *Handler) today() int64 { return h.cfg.Now().Unix() / 86400 }

// csrf is the token pages put in their forms for subject.
func (h *Handler) csrf(subject string) string { return h.token(subject, h.today()) }

// checkToken accepts today's or yesterday's token of subject, from the
// form field "csrf" or the X-CSRF-Token header (the JSON API).
func (h *Handler) checkToken(r *http.Request, subject string) error {
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.PostFormValue("csrf")
	}
	today := h.today()
	for _, day := range []int64{today, today - 1} {
		if hmac.Equal([]byte(got), []byte(h.token(subject, day))) {
			return nil
		}
	}
	return errCrossSite
}

func affiliateSubject(a string) string { return "affiliate:" + a }
func managerSubject(m string) string   { return "manager:" + m }
