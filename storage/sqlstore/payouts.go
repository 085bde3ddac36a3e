package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var (
	_ storage.Payouts       = (*Store)(nil)
	_ storage.PayoutHistory = (*Store)(nil)
)

const payoutColumns = `p.id, p.affiliate, p.period_year, p.period_month, p.period_loc, p.amount_minor, p.currency, p.entries,
    p.status, p.created_ns, p.reference, p.settled_ns, p.note`

// validateRun runs the shared checks (storage.ValidatePayoutRun), then
// the database's.
func validateRun(r affiliate.PayoutRun) error {
	if err := storage.ValidatePayoutRun(r); err != nil {
		return err
	}
	if r.Through > math.MaxInt64 {
		return invalid("PayoutRun.Through", "beyond the sequence numbers sqlstore gives entries")
	}
	var tc textCheck
	tc.key("PayoutRun.Program", r.Program)
	tc.key("PayoutRun.Hash", r.Hash)
	tc.time("PayoutRun.AsOf", r.AsOf)
	for _, p := range r.Payouts {
		for _, e := range p.Entries {
			tc.text("Payout.Entries", string(e))
		}
		tc.text("Payout.Reference", p.Reference)
		tc.text("Payout.Note", p.Note)
		tc.time("Payout.CreatedAt", p.CreatedAt)
		tc.time("Payout.SettledAt", p.SettledAt)
		if tc.err == nil {
			if _, err := periodLocation(p.Period); err != nil {
				return err
			}
		}
	}
	for _, c := range r.Carried {
		tc.text("CarriedBalance.Reason", c.Reason)
		tc.text("CarriedBalance.Note", c.Note)
	}
	return tc.err
}

// periodLocation returns the name a payout period's location is stored
// under: "" for nil, else a name time.LoadLocation reads back ("UTC",
// "Local" or an IANA zone). A location made with time.FixedZone has no
// such name, and is refused.
func periodLocation(p affiliate.Period) (string, error) {
	if p.Location == nil {
		return "", nil
	}
	name := p.Location.String()
	if _, err := loadLocation(name); err != nil {
		return "", invalid("Payout.Period.Location", strconv.Quote(name)+" is not UTC, Local or an IANA time zone, so sqlstore cannot store it by name")
	}
	return name, nil
}

func loadLocation(name string) (*time.Location, error) {
	switch name {
	case "":
		return nil, nil
	case "UTC":
		return time.UTC, nil
	case "Local":
		return time.Local, nil
	}
	return time.LoadLocation(name)
}

// CreatePayoutRun implements storage.Payouts: one transaction that claims
// the run key, checks every claim in memstore's order, and writes the
// payouts, their claims on entries (the partial unique index
// affiliate_payout_entries_live refuses a second live claim), the carried
// balances and the payout sums. The payouts of a run with a Through that
// list no entries claim theirs by watermark (claimByWatermark), and the
// run written and returned lists them.
func (s *Store) CreatePayoutRun(ctx context.Context, r affiliate.PayoutRun) (storage.PayoutRunResult, error) {
	if err := ctx.Err(); err != nil {
		return storage.PayoutRunResult{}, err
	}
	if err := validateRun(r); err != nil {
		return storage.PayoutRunResult{}, err
	}
	var res storage.PayoutRunResult
	err := s.write(ctx, "create payout run", readCommitted, func(q querier) error {
		claimed, err := q.ExecContext(ctx, `INSERT INTO affiliate_payout_runs (program, period, hash, as_of_ns, carried_nil, through_seq)
VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (program, period) DO NOTHING`, r.Program, r.Period.String(), r.Hash, timeNS(r.AsOf), r.Carried == nil, int64(r.Through))
		if err != nil {
			return dbError("create payout run", err)
		}
		if n, err := claimed.RowsAffected(); err != nil {
			return dbError("create payout run", err)
		} else if n == 0 {
			run, err := s.loadRun(ctx, q, r.Program, r.Period)
			if err != nil {
				return err
			}
			if run.Hash != r.Hash {
				return &affiliate.FieldError{Field: "PayoutRun.Hash", Reason: "run " + r.Program + "/" + r.Period.String() + " was made with another payload", Err: affiliate.ErrIdempotencyMismatch}
			}
			res = storage.PayoutRunResult{Run: run, Replayed: true}
			return nil
		}
		if err := s.checkClaims(ctx, q, r); err != nil {
			return err
		}
		if err := s.writeRun(ctx, q, r); err != nil {
			return err
		}
		run := copyRun(r)
		if err := s.claimByWatermark(ctx, q, run); err != nil {
			return err
		}
		res = storage.PayoutRunResult{Run: run}
		return s.appendOutbox(ctx, q, storage.PayoutRunEvents(run))
	})
	if err != nil {
		return storage.PayoutRunResult{}, err
	}
	return res, nil
}

