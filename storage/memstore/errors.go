package memstore

import (
	"fmt"

	"github.com/openaffiliate/affiliate"
)

// notFoundError is ErrNotFound with what was looked up. Misses are a
// normal path (the engine asks for events that may not exist yet), so the
// message is built only when someone reads it.
type notFoundError struct{ what, id string }

func (e *notFoundError) Error() string {
	if e.id == "" {
		return fmt.Sprintf("memstore: no such %s: %v", e.what, affiliate.ErrNotFound)
	}
	return fmt.Sprintf("memstore: %s %q: %v", e.what, e.id, affiliate.ErrNotFound)
}

func (e *notFoundError) Unwrap() error { return affiliate.ErrNotFound }

func notFound(what, id string) error { return &notFoundError{what, id} }

// The engine asks for an event before it records it, and for the month's
// payout run before it pays a commission: misses on those paths share one
// error each and allocate nothing (the message names no ID).
var (
	errNoEvent = &notFoundError{what: "event"}
	errNoRun   = &notFoundError{what: "payout run"}
)

func conflict(format string, args ...any) error {
	return fmt.Errorf("memstore: "+format+": %w", append(args, affiliate.ErrConflict)...)
}

func invalid(field, reason string) error {
	return &affiliate.FieldError{Field: field, Reason: reason}
}
