package portal

import (
	"encoding/json"
	"mime"
	"net/http"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/storage"
)

// The affiliate's pages and API calls: each loader reads for the
// affiliate the host authenticated, whatever the URL says.

func (h *Handler) loadDashboard(r *http.Request, a affiliate.AffiliateID) (any, error) {
	return h.dashboardView(r.Context(), a)
}

func (h *Handler) loadReferrals(r *http.Request, a affiliate.AffiliateID) (any, error) {
	return h.referrals(r.Context(), a)
}

// StatementView is a month's statement and the months one can pick.
type StatementView struct {
	Statement  payout.Statement     `json:"statement"`
	Months     []string             `json:"months"`     // newest first, "2026-01"
	Currencies []affiliate.Currency `json:"currencies"` // with a balance; ?currency= picks one
}

func (h *Handler) loadStatement(r *http.Request, a affiliate.AffiliateID) (any, error) {
	m := r.PathValue("month")
	if m == "" {
		m = r.URL.Query().Get("month")
	}
	period, err := h.month(m)
	if err != nil {
		return nil, err
	}
	st, currencies, err := h.statement(r.Context(), a, period, r.URL.Query().Get("currency"))
	if err != nil {
		return nil, err
	}
	v := StatementView{Statement: st, Currencies: currencies}
	for p := h.thisMonth(); !p.Before(h.first()); p = p.Prev() {
		v.Months = append(v.Months, p.String())
	}
	return v, nil
}

// PayoutView is one payout as the API writes it.
type PayoutView struct {
	ID        affiliate.PayoutID     `json:"id"`
	Period    string                 `json:"period"`
	Amount    affiliate.Money        `json:"amount"`
	Status    affiliate.PayoutStatus `json:"status"`
	Entries   int                    `json:"entries"`
	CreatedAt time.Time              `json:"created_at"`
	SettledAt time.Time              `json:"settled_at,omitzero"`
	Reference string                 `json:"reference,omitempty"`
	Note      string                 `json:"note,omitempty"`
	Affiliate affiliate.AffiliateID  `json:"affiliate"`
}

func payoutView(p affiliate.Payout) PayoutView {
	return PayoutView{ID: p.ID, Period: p.Period.String(), Amount: p.Amount, Status: p.Status, Entries: len(p.Entries),
		CreatedAt: p.CreatedAt, SettledAt: p.SettledAt, Reference: p.Reference, Note: p.Note, Affiliate: p.Affiliate}
}

func (h *Handler) loadPayouts(r *http.Request, a affiliate.AffiliateID) (any, error) {
	all, err := h.payouts(r.Context(), a)
	if err != nil {
		return nil, err
	}
	out := make([]PayoutView, len(all))
	for i, p := range all {
		out[i] = payoutView(p)
	}
	return out, nil
}

func (h *Handler) loadPayout(r *http.Request, a affiliate.AffiliateID) (any, error) {
	p, err := h.payout(r.Context(), a, affiliate.PayoutID(r.PathValue("id")))
	if err != nil {
		return nil, err
	}
	return payoutView(p), nil
}

// LeadView is one lead as pages and the API show it to its partner.
type LeadView struct {
	ID          affiliate.LeadID      `json:"id"`
	Company     string                `json:"company"`
	Email       string                `json:"email"`
	Website     string                `json:"website"`
	LinkedIn    string                `json:"linkedin"`
	Status      affiliate.LeadStatus  `json:"status"`
	Reasons     []string              `json:"reasons"` // every refusal reason, "code: detail"
	SubmittedAt time.Time             `json:"submitted_at"`
	DecidedAt   time.Time             `json:"decided_at,omitzero"`
	Affiliate   affiliate.AffiliateID `json:"affiliate"`
}

func leadView(l affiliate.Lead) LeadView {
	v := LeadView{ID: l.ID, Company: l.Company, Email: l.Email, Website: l.Website, LinkedIn: l.LinkedIn,
		Status: l.Status, Reasons: l.Reasons, SubmittedAt: l.SubmittedAt, DecidedAt: l.DecidedAt, Affiliate: l.Affiliate}
	if v.Reasons == nil {
		v.Reasons = []string{}
	}
	return v
}

