package program

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/storage"
)

// Errors of the review calls.
var (
	// ErrNoReviews reports a review call on a program whose store keeps no
	// review trail (it does not implement storage.Reviews). It matches
	// affiliate.ErrInvalid.
	ErrNoReviews = fmt.Errorf("%w: the program's store keeps no review trail (storage.Reviews)", affiliate.ErrInvalid)
	// ErrNotPending reports a decision on an entry or binding that is not
	// waiting for one (approved already, or never held). It matches
	// affiliate.ErrConflict.
	ErrNotPending = fmt.Errorf("%w: not pending review", affiliate.ErrConflict)
)

// Adjustment is a manual bonus, correction or clawback; see Adjust.
type Adjustment = commission.Adjustment

// PendingQuery selects what waits for review. Zero fields do not filter.
type PendingQuery struct {
	Affiliate affiliate.AffiliateID
	Customer  affiliate.CustomerID
	Rule      string
	// From and To select entries earned in [From, To).
	From, To time.Time
	// MinAmount keeps entries of its currency whose amount reaches it.
	MinAmount affiliate.Money
	// AsOf is when standings are judged (after-hold approvals); zero
	// means Config.Now.
	AsOf time.Time
}

// Pending is one entry, or one customer's binding, waiting for review.
type Pending struct {
	// Entry is the entry on hold; its ID is empty for a held binding.
	Entry     affiliate.Entry
	Customer  affiliate.CustomerID
	Affiliate affiliate.AffiliateID
	// Amount is what the entry and the entries correcting it net to: what
	// approval makes payable and rejection takes back.
	Amount affiliate.Money
	Reason string
	Since  time.Time
}

// Decision is a reviewer's approval, rejection or hold. It names entries,
// customers' bindings, a query, or any mix; Key makes it idempotent.
// Without a Query the call reads the whole ledger to find the entries; a
// Query whose Affiliate or Customer is set reads only theirs (entries
// named outside it are then not found).
type Decision struct {
	Key       string
	Entries   []affiliate.EntryID
	Customers []affiliate.CustomerID // their bindings
	Query     *PendingQuery          // every pending entry it selects; for Hold, every approved open one
	Reviewer  string
	Reason    string
}

// Pending returns the entries and bindings waiting for review, ordered by
// Since, then entry ID and customer: roots only (see affiliate.Standings),
// each with the reason and since when. Entries in a payout are not
// pending. Returns ErrNoReviews without a review trail.
func (p *Program) Pending(ctx context.Context, q PendingQuery) ([]Pending, error) {
	v, err := p.review(ctx, q.Affiliate, q.Customer, q.AsOf)
	if err != nil {
		return nil, err
	}
	held, err := v.heldBindings(ctx, p.cfg.Store)
	if err != nil {
		return nil, err
	}
	return v.pending(q, held), nil
}

// Approve approves what d names: the entries become payable, and a held
// binding's entries follow the approval policy again. Approvals are
// records; nothing in the ledger changes.
//
// It is idempotent by d.Key. Returns a *affiliate.FieldError (ErrInvalid)
// for a decision without key, reviewer, reason or subject, or naming an
// entry that corrects another (review that one); ErrNotFound for an
// unknown entry or an unbound customer; commission.ErrRejected for a
// rejected entry; commission.ErrSettled for an entry in a payout;
// ErrNotPending for one that is approved already or a binding not on
// hold. Nothing is written then.
func (p *Program) Approve(ctx context.Context, d Decision) error {
	return p.decide(ctx, affiliate.ReviewApprove, d)
}

// Reject takes back what d names: each entry by a reversal linked to it,
// written by the engine (commission.Engine.Reject), and a record with the
// reviewer and reason. Rejecting a binding rejects every open entry its
// affiliate earned on the customer, and keeps the customer's later
// entries pending. Returns the errors of Approve, except that an approved
// entry that is not yet in a payout may be rejected.
//
// A failure midway (a store error between two entries) leaves the
// entries rejected so far; calling again with the same Key completes it.
func (p *Program) Reject(ctx context.Context, d Decision) error {
	return p.decide(ctx, affiliate.ReviewReject, d)
}

// Hold puts what d names on hold for review: a host's own fraud signal.
// A Query holds the approved entries it selects that are in no payout.
// Returns the errors of Approve, with ErrNotPending for an entry that is
// held already.
func (p *Program) Hold(ctx context.Context, d Decision) error {
	return p.decide(ctx, affiliate.ReviewHold, d)
}