func copyRun(r affiliate.PayoutRun) affiliate.PayoutRun {
	out := r
	out.Payouts = make([]affiliate.Payout, len(r.Payouts))
	for i, p := range r.Payouts {
		out.Payouts[i] = copyPayout(p)
	}
	out.Carried = slices.Clone(r.Carried)
	return out
}

func copyPayout(p affiliate.Payout) affiliate.Payout {
	p.Entries = slices.Clone(p.Entries)
	return p
}

type claimedEntry struct {
	beneficiary string
	currency    string
	amount      int64
	holder      string // the live payout that holds it, or ""
}

// checkClaims checks every payout against the ledger and the stored
// payouts, in memstore's order, reading in batches.
func (s *Store) checkClaims(ctx context.Context, q querier, r affiliate.PayoutRun) error {
	ids := make([]string, len(r.Payouts))
	var entryIDs []string
	for i, p := range r.Payouts {
		ids[i] = string(p.ID)
		for _, e := range p.Entries {
			entryIDs = append(entryIDs, string(e))
		}
	}
	stored := make(map[string]bool)
	err := s.inBatches(ids, func(batch []string) error {
		return s.scanIn(ctx, q, `SELECT id FROM affiliate_payouts WHERE id IN `, batch, nil, func(rows *sql.Rows) error {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			stored[id] = true
			return nil
		})
	})
	if err != nil {
		return dbError("create payout run: payouts", err)
	}
	entries := make(map[string]claimedEntry, len(entryIDs))
	const claimCheck = `SELECT e.id, e.beneficiary, e.currency, e.amount_minor, COALESCE(pe.payout, '')
FROM affiliate_entries e LEFT JOIN affiliate_payout_entries pe ON pe.entry = e.id AND pe.live
WHERE e.id `
	scanClaim := func(rows *sql.Rows) error {
		var (
			id string
			c  claimedEntry
		)
		if err := rows.Scan(&id, &c.beneficiary, &c.currency, &c.amount, &c.holder); err != nil {
			return err
		}
		entries[id] = c
		return nil
	}
	switch {
	case len(entryIDs) == 0: // a run settled by watermark lists none
	case s.dialect == Postgres:
		// One array parameter instead of a list of 100,000: PostgreSQL
		// plans = ANY($1) as one index probe per element.
		err = s.scanAll(ctx, q, claimCheck+`= ANY($1::text[])`, []any{entryIDs}, scanClaim)
	default:
		err = s.inBatches(entryIDs, func(batch []string) error {
			return s.scanIn(ctx, q, claimCheck+`IN `, batch, nil, scanClaim)
		})
	}
	if err != nil {
		return dbError("create payout run: entries", err)
	}
	for i, p := range r.Payouts {
		field := "PayoutRun.Payouts[" + strconv.Itoa(i) + "]"
		if stored[string(p.ID)] {
			return conflict("payout %q is already stored", p.ID)
		}
		if byWatermark(r, p) {
			continue // its entries are found and summed when it claims them
		}
		var sum int64
		for _, id := range p.Entries {
			e, ok := entries[string(id)]
			if !ok {
				return notFound("entry", string(id))
			}
			if affiliate.AffiliateID(e.beneficiary) != p.Affiliate || affiliate.Currency(e.currency) != p.Amount.Currency() {
				return invalid(field+".Entries", "entry "+string(id)+" is "+e.beneficiary+"'s in "+e.currency+", not "+string(p.Affiliate)+"'s in "+string(p.Amount.Currency()))
			}
			if e.holder != "" {
				return &storage.EntrySettledError{Entry: id, Payout: affiliate.PayoutID(e.holder)}
			}
			if addOverflows(sum, e.amount) {
				return &affiliate.FieldError{Field: field + ".Amount", Reason: "entries sum out of range", Err: affiliate.ErrOverflow}
			}
			sum += e.amount
		}
		if sum != p.Amount.Minor() {
			got, _ := affiliate.NewMoney(sum, p.Amount.Currency())
			return invalid(field+".Amount", p.Amount.String()+" is not the sum of its entries, "+got.String())
		}
	}
	return nil
}

