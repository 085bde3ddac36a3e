package portal

import (
	"errors"
	"net/http"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
	"github.com/openaffiliate/affiliate/report"
	"github.com/openaffiliate/affiliate/storage"
)

// The program manager's pages: the program dashboard, the leads to
// review, the payout runs with mark-paid, and (with a Reviewer) the
// entries on hold. Each is also a JSON call under /api/manage/.

func (h *Handler) manageRoutes() {
	p := h.cfg.Prefix
	for _, rt := range []struct {
		path, page, title string
		load              managerLoader
	}{
		{"/manage/{$}", "program", "Program", h.loadProgram},
		{"/manage/leads", "review-leads", "Leads to review", h.loadReviewLeads},
		{"/manage/payouts", "runs", "Payout runs", h.loadRun},
		{"/manage/review", "review", "Entries on hold", h.loadHeld},
	} {
		h.mux.HandleFunc("GET "+p+rt.path, h.managerPage(rt.page, rt.title, rt.load))
	}
	for _, rt := range []struct {
		path string
		load managerLoader
	}{
		{"/dashboard", h.loadProgram},
		{"/leads", h.loadReviewLeads},
		{"/payouts/{month}", h.loadRun},
		{"/review", h.loadHeld},
	} {
		h.mux.HandleFunc("GET "+p+"/api/manage"+rt.path, h.managerAPI(rt.load))
	}
	for _, rt := range []struct {
		path string
		act  action
	}{
		{"/leads/{id}/refuse", h.refuseLead},
		{"/payouts/run", h.runPayouts},
		{"/payouts/{id}/paid", h.markPaid},
		// Entry IDs hold slashes: the ID is the path's tail.
		{"/review/{decision}/{id...}", h.decide},
	} {
		h.mux.HandleFunc("POST "+p+"/manage"+rt.path, h.managerForm(rt.act))
		h.mux.HandleFunc("POST "+p+"/api/manage"+rt.path, h.managerAction(rt.act))
	}
}

type managerLoader func(r *http.Request) (any, error)

// action does a manager's write from its fields (form or JSON) and
// returns what it did and where the page goes next.
type action func(r *http.Request, manager string, field func(string) string) (result any, next string, err error)

func (h *Handler) managerPage(name, title string, load managerLoader) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		m, ok := h.manager(w, r)
		if !ok {
			return
		}
		data, err := load(r)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		pg := h.newPage(r, title, managerSubject(m), data)
		pg.Managing = true
		h.render(w, r, name, http.StatusOK, pg)
	}
}

func (h *Handler) managerAPI(load managerLoader) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, ok := h.manager(w, r); !ok {
			return
		}
		data, err := load(r)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, data)
	}
}

func (h *Handler) managerForm(act action) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		m, ok := h.manager(w, r)
		if !ok {
			return
		}
		if err := h.checkToken(r, managerSubject(m)); err != nil {
			h.fail(w, r, err)
			return
		}
		_, next, err := act(r, m, r.PostFormValue)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
	}
}

func (h *Handler) managerAction(act action) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		m, ok := h.manager(w, r)
		if !ok {
			return
		}
		body := map[string]string{}
		if err := h.decodeJSON(r, managerSubject(m), &body); err != nil {
			h.fail(w, r, err)
			return
		}
		res, _, err := act(r, m, func(k string) string { return body[k] })
		if err != nil {
			h.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, res)
	}
}

// ProgramView is the manager's dashboard.
type ProgramView struct {
	Dashboard report.Dashboard `json:"dashboard"`
	Chart     *Chart           `json:"-"`
}

func (h *Handler) loadProgram(r *http.Request) (any, error) {
	d, err := h.cfg.Program.ProgramDashboard(r.Context(), report.Range{From: h.first(), To: h.thisMonth()})
	if err != nil {
		return nil, err
	}
	return ProgramView{Dashboard: d, Chart: newChart(d)}, nil
}

// loadReviewLeads lists the accepted leads, which a manager may still
// refuse (a submitted lead is judged at once by the checks).
func (h *Handler) loadReviewLeads(r *http.Request) (any, error) {
	ls, err := h.leads(r.Context(), storage.LeadQuery{Status: affiliate.LeadAccepted})
	if err != nil {
		return nil, err
	}
	out := make([]LeadView, len(ls))
	for i, l := range ls {
		out[i] = leadView(l)
	}
	return out, nil
}