// Adjust writes a manual adjustment; see commission.Engine.Adjust. The
// entry is reviewed like any other under Config.Approval (per rule, its
// Rule is "manual/<kind>").
func (p *Program) Adjust(ctx context.Context, a Adjustment) (affiliate.Entry, error) {
	return p.engine.Adjust(ctx, a)
}

// reviewView is the ledger and the review trail as one call sees them.
type reviewView struct {
	store     storage.Reviews
	entries   []affiliate.Entry
	byID      map[affiliate.EntryID]int
	open      map[affiliate.EntryID]bool
	reviews   []affiliate.Review
	standings map[affiliate.EntryID]affiliate.Standing
	net       map[affiliate.EntryID]int64 // by root
}

func (p *Program) reviews() (storage.Reviews, error) {
	rs, ok := p.cfg.Store.(storage.Reviews)
	if !ok {
		return nil, ErrNoReviews
	}
	return rs, nil
}

// review loads the entries of affiliate a or customer c (every entry
// when both are empty) and the review trail, and judges them at asOf.
func (p *Program) review(ctx context.Context, a affiliate.AffiliateID, c affiliate.CustomerID, asOf time.Time) (*reviewView, error) {
	rs, err := p.reviews()
	if err != nil {
		return nil, err
	}
	if asOf.IsZero() {
		asOf = p.cfg.Now()
	}
	q := storage.EntryQuery{Beneficiary: a, Customer: c}
	entries, err := p.cfg.Store.Entries(ctx, q)
	if err != nil {
		return nil, err
	}
	q.Unsettled = true
	unsettled, err := p.cfg.Store.Entries(ctx, q)
	if err != nil {
		return nil, err
	}
	reviews, err := rs.Reviews(ctx, storage.ReviewQuery{})
	if err != nil {
		return nil, err
	}
	v := &reviewView{store: rs, entries: entries, reviews: reviews, byID: make(map[affiliate.EntryID]int, len(entries)),
		open: make(map[affiliate.EntryID]bool, len(unsettled)), net: make(map[affiliate.EntryID]int64)}
	for i, e := range entries {
		v.byID[e.ID] = i
	}
	for _, e := range unsettled {
		v.open[e.ID] = true
	}
	v.standings = affiliate.Standings(entries, reviews, p.cfg.Approval, asOf)
	for _, e := range entries {
		v.net[v.standings[e.ID].Root] += e.Amount.Minor()
	}
	return v, nil
}

// pending lists what q selects of the pending root entries and of the
// held bindings.
func (v *reviewView) pending(q PendingQuery, held []affiliate.Review) []Pending {
	var out []Pending
	for _, e := range v.entries {
		s := v.standings[e.ID]
		if s.Root != e.ID || s.Status != affiliate.EntryPending || !v.open[e.ID] || !q.selects(e) {
			continue
		}
		out = append(out, Pending{Entry: e, Customer: e.Customer, Affiliate: e.Beneficiary,
			Amount: affiliate.MustMoney(v.net[e.ID], e.Amount.Currency()), Reason: s.Reason, Since: s.Since})
	}
	if q.Rule == "" && q.MinAmount.Currency() == "" && q.From.IsZero() && q.To.IsZero() {
		for _, b := range held {
			if (q.Affiliate == "" || q.Affiliate == b.Affiliate) && (q.Customer == "" || q.Customer == b.Customer) {
				out = append(out, Pending{Customer: b.Customer, Affiliate: b.Affiliate, Reason: b.Reason, Since: b.At})
			}
		}
	}
	slices.SortFunc(out, func(a, b Pending) int {
		if c := a.Since.Compare(b.Since); c != 0 {
			return c
		}
		if c := strings.Compare(string(a.Entry.ID), string(b.Entry.ID)); c != 0 {
			return c
		}
		return strings.Compare(string(a.Customer), string(b.Customer))
	})
	return out
}

// bindingRecord returns the latest record about customer c's binding to
// affiliate a (or to no affiliate named), as affiliate.Standings judges
// a's entries: a record naming another affiliate is about another
// binding.
func (v *reviewView) bindingRecord(c affiliate.CustomerID, a affiliate.AffiliateID) (affiliate.Review, bool) {
	var last affiliate.Review
	found := false
	for _, r := range v.reviews {
		if r.Entry == "" && r.Customer == c && (r.Affiliate == a || r.Affiliate == "") && (!found || !r.At.Before(last.At)) {
			last, found = r, true
		}
	}
	return last, found
}

