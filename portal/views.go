package portal

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/report"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/tiers"
)

// The views are what a page shows and the API returns: the same value,
// so the two never disagree. Each reads for one affiliate, named by the
// caller from the authenticated request, never from the URL.

// DashboardView is an affiliate's dashboard.
type DashboardView struct {
	Links     []ReferralLink   `json:"links"`
	Dashboard report.Dashboard `json:"dashboard"`
	Tier      *TierView        `json:"tier,omitempty"` // nil without a tier program
	Chart     *Chart           `json:"-"`
}

// ReferralLink is one of the affiliate's codes and the link that carries it.
type ReferralLink struct {
	Code string `json:"code"`
	URL  string `json:"url"`
}

// TierView is the affiliate's tier and what the next one needs.
type TierView struct {
	Current string         `json:"current"` // the tier in effect this month
	Rate    affiliate.Rate `json:"rate"`
	// Reached is the tier this month's figures reach so far (under the
	// default policy it applies next month).
	Reached string `json:"reached"`
	Next    string `json:"next,omitempty"` // "" at the top tier
	// NeedsAmount or NeedsCount is what the month still needs for Next.
	NeedsAmount affiliate.Money `json:"needs_amount,omitzero"`
	NeedsCount  int64           `json:"needs_count,omitempty"`
}

func (h *Handler) dashboardView(ctx context.Context, a affiliate.AffiliateID) (DashboardView, error) {
	var v DashboardView
	acc, err := h.store.Affiliate(ctx, a)
	if err != nil {
		return v, err
	}
	for _, c := range acc.Codes {
		v.Links = append(v.Links, ReferralLink{Code: c, URL: h.link(c)})
	}
	v.Dashboard, err = h.cfg.Program.Dashboard(ctx, a, report.Range{From: h.first(), To: h.thisMonth()})
	if err != nil {
		return v, err
	}
	if v.Tier, err = h.tierView(ctx, a); err != nil {
		return v, err
	}
	v.Chart = newChart(v.Dashboard)
	return v, nil
}

func (h *Handler) link(code string) string {
	sep := "?"
	if strings.Contains(h.cfg.LinkBase, "?") {
		sep = "&"
	}
	return h.cfg.LinkBase + sep + url.QueryEscape(h.cfg.LinkParam) + "=" + url.QueryEscape(code)
}

// tierView reads the tier in effect (the month's decision under
// SamePeriod, the month before's under NextPeriod) and the month's
// standing so far.
func (h *Handler) tierView(ctx context.Context, a affiliate.AffiliateID) (*TierView, error) {
	tp := h.cfg.Program.Tiers()
	if tp == nil {
		return nil, nil
	}
	this := h.thisMonth()
	now, err := tp.Decide(ctx, a, this)
	if err != nil {
		return nil, err
	}
	effect := now
	if tp.Policy() == tiers.NextPeriod {
		if effect, err = tp.Decide(ctx, a, this.Prev()); err != nil {
			return nil, err
		}
	}
	v := &TierView{Current: effect.Tier.Name, Rate: effect.Tier.Rate, Reached: now.Reached.Name}
	for _, t := range tp.Schedule().Tiers() {
		if c, err := t.Threshold.Cmp(now.Value); err != nil || c <= 0 {
			continue
		}
		v.Next = t.Name
		if t.Threshold.IsAmount() {
			have := now.Value.Amount
			if have.Currency() == "" {
				have = affiliate.Zero(t.Threshold.Amount.Currency())
			}
			if v.NeedsAmount, err = t.Threshold.Amount.Sub(have); err != nil {
				return nil, err
			}
		} else {
			v.NeedsCount = t.Threshold.Count - now.Value.Count
		}
		break
	}
	return v, nil
}

// Referral is one customer bound to the affiliate.
type Referral struct {
	Customer string    `json:"customer"` // masked e-mail, or masked ID
	Since    time.Time `json:"since"`
	// Status is "signed up" (no payment yet), "paying" or "expired"
	// (the binding ended; earlier earnings stay).
	Status string            `json:"status"`
	Earned []affiliate.Money `json:"earned"` // net, per currency
}

func (h *Handler) referrals(ctx context.Context, a affiliate.AffiliateID) ([]Referral, error) {
	bl, err := h.bindingLister()
	if err != nil {
		return nil, err
	}
	bindings, err := bl.AffiliateBindings(ctx, a)
	if err != nil {
		return nil, err
	}
	entries, err := h.store.Entries(ctx, storage.EntryQuery{Beneficiary: a})
	if err != nil {
		return nil, err
	}
	earned := map[affiliate.CustomerID][]affiliate.Money{}
	for _, e := range entries {
		if earned[e.Customer], err = addMoney(earned[e.Customer], e.Amount); err != nil {
			return nil, err
		}
	}
	now := h.cfg.Now()
	out := []Referral{}
	for _, b := range bindings {
		r := Referral{Customer: maskID(string(b.Customer)), Since: b.BoundAt, Status: "signed up", Earned: earned[b.Customer]}
		if h.cfg.CustomerEmail != nil {
			if e := h.cfg.CustomerEmail(ctx, b.Customer); e != "" {
				r.Customer = MaskEmail(e)
			}
		}
		if r.Earned == nil {
			r.Earned = []affiliate.Money{}
		} else {
			r.Status = "paying"
		}
		if !b.ExpiresAt.IsZero() && !now.Before(b.ExpiresAt) {
			r.Status = "expired"
		}
		out = append(out, r)
	}
	return out, nil
}

