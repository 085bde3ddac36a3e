package affiliate_test

import (
	"errors"
	"fmt"

	"github.com/openaffiliate/affiliate"
)

// A host decides what to do with an error from its class alone: fix the
// input, call again, or look at the stored state.
func ExampleErrRetryable() {
	whatToDo := func(err error) string {
		switch {
		case errors.Is(err, affiliate.ErrInvalid):
			return "fix the input; do not retry"
		case errors.Is(err, affiliate.ErrRetryable):
			return "call again with a backoff"
		default:
			return "look at the stored state"
		}
	}
	_, mismatch := affiliate.MustParseMoney("10", "EUR").Add(affiliate.MustParseMoney("10", "USD"))
	contention := fmt.Errorf("commission: gave up after 16 attempts: %w", affiliate.ErrRetryable)
	fmt.Println(whatToDo(mismatch))
	fmt.Println(whatToDo(contention))
	fmt.Println(whatToDo(affiliate.ErrAlreadyBound))
	// Output:
	// fix the input; do not retry
	// call again with a backoff
	// look at the stored state
}