// heldBindings returns the hold records of the customers whose current
// binding is on hold.
func (v *reviewView) heldBindings(ctx context.Context, store storage.Bindings) ([]affiliate.Review, error) {
	seen := make(map[affiliate.CustomerID]bool)
	var out []affiliate.Review
	for _, r := range v.reviews {
		if r.Entry != "" || r.Action != affiliate.ReviewHold || seen[r.Customer] {
			continue
		}
		seen[r.Customer] = true
		b, err := store.Binding(ctx, r.Customer)
		if errors.Is(err, affiliate.ErrNotFound) {
			continue
		} else if err != nil {
			return nil, err
		}
		if last, _ := v.bindingRecord(r.Customer, b.Affiliate); last.Action == affiliate.ReviewHold {
			out = append(out, last)
		}
	}
	return out, nil
}

func (q PendingQuery) selects(e affiliate.Entry) bool {
	m := q.MinAmount
	return (q.Affiliate == "" || e.Beneficiary == q.Affiliate) &&
		(q.Customer == "" || e.Customer == q.Customer) &&
		(q.Rule == "" || e.Rule == q.Rule) &&
		(q.From.IsZero() || !e.At.Before(q.From)) &&
		(q.To.IsZero() || e.At.Before(q.To)) &&
		(m.Currency() == "" || e.Amount.Currency() == m.Currency() && e.Amount.Minor() >= m.Minor())
}

func (d Decision) validate() error {
	for _, f := range []struct{ name, v string }{{"Decision.Key", d.Key}, {"Decision.Reviewer", d.Reviewer}, {"Decision.Reason", d.Reason}} {
		if err := affiliate.ValidateID(f.name, f.v); err != nil {
			return err
		}
	}
	if len(d.Entries) == 0 && len(d.Customers) == 0 && d.Query == nil {
		return &affiliate.FieldError{Field: "Decision", Reason: "names no entry, customer or query"}
	}
	if d.Query != nil && d.Query.MinAmount.Currency() != "" {
		if err := d.Query.MinAmount.Validate(); err != nil {
			return &affiliate.FieldError{Field: "Decision.Query.MinAmount", Reason: "needs a known currency", Err: affiliate.ErrUnknownCurrency}
		}
	}
	return nil
}

// subKey is the engine's key for rejecting one entry of decision key.
func subKey(key string, id affiliate.EntryID) string { return key + "/" + string(id) }

func (p *Program) decide(ctx context.Context, action affiliate.ReviewAction, d Decision) error {
	if err := d.validate(); err != nil {
		return err
	}
	hash, err := affiliate.Hash(struct {
		Action   affiliate.ReviewAction
		Decision Decision
	}{action, d})
	if err != nil {
		return err
	}
	rs, err := p.reviews()
	if err != nil {
		return err
	}
	// A key used before: the store replays or refuses another payload.
	if done, err := rs.Reviews(ctx, storage.ReviewQuery{Key: d.Key}); err != nil {
		return err
	} else if len(done) > 0 {
		_, err := rs.AppendReviews(ctx, d.Key, hash, done[:1])
		return err
	}
	var scopeA affiliate.AffiliateID
	var scopeC affiliate.CustomerID
	if d.Query != nil {
		scopeA, scopeC = d.Query.Affiliate, d.Query.Customer
	}
	var asOf time.Time
	if d.Query != nil {
		asOf = d.Query.AsOf
	}
	v, err := p.review(ctx, scopeA, scopeC, asOf)
	if err != nil {
		return err
	}
	now := p.cfg.Now().UTC()
	var records []affiliate.Review
	var roots []affiliate.Entry
	seen := make(map[affiliate.EntryID]bool)
	addRoot := func(e affiliate.Entry) {
		if !seen[e.ID] {
			seen[e.ID] = true
			roots = append(roots, e)
			records = append(records, affiliate.Review{Key: d.Key, Action: action, Entry: e.ID, Customer: e.Customer, Affiliate: e.Beneficiary, Reason: d.Reason, Actor: d.Reviewer, At: now})
		}
	}
	for _, id := range d.Entries {
		e, err := v.reviewable(action, id, d.Key)
		if err != nil {
			return err
		}
		addRoot(e)
	}
	if d.Query != nil {
		for _, e := range v.queried(action, *d.Query, d.Key) {
			addRoot(e)
		}
	}
	for _, c := range d.Customers {
		b, err := p.cfg.Store.Binding(ctx, c)
		if err != nil {
			return fmt.Errorf("program: binding of %s: %w", c, err)
		}
		last, held := v.bindingRecord(c, b.Affiliate)
		held = held && last.Action == affiliate.ReviewHold
		if action == affiliate.ReviewHold && held || action != affiliate.ReviewHold && !held {
			return fmt.Errorf("program: binding of %s: %w", c, ErrNotPending)
		}
		records = append(records, affiliate.Review{Key: d.Key, Action: action, Customer: c, Affiliate: b.Affiliate, Reason: d.Reason, Actor: d.Reviewer, At: now})
		if action == affiliate.ReviewReject {
			for _, e := range v.entries {
				s := v.standings[e.ID]
				if s.Root == e.ID && e.Customer == c && e.Beneficiary == b.Affiliate && v.open[e.ID] && (s.Status != affiliate.EntryRejected || v.rejectedBy(e.ID, subKey(d.Key, e.ID))) {
					addRoot(e)
				}
			}
		}
	}
	if len(records) == 0 {
		return nil // a query that selects nothing
	}
	if action == affiliate.ReviewReject {
		for _, e := range roots {
			_, err := p.engine.Reject(ctx, commission.Rejection{Entry: e.ID, Customer: e.Customer, Affiliate: e.Beneficiary, Key: subKey(d.Key, e.ID), Reason: d.Reason, Actor: d.Reviewer})
			if err != nil {
				return err
			}
		}
	}
	_, err = rs.AppendReviews(ctx, d.Key, hash, records)
	return err
}

