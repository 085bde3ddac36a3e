package memstore

import (
	"fmt"

	"github.com/openaffiliate/affiliate"
)

func notFound(what, id string) error {
	return fmt.Errorf("memstore: %s %q: %w", what, id, affiliate.ErrNotFound)
}

func conflict(format string, args ...any) error {
	return fmt.Errorf("memstore: "+format+": %w", append(args, affiliate.ErrConflict)...)
}

func invalid(field, reason string) error {
	return &affiliate.FieldError{Field: field, Reason: reason}
}
