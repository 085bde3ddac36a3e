package sqlstore

import (
	"context"
	"database/sql"
	"errors"

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
// report the same error for the same commit. On PostgreSQL it is first
// tried as one statement (commitOnePostgres); one that would fail is
// made again statement by statement to find its error.
func (s *Store) Commit(ctx context.Context, c storage.Commit) (storage.CommitResult, error) {
	if err := ctx.Err(); err != nil {
		return storage.CommitResult{}, err
	}
	body, err := checkCommit(c)
	if err != nil {
		return storage.CommitResult{}, err
	}
	if s.dialect == Postgres {
		switch ok, err := s.commitOnePostgres(ctx, c, body); {
		case err != nil:
			return storage.CommitResult{}, err
		case ok:
			return storage.CommitResult{Entries: copyEntries(c.Entries)}, nil
		}
	}
	var res storage.CommitResult
	err = s.write(ctx, "commit", readCommitted, func(q querier) error {
		if c.Expect != nil {
			if err := s.checkExpect(ctx, q, c); err != nil {
				return err
			}
		}
		replay, replayed, err := s.claimKey(ctx, q, c.Key, c.Hash)
		if c.Expect != nil && (replayed || errors.Is(err, affiliate.ErrIdempotencyMismatch)) {
			// claimed since checkExpect looked (read committed): still a
			// conflict, as the expectation promises
			return conflict("commit %q: the key was claimed since its facts were read", c.Key)
		}
		if err != nil || replayed {
			res = storage.CommitResult{Entries: replay, Replayed: replayed}
			return err
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
	var row eventRow
	if err := r.Scan(row.dests()...); err != nil {
		return affiliate.EventRecord{}, err
	}
	return row.record()
}

// eventRow is a row of eventColumns as scanned.
type eventRow struct {
	id, customer, hash, aff, body string
	timeNano                      int64
}

func (row *eventRow) dests() []any {
	return []any{&row.id, &row.customer, &row.timeNano, &row.hash, &row.aff, &row.body}
}

func (row *eventRow) record() (affiliate.EventRecord, error) {
	rec := affiliate.EventRecord{ID: affiliate.EventID(row.id), Customer: affiliate.CustomerID(row.customer), Time: nsTime(row.timeNano),
		Hash: row.hash, Affiliate: affiliate.AffiliateID(row.aff)}
	if err := decodeEventBody(row.body, &rec); err != nil {
		return affiliate.EventRecord{}, err
	}
	return rec, nil
}
