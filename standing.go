package affiliate

import (
	"strings"
	"time"
)

// Standings returns the review standing at asOf of every entry in
// entries, under policy p and the review records reviews. It is a pure
// function of its arguments.
//
// An entry is reviewed with its root: the entry its Corrects chain leads
// to within entries (a manual adjustment is always its own root), so a
// refund's reversal waits, or is rejected, with the commission it
// corrects. A root stands, in this order:
//
//   - rejected when a RuleRejection entry corrects it, or a reviewer's
//     reject record names it;
//   - approved when a reviewer approved it (and did not hold it since);
//   - pending while its customer's binding to the affiliate that referred
//     it (Chain[0]) is held or rejected (a move to another affiliate
//     does not end that), or while a hold record names it;
//   - otherwise as its policy mode says: Immediate approves it, AfterHold
//     approves it p.Hold after its At, Manual keeps it pending.
//
// A negative root (a clawback, a reversal whose commission is not in
// entries) is approved whatever the mode: a hold protects the program
// from paying, never from taking back.
func Standings(entries []Entry, reviews []Review, p ApprovalPolicy, asOf time.Time) map[EntryID]Standing {
	byID := make(map[EntryID]int, len(entries))
	for i, e := range entries {
		byID[e.ID] = i
	}
	rootOf := func(e Entry) Entry {
		for range len(entries) {
			i, ok := byID[e.Corrects]
			if e.Corrects == "" || !ok || strings.HasPrefix(e.Rule, RuleManual+"/") {
				return e
			}
			e = entries[i]
		}
		return e // a Corrects cycle: the entry stands alone
	}
	rejected := make(map[EntryID]Entry)
	for _, e := range entries {
		if e.Rule == RuleRejection {
			if i, ok := byID[e.Corrects]; ok {
				rejected[rootOf(entries[i]).ID] = e
			}
		}
	}
	entryReviews := make(map[EntryID][]Review)
	type boundTo struct {
		c CustomerID
		a AffiliateID
	}
	binding := make(map[boundTo]Review) // the latest record about each customer's binding to each affiliate
	for _, r := range reviews {
		if r.Entry != "" {
			entryReviews[r.Entry] = append(entryReviews[r.Entry], r)
		} else if last, ok := binding[boundTo{r.Customer, r.Affiliate}]; !ok || !r.At.Before(last.At) {
			binding[boundTo{r.Customer, r.Affiliate}] = r
		}
	}
	// bindingRecord is the latest record about the binding of root's
	// customer to the affiliate that referred root (or to no affiliate
	// named). A record naming another affiliate changes nothing for root:
	// a move away leaves the old affiliate's hold standing until a
	// reviewer decides, and a stray hold from a lost binding race holds
	// nothing.
	bindingRecord := func(root Entry) Review {
		b := binding[boundTo{root.Customer, referrer(root)}]
		if unnamed, ok := binding[boundTo{root.Customer, ""}]; ok && !unnamed.At.Before(b.At) {
			b = unnamed
		}
		return b
	}
	decided := make(map[EntryID]Standing)
	standingOf := func(root Entry) Standing {
		if s, ok := decided[root.ID]; ok {
			return s
		}
		s := rootStanding(root, rejected, entryReviews[root.ID], bindingRecord(root), p, asOf)
		s.Root = root.ID
		decided[root.ID] = s
		return s
	}
	out := make(map[EntryID]Standing, len(entries))
	for _, e := range entries {
		out[e.ID] = standingOf(rootOf(e))
	}
	return out
}

func rootStanding(root Entry, rejected map[EntryID]Entry, rs []Review, b Review, p ApprovalPolicy, asOf time.Time) Standing {
	// The reversal may lie outside entries (a payout run reads up to its
	// period's end; a rejection decided later is dated later): the
	// reviewer's record rejects the root as well.
	rej, isRejected := rejected[root.ID]
	s := Standing{Status: EntryRejected, Reason: rej.Describe(), Since: rej.At}
	for _, r := range rs {
		if r.Action == ReviewReject {
			if !isRejected {
				s.Since = r.At
			}
			s.Reason, s.Actor, isRejected = r.Reason, r.Actor, true
		}
	}
	if isRejected {
		return s
	}
	// The latest of the entry's approvals and holds decides: an entry
	// held again after its approval waits again.
	var last *Review
	for i, r := range rs {
		if r.Action == ReviewApprove || r.Action == ReviewHold {
			last = &rs[i]
		}
	}
	if last != nil && last.Action == ReviewApprove {
		return Standing{Status: EntryApproved, Reason: last.Reason, Since: last.At, Actor: last.Actor}
	}
	if root.Amount.Sign() < 0 {
		return Standing{Status: EntryApproved, Reason: "a negative amount is never held", Since: root.At}
	}
	if root.Customer != "" {
		switch b.Action {
		case ReviewHold:
			return Standing{Status: EntryPending, Reason: "binding on hold: " + b.Reason, Since: b.At}
		case ReviewReject:
			return Standing{Status: EntryPending, Reason: "binding rejected: " + b.Reason, Since: b.At}
		}
	}
	if last != nil {
		return Standing{Status: EntryPending, Reason: last.Reason, Since: last.At, Actor: last.Actor}
	}
	switch p.ModeOf(root) {
	case AfterHold:
		until := root.At.Add(p.Hold)
		if asOf.Before(until) {
			return Standing{Status: EntryPending, Reason: "approval hold until " + until.UTC().Format(time.DateOnly), Since: root.At}
		}
		return Standing{Status: EntryApproved, Reason: "approval hold passed", Since: until}
	case Manual:
		return Standing{Status: EntryPending, Reason: "needs a reviewer's approval", Since: root.At}
	}
	return Standing{Status: EntryApproved, Reason: "approved immediately", Since: root.At}
}

// referrer is the affiliate the entry's customer was bound to: the head
// of its chain, or its beneficiary.
func referrer(e Entry) AffiliateID {
	if len(e.Chain) > 0 {
		return e.Chain[0]
	}
	return e.Beneficiary
}