// LeadsView is the lead page: the form (as last sent, after an error)
// and the partner's leads, newest first.
type LeadsView struct {
	Form  LeadForm   `json:"-"`
	Leads []LeadView `json:"leads"`
}

// LeadForm is what a partner types in; the API takes it as JSON.
type LeadForm struct {
	Company    string `json:"company"`
	Email      string `json:"email"`
	Website    string `json:"website"`
	LinkedIn   string `json:"linkedin"`
	Freelancer bool   `json:"freelancer"`
}

func (h *Handler) loadLeads(r *http.Request, a affiliate.AffiliateID) (any, error) {
	ls, err := h.leads(r.Context(), storage.LeadQuery{Affiliate: a})
	if err != nil {
		return nil, err
	}
	v := LeadsView{Leads: make([]LeadView, len(ls))}
	for i, l := range ls {
		v.Leads[i] = leadView(l)
	}
	return v, nil
}

func (h *Handler) loadLead(r *http.Request, a affiliate.AffiliateID) (any, error) {
	l, err := h.lead(r.Context(), a, affiliate.LeadID(r.PathValue("id")))
	if err != nil {
		return nil, err
	}
	return leadView(l), nil
}

// submitLead judges and stores a lead; a refusal is a stored lead with
// its reasons, not an error.
func (h *Handler) submitLead(r *http.Request, a affiliate.AffiliateID, f LeadForm) (affiliate.Lead, error) {
	return h.cfg.Program.SubmitLead(r.Context(), attribution.LeadInput{
		Affiliate: a, Company: f.Company, Email: f.Email, Website: f.Website, LinkedIn: f.LinkedIn, Freelancer: f.Freelancer,
	})
}

func (h *Handler) submitLeadForm(w http.ResponseWriter, r *http.Request) {
	a, ok := h.who(w, r)
	if !ok {
		return
	}
	if err := h.checkToken(r, affiliateSubject(string(a))); err != nil {
		h.fail(w, r, err)
		return
	}
	f := LeadForm{Company: r.PostFormValue("company"), Email: r.PostFormValue("email"), Website: r.PostFormValue("website"),
		LinkedIn: r.PostFormValue("linkedin"), Freelancer: r.PostFormValue("freelancer") != ""}
	l, err := h.submitLead(r, a, f)
	if code, msg := status(err); err != nil && code == http.StatusBadRequest {
		// Bad input: the form again, as typed, with what is wrong.
		data, lerr := h.loadLeads(r, a)
		if lerr != nil {
			h.fail(w, r, lerr)
			return
		}
		v := data.(LeadsView)
		v.Form = f
		p := h.newPage(r, "Leads", affiliateSubject(string(a)), v)
		p.Error = msg
		h.render(w, r, "leads", code, p)
		return
	} else if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, h.cfg.Prefix+"/leads/"+string(l.ID), http.StatusSeeOther)
}

func (h *Handler) submitLeadAPI(w http.ResponseWriter, r *http.Request) {
	a, ok := h.who(w, r)
	if !ok {
		return
	}
	var f LeadForm
	if err := h.decodeJSON(r, affiliateSubject(string(a)), &f); err != nil {
		h.fail(w, r, err)
		return
	}
	l, err := h.submitLead(r, a, f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, leadView(l))
}

// decodeJSON checks an API write's token and content type and decodes
// its body (at most 64 KiB) into v.
func (h *Handler) decodeJSON(r *http.Request, subject string, v any) error {
	if err := h.checkToken(r, subject); err != nil {
		return err
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		return &affiliate.FieldError{Field: "Content-Type", Reason: "must be application/json"}
	}
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return &affiliate.FieldError{Field: "body", Reason: "not the expected JSON: " + err.Error()}
	}
	return nil
}
