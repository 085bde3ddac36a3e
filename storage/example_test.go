package storage_test

import (
	"fmt"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// The checks every store runs before it writes, so that stores refuse
// the same input: here a period range and a lead's lifecycle.
func Example() {
	jan := affiliate.Period{Year: 2026, Month: time.January}
	fmt.Println(storage.ValidateRange(jan, jan.Next()))
	fmt.Println(storage.ValidateRange(jan.Next(), jan))
	fmt.Println(storage.LeadTransitionAllowed(affiliate.LeadSubmitted, affiliate.LeadAccepted),
		storage.LeadTransitionAllowed(affiliate.LeadRefused, affiliate.LeadAccepted))
	// Output:
	// <nil>
	// affiliate: invalid Period: 2026-01 is before 2026-02
	// true false
}
