package attribution

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/openaffiliate/affiliate"
)

// DefaultParam is the query parameter that carries a referral code when
// MiddlewareConfig.Param is empty: https://example.com/?ref=CODE.
const DefaultParam = "ref"

// MiddlewareConfig configures a Middleware.
type MiddlewareConfig struct {
	// Keys sign the cookie; Keys[0] signs, all verify. Required.
	Keys []Key
	// Param is the query parameter that carries the code; empty means
	// DefaultParam ("ref").
	Param  string
	Cookie CookieConfig
	// VisitorID returns the host's own visitor ID for a request without a
	// valid referral cookie, or "" to let the Tracker make one. Nil means
	// the Tracker always makes one.
	VisitorID func(r *http.Request) affiliate.VisitorID
	// OnError hears about referral clicks that were not recorded (an
	// unknown or malformed code, a suspended affiliate, a store failure).
	// The request goes on either way. Nil means they are dropped.
	OnError func(r *http.Request, err error)
}

// Middleware records referral clicks and keeps the referral cookie. It
// wraps any http.Handler, so it sits behind any router that takes
// func(http.Handler) http.Handler. It is safe for concurrent use.
type Middleware struct {
	t      *Tracker
	codec  *Codec
	param  string
	cookie CookieConfig
	cfg    MiddlewareConfig
}

// NewMiddleware returns the middleware for t and cfg, or a
// *affiliate.FieldError for a missing or malformed key.
func NewMiddleware(t *Tracker, cfg MiddlewareConfig) (*Middleware, error) {
	if t == nil {
		return nil, &affiliate.FieldError{Field: "tracker", Reason: "missing"}
	}
	codec, err := NewCodec(CodecConfig{Keys: cfg.Keys, Window: t.window, Now: t.cfg.Now})
	if err != nil {
		return nil, err
	}
	cookie, err := cfg.Cookie.withDefaults()
	if err != nil {
		return nil, err
	}
	m := &Middleware{t: t, codec: codec, param: cfg.Param, cookie: cookie, cfg: cfg}
	if m.param == "" {
		m.param = DefaultParam
	}
	return m, nil
}

// Codec returns the codec that signs the middleware's cookies, for hosts
// that set or read the cookie themselves.
func (m *Middleware) Codec() *Codec { return m.codec }

type referralKey struct{}

// Handler returns next wrapped: a request whose query carries the
// parameter gets its touch recorded and the cookie set (under first-click
// a valid cookie is kept; under last-click it is replaced), and goes on to
// next with the referral in its context, so Referral sees it even on this
// first request. A request without the parameter, or whose click could not
// be recorded (OnError hears why), goes on unchanged. The middleware never
// answers a request itself.
func (m *Middleware) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		code := r.URL.Query().Get(m.param)
		if code == "" {
			next.ServeHTTP(w, r)
			return
		}
		ref, err := m.click(w, r, code)
		if err != nil {
			if m.cfg.OnError != nil {
				m.cfg.OnError(r, err)
			}
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), referralKey{}, ref)))
	})
}

// click records one referral click and sets the cookie as the model says.
func (m *Middleware) click(w http.ResponseWriter, r *http.Request, code string) (Referral, error) {
	old, oldErr := m.cookieReferral(r)
	visitor := old.Visitor
	if oldErr != nil {
		if m.cfg.VisitorID != nil {
			visitor = m.cfg.VisitorID(r)
		}
		if visitor == "" {
			visitor = affiliate.VisitorID(m.t.cfg.NewID("v_"))
		}
	}
	touch, err := m.t.RecordTouch(r.Context(), TouchInput{
		Visitor:    visitor,
		Code:       code,
		Source:     affiliate.TouchLink,
		LandingURL: truncate(requestURL(r), maxContextLen),
		Referrer:   truncate(r.Referer(), maxContextLen),
		IP:         truncate(r.RemoteAddr, maxContextLen),
		UserAgent:  truncate(r.UserAgent(), maxContextLen),
	})
	if err != nil {
		return Referral{}, err
	}
	if oldErr == nil && m.t.policy.Model == FirstClick {
		return old, nil // the first touch keeps the credit
	}
	ref := Referral{Affiliate: touch.Affiliate, Visitor: touch.Visitor, Touch: touch.ID, At: touch.At}
	value, err := m.codec.Encode(ref)
	if err != nil {
		return Referral{}, err
	}
	http.SetCookie(w, m.httpCookie(value, touch.At))
	return ref, nil
}

func requestURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + r.URL.RequestURI()
}

func (m *Middleware) httpCookie(value string, touched time.Time) *http.Cookie {
	expires := touched.Add(m.codec.window)
	return &http.Cookie{
		Name:     m.cookie.Name,
		Value:    value,
		Path:     m.cookie.Path,
		Domain:   m.cookie.Domain,
		Expires:  expires.UTC(),
		MaxAge:   int(m.codec.window / time.Second),
		Secure:   !m.cookie.Insecure,
		HttpOnly: true,
		SameSite: m.cookie.SameSite,
	}
}

// cookieReferral decodes the request's referral cookie: under the
// configured name, or the legacy one when the default name is in use and
// the request has no cookie of that name yet.
func (m *Middleware) cookieReferral(r *http.Request) (Referral, error) {
	c, err := r.Cookie(m.cookie.Name)
	if errors.Is(err, http.ErrNoCookie) && m.cookie.Name == DefaultCookieName {
		c, err = r.Cookie(LegacyCookieName)
	}
	if errors.Is(err, http.ErrNoCookie) {
		return Referral{}, ErrNoReferral
	}
	if err != nil {
		return Referral{}, &CookieError{Err: ErrCookieMalformed, Detail: err.Error()}
	}
	return m.codec.Decode(c.Value)
}

// Referral returns the referral a request carries, for the signup handler
// to put in Signup.Referral: the one the middleware recorded on this very
// request, or else the one in the referral cookie. A request without
// either gets ErrNoReferral; a cookie that does not verify or has expired
// gets its *CookieError. Either way the signup goes on: Bind still sees a
// typed code, a lead and the visitor's touches.
func (m *Middleware) Referral(r *http.Request) (Referral, error) {
	if ref, ok := r.Context().Value(referralKey{}).(Referral); ok {
		return ref, nil
	}
	return m.cookieReferral(r)
}