// queried returns the open root entries q selects for action: a hold
// takes the approved ones, an approval or rejection the pending ones; a
// rejection also takes those its own key rejected before a failure
// midway, so the retry records them.
func (v *reviewView) queried(action affiliate.ReviewAction, q PendingQuery, key string) []affiliate.Entry {
	want := affiliate.EntryPending
	if action == affiliate.ReviewHold {
		want = affiliate.EntryApproved
	}
	var out []affiliate.Entry
	for _, e := range v.entries {
		s := v.standings[e.ID]
		if s.Root != e.ID || !v.open[e.ID] || !q.selects(e) {
			continue
		}
		if s.Status == want || action == affiliate.ReviewReject && s.Status == affiliate.EntryRejected && v.rejectedBy(e.ID, subKey(key, e.ID)) {
			out = append(out, e)
		}
	}
	return out
}

// reviewable finds entry id and checks that action may apply to it.
func (v *reviewView) reviewable(action affiliate.ReviewAction, id affiliate.EntryID, key string) (affiliate.Entry, error) {
	i, ok := v.byID[id]
	if !ok {
		return affiliate.Entry{}, fmt.Errorf("program: entry %s: %w", id, affiliate.ErrNotFound)
	}
	e, s := v.entries[i], v.standings[id]
	switch {
	case s.Root != id:
		return affiliate.Entry{}, &affiliate.FieldError{Field: "Decision.Entries", Reason: "entry " + string(id) + " corrects " + string(s.Root) + ": review that one"}
	case s.Status == affiliate.EntryRejected:
		if action == affiliate.ReviewReject && v.rejectedBy(id, subKey(key, id)) {
			return e, nil // this decision's own rejection, from a call that failed midway
		}
		return affiliate.Entry{}, fmt.Errorf("program: entry %s: %w", id, commission.ErrRejected)
	case !v.open[id]:
		return affiliate.Entry{}, fmt.Errorf("program: entry %s: %w", id, commission.ErrSettled)
	case action == affiliate.ReviewApprove && s.Status != affiliate.EntryPending:
		return affiliate.Entry{}, fmt.Errorf("program: entry %s is %s: %w", id, s.Status, ErrNotPending)
	case action == affiliate.ReviewHold && s.Status == affiliate.EntryPending:
		return affiliate.Entry{}, fmt.Errorf("program: entry %s is on hold already: %w", id, ErrNotPending)
	}
	return e, nil
}

// rejectedBy reports whether the engine's rejection under key rejected id.
func (v *reviewView) rejectedBy(id affiliate.EntryID, key string) bool {
	return slices.ContainsFunc(v.entries, func(e affiliate.Entry) bool {
		return e.Rule == affiliate.RuleRejection && e.Corrects == id && strings.HasPrefix(string(e.ID), affiliate.ReviewIDPrefix+key+"/")
	})
}

// approval is the payout runs' view of the review: the policy, and the
// trail when the store keeps one.
func approval(cfg Config) payout.Approval {
	a := payout.Approval{Policy: cfg.Approval}
	if rs, ok := cfg.Store.(storage.Reviews); ok {
		a.Reviews = rs
	}
	return a
}
