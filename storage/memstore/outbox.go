package memstore

import (
	"context"
	"slices"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var _ storage.Outbox = (*Store)(nil)

type outboxTables struct {
	events    []affiliate.OutboxEvent // events[i].Seq == i+1
	consumers map[string]storage.Cursor
}

// appendOutbox numbers evs and appends them. Callers hold the write lock
// and call it only once the write can no longer fail.
func (s *Store) appendOutbox(evs []affiliate.OutboxEvent) {
	for _, e := range evs {
		e.Seq = int64(len(s.outbox.events)) + 1
		s.outbox.events = append(s.outbox.events, e)
	}
}

func (s *Store) head() storage.Cursor { return storage.Cursor(len(s.outbox.events)) }

// Read implements storage.Outbox.
func (s *Store) Read(ctx context.Context, after storage.Cursor, limit int) ([]affiliate.OutboxEvent, storage.Cursor, error) {
	if err := ctx.Err(); err != nil {
		return nil, after, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	limit, err := storage.ValidateRead(after, s.head(), limit)
	if err != nil {
		return nil, after, err
	}
	tail := s.outbox.events[after:]
	tail = tail[:min(limit, len(tail))]
	out := make([]affiliate.OutboxEvent, len(tail))
	for i, e := range tail {
		e.Payload = slices.Clone(e.Payload)
		out[i] = e
	}
	return out, after + storage.Cursor(len(out)), nil
}

// Ack implements storage.Outbox.
func (s *Store) Ack(ctx context.Context, consumer string, c storage.Cursor) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := storage.ValidateConsumer(consumer); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if c < 0 || c > s.head() {
		return &storage.CursorError{Cursor: c, Head: s.head()}
	}
	if s.outbox.consumers == nil {
		s.outbox.consumers = make(map[string]storage.Cursor)
	}
	s.outbox.consumers[consumer] = max(s.outbox.consumers[consumer], c)
	return nil
}

// Cursor implements storage.Outbox.
func (s *Store) Cursor(ctx context.Context, consumer string) (storage.Cursor, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if err := storage.ValidateConsumer(consumer); err != nil {
		return 0, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.outbox.consumers[consumer], nil
}
