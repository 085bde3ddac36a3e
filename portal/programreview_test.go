package portal_test

import (
	"context"
	"testing"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/portal"
	"github.com/openaffiliate/affiliate/program"
)

// Approving in the portal an entry held again after an earlier portal
// approval is a new decision, not a silent replay that leaves it held;
// a repeated click on the same standing still replays.
func TestPortalReapprovesAnEntryHeldAgain(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, nil)
	rv := portal.ProgramReviewer(w.p)
	entry := affiliate.EntryID("in_acmeFebruary/1")
	hold := func(key string) {
		t.Helper()
		must(t, w.p.Hold(ctx, program.Decision{Key: key, Entries: []affiliate.EntryID{entry}, Reviewer: "max", Reason: "chargeback risk"}))
	}
	approve := func() {
		t.Helper()
		must(t, rv.Approve(ctx, portal.Decision{ID: string(entry), Reviewer: "max"}))
		pending, err := rv.Pending(ctx)
		must(t, err)
		if len(pending) != 0 {
			t.Fatalf("after the approval still pending: %+v", pending)
		}
	}
	hold("h1")
	approve()
	approve() // a repeated click replays
	hold("h2")
	approve()
}
