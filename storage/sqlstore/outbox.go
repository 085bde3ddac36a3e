package sqlstore

import (
	"context"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var _ storage.Outbox = (*Store)(nil)

// appendOutbox appends evs inside a write's transaction. Writes call it
// last, after every earlier step that could fail has run.
//
// On SQLite a row's seq is taken from the head row here: SQLite writers
// are serial, so the order of writes is the order of commits. On
// PostgreSQL the rows go in without a number and Read numbers them once
// their write has committed (numberOutbox): numbering here would hold the
// head row's lock through the commit, and every writer that notifies
// would wait for the one before it to reach disk.
func (s *Store) appendOutbox(ctx context.Context, q querier, evs []affiliate.OutboxEvent) error {
	if len(evs) == 0 {
		return nil
	}
	if s.dialect == Postgres {
		args := make([]any, 0, (outboxColumns-1)*len(evs))
		for _, e := range evs {
			args = append(args, e.ID, string(e.Type), timeNS(e.At), e.Program, string(e.Affiliate), string(e.Payload))
		}
		query, columns := unnestRows(`INSERT INTO affiliate_outbox (id, type, at_ns, program, affiliate, payload) VALUES `, args, outboxColumns-1)
		if _, err := q.ExecContext(ctx, query, columns...); err != nil {
			return dbError("outbox: append", err)
		}
		return nil
	}
	var last int64
	if err := q.QueryRowContext(ctx, `INSERT INTO affiliate_outbox_head (one, seq) VALUES (1, $1)
ON CONFLICT (one) DO UPDATE SET seq = affiliate_outbox_head.seq + excluded.seq RETURNING seq`, len(evs)).Scan(&last); err != nil {
		return dbError("outbox: take sequence", err)
	}
	seq := last - int64(len(evs))
	// One row a statement, as batchWrite.insert writes.
	w := statements{s: s, q: q}
	defer w.close()
	for _, e := range evs {
		seq++
		if _, err := w.exec(ctx, `INSERT INTO affiliate_outbox (seq, id, type, at_ns, program, affiliate, payload) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			seq, e.ID, string(e.Type), timeNS(e.At), e.Program, string(e.Affiliate), string(e.Payload)); err != nil {
			return dbError("outbox: append", err)
		}
	}
	return nil
}

const outboxColumns = 7

// numberOutbox gives the PostgreSQL outbox rows that have no seq yet the
// next numbers, in the order of their writes' transaction ids and then
// of the rows within each write (migration 0012). A row is seen once its
// write has committed; one still in flight is numbered by a later Read,
// after every row numbered now, so a reader never sees n+1 before n. A
// write that began after another committed has the larger transaction
// id, so a writer's events keep its order.
func (s *Store) numberOutbox(ctx context.Context) error {
	var waiting bool
	err := s.read(ctx, "outbox: number", func(q querier) error {
		return q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM affiliate_outbox WHERE seq IS NULL)`).Scan(&waiting)
	})
	if err != nil {
		return dbError("outbox: number", err)
	}
	if !waiting {
		return nil
	}
	return s.write(ctx, "outbox: number", readCommitted, func(q querier) error {
		// The head row's lock orders the readers that number. Under READ
		// COMMITTED the next statement's snapshot is taken after the lock
		// is granted, so it sees the numbers an earlier reader gave.
		var head int64
		if err := q.QueryRowContext(ctx, `INSERT INTO affiliate_outbox_head (one, seq) VALUES (1, 0)
ON CONFLICT (one) DO UPDATE SET seq = affiliate_outbox_head.seq RETURNING seq`).Scan(&head); err != nil {
			return dbError("outbox: number", err)
		}
		_, err := q.ExecContext(ctx, `WITH numbered AS (
    UPDATE affiliate_outbox o SET seq = $1::bigint + w.n
    FROM (SELECT draft, row_number() OVER (ORDER BY xact, draft) AS n FROM affiliate_outbox WHERE seq IS NULL) w
    WHERE o.draft = w.draft RETURNING 1)
UPDATE affiliate_outbox_head SET seq = $1::bigint + (SELECT count(*) FROM numbered)`, head)
		if err != nil {
			return dbError("outbox: number", err)
		}
		return nil
	})
}

func outboxHead(ctx context.Context, q querier) (storage.Cursor, error) {
	var head int64
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM affiliate_outbox_head`).Scan(&head); err != nil {
		return 0, dbError("outbox: head", err)
	}
	return storage.Cursor(head), nil
}

// Read implements storage.Outbox.
func (s *Store) Read(ctx context.Context, after storage.Cursor, limit int) ([]affiliate.OutboxEvent, storage.Cursor, error) {
	if s.dialect == Postgres {
		if err := s.numberOutbox(ctx); err != nil {
			return nil, after, err
		}
	}
	var out []affiliate.OutboxEvent
	err := s.snapshot(ctx, "outbox read", func(q querier) error {
		out = nil
		head, err := outboxHead(ctx, q)
		if err != nil {
			return err
		}
		n, err := storage.ValidateRead(after, head, limit)
		if err != nil {
			return err
		}
		rows, err := q.QueryContext(ctx, `SELECT seq, id, type, at_ns, program, affiliate, payload FROM affiliate_outbox
WHERE seq > $1 ORDER BY seq LIMIT $2`, int64(after), n)
		if err != nil {
			return dbError("outbox read", err)
		}
		defer rows.Close()
		for rows.Next() {
			var (
				e       affiliate.OutboxEvent
				typ, a  string
				atNS    int64
				payload string
			)
			if err := rows.Scan(&e.Seq, &e.ID, &typ, &atNS, &e.Program, &a, &payload); err != nil {
				return dbError("outbox read", err)
			}
			e.Type, e.Affiliate, e.At, e.Payload = affiliate.OutboxEventType(typ), affiliate.AffiliateID(a), nsTime(atNS), []byte(payload)
			out = append(out, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, after, err
	}
	next := after
	if len(out) > 0 {
		next = storage.Cursor(out[len(out)-1].Seq)
	}
	return out, next, nil
}

// Ack implements storage.Outbox.
func (s *Store) Ack(ctx context.Context, consumer string, c storage.Cursor) error {
	if err := storage.ValidateConsumer(consumer); err != nil {
		return err
	}
	return s.write(ctx, "outbox ack", readCommitted, func(q querier) error {
		head, err := outboxHead(ctx, q)
		if err != nil {
			return err
		}
		if c < 0 || c > head {
			return &storage.CursorError{Cursor: c, Head: head}
		}
		_, err = q.ExecContext(ctx, `INSERT INTO affiliate_outbox_consumers (name, cursor) VALUES ($1, $2)
ON CONFLICT (name) DO UPDATE SET cursor = excluded.cursor WHERE affiliate_outbox_consumers.cursor < excluded.cursor`, consumer, int64(c))
		if err != nil {
			return dbError("outbox ack", err)
		}
		return nil
	})
}

// Cursor implements storage.Outbox.
func (s *Store) Cursor(ctx context.Context, consumer string) (storage.Cursor, error) {
	if err := storage.ValidateConsumer(consumer); err != nil {
		return 0, err
	}
	var c int64
	err := s.read(ctx, "outbox cursor", func(q querier) error {
		return q.QueryRowContext(ctx, `SELECT COALESCE(MAX(cursor), 0) FROM affiliate_outbox_consumers WHERE name = $1`, consumer).Scan(&c)
	})
	if err != nil {
		return 0, dbError("outbox cursor", err)
	}
	return storage.Cursor(c), nil
}
