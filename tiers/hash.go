package tiers

import (
	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// hashCommit is the idempotency hash (affiliate.Hash) of what a close run
// writes: its key and its snapshots. The as-of time is left out: two runs
// that write the same thing are one run.
func hashCommit(c storage.TierCloseCommit) (string, error) {
	return affiliate.Hash(struct {
		Program   string
		Period    affiliate.Period
		Revision  int64
		Snapshots []affiliate.TierSnapshot
	}{c.Close.Program, c.Close.Period, c.Close.Revision, c.Snapshots})
}
