package portal_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// A payout the affiliate requested (program.RequestPayout) is in its
// payout history and has its page, next to the monthly runs' payouts;
// another affiliate does not see it.
func TestRequestedPayoutInHistory(t *testing.T) {
	w := newWorld(t, nil)
	res, err := w.p.RequestPayout(context.Background(), "ann")
	must(t, err)
	if len(res.Payouts) != 1 {
		t.Fatalf("the request paid %d payouts; want 1", len(res.Payouts))
	}
	requested := string(res.Payouts[0].ID)
	list := w.get("ann", "/portal/api/payouts").Body.String()
	if !strings.Contains(list, requested) || !strings.Contains(list, string(w.annPay)) {
		t.Errorf("ann's payouts %s; want the requested %s and the monthly %s", list, requested, w.annPay)
	}
	if i, j := strings.Index(list, requested), strings.Index(list, string(w.annPay)); i > j {
		t.Errorf("ann's payouts %s: February's request after January's run; want newest first", list)
	}
	if rec := w.get("ann", "/portal/payouts/"+requested); rec.Code != http.StatusOK {
		t.Errorf("the requested payout's page: %d, want 200", rec.Code)
	}
	if rec := w.get("bob", "/portal/payouts/"+requested); rec.Code != http.StatusNotFound {
		t.Errorf("ann's requested payout as bob: %d, want 404", rec.Code)
	}
}
