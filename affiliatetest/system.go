package affiliatetest

import (
	"context"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// Recorder records one billing event. The checkers drive an engine
// through it and judge the engine by what the store then holds, so they
// need nothing of the engine's result but its error.
//
// Wrap a *commission.Engine (or any engine whose Record returns a result
// and an error) with Engine.
type Recorder interface {
	Record(ctx context.Context, e affiliate.Event) error
}

// RecorderFunc adapts a function to Recorder.
type RecorderFunc func(ctx context.Context, e affiliate.Event) error

// Record calls fn.
func (fn RecorderFunc) Record(ctx context.Context, e affiliate.Event) error { return fn(ctx, e) }

// Engine adapts an engine whose Record returns a result as well as an
// error, such as *commission.Engine, to Recorder:
//
//	sys := affiliatetest.System{Engine: affiliatetest.Engine(eng), Ledger: store}
//
// The result is dropped: the checkers read the store, which is what
// the invariants are about.
func Engine[R any](e interface {
	Record(ctx context.Context, ev affiliate.Event) (R, error)
}) Recorder {
	return RecorderFunc(func(ctx context.Context, ev affiliate.Event) error {
		_, err := e.Record(ctx, ev)
		return err
	})
}

// System is an engine and the store it writes to, as the checkers see
// them.
type System struct {
	// Engine records events. Required.
	Engine Recorder
	// Ledger is read after recording. Required.
	Ledger storage.Ledger
	// Events, optional, is the engine's event log. When set,
	// CheckIdempotent also checks that a duplicate adds nothing to it.
	Events storage.Events
	// Aggregates, optional, holds running totals. When set,
	// CheckCurrencies also checks that every earnings total is the sum of
	// its own currency's entries.
	Aggregates storage.Aggregates
	// Location is the program's time zone, which decides the period of an
	// entry for the aggregates; nil means UTC.
	Location *time.Location
}

// Factory makes a fresh System: an empty store, seeded with whatever the
// events need (affiliates, bindings), and an engine over it. The
// checkers that compare runs (CheckOrderIndependent, CheckDeterministic,
// CheckAtomicFailures) call it once per run.
type Factory func() (System, error)

func (s System) validate() error {
	if s.Engine == nil || s.Ledger == nil {
		return &affiliate.FieldError{Field: "System", Reason: "Engine and Ledger are required"}
	}
	return nil
}