// MaskEmail keeps an address recognisable to its owner's affiliate and
// useless to anyone else: "jane.doe@acme.com" → "j•••@a•••.com".
func MaskEmail(email string) string {
	local, domain, ok := strings.Cut(email, "@")
	if !ok {
		return maskID(email)
	}
	host, tld := domain, ""
	if i := strings.LastIndexByte(domain, '.'); i > 0 {
		host, tld = domain[:i], domain[i:]
	}
	return maskID(local) + "@" + maskID(host) + tld
}

func maskID(s string) string {
	for _, r := range s {
		return string(r) + "•••"
	}
	return "•••"
}

func addMoney(list []affiliate.Money, m affiliate.Money) ([]affiliate.Money, error) {
	for i, x := range list {
		if x.Currency() == m.Currency() {
			sum, err := x.Add(m)
			list[i] = sum
			return list, err
		}
	}
	list = append(list, m)
	slices.SortFunc(list, func(x, y affiliate.Money) int { return strings.Compare(string(x.Currency()), string(y.Currency())) })
	return list, nil
}

// payouts is the affiliate's payout history over the portal's months,
// newest first: the program's runs and the affiliate's own requests
// (program.RequestPayout), which are runs under payout.RequestProgram.
func (h *Handler) payouts(ctx context.Context, a affiliate.AffiliateID) ([]affiliate.Payout, error) {
	prog := h.cfg.Program.Payouts().Program()
	out := []affiliate.Payout{}
	for _, key := range []string{prog, payout.RequestProgram(prog, a)} {
		runs, err := h.store.AffiliateRuns(ctx, key, a, h.first(), h.thisMonth())
		if err != nil {
			return nil, err
		}
		for _, r := range runs {
			out = append(out, r.Payouts...)
		}
	}
	slices.SortStableFunc(out, func(x, y affiliate.Payout) int {
		if c := y.Period.Start().Compare(x.Period.Start()); c != 0 {
			return c
		}
		return y.CreatedAt.Compare(x.CreatedAt)
	})
	return out, nil
}

// payout finds one of a's payouts; another affiliate's is not found,
// exactly as an unknown ID is.
func (h *Handler) payout(ctx context.Context, a affiliate.AffiliateID, id affiliate.PayoutID) (affiliate.Payout, error) {
	all, err := h.payouts(ctx, a)
	if err != nil {
		return affiliate.Payout{}, err
	}
	for _, p := range all {
		if p.ID == id {
			return p, nil
		}
	}
	return affiliate.Payout{}, errNotFound("payout")
}

// statement is a's statement of period in currency cur; "" means the
// program's currency, or, for a program without one (seed 002 pays in
// each invoice's currency), the first currency a has a balance in. It
// also returns the currencies a has balances in, for the page's picker.
func (h *Handler) statement(ctx context.Context, a affiliate.AffiliateID, period affiliate.Period, cur string) (payout.Statement, []affiliate.Currency, error) {
	balances, err := h.cfg.Program.Balance(ctx, a, h.cfg.Now())
	if err != nil {
		return payout.Statement{}, nil, err
	}
	var currencies []affiliate.Currency
	for _, b := range balances {
		currencies = append(currencies, b.Currency)
	}
	if cur == "" {
		st, err := h.cfg.Program.Statement(ctx, a, period)
		if err == nil || len(currencies) == 0 {
			return st, currencies, err
		}
		cur = string(currencies[0])
	}
	c := affiliate.Currency(cur)
	if err := c.Validate(); err != nil {
		return payout.Statement{}, nil, &affiliate.FieldError{Field: "currency", Reason: "not a known currency", Err: err}
	}
	st, err := h.cfg.Program.Payouts().Statement(ctx, a, period, c)
	return st, currencies, err
}

// leads are a partner's leads, newest first.
func (h *Handler) leads(ctx context.Context, q storage.LeadQuery) ([]affiliate.Lead, error) {
	ll, err := h.leadLister()
	if err != nil {
		return nil, err
	}
	out, err := ll.Leads(ctx, q)
	slices.Reverse(out)
	return out, err
}

// lead finds one of a's leads; another partner's is not found, exactly
// as an unknown ID is.
func (h *Handler) lead(ctx context.Context, a affiliate.AffiliateID, id affiliate.LeadID) (affiliate.Lead, error) {
	l, err := h.store.Lead(ctx, id)
	if errors.Is(err, affiliate.ErrNotFound) || (err == nil && l.Affiliate != a) {
		return affiliate.Lead{}, errNotFound("lead")
	}
	return l, err
}

func errNotFound(what string) error { return &notFound{what} }

type notFound struct{ what string }

func (e *notFound) Error() string { return "portal: " + e.what + " not found" }
func (e *notFound) Unwrap() error { return affiliate.ErrNotFound }
