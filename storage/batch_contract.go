package storage

import (
	"context"
	"fmt"
)

// This file stands in for the batch branch's contract until the two
// branches merge: the coordinator keeps the batch branch's version, where
// CommitBatch is a method of Events.

// BatchEvents is Events with the batch commit.
type BatchEvents interface {
	Events

	// CommitBatch writes cs in order as one atomic write: all of them or none.
	// Each commit is checked as Commit checks it, against the store as the
	// earlier commits of the batch leave it, so one customer may appear several
	// times, each State.Version one more than its last. A commit whose Key was
	// stored before, or by an earlier commit of the batch, with the same Hash is
	// a replay: it writes nothing and its result has Replayed set (with the
	// earlier commit's entries); with another Hash it fails with
	// ErrIdempotencyMismatch. When any commit fails, nothing of the batch is
	// written and the error is a *BatchError naming the commit, which unwraps to
	// that commit's error (so errors.Is(err, affiliate.ErrConflict) still works).
	// Outbox events are derived for each commit exactly as Commit derives them.
	// An empty batch writes nothing and returns no error.
	CommitBatch(ctx context.Context, cs []Commit) ([]CommitResult, error)
}

// BatchError names the commit of a batch that failed.
type BatchError struct {
	Index int   // position in the batch
	Err   error // the commit's error
}

func (e *BatchError) Error() string {
	return fmt.Sprintf("storage: commit %d of the batch: %v", e.Index, e.Err)
}

// Unwrap returns the commit's error.
func (e *BatchError) Unwrap() error { return e.Err }
