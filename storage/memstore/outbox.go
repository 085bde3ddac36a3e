package memstore

import (
	"context"
	"slices"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var _ storage.Outbox = (*Store)(nil)

// outboxChunk is how many events one block of the log holds: the log
// grows by blocks, so appending never copies the events already stored.
const outboxChunk = 1024

type outboxTables struct {
	chunks    [][]affiliate.OutboxEvent // event Seq n is chunks[(n-1)/outboxChunk][(n-1)%outboxChunk]
	n         int
	consumers map[string]storage.Cursor
}

// appendOutbox numbers evs and appends them. Callers hold the write lock
// and call it only once the write can no longer fail.
func (s *Store) appendOutbox(evs []affiliate.OutboxEvent) {
	t := &s.outbox
	for _, e := range evs {
		if t.n%outboxChunk == 0 {
			t.chunks = append(t.chunks, make([]affiliate.OutboxEvent, 0, outboxChunk))
		}
		t.n++
		e.Seq = int64(t.n)
		last := &t.chunks[len(t.chunks)-1]
		*last = append(*last, e)
	}
}

func (s *Store) head() storage.Cursor { return storage.Cursor(s.outbox.n) }

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
	out := make([]affiliate.OutboxEvent, 0, min(limit, s.outbox.n-int(after)))
	for i := int(after); i < s.outbox.n && len(out) < limit; i++ {
		e := s.outbox.chunks[i/outboxChunk][i%outboxChunk]
		e.Payload = slices.Clone(e.Payload)
		out = append(out, e)
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
