package sqlstore

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/openaffiliate/affiliate/storage"
)

// commitOnePostgres makes commit c on PostgreSQL with one statement and
// no explicit transaction: one round trip where BEGIN, five statements
// and COMMIT took seven. Each part is a data-modifying CTE (the key, the
// state swap, the event, the entries with their open rows, the aggregate
// sums, the outbox rows). The inserts are plain, not ON CONFLICT: a key
// seen before, an event or entry already stored fails the statement with
// a unique violation, which costs nothing on the path that succeeds (a
// speculative insert writes one WAL record more a row and probes its
// index twice). The statement ends by checking the parts that can write
// less than they should without an error (a state at another version, an
// aggregate that would overflow) and calls affiliate_refuse_commit
// (migration 0013) when one did. Either error rolls the whole statement
// back; it returns ok false and the caller makes c again statement by
// statement, which finds the replay or the error in Commit's order. ok is
// false too when c is too large for one statement.
//
// The key is claimed first, then the state swapped, both read by the
// last SELECT in that order, as on the statement-by-statement path; the
// aggregate sums follow in key order, and the inserts nobody reads run
// when the statement ends. So writers take the rows they share (a
// customer's state, aggregate rows) in one order, and a redelivery racing
// its first delivery waits on the key before it holds anything.
func (s *Store) commitOnePostgres(ctx context.Context, c storage.Commit, body string) (ok bool, err error) {
	var sums aggSums
	if sums.add(c.Key, c.Deltas) != nil {
		return false, nil // a sum out of range: reported in its turn
	}
	slices.SortFunc(sums.list, func(a, b aggSum) int { return a.key.compare(b.key) })
	evs := storage.CommitEvents(c)
	params := 2 + 4 + 7 + entryInsertColumns*len(c.Entries) + 7*len(sums.list) + (outboxColumns-1)*len(evs) + expectParams(c.Expect)
	if params > s.q.maxParams() {
		return false, nil
	}

	st := c.State
	shape := commitShape{first: st.Version == 1, event: c.Event != nil, entries: len(c.Entries), sums: len(sums.list), notices: len(evs),
		expect: expectShapeOf(c.Expect)}
	args := make([]any, 0, params)
	args = append(args, c.Key, c.Hash, string(st.Customer), blobArg(st.Data))
	if !shape.first {
		args = append(args, st.Version, st.Version-1)
	}
	if ev := c.Event; ev != nil {
		args = append(args, string(ev.ID), string(ev.Customer), string(ev.PaymentID()), timeNS(ev.Time), ev.Hash, string(ev.Affiliate), body)
	}
	for pos, e := range c.Entries {
		args = appendEntryArgs(args, c.Key, pos, e)
	}
	for _, a := range sums.list {
		args = aggArgs(args, a)
	}
	for _, e := range evs {
		args = append(args, e.ID, string(e.Type), timeNS(e.At), e.Program, string(e.Affiliate), string(e.Payload))
	}
	args = expectArgs(args, c.Expect)
	text, cached := s.commitTexts.Load(shape)
	if !cached {
		text, _ = s.commitTexts.LoadOrStore(shape, shape.text())
	}

	err = s.retry(ctx, "commit", func() error {
		var one int
		return s.db.QueryRowContext(ctx, text.(string), args...).Scan(&one)
	})
	var pg interface{ SQLState() string }
	switch {
	case err == nil:
		s.stats.transactions.Add(1)
		return true, nil
	case errors.As(err, &pg) && (pg.SQLState() == refusedCommit || pg.SQLState() == uniqueViolation):
		return false, nil
	}
	return false, dbError("commit", err)
}

// commitShape is what the text of a one-statement commit depends on; a
// store builds each shape's text once (Store.commitTexts), as commits of
// one program repeat a few shapes.
type commitShape struct {
	first                  bool // the state's version 1: inserted, not swapped
	event                  bool
	entries, sums, notices int
	expect                 expectShape
}

// text is the statement of a commit of shape sh; its arguments are, in
// order, the key and hash, the customer and state data (then the version
// and the one it replaces, unless first), the event's 7, each entry's
// entryInsertColumns, each aggregate sum's 7 and each outbox row's
// outboxColumns-1.
func (sh commitShape) text() string {
	var b strings.Builder
	n := 1 // the next placeholder
	next := func(cols int) int { n += cols; return n - cols }
	var checks []string

	next(2)
	b.WriteString(`WITH claimed AS (INSERT INTO affiliate_idempotency_keys (key, hash) VALUES ($1, $2) RETURNING 1)`)
	checks = append(checks, `(SELECT count(*) FROM claimed) = 1`)

	next(2)
	if sh.first {
		b.WriteString(`, state AS (INSERT INTO affiliate_customer_states (customer, version, data) VALUES ($3, 1, $4) RETURNING 1)`)
	} else {
		next(2)
		b.WriteString(`, state AS (UPDATE affiliate_customer_states SET version = $5, data = $4
WHERE customer = $3 AND version = $6 RETURNING 1)`)
	}
	checks = append(checks, `(SELECT count(*) FROM state) = 1`)

	if sh.event {
		b.WriteString(`, event AS (INSERT INTO affiliate_events (id, customer, payment, time_ns, hash, affiliate, body) VALUES `)
		placeholders(&b, next(7), 1, 7)
		b.WriteString(`)`)
	}

	if sh.entries > 0 {
		b.WriteString(`, appended AS (` + entryInsertHead)
		placeholders(&b, next(entryInsertColumns*sh.entries), sh.entries, entryInsertColumns)
		b.WriteString(` RETURNING ` + openedColumns + `, seq), opened AS (` +
			openInsertHead + `SELECT * FROM appended)`)
	}

	if sh.sums > 0 {
		b.WriteString(`, summed AS (` + aggUpsertHead)
		placeholders(&b, next(7*sh.sums), sh.sums, 7)
		b.WriteString(aggUpsertTail + ` RETURNING 1)`)
		checks = append(checks, `(SELECT count(*) FROM summed) = `+strconv.Itoa(sh.sums))
	}

	if sh.notices > 0 {
		b.WriteString(`, noticed AS (INSERT INTO affiliate_outbox (id, type, at_ns, program, affiliate, payload) VALUES `)
		placeholders(&b, next((outboxColumns-1)*sh.notices), sh.notices, outboxColumns-1)
		b.WriteString(`)`)
	}

	checks = append(checks, sh.expect.checks(next)...)
	b.WriteString(`
SELECT CASE WHEN ` + strings.Join(checks, ` AND `) + ` THEN 1 ELSE affiliate_refuse_commit() END`)
	return b.String()
}

// refusedCommit is the SQLSTATE of affiliate_refuse_commit (migration
// 0013), a code of its own in a class PostgreSQL leaves to applications.
const refusedCommit = "AF001"

// uniqueViolation is PostgreSQL's SQLSTATE unique_violation.
const uniqueViolation = "23505"
