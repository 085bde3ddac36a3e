package commission

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"time"

	"github.com/openaffiliate/affiliate"
)

// eventHash is the hex SHA-256 of a canonical encoding of ev: a type tag,
// then every field in a fixed order, strings length-prefixed, money as
// minor units and currency, times as UTC RFC 3339 with nanoseconds. Two
// deliveries of one event hash alike whatever time zone or monotonic
// reading their times carry; any change to the payload changes the hash.
func eventHash(ev affiliate.Event) string {
	h := hashWriter{buf: make([]byte, 0, 256)}
	switch e := ev.(type) {
	case affiliate.Payment:
		h.str("payment/v1")
		h.str(string(e.ID))
		h.str(string(e.Customer))
		h.time(e.PaidAt)
		h.str(string(e.Currency))
		h.str(e.Country)
		h.str(string(e.Conversion.To))
		h.str(e.Conversion.Rate.String())
		h.int(int64(len(e.Lines)))
		for _, l := range e.Lines {
			h.str(string(l.Kind))
			h.money(l.Amount)
			h.str(l.Plan)
			h.str(l.SKU)
			h.str(l.Description)
		}
	case affiliate.Refund:
		h.str("refund/v1")
		h.str(string(e.ID))
		h.str(string(e.Payment))
		h.str(string(e.Customer))
		h.time(e.RefundedAt)
		h.str(string(e.Kind))
		if e.Full {
			h.str("full")
		} else {
			h.str("partial")
		}
		h.money(e.Amount)
	case affiliate.Reinstatement:
		h.str("reinstatement/v1")
		h.str(string(e.ID))
		h.str(string(e.Chargeback))
		h.str(string(e.Customer))
		h.time(e.ReinstatedAt)
	}
	sum := sha256.Sum256(h.buf)
	return hex.EncodeToString(sum[:])
}

type hashWriter struct{ buf []byte }

func (h *hashWriter) int(v int64) { h.buf = binary.BigEndian.AppendUint64(h.buf, uint64(v)) }

func (h *hashWriter) str(s string) {
	h.int(int64(len(s)))
	h.buf = append(h.buf, s...)
}

func (h *hashWriter) money(m affiliate.Money) {
	h.str(string(m.Currency()))
	h.int(m.Minor())
}

func (h *hashWriter) time(t time.Time) {
	h.buf = t.UTC().AppendFormat(append(h.buf, 0), time.RFC3339Nano)
	h.buf = append(h.buf, 0)
}
