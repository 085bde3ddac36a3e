package portal

import (
	"context"
	"errors"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/program"
)

// ProgramReviewer is the Reviewer over a program's review trail
// (program.Pending, Approve and Reject): the page lists the entries on
// hold and each decision names one entry. Held bindings are not listed:
// their entries are, once earned.
func ProgramReviewer(p *program.Program) Reviewer { return programReviewer{p} }

type programReviewer struct{ p *program.Program }

func (r programReviewer) Pending(ctx context.Context) ([]HeldEntry, error) {
	pending, err := r.p.Pending(ctx, program.PendingQuery{})
	if errors.Is(err, program.ErrNoReviews) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var held []HeldEntry
	for _, w := range pending {
		if w.Entry.ID == "" {
			continue
		}
		held = append(held, HeldEntry{
			ID: string(w.Entry.ID), Affiliate: w.Affiliate, Amount: w.Amount,
			Reason: w.Reason, Explanation: w.Entry.Explanation, HeldAt: w.Since,
		})
	}
	return held, nil
}

func (r programReviewer) Approve(ctx context.Context, d Decision) error {
	return r.p.Approve(ctx, programDecision("approve", d))
}

func (r programReviewer) Reject(ctx context.Context, d Decision) error {
	return r.p.Reject(ctx, programDecision("reject", d))
}

// programDecision keys the decision by action and entry, so a repeated
// click replays instead of deciding twice.
func programDecision(action string, d Decision) program.Decision {
	reason := d.Note
	if reason == "" {
		reason = action + "d in the portal"
	}
	return program.Decision{
		Key:      "portal/" + action + "/" + d.ID,
		Entries:  []affiliate.EntryID{affiliate.EntryID(d.ID)},
		Reviewer: d.Reviewer,
		Reason:   reason,
	}
}
