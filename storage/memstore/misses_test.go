package memstore_test

import (
	"context"
	"errors"
	"testing"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// TestMissesAllocateNothing pins that the two misses the engine asks about
// on its hot path, an event not yet recorded and a month without a payout
// run, are ErrNotFound and allocate nothing.
func TestMissesAllocateNothing(t *testing.T) {
	ctx := context.Background()
	s := memstore.New()
	period := affiliate.Period{Year: 2026, Month: 1}
	for name, miss := range map[string]func() error{
		"Event": func() error {
			_, err := s.Event(ctx, "evt-nowhere")
			return err
		},
		"PayoutRun": func() error {
			_, err := s.PayoutRun(ctx, "prog", period)
			return err
		},
	} {
		if err := miss(); !errors.Is(err, affiliate.ErrNotFound) {
			t.Errorf("%s: %v; want ErrNotFound", name, err)
		}
		if n := testing.AllocsPerRun(100, func() { _ = miss() }); n != 0 {
			t.Errorf("%s miss: %v allocations; want 0", name, n)
		}
	}
}
