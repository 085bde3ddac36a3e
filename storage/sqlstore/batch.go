package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// CommitBatch implements storage.Events in one transaction whose stages
// each cover the whole batch: one INSERT per table (on PostgreSQL of one
// array a column; on SQLite one prepared statement run once a row, see
// insert), the aggregate deltas summed by
// row before one upsert, the outbox rows in one append. Every stage checks
// all commits and the first failing commit, in batch order, is reported,
// so the error names the same commit as memstore's. Bad input is refused
// before the transaction begins.
//
// An aggregate whose batch total would leave its range fails the first
// commit that adds to it; totals are checked on the batch's net sum per
// row, so a batch that would pass through an out-of-range total only
// between its commits is accepted.
func (s *Store) CommitBatch(ctx context.Context, cs []storage.Commit) ([]storage.CommitResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	bodies := make([]string, len(cs))
	for i, c := range cs {
		body, err := checkCommit(c)
		if err == nil && c.Expect != nil {
			err = invalid("Commit.Expect", "CommitBatch checks no expectation: Commit does")
		}
		if err != nil {
			return nil, &storage.BatchError{Index: i, Err: err}
		}
		bodies[i] = body
	}
	out := []storage.CommitResult{}
	if len(cs) == 0 {
		return out, nil
	}
	err := s.write(ctx, "commit batch", readCommitted, func(q querier) error {
		b := batchWrite{statements: statements{s: s, q: q}, cs: cs, bodies: bodies}
		defer b.close()
		var err error
		out, err = b.run(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// batchWrite is one attempt of CommitBatch inside its transaction.
type batchWrite struct {
	statements
	cs     []storage.Commit
	bodies []string
	failed []error // the first error of each commit, by index
	// replayOf is, for a commit that replays an earlier commit of the
	// batch, that commit's index; -1 otherwise.
	replayOf []int
	stored   map[int][]affiliate.Entry // the entries of commits that replay a stored key
}

func (b *batchWrite) fail(i int, err error) {
	if b.failed[i] == nil {
		b.failed[i] = err
	}
}

// live reports whether commit i still writes: not a replay, not failed.
func (b *batchWrite) live(i int) bool {
	_, replay := b.stored[i]
	return b.failed[i] == nil && b.replayOf[i] < 0 && !replay
}

func (b *batchWrite) run(ctx context.Context) ([]storage.CommitResult, error) {
	n := len(b.cs)
	b.failed = make([]error, n)
	b.replayOf = make([]int, n)
	b.stored = make(map[int][]affiliate.Entry)
	steps := []func(context.Context) error{b.claimKeys, b.swapStates, b.logEvents, b.insertEntries, b.addDeltas}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			return nil, err
		}
	}
	for i, err := range b.failed {
		if err != nil {
			return nil, &storage.BatchError{Index: i, Err: err}
		}
	}
	var evs []affiliate.OutboxEvent
	for i, c := range b.cs {
		if b.live(i) {
			evs = append(evs, storage.CommitEvents(c)...)
		}
	}
	if err := b.s.appendOutbox(ctx, b.q, evs); err != nil {
		return nil, err
	}
	out := make([]storage.CommitResult, n)
	for i, c := range b.cs {
		switch entries, replay := b.stored[i]; {
		case replay:
			out[i] = storage.CommitResult{Entries: entries, Replayed: true}
		case b.replayOf[i] >= 0:
			out[i] = storage.CommitResult{Entries: copyEntries(out[b.replayOf[i]].Entries), Replayed: true}
		default:
			out[i] = storage.CommitResult{Entries: copyEntries(c.Entries)}
		}
	}
	return out, nil
}

// claimKeys claims the batch's new keys with one insert, then reads the
// hashes of those stored before: the same hash is a replay, another a
// mismatch. A key repeated in the batch is checked against its first use.
func (b *batchWrite) claimKeys(ctx context.Context) error {
	first := make(map[string]int, len(b.cs))
	var args []any
	for i, c := range b.cs {
		b.replayOf[i] = -1
		if j, ok := first[c.Key]; ok {
			b.replayOf[i] = j
			continue
		}
		first[c.Key] = i
		args = append(args, c.Key, c.Hash)
	}
	claimed := make(map[string]bool, len(first))
	err := b.insert(ctx, `INSERT INTO affiliate_idempotency_keys (key, hash) VALUES `, ` ON CONFLICT (key) DO NOTHING`, "key", 2, args, func(k string) { claimed[k] = true })
	if err != nil {
		return dbError("commit batch: claim keys", err)
	}
	hashes := make(map[string]string) // of the keys stored before
	for i, c := range b.cs {
		if b.replayOf[i] >= 0 || claimed[c.Key] {
			continue
		}
		var stored string
		if err := b.q.QueryRowContext(ctx, `SELECT hash FROM affiliate_idempotency_keys WHERE key = $1`, c.Key).Scan(&stored); err != nil {
			return dbError("commit batch: claim keys", err)
		}
		hashes[c.Key] = stored
		if stored != c.Hash {
			b.fail(i, mismatch(c.Key))
			continue
		}
		entries, err := queryEntries(ctx, b.q, `SELECT `+entryColumns+` FROM affiliate_entries e WHERE e.idem_key = $1 ORDER BY e.key_pos`, c.Key)
		if err != nil {
			return dbError("commit batch: replay", err)
		}
		if entries == nil {
			entries = []affiliate.Entry{}
		}
		b.stored[i] = entries
	}
	for i, c := range b.cs {
		j := b.replayOf[i]
		if j < 0 {
			continue
		}
		want, ok := hashes[c.Key]
		if !ok {
			want = b.cs[j].Hash
		}
		if c.Hash != want {
			b.fail(i, mismatch(c.Key))
		}
	}
	return nil
}

func mismatch(key string) error {
	return &affiliate.FieldError{Field: "Key", Reason: "key " + key + " was used with another payload", Err: affiliate.ErrIdempotencyMismatch}
}

// swapStates checks each customer's chain of versions against the stored
// version, then writes the states level by level (the first commit of
// each customer, then the second…), each level one upsert whose WHERE
// re-checks the version under the row lock.
func (b *batchWrite) swapStates(ctx context.Context) error {
	var levels [][]int
	seen := make(map[affiliate.CustomerID]int)   // commits so far, by customer
	last := make(map[affiliate.CustomerID]int64) // the version the last one wrote
	var customers []any
	for i, c := range b.cs {
		if !b.live(i) {
			continue
		}
		k := seen[c.State.Customer]
		if k == 0 {
			customers = append(customers, string(c.State.Customer))
		} else if v := last[c.State.Customer]; v != c.State.Version-1 {
			b.fail(i, conflict("customer %q state is at version %d, not %d", c.State.Customer, v, c.State.Version-1))
		}
		seen[c.State.Customer] = k + 1
		last[c.State.Customer] = c.State.Version
		if k == len(levels) {
			levels = append(levels, nil)
		}
		levels[k] = append(levels[k], i)
	}
	stored := make(map[affiliate.CustomerID]int64, len(customers))
	err := b.s.selectKeys(ctx, b.q, `customer, version`, `affiliate_customer_states`, `customer`, customers, func(rows scanner) error {
		var (
			c string
			v int64
		)
		err := rows.Scan(&c, &v)
		stored[affiliate.CustomerID(c)] = v
		return err
	})
	if err != nil {
		return dbError("commit batch: read states", err)
	}
	if len(levels) == 0 {
		return nil
	}
	for _, i := range levels[0] {
		st := b.cs[i].State
		if v := stored[st.Customer]; v != st.Version-1 {
			b.fail(i, conflict("customer %q state is at version %d, not %d", st.Customer, v, st.Version-1))
		}
	}
	for _, level := range levels {
		// In customer order, so that concurrent batches lock shared rows
		// in one order and do not deadlock on them.
		slices.SortFunc(level, func(i, j int) int {
			return strings.Compare(string(b.cs[i].State.Customer), string(b.cs[j].State.Customer))
		})
		var args []any
		for _, i := range level {
			if st := b.cs[i].State; b.failed[i] == nil {
				args = append(args, string(st.Customer), st.Version, blobArg(st.Data))
			}
		}
		written := make(map[string]bool, len(level))
		err := b.insert(ctx, `INSERT INTO affiliate_customer_states AS t (customer, version, data) VALUES `, `
ON CONFLICT (customer) DO UPDATE SET version = excluded.version, data = excluded.data
WHERE t.version = excluded.version - 1`, "customer", 3, args, func(c string) { written[c] = true })
		if err != nil {
			return dbError("commit batch: swap states", err)
		}
		for _, i := range level {
			st := b.cs[i].State
			if b.failed[i] == nil && !written[string(st.Customer)] {
				b.fail(i, conflict("customer %q state is not at version %d", st.Customer, st.Version-1))
			}
		}
	}
	return nil
}

// logEvents inserts the batch's events with one insert; an ID stored
// before, or earlier in the batch, fails its commit.
func (b *batchWrite) logEvents(ctx context.Context) error {
	owner := make(map[affiliate.EventID]int)
	var args []any
	for i, c := range b.cs {
		ev := c.Event
		if !b.live(i) || ev == nil {
			continue
		}
		if _, dup := owner[ev.ID]; dup {
			b.fail(i, conflict("event %q is already logged", ev.ID))
			continue
		}
		owner[ev.ID] = i
		args = append(args, string(ev.ID), string(ev.Customer), string(ev.PaymentID()), timeNS(ev.Time), ev.Hash, string(ev.Affiliate), b.bodies[i])
	}
	logged := make(map[string]bool, len(owner))
	err := b.insert(ctx, `INSERT INTO affiliate_events (id, customer, payment, time_ns, hash, affiliate, body) VALUES `,
		` ON CONFLICT (id) DO NOTHING`, "id", 7, args, func(id string) { logged[id] = true })
	if err != nil {
		return dbError("commit batch: log events", err)
	}
	for id, i := range owner {
		if !logged[string(id)] {
			b.fail(i, conflict("event %q is already logged", id))
		}
	}
	return nil
}

// insertEntries appends the batch's entries with one insert, each under
// its commit's key; an ID stored before, or earlier in the batch, fails
// its commit.
func (b *batchWrite) insertEntries(ctx context.Context) error {
	owner := make(map[affiliate.EntryID]int)
	var args []any
	for i, c := range b.cs {
		if !b.live(i) {
			continue
		}
		for pos, e := range c.Entries {
			if _, dup := owner[e.ID]; dup {
				b.fail(i, conflict("entry %q is already in the ledger", e.ID))
				continue
			}
			owner[e.ID] = i
			args = appendEntryArgs(args, c.Key, pos, e)
		}
	}
	inserted := make(map[string]bool, len(owner))
	prefix, suffix := b.s.dialect.entryInsert()
	err := b.insert(ctx, prefix, suffix, "entry", entryInsertColumns, args, func(id string) { inserted[id] = true })
	if err != nil {
		return dbError("commit batch: append entries", err)
	}
	failed := false
	for id, i := range owner {
		if !inserted[string(id)] {
			b.fail(i, conflict("entry %q is already in the ledger", id))
			failed = true
		}
	}
	if failed || b.s.dialect != SQLite {
		return nil // the batch fails, or the open rows are written
	}
	for i, c := range b.cs {
		if !b.live(i) {
			continue
		}
		for _, e := range c.Entries {
			amount, cur := money(e.Amount)
			if _, err := b.exec(ctx, openEntryRow, string(e.ID), string(e.Beneficiary), timeNS(e.AvailableAt), cur, amount, timeNS(e.At)); err != nil {
				return dbError("commit batch: append open entries", err)
			}
		}
	}
	return nil
}

// openEntryRow writes the open row of the entry with ID $1 (SQLite).
const openEntryRow = openInsertHead + `VALUES ($1, $2, $3, $4, $5, $6, (SELECT rowid FROM affiliate_entries WHERE id = $1))`

// addDeltas sums the live commits' deltas by row and upserts the sums.
func (b *batchWrite) addDeltas(ctx context.Context) error {
	var sums aggSums
	for i, c := range b.cs {
		if !b.live(i) {
			continue
		}
		if err := sums.add(c.Key, c.Deltas); err != nil {
			b.fail(i, err)
			return nil
		}
	}
	err := b.s.upsertSums(ctx, b.q, sums.list)
	var overflow *storage.AggregateOverflowError
	if !errors.As(err, &overflow) {
		return err
	}
	for i, c := range b.cs {
		if !b.live(i) {
			continue
		}
		for _, d := range c.Deltas {
			if d.Affiliate == overflow.Affiliate && d.Metric == overflow.Metric && d.Period.String() == overflow.Period.String() && d.Amount.Currency() == overflow.Currency {
				b.fail(i, err)
				return nil
			}
		}
	}
	return err
}

// insert runs prefix (an INSERT … VALUES) with args' rows, cols values a
// row, then suffix, and passes got the first column of each row written
// (inserted, or updated by an upsert).
//
// PostgreSQL takes every row in one statement of one array a column
// (unnestRows) and names the rows it wrote by RETURNING returning. SQLite
// takes one row a statement, prepared once:
// a statement of several rows must be able to take back the rows it
// wrote when a later one fails, so SQLite copies every page it changes
// into a statement journal first; a one-row statement needs no journal.
func (b *batchWrite) insert(ctx context.Context, prefix, suffix, returning string, cols int, args []any, got func(string)) error {
	if b.s.dialect == SQLite {
		var sb strings.Builder
		sb.WriteString(prefix)
		placeholders(&sb, 1, 1, cols)
		sb.WriteString(suffix)
		for start := 0; start < len(args); start += cols {
			wrote, err := b.exec(ctx, sb.String(), args[start:start+cols]...)
			if err != nil {
				return err
			}
			if wrote {
				got(args[start].(string))
			}
		}
		return nil
	}
	if len(args) == 0 {
		return nil
	}
	query, columns := unnestRows(prefix, args, cols)
	return b.each(ctx, query+suffix+` RETURNING `+returning, columns, func(r scanner) error {
		var v string
		err := r.Scan(&v)
		got(v)
		return err
	})
}

// unnestRows turns head, an INSERT … VALUES, and args, cols values a row
// and at least one row, into an INSERT … SELECT FROM unnest of one array
// parameter a column (PostgreSQL), and those arrays. A column's type is
// its first value's Go type: string is text[], int and int64 int8[],
// []byte or nil bytea[] (a nil is a NULL). A value of another type than
// its column's first, or of no such type, is a programming error:
// unnestRows panics rather than write a zero in its place.
//
// Arrays travel in binary, one parameter a column whatever the rows, in
// one Bind message (PostgreSQL takes up to 1 GiB). The function scan
// yields rows in array order, and INSERT … SELECT writes them so, as it
// wrote a VALUES list: callers rely on it for the order rows are locked
// in and the outbox's rows are numbered in.
func unnestRows(head string, args []any, cols int) (string, []any) {
	head, ok := strings.CutSuffix(head, "VALUES ")
	if !ok {
		panic("sqlstore: unnestRows of a statement that is no INSERT … VALUES: " + head)
	}
	rows := len(args) / cols
	columns := make([]any, cols)
	var b strings.Builder
	b.WriteString(head)
	b.WriteString("SELECT * FROM unnest(")
	for j := range cols {
		if j > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(j+1))
		at := func(i int) any { return args[i*cols+j] }
		mismatch := func(i int) {
			panic(fmt.Sprintf("sqlstore: unnestRows: row %d of column %d is a %T, its first a %T", i, j+1, at(i), at(0)))
		}
		switch at(0).(type) {
		case string:
			v := make([]string, rows)
			for i := range v {
				var ok bool
				if v[i], ok = at(i).(string); !ok {
					mismatch(i)
				}
			}
			columns[j] = v
			b.WriteString("::text[]")
		case int, int64:
			v := make([]int64, rows)
			for i := range v {
				switch x := at(i).(type) {
				case int:
					v[i] = int64(x)
				case int64:
					v[i] = x
				default:
					mismatch(i)
				}
			}
			columns[j] = v
			b.WriteString("::int8[]")
		case []byte, nil:
			v := make([][]byte, rows)
			for i := range v {
				var ok bool
				if v[i], ok = at(i).([]byte); !ok && at(i) != nil {
					mismatch(i)
				}
			}
			columns[j] = v
			b.WriteString("::bytea[]")
		default:
			mismatch(0)
		}
	}
	b.WriteString(")")
	return b.String(), columns
}

// statements runs the store's SQL through q; on SQLite, as statements
// prepared once and kept until close.
type statements struct {
	s     *Store
	q     querier
	stmts map[string]*sql.Stmt // prepared on SQLite, by text
}

func (b *statements) each(ctx context.Context, query string, args []any, scan func(scanner) error) error {
	rows, err := b.query(ctx, query, args)
	return scanEach(rows, err, scan)
}

// query runs query. On SQLite, a statement text run before (every full
// chunk of a table has the same) runs prepared: SQLite parses a statement
// of hundreds of parameters for longer than it binds one.
func (b *statements) query(ctx context.Context, query string, args []any) (*sql.Rows, error) {
	stmt, args, err := b.prepare(ctx, query, args)
	switch {
	case err != nil:
		return nil, err
	case stmt == nil:
		return b.q.QueryContext(ctx, query, args...)
	}
	return stmt.QueryContext(ctx, args...)
}

// exec runs query, the write of one row, and reports whether it wrote
// the row (SQLite).
func (b *statements) exec(ctx context.Context, query string, args ...any) (bool, error) {
	stmt, args, err := b.prepare(ctx, query, args)
	if err != nil {
		return false, err
	}
	var res sql.Result
	if stmt == nil {
		res, err = b.q.ExecContext(ctx, query, args...)
	} else {
		// modernc.org/sqlite watches a context that can end with a
		// goroutine per statement, longer than a one-row write takes:
		// ctx is checked before the statement instead.
		if ctx.Done() != nil {
			if err := ctx.Err(); err != nil {
				return false, err
			}
			ctx = context.WithoutCancel(ctx)
		}
		res, err = stmt.ExecContext(ctx, args...)
	}
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// prepare returns query prepared, once, and args bound to it; or no
// statement, and args as they were, on PostgreSQL (where a prepared
// statement costs a round trip of its own) or a querier that cannot
// prepare.
func (b *statements) prepare(ctx context.Context, query string, args []any) (*sql.Stmt, []any, error) {
	bq, _ := b.q.(bound)
	conn, ok := bq.q.(interface {
		PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
	})
	if b.s.dialect != SQLite || !ok {
		return nil, args, nil
	}
	text, args := b.s.q.bind(query, args)
	stmt, ok := b.stmts[text]
	if !ok {
		var err error
		if stmt, err = conn.PrepareContext(ctx, text); err != nil {
			return nil, nil, err
		}
		if b.stmts == nil {
			b.stmts = make(map[string]*sql.Stmt)
		}
		b.stmts[text] = stmt
	}
	return stmt, args, nil
}

// close releases the statements prepared.
func (b *statements) close() {
	for _, stmt := range b.stmts {
		stmt.Close()
	}
}

var _ storage.BatchReader = (*Store)(nil)

// ReadBatch implements storage.BatchReader with one SELECT per table (see
// selectKeys), outside a transaction, as the one-by-one reads are. It
// reads along the affiliates the bindings name and their parents (see
// boundAffiliates). It answers q.Runs only for one event on PostgreSQL
// (readOnePostgres): a round of RecordBatch asks the engine's memo about
// a month once.
func (s *Store) ReadBatch(ctx context.Context, q storage.BatchQuery) (storage.BatchFacts, error) {
	if err := ctx.Err(); err != nil {
		return storage.BatchFacts{}, err
	}
	customers, events, known := q.Customers, q.Events, q.KnownAffiliates
	if s.dialect == Postgres && len(customers) == 1 && len(events) == 1 && len(q.Runs) <= 1 && storable(string(customers[0])) && storable(string(events[0])) {
		return s.readOnePostgres(ctx, customers[0], events[0], q.Runs)
	}
	var custKeys, eventKeys []any
	for _, c := range customers {
		if storable(string(c)) {
			custKeys = append(custKeys, string(c))
		}
	}
	for _, id := range events {
		if storable(string(id)) {
			eventKeys = append(eventKeys, string(id))
		}
	}
	var f storage.BatchFacts
	err := s.read(ctx, "read batch", func(q querier) error {
		f = storage.BatchFacts{
			States:   make(map[affiliate.CustomerID]storage.CustomerState, len(custKeys)),
			Events:   make(map[affiliate.EventID]affiliate.EventRecord, len(eventKeys)),
			Bindings: make(map[affiliate.CustomerID]affiliate.Binding, len(custKeys)),
		}
		err := s.selectKeys(ctx, q, `customer, version, data, data IS NULL`, `affiliate_customer_states`, `customer`, custKeys, func(r scanner) error {
			var (
				c      string
				st     storage.CustomerState
				isNull bool
			)
			if err := r.Scan(&c, &st.Version, &st.Data, &isNull); err != nil {
				return err
			}
			if !isNull && st.Data == nil {
				st.Data = []byte{}
			}
			st.Customer = affiliate.CustomerID(c)
			f.States[st.Customer] = st
			return nil
		})
		if err != nil {
			return err
		}
		err = s.selectKeys(ctx, q, eventColumns, `affiliate_events`, `id`, eventKeys, func(r scanner) error {
			rec, err := scanEvent(r)
			f.Events[rec.ID] = rec
			return err
		})
		if err != nil {
			return err
		}
		err = s.selectKeys(ctx, q, bindingColumns, `affiliate_bindings`, `customer`, custKeys, func(r scanner) error {
			bd, err := scanBinding(r)
			f.Bindings[bd.Customer] = bd
			return err
		})
		if err != nil {
			return err
		}
		f.Affiliates, err = s.boundAffiliates(ctx, q, f.Bindings, known)
		return err
	})
	if err != nil {
		return storage.BatchFacts{}, dbError("read batch", err)
	}
	return f, nil
}

// boundAffiliates reads the affiliates that bindings name and then their
// parents, a SELECT for each, but for those the caller knows: the engine
// prices a payment with the bound affiliate and pays bonuses up its
// chain, and would otherwise read each of them with a round trip of its
// own. An affiliate never stored (Bind does not ask) is simply not in the
// map, and the engine's own read of it reports that.
func (s *Store) boundAffiliates(ctx context.Context, q querier, bindings map[affiliate.CustomerID]affiliate.Binding, known []affiliate.AffiliateID) (map[affiliate.AffiliateID]affiliate.Affiliate, error) {
	found := make(map[affiliate.AffiliateID]affiliate.Affiliate)
	asked := make(map[string]bool, len(known))
	for _, id := range known {
		asked[string(id)] = true
	}
	var keys []any
	ask := func(id string) {
		if !asked[id] && storable(id) {
			asked[id] = true
			keys = append(keys, id)
		}
	}
	for _, b := range bindings {
		ask(string(b.Affiliate))
	}
	for range 2 { // the bound affiliates, then their parents
		level := keys
		keys = nil
		err := s.selectKeys(ctx, q, affiliateColumns, `affiliate_affiliates a`, `a.id`, level, func(r scanner) error {
			a, err := scanAffiliate(r)
			if err != nil {
				return err
			}
			found[a.ID] = a
			if a.Parent != "" {
				ask(string(a.Parent))
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return found, nil
}
