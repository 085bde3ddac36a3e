package tiers

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// hashCommit returns the hex SHA-256 of a canonical encoding of what a
// close run writes: its snapshots, entries and deltas, in order, each field
// length-prefixed, money as minor units and currency, times as UTC
// RFC 3339 with nanoseconds. Two runs that would write the same thing
// under one key hash alike, so the second is a replay; anything else is an
// idempotency mismatch.
func hashCommit(c storage.TierCloseCommit) string {
	h := hasher{sha256.New()}
	h.str(c.Close.Program)
	h.str(c.Close.Period)
	h.int(c.Close.Revision)
	h.int(int64(len(c.Snapshots)))
	for _, s := range c.Snapshots {
		h.str(string(s.Affiliate))
		h.str(string(s.Metric))
		h.money(s.Amount)
		h.int(s.Count)
		h.str(s.Reached)
		h.str(s.Tier)
		h.str(s.HeldFrom)
		h.str(s.Applied)
	}
	h.int(int64(len(c.Entries)))
	for _, e := range c.Entries {
		h.str(string(e.ID))
		h.str(string(e.Beneficiary))
		h.str(string(e.Event))
		h.str(string(e.Payment))
		h.str(string(e.Customer))
		h.str(string(e.Kind))
		h.money(e.Base)
		h.int(int64(len(e.BaseLines)))
		for _, l := range e.BaseLines {
			h.str(string(l))
		}
		h.str(e.Rate.String())
		h.money(e.Amount)
		h.str(e.Rule)
		h.str(e.Terms)
		h.str(e.Tier)
		h.int(int64(len(e.Chain)))
		for _, a := range e.Chain {
			h.str(string(a))
		}
		h.time(e.At)
		h.time(e.AvailableAt)
		h.str(string(e.Corrects))
		h.str(e.Explanation)
	}
	h.int(int64(len(c.Deltas)))
	for _, d := range c.Deltas {
		h.str(string(d.Affiliate))
		h.str(d.Period)
		h.str(string(d.Metric))
		h.money(d.Amount)
		h.int(d.Count)
	}
	return hex.EncodeToString(h.Sum(nil))
}

type hasher struct{ hash.Hash }

func (h hasher) int(v int64) {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(v))
	h.Write(b[:])
}

func (h hasher) str(s string) {
	h.int(int64(len(s)))
	h.Write([]byte(s))
}

func (h hasher) money(m affiliate.Money) {
	h.str(string(m.Currency()))
	h.int(m.Minor())
}

func (h hasher) time(t time.Time) { h.str(t.UTC().Format(time.RFC3339Nano)) }
