package stripesync

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"
)

// DeadLetter is a verified Stripe event the library refused for good: its
// payload and why. The host lists them, fixes the cause (a missing
// Client, a rule, a lost link) and calls Sync.Replay.
type DeadLetter struct {
	Event    string // Stripe's event ID
	Type     string // Stripe's event type
	Payload  []byte // the event's body as Stripe signed it
	Reason   string
	Attempts int       // deliveries and replays that ended here
	FirstAt  time.Time // the first refusal
	LastAt   time.Time // the latest refusal
}

// DeadLetters keeps refused events. Implementations are safe for
// concurrent use.
type DeadLetters interface {
	// PutDeadLetter stores d. Another put for the same Event keeps its
	// FirstAt, adds d.Attempts to the stored count and replaces the rest.
	PutDeadLetter(ctx context.Context, d DeadLetter) error
	// DeadLetters returns every stored letter, oldest first.
	DeadLetters(ctx context.Context) ([]DeadLetter, error)
	// DeleteDeadLetter removes the letter of a Stripe event ID; removing
	// one that is not there is not an error.
	DeleteDeadLetter(ctx context.Context, event string) error
}

// MemoryDeadLetters is an in-memory DeadLetters for tests and demos; its
// zero value is ready.
type MemoryDeadLetters struct {
	mu      sync.Mutex
	letters map[string]DeadLetter
}

var _ DeadLetters = (*MemoryDeadLetters)(nil)

// PutDeadLetter implements DeadLetters.
func (m *MemoryDeadLetters) PutDeadLetter(_ context.Context, d DeadLetter) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.letters == nil {
		m.letters = make(map[string]DeadLetter)
	}
	d.Payload = slices.Clone(d.Payload)
	if old, ok := m.letters[d.Event]; ok {
		d.FirstAt, d.Attempts = old.FirstAt, old.Attempts+d.Attempts
	}
	m.letters[d.Event] = d
	return nil
}

// DeadLetters implements DeadLetters.
func (m *MemoryDeadLetters) DeadLetters(context.Context) ([]DeadLetter, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]DeadLetter, 0, len(m.letters))
	for _, d := range m.letters {
		d.Payload = slices.Clone(d.Payload)
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b DeadLetter) int {
		if c := a.FirstAt.Compare(b.FirstAt); c != 0 {
			return c
		}
		return strings.Compare(a.Event, b.Event)
	})
	return out, nil
}

// DeleteDeadLetter implements DeadLetters.
func (m *MemoryDeadLetters) DeleteDeadLetter(_ context.Context, event string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.letters, event)
	return nil
}
