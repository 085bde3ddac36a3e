package memstore

import "github.com/openaffiliate/affiliate"

// attributionTables holds touches and leads. (Owned by the attribution work.)
type attributionTables struct{}

func (t *attributionTables) init() {}

// bindingAdded lets the attribution and report indexes see a new binding.
// Callers hold the lock.
func (s *Store) bindingAdded(b affiliate.Binding) { _ = b }
