package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var _ storage.Outbox = (*Store)(nil)

// appendOutbox appends evs inside a write's transaction. Writes call it
// last: the head row's lock is then held only until the commit, and
// every earlier step that could fail has run.
func (s *Store) appendOutbox(ctx context.Context, q querier, evs []affiliate.OutboxEvent) error {
	if len(evs) == 0 {
		return nil
	}
	if s.dialect == Postgres && len(evs) < s.q.rowsPer(outboxColumns) { // room for $1
		return appendOutboxPostgres(ctx, q, evs)
	}
	var last int64
	if err := q.QueryRowContext(ctx, `INSERT INTO affiliate_outbox_head (one, seq) VALUES (1, $1)
ON CONFLICT (one) DO UPDATE SET seq = affiliate_outbox_head.seq + excluded.seq RETURNING seq`, len(evs)).Scan(&last); err != nil {
		return dbError("outbox: take sequence", err)
	}
	seq := last - int64(len(evs))
	if s.dialect == SQLite {
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
	const cols = outboxColumns
	per := s.q.rowsPer(cols)
	for start := 0; start < len(evs); start += per {
		chunk := evs[start:min(start+per, len(evs))]
		var b strings.Builder
		b.WriteString(`INSERT INTO affiliate_outbox (seq, id, type, at_ns, program, affiliate, payload) VALUES `)
		placeholders(&b, 1, len(chunk), cols)
		args := make([]any, 0, cols*len(chunk))
		for _, e := range chunk {
			seq++
			args = append(args, seq, e.ID, string(e.Type), timeNS(e.At), e.Program, string(e.Affiliate), string(e.Payload))
		}
		if _, err := q.ExecContext(ctx, b.String(), args...); err != nil {
			return dbError("outbox: append", err)
		}
	}
	return nil
}

const outboxColumns = 7

// appendOutboxPostgres takes the sequence and appends evs with one
// statement (one round trip instead of two): the head's upsert, whose row
// lock orders the writers, feeds the insert.
func appendOutboxPostgres(ctx context.Context, q querier, evs []affiliate.OutboxEvent) error {
	var b strings.Builder
	b.WriteString(`WITH head AS (INSERT INTO affiliate_outbox_head (one, seq) VALUES (1, $1::bigint)
ON CONFLICT (one) DO UPDATE SET seq = affiliate_outbox_head.seq + excluded.seq RETURNING seq)
INSERT INTO affiliate_outbox (seq, id, type, at_ns, program, affiliate, payload)
SELECT head.seq - $1::bigint + v.pos, v.id, v.type, v.at_ns, v.program, v.affiliate, v.payload FROM head, (VALUES `)
	args := make([]any, 0, 1+outboxColumns*len(evs))
	args = append(args, int64(len(evs)))
	for i, e := range evs {
		if i > 0 {
			b.WriteString(", ")
		}
		n := len(args)
		fmt.Fprintf(&b, "($%d::bigint, $%d, $%d, $%d::bigint, $%d, $%d, $%d)", n+1, n+2, n+3, n+4, n+5, n+6, n+7)
		args = append(args, int64(i+1), e.ID, string(e.Type), timeNS(e.At), e.Program, string(e.Affiliate), string(e.Payload))
	}
	b.WriteString(`) AS v (pos, id, type, at_ns, program, affiliate, payload)`)
	if _, err := q.ExecContext(ctx, b.String(), args...); err != nil {
		return dbError("outbox: append", err)
	}
	return nil
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
