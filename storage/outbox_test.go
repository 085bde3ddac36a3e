package storage_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// TestOutboxPayloads decodes each kind's payload with encoding/json: the
// hand-written JSON is valid, version 1, and holds the write's fields,
// also for text that needs escaping.
func TestOutboxPayloads(t *testing.T) {
	at := time.Date(2026, time.January, 15, 12, 0, 0, 0, time.UTC)
	odd := "Ünïcode \"quoted\" back\\slash <tag> & \t tab"
	e := affiliate.Entry{ID: "e1", Beneficiary: "ann", Customer: "cus-1", Event: "pay-1", Payment: "pay-1", Kind: affiliate.KindReversal,
		Amount: affiliate.MustMoney(-1250, "EUR"), Rule: odd, At: at, AvailableAt: at, Corrects: "e0"}
	lead := affiliate.Lead{ID: "l1", Affiliate: "ann", Company: odd, Status: affiliate.LeadRefused, Reasons: []string{"a", odd}, SubmittedAt: at, DecidedAt: at}
	po := affiliate.Payout{ID: "po1", Affiliate: "ann", Period: affiliate.Period{Year: 2026, Month: time.January}, Amount: affiliate.MustMoney(5000, "JPY"),
		Status: affiliate.PayoutFailed, Note: odd, SettledAt: at}
	tc := storage.TierCloseCommit{Close: affiliate.TierClose{Program: "p", Period: affiliate.Period{Year: 2026, Month: time.January}, Revision: 2, AsOf: at},
		Snapshots: []affiliate.TierSnapshot{{Affiliate: "ann", Tier: "Premium"}}}
	for _, c := range []struct {
		name string
		ev   affiliate.OutboxEvent
		want map[string]any
	}{
		{"entry", storage.CommitEvents(storage.Commit{Entries: []affiliate.Entry{e}})[0], map[string]any{"v": 1.0, "entry": "e1", "kind": "reversal", "customer": "cus-1",
			"event": "pay-1", "payment": "pay-1", "amount": map[string]any{"amount": "-12.50", "currency": "EUR"}, "rule": odd, "corrects": "e0"}},
		{"binding", storage.BindEvents(affiliate.Binding{Customer: "cus-1", Affiliate: "ann", Source: affiliate.BindByLead, Lead: "l1", BoundAt: at})[0],
			map[string]any{"v": 1.0, "customer": "cus-1", "source": "lead", "lead": "l1"}},
		{"lead", storage.LeadEvents(lead)[0], map[string]any{"v": 1.0, "lead": "l1", "status": "refused", "company": odd, "reasons": []any{"a", odd}}},
		{"review", storage.ReviewEvents("k", []affiliate.Review{{Action: affiliate.ReviewHold, Entry: "e1", Reason: odd, Actor: "rita"}})[0],
			map[string]any{"v": 1.0, "action": "hold", "entry": "e1", "reason": odd, "actor": "rita"}},
		{"tier", storage.TierCloseEvents(tc)[0], map[string]any{"v": 1.0, "period": "2026-01", "revision": 2.0, "tier": "Premium"}},
		{"payout", storage.SettleEvents("p", po)[0], map[string]any{"v": 1.0, "payout": "po1", "period": "2026-01",
			"amount": map[string]any{"amount": "5000", "currency": "JPY"}, "status": "failed", "note": odd}},
	} {
		var got map[string]any
		if err := json.Unmarshal(c.ev.Payload, &got); err != nil {
			t.Errorf("%s: payload %s is not JSON: %v", c.name, c.ev.Payload, err)
			continue
		}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("%s: payload (-want +got):\n%s", c.name, diff)
		}
	}
}
