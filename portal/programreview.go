package portal

import (
	"context"
	"errors"
	"strconv"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/program"
	"github.com/openaffiliate/affiliate/storage"
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
			Reason: w.Reason, Explanation: w.Entry.Describe(), HeldAt: w.Since,
		})
	}
	return held, nil
}

func (r programReviewer) Approve(ctx context.Context, d Decision) error {
	return r.decide(ctx, "approve", d, r.p.Approve)
}

func (r programReviewer) Reject(ctx context.Context, d Decision) error {
	return r.decide(ctx, "reject", d, r.p.Reject)
}

// decide keys the decision by action, entry and the number of holds the
// entry has had, so a repeated click replays instead of deciding twice,
// while approving an entry that was held again after an earlier approval
// is a new decision (not a silent replay of the old one).
func (r programReviewer) decide(ctx context.Context, action string, d Decision, do func(context.Context, program.Decision) error) error {
	holds, err := r.holds(ctx, affiliate.EntryID(d.ID))
	if err != nil {
		return err
	}
	reason := d.Note
	if reason == "" {
		reason = action + "d in the portal"
	}
	return do(ctx, program.Decision{
		Key:      "portal/" + action + "/" + d.ID + "/" + strconv.Itoa(holds),
		Entries:  []affiliate.EntryID{affiliate.EntryID(d.ID)},
		Reviewer: d.Reviewer,
		Reason:   reason,
	})
}

// holds counts the hold records naming entry; a store without a review
// trail has none (the program refuses the decision then).
func (r programReviewer) holds(ctx context.Context, entry affiliate.EntryID) (int, error) {
	rs, ok := r.p.Store().(storage.Reviews)
	if !ok {
		return 0, nil
	}
	records, err := rs.Reviews(ctx, storage.ReviewQuery{Entry: entry})
	n := 0
	for _, rec := range records {
		if rec.Action == affiliate.ReviewHold {
			n++
		}
	}
	return n, err
}
