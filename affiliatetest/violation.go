package affiliatetest

import (
	"fmt"
	"strings"
)

// Invariants names each invariant of DESIGN.md in plain words, by ID.
var Invariants = map[string]string{
	"I1": "delivering an event twice changes nothing",
	"I2": "any arrival order of the same events gives the same net ledger",
	"I3": "a refund reverses its payment's commission pro rata, a full refund to zero, never more than remains",
	"I4": "no accrual exceeds its rate times its base, and a positive payment never accrues a negative amount",
	"I5": "entries carry their payment's currency, and no total mixes currencies",
	"I6": "payouts respect the threshold, settle each entry once, and never pay a negative balance",
	"I7": "a store failure leaves no partial event, and a retry completes it",
	"I8": "the same inputs give byte-identical ledgers",
	"I9": "a customer has one binding, first-click holds, the touch is in its window, no self-referral",
}

// Violation reports a broken invariant: which one, on what, and how, in
// plain words. The checkers return it (as an error) the first time an
// invariant breaks; other errors they return are failures to run the check
// (a factory or a store read that failed), not verdicts on the engine.
type Violation struct {
	// Invariant is the DESIGN.md ID, "I1" to "I9".
	Invariant string
	// On lists what the invariant broke on: event IDs for I1–I5, I7 and
	// I8; payout, entry, customer or touch IDs for I6 and I9.
	On []string
	// Detail says what went wrong, with the amounts involved. It may span
	// several lines, one per difference found.
	Detail string
}

func (v *Violation) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s broken (%s)", v.Invariant, Invariants[v.Invariant])
	if len(v.On) > 0 {
		fmt.Fprintf(&b, " on %s", strings.Join(v.On, ", "))
	}
	b.WriteString(": ")
	b.WriteString(v.Detail)
	return b.String()
}

func violation(inv string, on []string, format string, args ...any) *Violation {
	return &Violation{Invariant: inv, On: on, Detail: fmt.Sprintf(format, args...)}
}

// maxReported caps the differences one Violation lists, so a badly broken
// engine gives a readable report.
const maxReported = 5

// lines joins up to maxReported lines and says how many were left out.
func lines(ls []string) string {
	if len(ls) <= maxReported {
		return strings.Join(ls, "\n\t")
	}
	return strings.Join(ls[:maxReported], "\n\t") + fmt.Sprintf("\n\t… and %d more", len(ls)-maxReported)
}
