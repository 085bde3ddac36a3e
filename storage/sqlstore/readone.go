package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// readOnePostgres is ReadBatch for one customer and one event, both keys
// the schema can hold, on PostgreSQL: the three reads, the bound
// affiliate and its parent and whether the asked payout run exists joined
// into one statement, one round trip instead of six. The engine reads so
// for every Record (see commission's prefetch), where round trips are
// most of the cost. The parent comes as one column, a JSON array, empty
// when there is none: pgx's database/sql driver sets up every column of
// every query, and nine more columns would cost every Record 30
// allocations where no affiliate has a parent.
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
		parentJSON      string
		runFound        bool
		dests           = make([]any, 0, 32)
	)
	dests = append(dests, &stFound, &st.Version, &st.Data, &stNull, &evFound)
	dests = append(dests, ev.dests()...)
	dests = append(dests, &bound)
	dests = append(dests, bd.dests()...)
	dests = append(dests, &affFound)
	dests = append(dests, aff.dests()...)
	dests = append(dests, &parentJSON)
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
	if affFound {
		rows := []affiliateRow{aff}
		if parentJSON != "" {
			parent, err := affiliateRowFromJSON(parentJSON)
			if err != nil {
				return storage.BatchFacts{}, dbError("read batch", err)
			}
			rows = append(rows, parent)
		}
		f.Affiliates = make(map[affiliate.AffiliateID]affiliate.Affiliate, len(rows))
		for _, row := range rows {
			a, err := row.affiliate()
			if err != nil {
				return storage.BatchFacts{}, dbError("read batch", err)
			}
			f.Affiliates[a.ID] = a
		}
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
    CASE WHEN p.id IS NULL THEN '' ELSE json_build_array(p.id, COALESCE(p.parent, ''), p.status, p.name, p.email, p.codes,
        p.payout_method_on_file::text, p.created_ns::text)::text END`
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

// affiliateRowFromJSON reads the parent column of readOnePostgres: the
// row's eight columns as a JSON array of strings, the last two a
// boolean's and a number's text. Any other count is refused, so a column
// added to affiliateRow and not to the array cannot go missing unseen.
func affiliateRowFromJSON(text string) (affiliateRow, error) {
	var cols []string
	if err := json.Unmarshal([]byte(text), &cols); err != nil {
		return affiliateRow{}, err
	}
	if len(cols) != 8 {
		return affiliateRow{}, fmt.Errorf("sqlstore: the parent has %d columns, not 8", len(cols))
	}
	created, err := strconv.ParseInt(cols[7], 10, 64)
	if err != nil {
		return affiliateRow{}, err
	}
	return affiliateRow{id: cols[0], parent: cols[1], status: cols[2], name: cols[3], email: cols[4], codes: cols[5],
		payoutMethodOnFile: cols[6] == "true", createdNS: created}, nil
}
