package sqlstore

import (
	"cmp"
	"context"
	"hash/fnv"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var _ storage.Ledger = (*Store)(nil)

const entryColumns = `e.id, e.beneficiary, e.event, e.payment, e.customer, e.kind, e.base_minor, e.base_currency,
    e.base_lines, e.rate, e.amount_minor, e.currency, e.rule, e.terms, e.tier, e.chain, e.at_ns, e.available_ns,
    e.corrects, e.explanation`

// validateEntries checks a batch before anything is written: memstore's
// checks, then the ones the database adds (text it can hold, times it
// can store, keys it can index).
func validateEntries(entries []affiliate.Entry) error {
	if err := storage.ValidateEntries(entries); err != nil {
		return err
	}
	var tc textCheck
	for _, e := range entries {
		tc.key("Entry.Event", string(e.Event))
		tc.key("Entry.Payment", string(e.Payment))
		tc.key("Entry.Customer", string(e.Customer))
		tc.key("Entry.Corrects", string(e.Corrects))
		tc.text("Entry.Rule", e.Rule)
		tc.text("Entry.Terms", e.Terms)
		tc.text("Entry.Tier", e.Tier)
		tc.text("Entry.Explanation", e.Explanation)
		for _, k := range e.BaseLines {
			tc.text("Entry.BaseLines", string(k))
		}
		for _, a := range e.Chain {
			tc.text("Entry.Chain", string(a))
		}
		tc.time("Entry.At", e.At)
		tc.time("Entry.AvailableAt", e.AvailableAt)
	}
	return tc.err
}

func validateDeltas(deltas []storage.AggregateDelta) error {
	if err := storage.ValidateDeltas(deltas); err != nil {
		return err
	}
	var tc textCheck
	for _, d := range deltas {
		tc.key("AggregateDelta.Affiliate", string(d.Affiliate))
		tc.key("AggregateDelta.Metric", string(d.Metric))
	}
	return tc.err
}

func copyEntry(e affiliate.Entry) affiliate.Entry {
	e.BaseLines = slices.Clone(e.BaseLines)
	e.Chain = slices.Clone(e.Chain)
	return e
}

func copyEntries(es []affiliate.Entry) []affiliate.Entry {
	out := make([]affiliate.Entry, len(es))
	for i, e := range es {
		out[i] = copyEntry(e)
	}
	return out
}

// claimKey inserts the idempotency key, or reports that it is taken: a
// replay (same hash) with the entries written under it, or
// ErrIdempotencyMismatch. Claiming first makes a concurrent writer with
// the same key wait on the key's row until this transaction ends, and
// then see it.
func (s *Store) claimKey(ctx context.Context, q querier, key, hash string) ([]affiliate.Entry, bool, error) {
	res, err := q.ExecContext(ctx, `INSERT INTO affiliate_idempotency_keys (key, hash) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, key, hash)
	if err != nil {
		return nil, false, dbError("claim key", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return nil, false, dbError("claim key", err)
	}
	if n == 1 {
		return nil, false, nil
	}
	var stored string
	if err := q.QueryRowContext(ctx, `SELECT hash FROM affiliate_idempotency_keys WHERE key = $1`, key).Scan(&stored); err != nil {
		return nil, false, dbError("claim key", err)
	}
	if stored != hash {
		return nil, false, &affiliate.FieldError{Field: "Key", Reason: "key " + key + " was used with another payload", Err: affiliate.ErrIdempotencyMismatch}
	}
	entries, err := queryEntries(ctx, q, `SELECT `+entryColumns+` FROM affiliate_entries e WHERE e.idem_key = $1 ORDER BY e.key_pos`, key)
	if err != nil {
		return nil, false, dbError("replay", err)
	}
	if entries == nil {
		entries = []affiliate.Entry{}
	}
	return entries, true, nil
}

const entryInsertColumns = 22

// Entries are appended with their open rows (affiliate_open_entries, the
// entries in no payout; see migrations 0010 and 0011): on PostgreSQL in
// the same statement, a data-modifying CTE whose count is the entries
// appended; on SQLite, which has no such CTE, by a second insert that
// copies the rows just appended under their keys. An open row carries
// the entry's sequence number (the watermark of balances.go): the
// identity column seq on PostgreSQL, the rowid on SQLite.
const (
	entryInsertHead = `INSERT INTO affiliate_entries (id, idem_key, key_pos, beneficiary, event, payment, customer, kind,
    base_minor, base_currency, base_lines, rate, amount_minor, currency, rule, terms, tier, chain, at_ns, available_ns,
    corrects, explanation) VALUES `
	openInsertHead = `INSERT INTO affiliate_open_entries (entry, beneficiary, available_ns, currency, amount_minor, at_ns, seq) `
	// openedColumns are the columns of affiliate_entries an open row
	// copies, in openInsertHead's order, but for the sequence number.
	openedColumns = `id, beneficiary, available_ns, currency, amount_minor, at_ns`
	// openFromKeys copies into affiliate_open_entries the entries
	// appended under the keys of the IN list that follows it (SQLite).
	openFromKeys = openInsertHead + `SELECT ` + openedColumns + `, rowid FROM affiliate_entries WHERE idem_key IN `
)

// seqColumn is the column of affiliate_entries that holds an entry's
// sequence number.
func (d Dialect) seqColumn() string {
	if d == Postgres {
		return "seq"
	}
	return "rowid"
}

// entryInsert returns the prefix and suffix around the VALUES rows of an
// append of entries that skips IDs stored already. On PostgreSQL, a
// RETURNING after the suffix returns the open rows written (entry is
// the ID).
func (d Dialect) entryInsert() (prefix, suffix string) {
	if d == Postgres {
		return `WITH appended AS (` + entryInsertHead, ` ON CONFLICT (id) DO NOTHING RETURNING ` + openedColumns + `, seq)
` + openInsertHead + `SELECT * FROM appended`
	}
	return entryInsertHead, ` ON CONFLICT (id) DO NOTHING`
}

// insertEntries appends entries under key, in order, with their open
// rows. An entry whose ID is stored already fails the write with
// ErrConflict.
func (s *Store) insertEntries(ctx context.Context, q querier, key string, entries []affiliate.Entry) error {
	per := s.q.rowsPer(entryInsertColumns)
	prefix, suffix := s.dialect.entryInsert()
	for start := 0; start < len(entries); start += per {
		chunk := entries[start:min(start+per, len(entries))]
		var b strings.Builder
		b.WriteString(prefix)
		placeholders(&b, 1, len(chunk), entryInsertColumns)
		b.WriteString(suffix)
		args := make([]any, 0, len(chunk)*entryInsertColumns)
		for i, e := range chunk {
			args = appendEntryArgs(args, key, start+i, e)
		}
		res, err := q.ExecContext(ctx, b.String(), args...)
		if err != nil {
			return dbError("append entries", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return dbError("append entries", err)
		}
		if int(n) != len(chunk) {
			return s.existingEntry(ctx, q, key, chunk)
		}
	}
	if s.dialect == SQLite {
		if _, err := q.ExecContext(ctx, openFromKeys+`($1)`, key); err != nil {
			return dbError("append open entries", err)
		}
	}
	return nil
}

// appendEntryArgs appends the entryInsertColumns arguments of e, the
// pos-th entry of the commit with key.
func appendEntryArgs(args []any, key string, pos int, e affiliate.Entry) []any {
	baseMinor, baseCur := money(e.Base)
	amount, cur := money(e.Amount)
	return append(args, string(e.ID), key, pos, string(e.Beneficiary), string(e.Event), string(e.Payment),
		string(e.Customer), string(e.Kind), baseMinor, baseCur, encodeList(e.BaseLines), e.Rate.String(),
		amount, cur, e.Rule, e.Terms, e.Tier, encodeList(e.Chain), timeNS(e.At), timeNS(e.AvailableAt),
		string(e.Corrects), e.Explanation)
}

// existingEntry names the first entry of chunk that was stored before
// this write, for the ErrConflict it returns.
func (s *Store) existingEntry(ctx context.Context, q querier, key string, chunk []affiliate.Entry) error {
	var b strings.Builder
	b.WriteString(`SELECT id FROM affiliate_entries WHERE idem_key <> $1 AND id IN (`)
	args := []any{key}
	for i, e := range chunk {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(i+2))
		args = append(args, string(e.ID))
	}
	b.WriteString(`)`)
	rows, err := q.QueryContext(ctx, b.String(), args...)
	if err != nil {
		return dbError("append entries", err)
	}
	defer rows.Close()
	taken := make(map[string]bool)
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return dbError("append entries", err)
		}
		taken[id] = true
	}
	if err := rows.Err(); err != nil {
		return dbError("append entries", err)
	}
	for _, e := range chunk {
		if taken[string(e.ID)] {
			return conflict("entry %q is already in the ledger", e.ID)
		}
	}
	return conflict("an entry of the batch is already in the ledger")
}

type aggKey struct {
	affiliate affiliate.AffiliateID
	metric    affiliate.Metric
	period    string
	currency  affiliate.Currency
	shard     int
}

func (k aggKey) compare(o aggKey) int {
	return cmp.Or(
		strings.Compare(string(k.affiliate), string(o.affiliate)),
		strings.Compare(string(k.metric), string(o.metric)),
		strings.Compare(k.period, o.period),
		strings.Compare(string(k.currency), string(o.currency)),
		cmp.Compare(k.shard, o.shard))
}

type aggSum struct {
	key     aggKey
	total   storage.Aggregate // the commit's deltas with key, summed
	written bool
}

// programShards is how many rows share each program-wide aggregate (the
// "" affiliate). Every commit adds to the program-wide bucket; were it
// one row, its row lock would admit one committing writer at a time, and
// PostgreSQL's throughput with 8 workers would be that of one. A write
// adds to the shard its idempotency key hashes to, and reads sum the
// shards. Per-affiliate rows stay single: they are shared only by
// concurrent events of one affiliate's customers.
const programShards = 16

func shardOf(key string) int {
	h := fnv.New32a()
	h.Write([]byte(key))
	return int(h.Sum32() % programShards)
}

// addDeltas adds validated deltas to the running aggregates with one
// upsert. Deltas with one key are summed first (PostgreSQL refuses to
// update a row twice in one statement), and rows are written in key order
// so that concurrent writers lock shared rows in the same order and
// cannot deadlock on them.
//
// An addition that would take a total out of range returns an
// *storage.AggregateOverflowError, and the caller's transaction rolls
// back: the upsert's WHERE leaves such a row alone, and RETURNING tells
// which rows it wrote. A program-wide total is checked shard by shard,
// so only a read can find the sum of its shards out of range.
func (s *Store) addDeltas(ctx context.Context, q querier, idemKey string, deltas []storage.AggregateDelta) error {
	if len(deltas) == 0 {
		return nil
	}
	var sums aggSums
	if err := sums.add(idemKey, deltas); err != nil {
		return err
	}
	return s.upsertSums(ctx, q, sums.list)
}

// aggSums sums deltas by aggregate row.
type aggSums struct {
	list  []aggSum
	index map[aggKey]int // made once list is long: a commit's few rows are searched
}

// find returns the position of k's row in list.
func (a *aggSums) find(k aggKey) (int, bool) {
	if a.index == nil && len(a.list) >= 16 {
		a.index = make(map[aggKey]int, 2*len(a.list))
		for i, s := range a.list {
			a.index[s.key] = i
		}
	}
	if a.index != nil {
		i, ok := a.index[k]
		return i, ok
	}
	for i := range a.list {
		if a.list[i].key == k {
			return i, true
		}
	}
	return 0, false
}

// add sums the deltas of the commit with idemKey into a.
func (a *aggSums) add(idemKey string, deltas []storage.AggregateDelta) error {
	shard := shardOf(idemKey)
	for _, d := range deltas {
		k := aggKey{d.Affiliate, d.Metric, d.Period.String(), d.Amount.Currency(), 0}
		if d.Affiliate == "" {
			k.shard = shard
		}
		i, ok := a.find(k)
		if !ok {
			i = len(a.list)
			a.list = append(a.list, aggSum{key: k, total: storage.Aggregate{Affiliate: d.Affiliate, Period: d.Period, Metric: d.Metric}})
			if a.index != nil {
				a.index[k] = i
			}
		}
		total, err := storage.AddDelta(a.list[i].total, d)
		if err != nil {
			return err
		}
		a.list[i].total = total
	}
	return nil
}

// upsertSums adds sums to their rows, in key order: on PostgreSQL in one
// statement of one array a column (unnestRows), on SQLite a row a statement.
func (s *Store) upsertSums(ctx context.Context, q querier, sums []aggSum) error {
	slices.SortFunc(sums, func(a, b aggSum) int { return a.key.compare(b.key) })
	if s.dialect == SQLite {
		// One row a statement, as batchWrite.insert writes.
		st := statements{s: s, q: q}
		defer st.close()
		var b strings.Builder
		b.WriteString(aggUpsertHead)
		placeholders(&b, 1, 1, 7)
		b.WriteString(aggUpsertTail)
		for _, a := range sums {
			written, err := st.exec(ctx, b.String(), aggArgs(nil, a)...)
			if err != nil {
				return dbError("add aggregates", err)
			}
			if !written {
				return a.overflow()
			}
		}
		return nil
	}
	if len(sums) == 0 {
		return nil
	}
	args := make([]any, 0, 7*len(sums))
	for _, a := range sums {
		args = aggArgs(args, a)
	}
	query, columns := unnestRows(aggUpsertHead, args, 7)
	if err := markWritten(ctx, q, query+aggUpsertTail+`
RETURNING affiliate, metric, period, currency, shard`, columns, sums); err != nil {
		return dbError("add aggregates", err)
	}
	for _, a := range sums {
		if !a.written {
			return a.overflow()
		}
	}
	return nil
}

// The upsert of aggregate sums, around its VALUES rows. Amounts stay
// within Money's ±MaxInt64, counts within int64: the WHERE leaves a row
// alone that the sum would take out of range. CASE decides the order of
// evaluation, so no bound is computed by a subtraction that overflows
// itself.
const (
	aggUpsertHead = `INSERT INTO affiliate_aggregates AS t (affiliate, metric, period, currency, shard, amount_minor, count) VALUES `
	aggUpsertTail = ` ON CONFLICT (affiliate, metric, period, currency, shard) DO UPDATE SET
    amount_minor = t.amount_minor + excluded.amount_minor, count = t.count + excluded.count
WHERE CASE WHEN excluded.amount_minor > 0 THEN t.amount_minor <= 9223372036854775807 - excluded.amount_minor
           WHEN excluded.amount_minor < 0 THEN t.amount_minor >= -9223372036854775807 - excluded.amount_minor
           ELSE TRUE END
  AND CASE WHEN excluded.count > 0 THEN t.count <= 9223372036854775807 - excluded.count
           WHEN excluded.count < 0 THEN t.count >= (-9223372036854775807 - 1) - excluded.count
           ELSE TRUE END`
)

func aggArgs(args []any, a aggSum) []any {
	return append(args, string(a.key.affiliate), string(a.key.metric), a.key.period, string(a.key.currency), a.key.shard, a.total.Amount.Minor(), a.total.Count)
}

func (a aggSum) overflow() error {
	return &storage.AggregateOverflowError{Affiliate: a.key.affiliate, Period: a.total.Period, Metric: a.key.metric, Currency: a.key.currency}
}

// markWritten runs the upsert and sets written on the sums whose rows it
// returns.
func markWritten(ctx context.Context, q querier, query string, args []any, chunk []aggSum) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k aggKey
		if err := rows.Scan(&k.affiliate, &k.metric, &k.period, &k.currency, &k.shard); err != nil {
			return err
		}
		if i, ok := slices.BinarySearchFunc(chunk, k, func(a aggSum, k aggKey) int { return a.key.compare(k) }); ok {
			chunk[i].written = true
		}
	}
	return rows.Err()
}

// Entries implements storage.Ledger. Every filter becomes a WHERE term; an
// Unsettled query is driven from affiliate_open_entries, so a payout run
// reads open entries only.
func (s *Store) Entries(ctx context.Context, q storage.EntryQuery) ([]affiliate.Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		return nil, invalid("EntryQuery.To", "before From")
	}
	for _, v := range []string{string(q.Beneficiary), string(q.Customer), string(q.Event), string(q.Payment), string(q.Currency)} {
		if !storable(v) {
			return nil, nil // nothing stored can match it
		}
	}
	var (
		b     strings.Builder
		args  []any
		empty bool
	)
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	b.WriteString(`SELECT ` + entryColumns)
	beneficiary, available := "e.beneficiary", "e.available_ns"
	if q.Unsettled {
		b.WriteString(` FROM affiliate_open_entries o JOIN affiliate_entries e ON e.id = o.entry WHERE TRUE`)
		beneficiary, available = "o.beneficiary", "o.available_ns"
	} else {
		b.WriteString(` FROM affiliate_entries e WHERE TRUE`)
	}
	if q.Beneficiary != "" {
		b.WriteString(` AND ` + beneficiary + ` = ` + arg(string(q.Beneficiary)))
	}
	if q.Customer != "" {
		b.WriteString(` AND e.customer = ` + arg(string(q.Customer)))
	}
	if q.Event != "" {
		b.WriteString(` AND e.event = ` + arg(string(q.Event)))
	}
	if q.Payment != "" {
		b.WriteString(` AND e.payment = ` + arg(string(q.Payment)))
	}
	if q.Currency != "" {
		b.WriteString(` AND e.currency = ` + arg(string(q.Currency)))
	}
	if !q.From.IsZero() {
		if ns, ok := lowerBound(q.From); ok {
			b.WriteString(` AND e.at_ns >= ` + arg(ns))
		} else {
			empty = true
		}
	}
	if !q.To.IsZero() {
		if ns, ok, all := upperBound(q.To); !ok {
			empty = true
		} else if !all {
			b.WriteString(` AND e.at_ns < ` + arg(ns))
		}
	}
	if !q.AvailableBy.IsZero() {
		if ns, ok, all := upperBound(q.AvailableBy.Add(1)); !ok {
			empty = true
		} else if !all {
			b.WriteString(` AND ` + available + ` < ` + arg(ns))
		}
	}
	if empty {
		return nil, nil
	}
	b.WriteString(` ORDER BY e.at_ns, e.id`)
	var out []affiliate.Entry
	err := s.read(ctx, "entries", func(db querier) (err error) {
		out, err = queryEntries(ctx, db, b.String(), args...)
		return err
	})
	if err != nil {
		return nil, dbError("entries", err)
	}
	return out, nil
}

// lowerBound returns the nanosecond bound for "at or after t", or false
// when no storable time is that late.
func lowerBound(t time.Time) (int64, bool) {
	switch {
	case t.Before(minTime):
		return math.MinInt64 + 1, true
	case t.After(maxTime):
		return 0, false
	}
	return t.UnixNano(), true
}

// upperBound returns the nanosecond bound for "before t": ok is false when
// no storable time is that early, all is true when every stored time is.
func upperBound(t time.Time) (ns int64, ok, all bool) {
	switch {
	case !t.After(minTime):
		return 0, false, false
	case t.After(maxTime):
		return 0, true, true
	}
	return t.UnixNano(), true, false
}

func queryEntries(ctx context.Context, q querier, query string, args ...any) ([]affiliate.Entry, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var (
		out []affiliate.Entry
		dec entryDecoder
	)
	for rows.Next() {
		e, err := dec.scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// entryDecoder remembers the rates and lists it decoded: the entries of
// one read share a handful of each, and a payout run reads 100,000
// entries. Lists are cloned out of the cache, so no two entries share a
// backing array.
type entryDecoder struct {
	rates  map[string]affiliate.Rate
	lines  map[string][]affiliate.LineKind
	chains map[string][]affiliate.AffiliateID
}

func (d *entryDecoder) rate(s string) (affiliate.Rate, error) {
	if r, ok := d.rates[s]; ok {
		return r, nil
	}
	r, err := affiliate.ParseRate(s)
	if err != nil {
		return affiliate.Rate{}, err
	}
	if d.rates == nil {
		d.rates = make(map[string]affiliate.Rate)
	}
	d.rates[s] = r
	return r, nil
}

func cachedList[T ~string](cache *map[string][]T, s string) ([]T, error) {
	if xs, ok := (*cache)[s]; ok {
		return slices.Clone(xs), nil
	}
	xs, err := decodeList[T](s)
	if err != nil {
		return nil, err
	}
	if *cache == nil {
		*cache = make(map[string][]T)
	}
	(*cache)[s] = xs
	return slices.Clone(xs), nil
}

func (d *entryDecoder) scan(r scanner) (affiliate.Entry, error) {
	var (
		e                                                         affiliate.Entry
		id, beneficiary, event, payment, customer, kind, corrects string
		baseCur, baseLines, rate, cur, chain                      string
		baseMinor, amountMinor, atNS, availableNS                 int64
	)
	if err := r.Scan(&id, &beneficiary, &event, &payment, &customer, &kind, &baseMinor, &baseCur,
		&baseLines, &rate, &amountMinor, &cur, &e.Rule, &e.Terms, &e.Tier, &chain, &atNS, &availableNS,
		&corrects, &e.Explanation); err != nil {
		return affiliate.Entry{}, err
	}
	var err error
	if e.Base, err = toMoney(baseMinor, baseCur); err != nil {
		return affiliate.Entry{}, err
	}
	if e.Amount, err = toMoney(amountMinor, cur); err != nil {
		return affiliate.Entry{}, err
	}
	if e.Rate, err = d.rate(rate); err != nil {
		return affiliate.Entry{}, err
	}
	if e.BaseLines, err = cachedList(&d.lines, baseLines); err != nil {
		return affiliate.Entry{}, err
	}
	if e.Chain, err = cachedList(&d.chains, chain); err != nil {
		return affiliate.Entry{}, err
	}
	e.ID, e.Beneficiary, e.Event, e.Payment = affiliate.EntryID(id), affiliate.AffiliateID(beneficiary), affiliate.EventID(event), affiliate.EventID(payment)
	e.Customer, e.Kind, e.Corrects = affiliate.CustomerID(customer), affiliate.EntryKind(kind), affiliate.EntryID(corrects)
	e.At, e.AvailableAt = nsTime(atNS), nsTime(availableNS)
	return e, nil
}
