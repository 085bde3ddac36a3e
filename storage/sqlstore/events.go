package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var (
	_ storage.Events         = (*Store)(nil)
	_ storage.CustomerStates = (*Store)(nil)
)

const eventColumns = `id, customer, time_ns, hash, affiliate, body`

// Commit implements storage.Events: one transaction that claims the key,
// swaps the customer's state version, logs the event, appends the entries
// and adds the deltas, checking in memstore's order so that both stores
// report the same error for the same commit.
func (s *Store) Commit(ctx context.Context, c storage.Commit) (storage.CommitResult, error) {
	if err := ctx.Err(); err != nil {
		return storage.CommitResult{}, err
	}
	body, err := checkCommit(c)
	if err != nil {
		return storage.CommitResult{}, err
	}
	var res storage.CommitResult
	err = s.write(ctx, "commit", readCommitted, func(q querier) error {
		replay, replayed, err := s.claimKey(ctx, q, c.Key, c.Hash)
		if err != nil || replayed {
			res = storage.CommitResult{Entries: replay, Replayed: replayed}
			return err
		}
		if s.dialect == Postgres && len(c.Entries) < s.q.rowsPer(entryInsertColumns) {
			if err := s.commitRowsPostgres(ctx, q, c, body); err != nil {
				return err
			}
			if err := s.addDeltas(ctx, q, c.Key, c.Deltas); err != nil {
				return err
			}
			return s.appendOutbox(ctx, q, storage.CommitEvents(c))
		}
		if err := s.swapState(ctx, q, c.State); err != nil {
			return err
		}
		if ev := c.Event; ev != nil {
			r, err := q.ExecContext(ctx, `INSERT INTO affiliate_events (id, customer, payment, time_ns, hash, affiliate, body)
VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
				string(ev.ID), string(ev.Customer), string(ev.PaymentID()), timeNS(ev.Time), ev.Hash, string(ev.Affiliate), body)
			if err != nil {
				return dbError("commit: log event", err)
			}
			if n, err := r.RowsAffected(); err != nil {
				return dbError("commit: log event", err)
			} else if n == 0 {
				return conflict("event %q is already logged", ev.ID)
			}
		}
		if err := s.insertEntries(ctx, q, c.Key, c.Entries); err != nil {
			return err
		}
		if err := s.addDeltas(ctx, q, c.Key, c.Deltas); err != nil {
			return err
		}
		return s.appendOutbox(ctx, q, storage.CommitEvents(c))
	})
	if err != nil {
		return storage.CommitResult{}, err
	}
	if !res.Replayed {
		res.Entries = copyEntries(c.Entries)
	}
	return res, nil
}

// checkCommit refuses a commit that is bad input whatever the store
// holds, and encodes its event's body.
func checkCommit(c storage.Commit) (body string, err error) {
	if c.Key == "" || c.Hash == "" || c.State.Customer == "" {
		return "", invalid("Commit", "key, hash and state customer are required")
	}
	if c.Event != nil {
		if c.Event.Kinds() != 1 {
			return "", invalid("Commit.Event", "exactly one of Payment, Refund and Reinstatement must be set")
		}
		if c.Event.ID == "" || c.Event.Customer != c.State.Customer {
			return "", invalid("Commit.Event", "needs an ID and the state's customer")
		}
	}
	if err := validateEntries(c.Entries); err != nil {
		return "", err
	}
	if err := validateDeltas(c.Deltas); err != nil {
		return "", err
	}
	var tc textCheck
	tc.key("Commit.Key", c.Key)
	tc.key("Commit.Hash", c.Hash)
	tc.key("Commit.State.Customer", string(c.State.Customer))
	if ev := c.Event; ev != nil {
		tc.key("Commit.Event.ID", string(ev.ID))
		tc.key("Commit.Event.Affiliate", string(ev.Affiliate))
		tc.key("Commit.Event.PaymentID", string(ev.PaymentID()))
		tc.text("Commit.Event.Hash", ev.Hash)
		tc.time("Commit.Event.Time", ev.Time)
		if tc.err == nil {
			if body, err = encodeEventBody(ev); err != nil {
				return "", err
			}
		}
	}
	return body, tc.err
}

// swapState writes st when the stored version is st.Version-1. The check
// sits in the write itself (the UPDATE's WHERE, or the INSERT's conflict
// target for a first commit), so on PostgreSQL a concurrent commit that
// won blocks this one on the row lock and then leaves it nothing to
// update: no read-then-write window.
func (s *Store) swapState(ctx context.Context, q querier, st storage.CustomerState) error {
	var (
		res sql.Result
		err error
	)
	data := blobArg(st.Data)
	if st.Version == 1 {
		res, err = q.ExecContext(ctx, `INSERT INTO affiliate_customer_states (customer, version, data) VALUES ($1, 1, $2)
ON CONFLICT (customer) DO NOTHING`, string(st.Customer), data)
	} else {
		res, err = q.ExecContext(ctx, `UPDATE affiliate_customer_states SET version = $2, data = $3
WHERE customer = $1 AND version = $4`, string(st.Customer), st.Version, data, st.Version-1)
	}
	if err != nil {
		return dbError("commit: swap state", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return dbError("commit: swap state", err)
	}
	if n == 1 {
		return nil
	}
	return stateConflict(ctx, q, st)
}

// stateConflict is the error of a swap of st that found another version.
func stateConflict(ctx context.Context, q querier, st storage.CustomerState) error {
	var stored int64
	err := q.QueryRowContext(ctx, `SELECT version FROM affiliate_customer_states WHERE customer = $1`, string(st.Customer)).Scan(&stored)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return dbError("commit: swap state", err)
	}
	return conflict("customer %q state is at version %d, not %d", st.Customer, stored, st.Version-1)
}

// commitRowsPostgres swaps c's state, logs its event and appends its
// entries with their open rows in one statement, one round trip instead
// of three, then checks what each part wrote in Commit's order. A part
// that wrote nothing fails the commit, and the rollback takes back what
// the others wrote. The entries must fit in one statement with room for the rest.
func (s *Store) commitRowsPostgres(ctx context.Context, q querier, c storage.Commit, body string) error {
	st := c.State
	var b strings.Builder
	args := []any{string(st.Customer), blobArg(st.Data)}
	if st.Version == 1 {
		b.WriteString(`WITH state AS (INSERT INTO affiliate_customer_states (customer, version, data) VALUES ($1, 1, $2)
ON CONFLICT (customer) DO NOTHING RETURNING 1)`)
	} else {
		b.WriteString(`WITH state AS (UPDATE affiliate_customer_states SET version = $3, data = $2
WHERE customer = $1 AND version = $4 RETURNING 1)`)
		args = append(args, st.Version, st.Version-1)
	}
	logged, opened := "1", "0"
	if ev := c.Event; ev != nil {
		b.WriteString(`, event AS (INSERT INTO affiliate_events (id, customer, payment, time_ns, hash, affiliate, body) VALUES `)
		placeholders(&b, len(args)+1, 1, 7)
		b.WriteString(` ON CONFLICT (id) DO NOTHING RETURNING 1)`)
		args = append(args, string(ev.ID), string(ev.Customer), string(ev.PaymentID()), timeNS(ev.Time), ev.Hash, string(ev.Affiliate), body)
		logged = `(SELECT count(*) FROM event)`
	}
	if len(c.Entries) > 0 {
		b.WriteString(`, appended AS (` + entryInsertHead)
		placeholders(&b, len(args)+1, len(c.Entries), entryInsertColumns)
		b.WriteString(` ON CONFLICT (id) DO NOTHING RETURNING ` + openedColumns + `, seq), opened AS (` +
			openInsertHead + `SELECT * FROM appended RETURNING 1)`)
		for pos, e := range c.Entries {
			args = appendEntryArgs(args, c.Key, pos, e)
		}
		opened = `(SELECT count(*) FROM opened)`
	}
	b.WriteString(` SELECT (SELECT count(*) FROM state), ` + logged + `, ` + opened)
	var swapped, events, entries int
	if err := q.QueryRowContext(ctx, b.String(), args...).Scan(&swapped, &events, &entries); err != nil {
		return dbError("commit", err)
	}
	switch {
	case swapped != 1:
		return stateConflict(ctx, q, st)
	case events != 1:
		return conflict("event %q is already logged", c.Event.ID)
	case entries != len(c.Entries):
		return s.existingEntry(ctx, q, c.Key, c.Entries)
	}
	return nil
}

// Event implements storage.Events.
func (s *Store) Event(ctx context.Context, id affiliate.EventID) (affiliate.EventRecord, error) {
	return readRow(ctx, s, "event", string(id), `SELECT `+eventColumns+` FROM affiliate_events WHERE id = $1`, scanEvent)
}

// Events implements storage.Events.
func (s *Store) Events(ctx context.Context, q storage.EventQuery) ([]affiliate.EventRecord, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if (q.Customer == "") == (q.Payment == "") {
		return nil, invalid("EventQuery", "set exactly one of Customer and Payment")
	}
	query, arg := `SELECT `+eventColumns+` FROM affiliate_events WHERE customer = $1 ORDER BY time_ns, id`, string(q.Customer)
	if q.Payment != "" {
		query, arg = `SELECT `+eventColumns+` FROM affiliate_events WHERE payment = $1 ORDER BY time_ns, id`, string(q.Payment)
	}
	out := []affiliate.EventRecord{}
	if !storable(arg) {
		return out, nil
	}
	err := s.read(ctx, "events", func(db querier) error {
		out = out[:0]
		rows, err := db.QueryContext(ctx, query, arg)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanEvent(rows)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, dbError("events", err)
	}
	return out, nil
}

// CustomerState implements storage.CustomerStates.
func (s *Store) CustomerState(ctx context.Context, c affiliate.CustomerID) (storage.CustomerState, error) {
	if err := ctx.Err(); err != nil {
		return storage.CustomerState{}, err
	}
	st := storage.CustomerState{Customer: c}
	if !storable(string(c)) {
		return st, nil
	}
	err := s.read(ctx, "customer state", func(q querier) error {
		var (
			data   []byte
			isNull bool
		)
		// Drivers differ on whether an empty blob scans as nil; the IS NULL
		// column tells nil data from empty data on every driver.
		err := q.QueryRowContext(ctx, `SELECT version, data, data IS NULL FROM affiliate_customer_states WHERE customer = $1`, string(c)).Scan(&st.Version, &data, &isNull)
		if err == nil && !isNull && data == nil {
			data = []byte{}
		}
		st.Data = data
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return storage.CustomerState{Customer: c}, nil
	}
	if err != nil {
		return storage.CustomerState{}, dbError("customer state", err)
	}
	return st, nil
}

func scanEvent(r scanner) (affiliate.EventRecord, error) {
	var (
		rec                     affiliate.EventRecord
		id, customer, aff, body string
		timeNano                int64
	)
	if err := r.Scan(&id, &customer, &timeNano, &rec.Hash, &aff, &body); err != nil {
		return affiliate.EventRecord{}, err
	}
	rec.ID, rec.Customer, rec.Affiliate, rec.Time = affiliate.EventID(id), affiliate.CustomerID(customer), affiliate.AffiliateID(aff), nsTime(timeNano)
	if err := decodeEventBody(body, &rec); err != nil {
		return affiliate.EventRecord{}, err
	}
	return rec, nil
}