func (h *Handler) refuseLead(r *http.Request, _ string, field func(string) string) (any, string, error) {
	detail := field("reason")
	if detail == "" {
		return nil, "", &affiliate.FieldError{Field: "reason", Reason: "missing: the partner sees why"}
	}
	l, err := h.cfg.Program.RefuseLead(r.Context(), affiliate.LeadID(r.PathValue("id")), attribution.Reason{Code: "manager", Detail: detail})
	if err != nil {
		return nil, "", err
	}
	return leadView(l), h.cfg.Prefix + "/manage/leads?done=refused", nil
}

// RunView is a month's payout run, or none yet.
type RunView struct {
	Month   string       `json:"month"`
	Ran     bool         `json:"ran"`
	Payouts []PayoutView `json:"payouts"`
	Carried int          `json:"carried"` // balances left for the next run
	Ended   bool         `json:"ended"`   // the month is over: a run may start
}

func (h *Handler) loadRun(r *http.Request) (any, error) {
	m := r.PathValue("month")
	if m == "" {
		m = r.URL.Query().Get("month")
	}
	if m == "" {
		m = h.thisMonth().Prev().String()
	}
	period, err := h.month(m)
	if err != nil {
		return nil, err
	}
	v := RunView{Month: period.String(), Payouts: []PayoutView{}, Ended: period.Ended(h.cfg.Now())}
	run, err := h.store.PayoutRun(r.Context(), report.DefaultProgram, period)
	if errors.Is(err, affiliate.ErrNotFound) {
		return v, nil
	} else if err != nil {
		return nil, err
	}
	v.Ran, v.Carried = true, len(run.Carried)
	for _, p := range run.Payouts {
		v.Payouts = append(v.Payouts, payoutView(p))
	}
	return v, nil
}

func (h *Handler) runPayouts(r *http.Request, _ string, field func(string) string) (any, string, error) {
	period, err := affiliate.ParsePeriod(field("month"), h.loc)
	if err != nil {
		return nil, "", err
	}
	res, err := h.cfg.Program.RunPayouts(r.Context(), period)
	if err != nil {
		return nil, "", err
	}
	out := RunView{Month: period.String(), Ran: true, Ended: true, Carried: len(res.Carried), Payouts: []PayoutView{}}
	for _, p := range res.Payouts {
		out.Payouts = append(out.Payouts, payoutView(p))
	}
	return out, h.cfg.Prefix + "/manage/payouts?month=" + period.String(), nil
}

func (h *Handler) markPaid(r *http.Request, _ string, field func(string) string) (any, string, error) {
	ref := field("reference")
	if ref == "" {
		return nil, "", &affiliate.FieldError{Field: "reference", Reason: "missing: the transfer's reference"}
	}
	p, err := h.cfg.Program.SettlePayout(r.Context(), affiliate.PayoutID(r.PathValue("id")), ref)
	if err != nil {
		return nil, "", err
	}
	next := h.cfg.Prefix + "/manage/payouts?month=" + p.Period.String() + "&done=paid"
	return payoutView(p), next, nil
}

func (h *Handler) loadHeld(r *http.Request) (any, error) {
	if h.cfg.Reviewer == nil {
		return nil, errNotFound("review queue")
	}
	held, err := h.cfg.Reviewer.Pending(r.Context())
	if held == nil {
		held = []HeldEntry{}
	}
	return held, err
}

func (h *Handler) decide(r *http.Request, manager string, field func(string) string) (any, string, error) {
	if h.cfg.Reviewer == nil {
		return nil, "", errNotFound("review queue")
	}
	d := Decision{ID: r.PathValue("id"), Reviewer: manager, Note: field("note")}
	var err error
	done := map[string]string{"approve": "approved", "reject": "rejected"}[r.PathValue("decision")]
	switch r.PathValue("decision") {
	case "approve":
		err = h.cfg.Reviewer.Approve(r.Context(), d)
	case "reject":
		err = h.cfg.Reviewer.Reject(r.Context(), d)
	default:
		err = errNotFound("decision")
	}
	if err != nil {
		return nil, "", err
	}
	return d, h.cfg.Prefix + "/manage/review?done=" + done, nil
}