// inBatches calls fn with consecutive slices of items short enough for
// one IN list (with a few other parameters beside it).
func (s *Store) inBatches(items []string, fn func([]string) error) error {
	per := s.q.maxParams() - 8
	for start := 0; start < len(items); start += per {
		if err := fn(items[start:min(start+per, len(items))]); err != nil {
			return err
		}
	}
	return nil
}

// scanIn runs prefix followed by "($n, ...)" for items (after the
// arguments in pre) and calls each for every row.
func (s *Store) scanIn(ctx context.Context, q querier, prefix string, items []string, pre []any, each func(*sql.Rows) error) error {
	if len(items) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString(prefix)
	placeholders(&b, len(pre)+1, 1, len(items))
	args := append(slices.Clone(pre), make([]any, 0, len(items))...)
	for _, it := range items {
		args = append(args, it)
	}
	rows, err := q.QueryContext(ctx, b.String(), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

type sumKey struct{ affiliate, currency string }

type claim struct{ payout, entry string }

// claimPostgres writes every claim and takes the entries out of the open
// entries in two statements, passing the IDs as arrays: a run over 10,000
// affiliates claims 100,000 entries, which as VALUES lists would cost
// PostgreSQL more to parse and plan than to execute.
func (s *Store) claimPostgres(ctx context.Context, q querier, claims ...claim) error {
	payouts, entries := make([]string, len(claims)), make([]string, len(claims))
	for i, c := range claims {
		payouts[i], entries[i] = c.payout, c.entry
	}
	res, err := q.ExecContext(ctx, `INSERT INTO affiliate_payout_entries (payout, entry, live)
SELECT p, e, TRUE FROM unnest($1::text[], $2::text[]) AS c (p, e)
ON CONFLICT (entry) WHERE live DO NOTHING`, payouts, entries)
	if err != nil {
		return dbError("create payout run: claims", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return dbError("create payout run: claims", err)
	} else if int(n) != len(claims) {
		return s.concurrentClaim(ctx, q, claims[0].payout, entries)
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM affiliate_open_entries WHERE entry = ANY($1::text[])`, entries); err != nil {
		return dbError("create payout run: open entries", err)
	}
	return nil
}

// scanAll runs query and calls each for every row.
func (s *Store) scanAll(ctx context.Context, q querier, query string, args []any, each func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// writeRun writes a checked run: payouts, claims, carried balances and
// payout sums; and takes the claimed entries out of the open entries.
func (s *Store) writeRun(ctx context.Context, q querier, r affiliate.PayoutRun) error {
	const cols = 16
	per := s.q.rowsPer(cols)
	for start := 0; start < len(r.Payouts); start += per {
		chunk := r.Payouts[start:min(start+per, len(r.Payouts))]
		var b strings.Builder
		b.WriteString(`INSERT INTO affiliate_payouts (id, program, run_period, pos, affiliate, period_year, period_month, period_loc,
    amount_minor, currency, entries, status, created_ns, reference, settled_ns, note) VALUES `)
		placeholders(&b, 1, len(chunk), cols)
		b.WriteString(` ON CONFLICT (id) DO NOTHING`)
		args := make([]any, 0, cols*len(chunk))
		for i, p := range chunk {
			loc, _ := periodLocation(p.Period) // validated
			minor, cur := money(p.Amount)
			args = append(args, string(p.ID), r.Program, r.Period.String(), start+i, string(p.Affiliate), p.Period.Year, int(p.Period.Month), loc,
				minor, cur, encodeList(p.Entries), string(p.Status), timeNS(p.CreatedAt), p.Reference, timeNS(p.SettledAt), p.Note)
		}
		res, err := q.ExecContext(ctx, b.String(), args...)
		if err != nil {
			return dbError("create payout run: payouts", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return dbError("create payout run: payouts", err)
		} else if int(n) != len(chunk) {
			return conflict("a payout of run %s/%s was stored concurrently", r.Program, r.Period.String())
		}
	}
	var claims []claim
	sums := make(map[sumKey]int64)
	for _, p := range r.Payouts {
		for _, e := range p.Entries {
			claims = append(claims, claim{string(p.ID), string(e)})
		}
		sums[sumKey{string(p.Affiliate), string(p.Amount.Currency())}] += p.Amount.Minor()
	}
	if s.dialect == Postgres && len(claims) > 0 {
		if err := s.claimPostgres(ctx, q, claims...); err != nil {
			return err
		}
		claims = nil
	}
	per = s.q.rowsPer(3)
	for start := 0; start < len(claims); start += per {
		chunk := claims[start:min(start+per, len(claims))]
		var b strings.Builder
		b.WriteString(`INSERT INTO affiliate_payout_entries (payout, entry, live) VALUES `)
		placeholders(&b, 1, len(chunk), 3)
		b.WriteString(` ON CONFLICT (entry) WHERE live DO NOTHING`)
		args := make([]any, 0, 3*len(chunk))
		entries := make([]string, len(chunk))
		for i, c := range chunk {
			args = append(args, c.payout, c.entry, true)
			entries[i] = c.entry
		}
		res, err := q.ExecContext(ctx, b.String(), args...)
		if err != nil {
			return dbError("create payout run: claims", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return dbError("create payout run: claims", err)
		} else if int(n) != len(chunk) {
			return s.concurrentClaim(ctx, q, chunk[0].payout, entries)
		}
		var del strings.Builder
		del.WriteString(`DELETE FROM affiliate_open_entries WHERE entry IN `)
		placeholders(&del, 1, 1, len(entries))
		delArgs := make([]any, len(entries))
		for i, e := range entries {
			delArgs[i] = e
		}
		if _, err := q.ExecContext(ctx, del.String(), delArgs...); err != nil {
			return dbError("create payout run: open entries", err)
		}
	}
	if len(r.Carried) > 0 {
		const ccols = 8
		per := s.q.rowsPer(ccols)
		for start := 0; start < len(r.Carried); start += per {
			chunk := r.Carried[start:min(start+per, len(r.Carried))]
			var b strings.Builder
			b.WriteString(`INSERT INTO affiliate_payout_carried (program, period, pos, affiliate, amount_minor, currency, reason, note) VALUES `)
			placeholders(&b, 1, len(chunk), ccols)
			args := make([]any, 0, ccols*len(chunk))
			for i, c := range chunk {
				minor, cur := money(c.Amount)
				args = append(args, r.Program, r.Period.String(), start+i, string(c.Affiliate), minor, cur, c.Reason, c.Note)
			}
			if _, err := q.ExecContext(ctx, b.String(), args...); err != nil {
				return dbError("create payout run: carried", err)
			}
		}
	}
	return s.addPayoutSums(ctx, q, sums, 1, 0)
}

// addPayoutSums adds sign times each amount to in_payout and paidSign
// times it to paid, in key order (the lock order between concurrent
// writers).
func (s *Store) addPayoutSums(ctx context.Context, q querier, sums map[sumKey]int64, inSign, paidSign int64) error {
	keys := make([]sumKey, 0, len(sums))
	for k := range sums {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b sumKey) int {
		return cmp.Or(strings.Compare(a.affiliate, b.affiliate), strings.Compare(a.currency, b.currency))
	})
	per := s.q.rowsPer(4)
	for start := 0; start < len(keys); start += per {
		chunk := keys[start:min(start+per, len(keys))]
		var b strings.Builder
		b.WriteString(`INSERT INTO affiliate_payout_sums AS t (affiliate, currency, in_payout, paid) VALUES `)
		placeholders(&b, 1, len(chunk), 4)
		b.WriteString(` ON CONFLICT (affiliate, currency) DO UPDATE SET in_payout = t.in_payout + excluded.in_payout, paid = t.paid + excluded.paid`)
		args := make([]any, 0, 4*len(chunk))
		for _, k := range chunk {
			args = append(args, k.affiliate, k.currency, inSign*sums[k], paidSign*sums[k])
		}
		if _, err := q.ExecContext(ctx, b.String(), args...); err != nil {
			return dbError("payout sums", err)
		}
	}
	return nil
}

// concurrentClaim returns the *EntrySettledError for an entry of entries
// that a concurrent run claimed between the check and the insert.
func (s *Store) concurrentClaim(ctx context.Context, q querier, payout string, entries []string) error {
	var settled *storage.EntrySettledError
	const held = `SELECT entry, payout FROM affiliate_payout_entries WHERE live AND payout <> $1 AND entry `
	first := func(rows *sql.Rows) error {
		var e, p string
		if err := rows.Scan(&e, &p); err != nil {
			return err
		}
		if settled == nil {
			settled = &storage.EntrySettledError{Entry: affiliate.EntryID(e), Payout: affiliate.PayoutID(p)}
		}
		return nil
	}
	var err error
	if s.dialect == Postgres {
		err = s.scanAll(ctx, q, held+`= ANY($2::text[])`, []any{payout, entries}, first)
	} else {
		err = s.scanIn(ctx, q, held+`IN `, entries, []any{payout}, first)
	}
	if err != nil {
		return dbError("create payout run: claims", err)
	}
	if settled == nil {
		return conflict("an entry of payout %q was claimed concurrently", payout)
	}
	return settled
}

// loadRun reads a run with its payouts as they stand now.
func (s *Store) loadRun(ctx context.Context, q querier, program string, per affiliate.Period) (affiliate.PayoutRun, error) {
	run := affiliate.PayoutRun{Program: program, Period: per}
	period := per.String()
	var (
		asOf       int64
		carriedNil bool
	)
	var through int64
	err := q.QueryRowContext(ctx, `SELECT hash, as_of_ns, carried_nil, through_seq FROM affiliate_payout_runs WHERE program = $1 AND period = $2`,
		program, period).Scan(&run.Hash, &asOf, &carriedNil, &through)
	if errors.Is(err, sql.ErrNoRows) {
		return affiliate.PayoutRun{}, notFound("payout run", program+"/"+period)
	}
	if err != nil {
		return affiliate.PayoutRun{}, dbError("payout run", err)
	}
	run.AsOf, run.Through = nsTime(asOf), uint64(through)
	run.Payouts, err = s.queryPayouts(ctx, q, `SELECT `+payoutColumns+` FROM affiliate_payouts p WHERE p.program = $1 AND p.run_period = $2 ORDER BY p.pos`, program, period)
	if err != nil {
		return affiliate.PayoutRun{}, dbError("payout run: payouts", err)
	}
	if run.Payouts == nil {
		run.Payouts = []affiliate.Payout{}
	}
	run.Carried, err = s.queryCarried(ctx, q, `SELECT period, affiliate, amount_minor, currency, reason, note FROM affiliate_payout_carried
WHERE program = $1 AND period = $2 ORDER BY pos`, program, period)
	if err != nil {
		return affiliate.PayoutRun{}, dbError("payout run: carried", err)
	}
	if run.Carried == nil && !carriedNil {
		run.Carried = []affiliate.CarriedBalance{}
	}
	return run, nil
}

func (s *Store) queryPayouts(ctx context.Context, q querier, query string, args ...any) ([]affiliate.Payout, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []affiliate.Payout
	for rows.Next() {
		p, err := scanPayout(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

type periodCarried struct {
	period string
	affiliate.CarriedBalance
}

func (s *Store) queryCarried(ctx context.Context, q querier, query string, args ...any) ([]affiliate.CarriedBalance, error) {
	withPeriods, err := s.queryCarriedPeriods(ctx, q, query, args...)
	if err != nil || withPeriods == nil {
		return nil, err
	}
	out := make([]affiliate.CarriedBalance, len(withPeriods))
	for i, c := range withPeriods {
		out[i] = c.CarriedBalance
	}
	return out, nil
}

func (s *Store) queryCarriedPeriods(ctx context.Context, q querier, query string, args ...any) ([]periodCarried, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []periodCarried
	for rows.Next() {
		var (
			c        periodCarried
			aff, cur string
			minor    int64
		)
		if err := rows.Scan(&c.period, &aff, &minor, &cur, &c.Reason, &c.Note); err != nil {
			return nil, err
		}
		if c.Amount, err = toMoney(minor, cur); err != nil {
			return nil, err
		}
		c.Affiliate = affiliate.AffiliateID(aff)
		out = append(out, c)
	}
	return out, rows.Err()
}

func scanPayout(r scanner) (affiliate.Payout, error) {
	var (
		p                                  affiliate.Payout
		id, aff, loc, cur, entries, status string
		year, month                        int
		minor, createdNS, settledNS        int64
	)
	if err := r.Scan(&id, &aff, &year, &month, &loc, &minor, &cur, &entries, &status, &createdNS, &p.Reference, &settledNS, &p.Note); err != nil {
		return affiliate.Payout{}, err
	}
	location, err := loadLocation(loc)
	if err != nil {
		return affiliate.Payout{}, err
	}
	if p.Amount, err = toMoney(minor, cur); err != nil {
		return affiliate.Payout{}, err
	}
	if p.Entries, err = decodeList[affiliate.EntryID](entries); err != nil {
		return affiliate.Payout{}, err
	}
	p.ID, p.Affiliate, p.Status = affiliate.PayoutID(id), affiliate.AffiliateID(aff), affiliate.PayoutStatus(status)
	p.Period = affiliate.Period{Year: year, Month: time.Month(month), Location: location}
	p.CreatedAt, p.SettledAt = nsTime(createdNS), nsTime(settledNS)
	return p, nil
}

// PayoutRun implements storage.Payouts.
func (s *Store) PayoutRun(ctx context.Context, program string, period affiliate.Period) (affiliate.PayoutRun, error) {
	if err := ctx.Err(); err != nil {
		return affiliate.PayoutRun{}, err
	}
	if !storable(program) {
		return affiliate.PayoutRun{}, notFound("payout run", program+"/"+period.String())
	}
	// The engine asks for each payment whether its month has a run; most
	// have none. One statement answers that, where the snapshot a run is
	// read in costs three round trips. Runs are never deleted, so a run
	// missing now was missing at any snapshot taken before.
	var exists bool
	err := s.read(ctx, "payout run", func(q querier) error {
		return q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM affiliate_payout_runs WHERE program = $1 AND period = $2)`, program, period.String()).Scan(&exists)
	})
	if err != nil {
		return affiliate.PayoutRun{}, dbError("payout run", err)
	}
	if !exists {
		return affiliate.PayoutRun{}, notFound("payout run", program+"/"+period.String())
	}
	var run affiliate.PayoutRun
	err = s.snapshot(ctx, "payout run", func(q querier) (err error) {
		run, err = s.loadRun(ctx, q, program, period)
		return err
	})
	if err != nil {
		return affiliate.PayoutRun{}, err
	}
	return run, nil
}

// SettlePayout implements storage.Payouts. The status check is in the
// UPDATE's WHERE (status = 'created'), so of concurrent settlements of
// one payout exactly one moves it, and a paid payout is never paid again.
func (s *Store) SettlePayout(ctx context.Context, u storage.PayoutSettlement) (affiliate.Payout, error) {
	if err := ctx.Err(); err != nil {
		return affiliate.Payout{}, err
	}
	switch {
	case u.Status != affiliate.PayoutPaid && u.Status != affiliate.PayoutFailed && u.Status != affiliate.PayoutCancelled:
		return affiliate.Payout{}, invalid("PayoutSettlement.Status", "a payout settles as paid, failed or cancelled, not "+strings.TrimSpace(string(u.Status)))
	case u.Status == affiliate.PayoutPaid && u.Reference == "":
		return affiliate.Payout{}, invalid("PayoutSettlement.Reference", "a paid payout needs the host's transfer reference")
	case u.At.IsZero():
		return affiliate.Payout{}, invalid("PayoutSettlement.At", "zero time")
	}
	var tc textCheck
	tc.text("PayoutSettlement.Reference", u.Reference)
	tc.text("PayoutSettlement.Note", u.Note)
	tc.time("PayoutSettlement.At", u.At)
	if tc.err != nil {
		return affiliate.Payout{}, tc.err
	}
	if !storable(string(u.ID)) {
		return affiliate.Payout{}, notFound("payout", string(u.ID))
	}
	var out affiliate.Payout
	err := s.write(ctx, "settle payout", readCommitted, func(q querier) error {
		res, err := q.ExecContext(ctx, `UPDATE affiliate_payouts
SET status = $2, settled_ns = $3, note = $4, reference = CASE WHEN $5 THEN $6 ELSE reference END
WHERE id = $1 AND status = 'created'`, string(u.ID), string(u.Status), timeNS(u.At), u.Note, u.Status == affiliate.PayoutPaid, u.Reference)
		if err != nil {
			return dbError("settle payout", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return dbError("settle payout", err)
		}
		stored, err := scanPayout(q.QueryRowContext(ctx, `SELECT `+payoutColumns+` FROM affiliate_payouts p WHERE p.id = $1`, string(u.ID)))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("payout", string(u.ID))
		}
		if err != nil {
			return dbError("settle payout", err)
		}
		if n == 0 {
			return &storage.PayoutStatusError{Payout: stored, To: u.Status}
		}
		paid := int64(0)
		if u.Status == affiliate.PayoutPaid {
			paid = 1
		}
		if err := s.addPayoutSums(ctx, q, map[sumKey]int64{{string(stored.Affiliate), string(stored.Amount.Currency())}: stored.Amount.Minor()}, -1, paid); err != nil {
			return err
		}
		if u.Status != affiliate.PayoutPaid {
			// Release: the claims stop counting and the entries are open
			// for the next run.
			if _, err := q.ExecContext(ctx, `UPDATE affiliate_payout_entries SET live = $2 WHERE payout = $1`, string(u.ID), false); err != nil {
				return dbError("settle payout: release", err)
			}
			if _, err := q.ExecContext(ctx, openInsertHead+`SELECT e.id, e.beneficiary, e.available_ns, e.currency, e.amount_minor, e.at_ns, e.`+s.dialect.seqColumn()+`
FROM affiliate_payout_entries pe JOIN affiliate_entries e ON e.id = pe.entry WHERE pe.payout = $1`, string(u.ID)); err != nil {
				return dbError("settle payout: release", err)
			}
		}
		out = stored
		var program string
		if err := q.QueryRowContext(ctx, `SELECT program FROM affiliate_payouts WHERE id = $1`, string(u.ID)).Scan(&program); err != nil {
			return dbError("settle payout", err)
		}
		return s.appendOutbox(ctx, q, storage.SettleEvents(program, stored))
	})
	if err != nil {
		return affiliate.Payout{}, err
	}
	return out, nil
}

// AffiliateRuns implements storage.PayoutHistory: three index range reads
// (runs by period, the affiliate's payouts and carried balances by
// affiliate and period) in one snapshot, stitched by period.
func (s *Store) AffiliateRuns(ctx context.Context, program string, a affiliate.AffiliateID, fromP, toP affiliate.Period) ([]affiliate.AffiliateRun, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := storage.ValidateRange(fromP, toP); err != nil {
		return nil, err
	}
	from, to := fromP.String(), toP.String()
	out := []affiliate.AffiliateRun{}
	if !storable(program) || !storable(string(a)) {
		return out, nil
	}
	err := s.snapshot(ctx, "affiliate runs", func(q querier) error {
		out = out[:0]
		rows, err := q.QueryContext(ctx, `SELECT period, as_of_ns FROM affiliate_payout_runs
WHERE program = $1 AND period >= $2 AND period <= $3 ORDER BY period`, program, from, to)
		if err != nil {
			return err
		}
		index := make(map[string]int)
		for rows.Next() {
			var (
				period string
				asOf   int64
			)
			if err := rows.Scan(&period, &asOf); err != nil {
				rows.Close()
				return err
			}
			index[period] = len(out)
			per, err := affiliate.ParsePeriod(period, fromP.Location)
			if err != nil {
				return err
			}
			out = append(out, affiliate.AffiliateRun{Program: program, Period: per, AsOf: nsTime(asOf)})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(out) == 0 {
			return nil
		}
		payoutRows, err := q.QueryContext(ctx, `SELECT p.run_period, `+payoutColumns+` FROM affiliate_payouts p
WHERE p.program = $1 AND p.affiliate = $2 AND p.run_period >= $3 AND p.run_period <= $4 ORDER BY p.run_period, p.currency, p.pos`,
			program, string(a), from, to)
		if err != nil {
			return err
		}
		defer payoutRows.Close()
		for payoutRows.Next() {
			var period string
			p, err := scanPayout(prefixed{payoutRows, &period})
			if err != nil {
				return err
			}
			if i, ok := index[period]; ok {
				out[i].Payouts = append(out[i].Payouts, p)
			}
		}
		if err := payoutRows.Err(); err != nil {
			return err
		}
		carried, err := s.queryCarriedPeriods(ctx, q, `SELECT period, affiliate, amount_minor, currency, reason, note FROM affiliate_payout_carried
WHERE program = $1 AND affiliate = $2 AND period >= $3 AND period <= $4 ORDER BY period, currency, pos`, program, string(a), from, to)
		if err != nil {
			return err
		}
		for _, c := range carried {
			if i, ok := index[c.period]; ok {
				out[i].Carried = append(out[i].Carried, c.CarriedBalance)
			}
		}
		return nil
	})
	if err != nil {
		return nil, dbError("affiliate runs", err)
	}
	return out, nil
}

// prefixed scans one leading column into first, then the rest with the
// wrapped scanner's caller's destinations.
type prefixed struct {
	rows  *sql.Rows
	first *string
}

func (p prefixed) Scan(dest ...any) error {
	return p.rows.Scan(append([]any{p.first}, dest...)...)
}

// statusOrder is the order PayoutTotals reports statuses in.
var statusOrder = map[affiliate.PayoutStatus]int{affiliate.PayoutCreated: 0, affiliate.PayoutPaid: 1, affiliate.PayoutFailed: 2, affiliate.PayoutCancelled: 3}

// PayoutTotals implements storage.PayoutHistory: one GROUP BY over the
// program's payouts in the period range, read from the index on
// (program, run_period, pos).
func (s *Store) PayoutTotals(ctx context.Context, program string, fromP, toP affiliate.Period) ([]affiliate.PayoutTotal, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := storage.ValidateRange(fromP, toP); err != nil {
		return nil, err
	}
	from, to := fromP.String(), toP.String()
	if !storable(program) {
		return nil, nil
	}
	var out []affiliate.PayoutTotal
	err := s.read(ctx, "payout totals", func(q querier) error {
		out = out[:0]
		rows, err := q.QueryContext(ctx, `SELECT run_period, currency, status, CAST(SUM(amount_minor) AS BIGINT), COUNT(*)
FROM affiliate_payouts WHERE program = $1 AND run_period >= $2 AND run_period <= $3 GROUP BY run_period, currency, status`, program, from, to)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				t                affiliate.PayoutTotal
				cur, status, key string
				minor            int64
			)
			if err := rows.Scan(&key, &cur, &status, &minor, &t.Count); err != nil {
				return err
			}
			if t.Period, err = affiliate.ParsePeriod(key, fromP.Location); err != nil {
				return err
			}
			if t.Amount, err = toMoney(minor, cur); err != nil {
				return err
			}
			t.Status = affiliate.PayoutStatus(status)
			out = append(out, t)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, dbError("payout totals", err)
	}
	slices.SortFunc(out, func(a, b affiliate.PayoutTotal) int {
		return cmp.Or(strings.Compare(a.Period.String(), b.Period.String()), strings.Compare(string(a.Amount.Currency()), string(b.Amount.Currency())),
			cmp.Compare(statusOrder[a.Status], statusOrder[b.Status]))
	})
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

func addOverflows(a, b int64) bool {
	return (b > 0 && a > math.MaxInt64-b) || (b < 0 && a < math.MinInt64-b)
}
