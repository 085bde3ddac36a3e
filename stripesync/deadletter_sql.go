package stripesync

import (
	"context"
	"database/sql"
	"time"
)

// SQLDeadLetters keeps dead letters in one table of a database/sql
// database, PostgreSQL or SQLite: the host passes its *sql.DB.
type SQLDeadLetters struct{ db *sql.DB }

var _ DeadLetters = (*SQLDeadLetters)(nil)

// NewSQLDeadLetters creates the table affiliate_stripe_dead_letters when
// it does not exist and returns the store.
func NewSQLDeadLetters(ctx context.Context, db *sql.DB) (*SQLDeadLetters, error) {
	_, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS affiliate_stripe_dead_letters (
	event    TEXT PRIMARY KEY,
	type     TEXT NOT NULL,
	payload  TEXT NOT NULL,
	reason   TEXT NOT NULL,
	attempts BIGINT NOT NULL,
	first_at BIGINT NOT NULL,
	last_at  BIGINT NOT NULL
)`)
	if err != nil {
		return nil, err
	}
	return &SQLDeadLetters{db: db}, nil
}

// PutDeadLetter implements DeadLetters with one upsert.
func (s *SQLDeadLetters) PutDeadLetter(ctx context.Context, d DeadLetter) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO affiliate_stripe_dead_letters (event, type, payload, reason, attempts, first_at, last_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (event) DO UPDATE SET type = excluded.type, payload = excluded.payload, reason = excluded.reason,
	attempts = affiliate_stripe_dead_letters.attempts + excluded.attempts, last_at = excluded.last_at`,
		d.Event, d.Type, string(d.Payload), d.Reason, d.Attempts, d.FirstAt.UnixNano(), d.LastAt.UnixNano())
	return err
}

// DeadLetters implements DeadLetters.
func (s *SQLDeadLetters) DeadLetters(ctx context.Context) ([]DeadLetter, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT event, type, payload, reason, attempts, first_at, last_at
FROM affiliate_stripe_dead_letters ORDER BY first_at, event`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []DeadLetter
	for rows.Next() {
		var (
			d             DeadLetter
			payload       string
			first, latest int64
		)
		if err := rows.Scan(&d.Event, &d.Type, &payload, &d.Reason, &d.Attempts, &first, &latest); err != nil {
			return nil, err
		}
		d.Payload, d.FirstAt, d.LastAt = []byte(payload), time.Unix(0, first).UTC(), time.Unix(0, latest).UTC()
		out = append(out, d)
	}
	return out, rows.Err()
}

// DeleteDeadLetter implements DeadLetters.
func (s *SQLDeadLetters) DeleteDeadLetter(ctx context.Context, event string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM affiliate_stripe_dead_letters WHERE event = $1`, event)
	return err
}
