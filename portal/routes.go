package portal

import (
	"io/fs"
	"net/http"

	"github.com/openaffiliate/affiliate"
)

// routes registers every page and API call. Affiliate routes take the
// affiliate from Config.Affiliate and never from the URL: a path names
// at most an object (a payout, a lead), which is looked up among the
// signed-in affiliate's own.
func (h *Handler) routes() {
	p := h.cfg.Prefix
	static, _ := fs.Sub(staticFS, "static")
	h.mux.Handle("GET "+p+"/static/", http.StripPrefix(p+"/static/", http.FileServerFS(static)))

	for _, rt := range []struct {
		path, page, title string
		load              loader
	}{
		{"/{$}", "dashboard", "Dashboard", h.loadDashboard},
		{"/referrals", "referrals", "Referrals", h.loadReferrals},
		{"/statements", "statement", "Statements", h.loadStatement},
		{"/payouts", "payouts", "Payouts", h.loadPayouts},
		{"/payouts/{id}", "payout", "Payout", h.loadPayout},
		{"/leads", "leads", "Leads", h.loadLeads},
		{"/leads/{id}", "lead", "Lead", h.loadLead},
	} {
		h.mux.HandleFunc("GET "+p+rt.path, h.affiliatePage(rt.page, rt.title, rt.load))
	}
	h.mux.HandleFunc("POST "+p+"/leads", h.submitLeadForm)
	h.mux.HandleFunc("GET "+p+"/statements/{month}", h.statementCSV)
	h.mux.HandleFunc("GET "+p+"/payouts.csv", h.payoutsCSV)

	for _, rt := range []struct {
		path string
		load loader
	}{
		{"/dashboard", h.loadDashboard},
		{"/referrals", h.loadReferrals},
		{"/statements/{month}", h.loadStatement},
		{"/payouts", h.loadPayouts},
		{"/payouts/{id}", h.loadPayout},
		{"/leads", h.loadLeads},
		{"/leads/{id}", h.loadLead},
	} {
		h.mux.HandleFunc("GET "+p+"/api"+rt.path, h.affiliateAPI(rt.load))
	}
	h.mux.HandleFunc("GET "+p+"/api/session", h.session)
	h.mux.HandleFunc("POST "+p+"/api/leads", h.submitLeadAPI)

	h.manageRoutes()
}

// loader reads what a page or API call shows, for affiliate a.
type loader func(r *http.Request, a affiliate.AffiliateID) (any, error)

func (h *Handler) affiliatePage(name, title string, load loader) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a, ok := h.who(w, r)
		if !ok {
			return
		}
		data, err := load(r, a)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		h.render(w, r, name, http.StatusOK, h.newPage(r, title, affiliateSubject(string(a)), data))
	}
}

func (h *Handler) affiliateAPI(load loader) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a, ok := h.who(w, r)
		if !ok {
			return
		}
		data, err := load(r, a)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, data)
	}
}

// session tells a host's own front end who is signed in and the token
// its writes carry in X-CSRF-Token.
func (h *Handler) session(w http.ResponseWriter, r *http.Request) {
	out := struct {
		Affiliate affiliate.AffiliateID `json:"affiliate,omitempty"`
		Manager   string                `json:"manager,omitempty"`
		Token     string                `json:"csrf_token,omitempty"`
		Managing  string                `json:"manager_csrf_token,omitempty"`
	}{}
	if a, ok := h.cfg.Affiliate(r); ok {
		out.Affiliate, out.Token = a, h.csrf(affiliateSubject(string(a)))
	}
	if h.cfg.Manager != nil {
		if m, ok := h.cfg.Manager(r); ok {
			out.Manager, out.Managing = m, h.csrf(managerSubject(m))
		}
	}
	if out.Affiliate == "" && out.Manager == "" {
		h.fail(w, r, errUnauthorized)
		return
	}
	writeJSON(w, http.StatusOK, out)
}
