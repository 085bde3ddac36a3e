package affiliatetest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
)

// CheckDeterministic checks I8, the same inputs give byte-identical
// ledgers. It delivers events, in the order given, to runs fresh Systems
// from newSystem (at least two), and requires the ledgers of the events'
// customers, read back in store order, to encode to the same JSON bytes:
// same entry IDs, same order, same amounts, rates, times, explanations.
// Random IDs, map iteration order and wall-clock times all show up here.
//
// runs below 2 count as 2. It returns a *Violation showing the first entry that differs, as a
// (-run 1 +run N) diff, or another error when a system could not be made
// or read.
func CheckDeterministic(ctx context.Context, newSystem Factory, events []affiliate.Event, runs int) error {
	runs = max(runs, 2)
	var first []affiliate.Entry
	var firstJSON [][]byte
	for run := 1; run <= runs; run++ {
		sys, err := newSystem()
		if err != nil {
			return fmt.Errorf("affiliatetest: making system %d: %w", run, err)
		}
		if err := sys.validate(); err != nil {
			return err
		}
		if _, err := deliver(ctx, sys.Engine, events); err != nil {
			return err
		}
		entries, err := ledgerOf(ctx, sys.Ledger, customersOf(events))
		if err != nil {
			return err
		}
		encoded := make([][]byte, len(entries))
		for i, e := range entries {
			if encoded[i], err = json.Marshal(e); err != nil {
				return fmt.Errorf("affiliatetest: encoding entry %s: %w", e.ID, err)
			}
		}
		if run == 1 {
			first, firstJSON = entries, encoded
			continue
		}
		on := ids(events)
		for i := range max(len(first), len(entries)) {
			switch {
			case i >= len(entries):
				return violation("I8", on, "run 1 wrote %d entries and run %d wrote %d; run %d has no entry %d: %s",
					len(first), run, len(entries), run, i+1, describeEntry(first[i]))
			case i >= len(first):
				return violation("I8", on, "run 1 wrote %d entries and run %d wrote %d; run %d added %s",
					len(first), run, len(entries), run, describeEntry(entries[i]))
			case !bytes.Equal(firstJSON[i], encoded[i]):
				return violation("I8", on, "entry %d differs between run 1 and run %d (-run 1 +run %d):\n%s",
					i+1, run, run, gocmp.Diff(first[i], entries[i], strictOptions()))
			}
		}
	}
	return nil
}

// strictOptions compare values as their JSON encodings do: no sorting,
// times by instant and offset.
func strictOptions() gocmp.Options {
	return gocmp.Options{
		gocmp.Comparer(func(a, b affiliate.Money) bool { return a.Minor() == b.Minor() && a.Currency() == b.Currency() }),
		gocmp.Comparer(func(a, b affiliate.Rate) bool { return a.Equal(b) }),
		gocmp.Comparer(func(a, b affiliate.Period) bool { return a.Equal(b) }),
		gocmp.Comparer(func(a, b time.Time) bool { return a.Format(time.RFC3339Nano) == b.Format(time.RFC3339Nano) }),
	}
}
