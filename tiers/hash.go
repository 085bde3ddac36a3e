package tiers

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// closeKey is what a close run's hash covers: its key and its snapshots.
// The as-of time is left out: two runs that write the same thing are one
// run. Snapshots is the last field, so its elements end the encoding.
type closeKey struct {
	Program   string
	Period    affiliate.Period
	Revision  int64
	Snapshots []affiliate.TierSnapshot
}

// hashCommit is the idempotency hash of what a close run writes:
// affiliate.Hash of its closeKey. It streams the canonical form into the
// hash a snapshot at a time, since a first run holds a snapshot per
// affiliate and one buffer of them all grew by copying to megabytes.
func hashCommit(c storage.TierCloseCommit) (string, error) {
	key := closeKey{c.Close.Program, c.Close.Period, c.Close.Revision, c.Snapshots}
	if key.Snapshots == nil {
		return affiliate.Hash(key) // encoded as null, not as a list
	}
	key.Snapshots = []affiliate.TierSnapshot{}
	head, err := affiliate.Canonical(key) // {…,"Snapshots":[]}
	if err != nil {
		return "", err
	}
	h := sha256.New()
	h.Write(head[:len(head)-2])
	var b []byte
	for i, s := range c.Snapshots {
		b = b[:0]
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = affiliate.AppendCanonical(b, s); err != nil {
			return "", err
		}
		h.Write(b)
	}
	h.Write(head[len(head)-2:])
	return affiliate.HashPrefix + hex.EncodeToString(h.Sum(nil)), nil
}
