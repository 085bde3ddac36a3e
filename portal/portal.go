package portal

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/program"
	"github.com/openaffiliate/affiliate/storage"
)

// Config configures a Handler. Program, Affiliate and Secret are
// required; every other zero value is a documented default.
type Config struct {
	// Program is the affiliate program the pages read and act on.
	Program *program.Program
	// Affiliate is the host's authentication: the affiliate signed in on
	// r, and whether one is. Every affiliate page and API call shows that
	// affiliate's data only.
	Affiliate func(r *http.Request) (affiliate.AffiliateID, bool)
	// Manager says whether r comes from a program manager, and who (the
	// name goes into review decisions). Nil means no manager pages.
	Manager func(r *http.Request) (name string, ok bool)
	// Secret keys the forms' CSRF tokens (HMAC-SHA256); at least 32
	// random bytes, the same in every instance behind a load balancer.
	Secret []byte
	// Prefix is the path the host mounts the handler at, such as
	// "/partners"; "" means the root. The handler serves Prefix+"/".
	Prefix string
	// LinkBase is the page referral links point to; the link adds
	// "?ref=CODE" (LinkParam). Empty means "/".
	LinkBase  string
	LinkParam string // "" means "ref", the program's default
	// Locale returns the locale tag of the request's affiliate, such as
	// "de-DE" (see Locales). Nil means the browser's Accept-Language.
	Locale func(r *http.Request) string
	// CustomerEmail returns a customer's e-mail for the referrals page,
	// which shows it masked; nil, or "", shows the masked customer ID.
	CustomerEmail func(ctx context.Context, c affiliate.CustomerID) string
	// Reviewer is the review queue of held entries; nil hides the page.
	Reviewer Reviewer
	// Months is how many months, up to the current one, the dashboards
	// and payout history cover; 0 means 12.
	Months int
	// Now is the clock of "the current month" and of CSRF tokens; nil
	// means time.Now. Balances are as of the program's own clock.
	Now func() time.Time
	// OnError hears about failures shown as a bare 500; nil drops them.
	OnError func(r *http.Request, err error)
}

// Handler serves the portal: affiliate pages, manager pages, their JSON
// API and two static files. It is safe for concurrent use.
type Handler struct {
	cfg   Config
	loc   *time.Location
	mux   *http.ServeMux
	store program.Store
}

// New validates cfg and returns the handler. It returns a
// *affiliate.FieldError (ErrInvalid) naming the field at fault.
func New(cfg Config) (*Handler, error) {
	switch {
	case cfg.Program == nil:
		return nil, &affiliate.FieldError{Field: "Config.Program", Reason: "missing"}
	case cfg.Affiliate == nil:
		return nil, &affiliate.FieldError{Field: "Config.Affiliate", Reason: "missing: the host's authentication"}
	case len(cfg.Secret) < 32:
		return nil, &affiliate.FieldError{Field: "Config.Secret", Reason: "shorter than 32 bytes"}
	case cfg.Prefix != "" && (!strings.HasPrefix(cfg.Prefix, "/") || strings.HasSuffix(cfg.Prefix, "/")):
		return nil, &affiliate.FieldError{Field: "Config.Prefix", Reason: "must start with / and not end with one"}
	case cfg.Months < 0 || cfg.Months > 120:
		return nil, &affiliate.FieldError{Field: "Config.Months", Reason: "must be 0 to 120"}
	}
	if cfg.Months == 0 {
		cfg.Months = 12
	}
	if cfg.LinkBase == "" {
		cfg.LinkBase = "/"
	}
	if cfg.LinkParam == "" {
		cfg.LinkParam = "ref"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	h := &Handler{cfg: cfg, store: cfg.Program.Store(), mux: http.NewServeMux()}
	h.loc = cfg.Program.Month(2000, time.January).Start().Location()
	h.routes()
	return h, nil
}

// ServeHTTP sets the security headers, refuses cross-site writes, and
// serves the page or API call.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("Referrer-Policy", "same-origin")
	hd.Set("Cache-Control", "no-store")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		if err := h.sameOrigin(r); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.mux.ServeHTTP(w, r)
}

// who is the request's affiliate, or "" and a 401 written.
func (h *Handler) who(w http.ResponseWriter, r *http.Request) (affiliate.AffiliateID, bool) {
	a, ok := h.cfg.Affiliate(r)
	if !ok || affiliate.ValidateID("affiliate", a) != nil {
		h.fail(w, r, errUnauthorized)
		return "", false
	}
	return a, true
}

// manager is the request's manager, or "" and a 403 (404 without
// manager pages) written.
func (h *Handler) manager(w http.ResponseWriter, r *http.Request) (string, bool) {
	if h.cfg.Manager == nil {
		http.NotFound(w, r)
		return "", false
	}
	name, ok := h.cfg.Manager(r)
	if !ok {
		h.fail(w, r, errForbidden)
		return "", false
	}
	return name, true
}

// thisMonth is the current month in the program's location.
func (h *Handler) thisMonth() affiliate.Period {
	now := h.cfg.Now().In(h.loc)
	return h.cfg.Program.Month(now.Year(), now.Month())
}

// first is the oldest month the dashboards and payout history cover.
func (h *Handler) first() affiliate.Period {
	p := h.thisMonth()
	for range h.cfg.Months - 1 {
		p = p.Prev()
	}
	return p
}

// month parses a "2026-01" path value in the program's location.
func (h *Handler) month(s string) (affiliate.Period, error) {
	if s == "" {
		return h.thisMonth(), nil
	}
	return affiliate.ParsePeriod(s, h.loc)
}

// Errors of the handler's own making; the library's sentinels map to
// statuses in status.
var (
	errUnauthorized = errors.New("portal: not signed in")
	errForbidden    = errors.New("portal: not allowed")
	errNoList       = fmt.Errorf("%w: the store keeps no list for this page (storage.BindingLister, storage.LeadLister)", affiliate.ErrNotFound)
)

// status maps an error to the HTTP status and the message a page shows.
// Only the library's typed input errors show their text: anything else
// is a bare 500, so that nothing about storage leaks.
func status(err error) (int, string) {
	var fe *affiliate.FieldError
	switch {
	case errors.Is(err, errUnauthorized):
		return http.StatusUnauthorized, "Please sign in."
	case errors.Is(err, errForbidden):
		return http.StatusForbidden, "Forbidden."
	case errors.Is(err, errCrossSite):
		return http.StatusForbidden, "Cross-site request refused."
	case errors.Is(err, affiliate.ErrNotFound):
		return http.StatusNotFound, "Not found."
	case errors.As(err, &fe):
		return http.StatusBadRequest, fe.Error()
	case errors.Is(err, affiliate.ErrInvalid):
		return http.StatusBadRequest, "Invalid request."
	case errors.Is(err, affiliate.ErrConflict):
		return http.StatusConflict, "Conflict: " + err.Error()
	}
	return http.StatusInternalServerError, "Internal error."
}

// bindingLister and leadLister return the store's optional list reads,
// or errNoList.
func (h *Handler) bindingLister() (storage.BindingLister, error) {
	if l, ok := h.store.(storage.BindingLister); ok {
		return l, nil
	}
	return nil, errNoList
}

func (h *Handler) leadLister() (storage.LeadLister, error) {
	if l, ok := h.store.(storage.LeadLister); ok {
		return l, nil
	}
	return nil, errNoList
}
