package sqlstore

import (
	"context"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// readOnePostgres is ReadBatch for one customer and one event, both keys
// the schema can hold, on PostgreSQL: the three reads, the bound
// affiliate and its parent and whether the asked payout run exists joined
// into one statement, one round trip instead of six. The engine reads so for
// every Record (see commission's prefetch), where round trips are most
// of the cost.
func (s *Store) readOnePostgres(ctx context.Context, c affiliate.CustomerID, id affiliate.EventID, runs []storage.PayoutRunKey) (storage.BatchFacts, error) {
	f := storage.BatchFacts{
		States:   make(map[affiliate.CustomerID]storage.CustomerState, 1),
		Events:   make(map[affiliate.EventID]affiliate.EventRecord, 1),
		Bindings: make(map[affiliate.CustomerID]affiliate.Binding, 1),
	}
	var (
		st              storage.CustomerState
		stFound, stNull bool
		ev              eventRow
		evFound, bound  bool
		bd              bindingRow
		affFound        bool
		aff             affiliateRow
		parentFound     bool
		parent          affiliateRow
		runFound        bool
		dests           = make([]any, 0, 40)
	)
	dests = append(dests, &stFound, &st.Version, &st.Data, &stNull, &evFound)
	dests = append(dests, ev.dests()...)
	dests = append(dests, &bound)
	dests = append(dests, bd.dests()...)
	dests = append(dests, &affFound)
	dests = append(dests, aff.dests()...)
	dests = append(dests, &parentFound)
	dests = append(dests, parent.dests()...)
	query, args := readOneText, []any{string(c), string(id)}
	askRun := len(runs) == 1 && storable(runs[0].Program)
	if askRun {
		query, args = readOneWithRunText, append(args, runs[0].Program, runs[0].Period.String())
		dests = append(dests, &runFound)
	}
	err := s.read(ctx, "read batch", func(q querier) error {
		return q.QueryRowContext(ctx, query, args...).Scan(dests...)
	})
	if err != nil {
		return storage.BatchFacts{}, dbError("read batch", err)
	}
	if stFound {
		if !stNull && st.Data == nil {
			st.Data = []byte{}
		}
		st.Customer = c
		f.States[c] = st
	}
	if evFound {
		rec, err := ev.record()
		if err != nil {
			return storage.BatchFacts{}, dbError("read batch", err)
		}
		f.Events[id] = rec
	}
	if bound {
		f.Bindings[c] = bd.binding()
	}
	for _, row := range []struct {
		found bool
		*affiliateRow
	}{{affFound, &aff}, {parentFound, &parent}} {
		if !row.found {
			continue
		}
		a, err := row.affiliate()
		if err != nil {
			return storage.BatchFacts{}, dbError("read batch", err)
		}
		if f.Affiliates == nil {
			f.Affiliates = make(map[affiliate.AffiliateID]affiliate.Affiliate, 2)
		}
		f.Affiliates[a.ID] = a
	}
	if askRun {
		f.Runs = map[storage.PayoutRunKey]bool{runs[0]: runFound}
	}
	return f, nil
}

const (
	readOneColumns = `SELECT s.customer IS NOT NULL, COALESCE(s.version, 0), s.data, s.data IS NULL,
    e.id IS NOT NULL, COALESCE(e.id, ''), COALESCE(e.customer, ''), COALESCE(e.time_ns, 0), COALESCE(e.hash, ''), COALESCE(e.affiliate, ''), COALESCE(e.body, ''),
    b.customer IS NOT NULL, COALESCE(b.customer, ''), COALESCE(b.affiliate, ''), COALESCE(b.source, ''), COALESCE(b.touch, ''), COALESCE(b.lead, ''),
    COALESCE(b.code, ''), COALESCE(b.touched_ns, 0), COALESCE(b.bound_ns, 0), COALESCE(b.expires_ns, 0),
    a.id IS NOT NULL, COALESCE(a.id, ''), COALESCE(a.parent, ''), COALESCE(a.status, ''), COALESCE(a.name, ''), COALESCE(a.email, ''),
    COALESCE(a.codes, ''), COALESCE(a.payout_method_on_file, false), COALESCE(a.created_ns, 0),
    p.id IS NOT NULL, COALESCE(p.id, ''), COALESCE(p.parent, ''), COALESCE(p.status, ''), COALESCE(p.name, ''), COALESCE(p.email, ''),
    COALESCE(p.codes, ''), COALESCE(p.payout_method_on_file, false), COALESCE(p.created_ns, 0)`
	readOneFrom = `
FROM (SELECT 1) AS one
LEFT JOIN affiliate_customer_states s ON s.customer = $1
LEFT JOIN affiliate_events e ON e.id = $2
LEFT JOIN affiliate_bindings b ON b.customer = $1
LEFT JOIN affiliate_affiliates a ON a.id = b.affiliate
LEFT JOIN affiliate_affiliates p ON p.id = a.parent`
	readOneText = readOneColumns + readOneFrom
	// Runs are never deleted, so a run missing at this snapshot was
	// missing at any earlier one (as PayoutRun's check).
	readOneWithRunText = readOneColumns + `,
    EXISTS (SELECT 1 FROM affiliate_payout_runs WHERE program = $3 AND period = $4)` + readOneFrom
)
