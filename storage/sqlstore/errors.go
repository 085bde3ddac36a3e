package sqlstore

import (
	"fmt"

	"github.com/openaffiliate/affiliate"
)

// The error helpers mirror memstore's so that both stores report the same
// sentinels for the same mistakes.

func notFound(what, id string) error {
	return fmt.Errorf("sqlstore: %s %q: %w", what, id, affiliate.ErrNotFound)
}

func conflict(format string, args ...any) error {
	return fmt.Errorf("sqlstore: "+format+": %w", append(args, affiliate.ErrConflict)...)
}

func invalid(field, reason string) error {
	return &affiliate.FieldError{Field: field, Reason: reason}
}

// dbError wraps a driver error with what the store was doing. It matches
// no sentinel of package affiliate: it is the database failing, not the
// caller.
func dbError(op string, err error) error {
	return fmt.Errorf("sqlstore: %s: %w", op, err)
}
