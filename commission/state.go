package commission

import (
	"encoding/binary"
	"encoding/json"
	"slices"
	"unicode/utf8"
	"unsafe"

	"github.com/openaffiliate/affiliate"
)

// The summary's stored encodings, told apart by their first byte:
//
//   - stateFormat (3): the binary encoding below, what appendSummary writes;
//   - '{' (format 2): JSON of summary, written by earlier versions and
//     still held by SQL stores: read as it always was;
//   - 1: the varint encoding before that, read as stale (only the pinned
//     version survives) and rebuilt from the event log.
//
// No JSON text starts with byte 1 or 3.
const (
	stateFormat     = 3
	stateFormatJSON = 2
)

// appendSummary appends the stored form of s to b, growing b at most once
// (and allocating once more when s holds PaidUnder bindings, which stay
// JSON: they are rare and carry the binding's every field).
func appendSummary(b []byte, s *summary) []byte {
	s.Format = stateFormat
	var paidUnder []byte
	if len(s.PaidUnder) > 0 {
		var err error
		if paidUnder, err = json.Marshal(s.PaidUnder); err != nil {
			panic("commission: encoding a customer summary: " + err.Error()) // unreachable: plain values
		}
	}
	size := 64 + len(s.Pinned) + len(s.BoundTo) + len(s.Binding) + len(paidUnder) + len(s.LastID) + len(s.LastBoundPeriod) +
		48*len(s.Rebound) + 256*len(s.Earlier) + 64*len(s.Used) + 128*len(s.Parked) + 32*len(s.Reinstated)
	b = append(slices.Grow(b, size), stateFormat)
	b = binary.AppendVarint(b, int64(s.HistoryDepth))
	b = appendStr(b, s.Pinned)
	b = appendStr(b, string(s.BoundTo))
	b = appendBytes(b, s.Binding)
	b = appendBytes(b, paidUnder)
	b = binary.AppendUvarint(b, uint64(len(s.Rebound)))
	for _, id := range sortedKeys(s.Rebound) {
		b = appendStr(appendStr(b, string(id)), string(s.Rebound[id]))
	}
	b = binary.AppendVarint(b, int64(s.Count))
	b = binary.AppendVarint(b, int64(s.PaidCount))
	b = appendBool(b, s.HasLast)
	b = appendTime(b, s.LastAt)
	b = appendStr(b, string(s.LastID))
	b = appendTime(b, s.FirstPaidAt)
	b = binary.AppendVarint(b, int64(s.BoundCount))
	b = appendStr(b, s.LastBoundPeriod)
	b = binary.AppendUvarint(b, uint64(len(s.Earlier)))
	for i := range s.Earlier {
		e := &s.Earlier[i]
		b = appendPayment(b, &e.Payment)
		b = binary.AppendUvarint(b, uint64(len(e.Refunds)))
		for _, r := range e.Refunds {
			b = appendTime(appendStr(b, string(r.ID)), r.At)
			b = binary.AppendVarint(appendBool(b, r.Full), r.Amount)
		}
	}
	b = binary.AppendUvarint(b, uint64(len(s.Used)))
	for _, u := range s.Used {
		b = appendStr(appendStr(b, u.Key.Cap), string(u.Key.Beneficiary))
		b = appendStr(appendStr(b, u.Key.Period), string(u.Key.Currency))
		b = binary.AppendVarint(b, u.Minor)
	}
	b = binary.AppendUvarint(b, uint64(len(s.Parked)))
	for i := range s.Parked {
		b = appendRefund(b, &s.Parked[i])
	}
	b = binary.AppendUvarint(b, uint64(len(s.Reinstated)))
	for _, id := range s.Reinstated {
		b = appendStr(b, string(id))
	}
	return b
}

// decodeSummary reads what appendSummary wrote, or what earlier versions
// wrote (see stateFormat). Empty data is the summary of a customer never
// committed. Anything it cannot read, truncated or trailing bytes
// included, returns ErrCorruptState.
func decodeSummary(data []byte) (summary, error) {
	corrupt := func(reason string) (summary, error) {
		return summary{}, &affiliate.FieldError{Field: "CustomerState.Data", Reason: reason, Err: ErrCorruptState}
	}
	switch {
	case len(data) == 0:
		return summary{}, nil
	case data[0] == stateFormat:
		s, err := readSummary(data)
		if err != nil {
			return corrupt(err.Error())
		}
		return s, nil
	case data[0] == 1:
		// Format 1 opens with the history depth (a uvarint), then the
		// pinned version (a uvarint length and its bytes).
		rest := data[1:]
		if _, n := binary.Uvarint(rest); n > 0 {
			rest = rest[n:]
			if l, n := binary.Uvarint(rest); n > 0 && l <= uint64(len(rest)-n) && utf8.Valid(rest[n:n+int(l)]) {
				return summary{Pinned: string(rest[n : n+int(l)]), stale: true}, nil
			}
		}
		return corrupt("truncated format-1 summary")
	}
	var s summary
	if err := json.Unmarshal(data, &s); err != nil {
		return corrupt(err.Error())
	}
	if s.Format != stateFormatJSON {
		return corrupt("unknown summary format")
	}
	return s, nil
}

// readSummary decodes format 3. Its strings and Binding alias data, which
// nobody writes to again: a store's CustomerState hands out Data it never
// changes (storage.CustomerState), and the engine never writes to it.
func readSummary(data []byte) (summary, error) {
	r := stateReader{data: data, str: unsafe.String(unsafe.SliceData(data), len(data)), off: 1}
	s := summary{Format: stateFormat}
	s.HistoryDepth = r.int()
	s.Pinned = r.string()
	s.BoundTo = affiliate.AffiliateID(r.string())
	s.Binding = r.bytes()
	if paidUnder := r.bytes(); len(paidUnder) > 0 && r.err == nil {
		var bs []affiliate.Binding // declared here: only a summary with some pays for it
		if err := json.Unmarshal(paidUnder, &bs); err != nil {
			return summary{}, err
		}
		s.PaidUnder = bs
	}
	if n := r.count(2); n > 0 {
		s.Rebound = make(map[affiliate.EventID]affiliate.AffiliateID, n)
		for range n {
			id := affiliate.EventID(r.string())
			s.Rebound[id] = affiliate.AffiliateID(r.string())
		}
	}
	s.Count = r.int()
	s.PaidCount = r.int()
	s.HasLast = r.bool()
	s.LastAt = r.time()
	s.LastID = affiliate.EventID(r.string())
	s.FirstPaidAt = r.time()
	s.BoundCount = r.int()
	s.LastBoundPeriod = r.string()
	if n := r.count(8); n > 0 {
		s.Earlier = make([]earlierPayment, n)
		for i := range s.Earlier {
			e := &s.Earlier[i]
			e.Payment = r.payment()
			if m := r.count(4); m > 0 {
				e.Refunds = make([]refundFact, m)
				for j := range e.Refunds {
					e.Refunds[j] = refundFact{ID: affiliate.EventID(r.string()), At: r.time(), Full: r.bool(), Amount: r.varint()}
				}
			}
		}
	}
	if n := r.count(5); n > 0 {
		s.Used = make([]capUse, n)
		for i := range s.Used {
			u := &s.Used[i]
			u.Key.Cap, u.Key.Beneficiary = r.string(), affiliate.AffiliateID(r.string())
			u.Key.Period, u.Key.Currency = r.string(), affiliate.Currency(r.string())
			u.Minor = r.varint()
		}
	}
	if n := r.count(9); n > 0 {
		s.Parked = make([]affiliate.Refund, n)
		for i := range s.Parked {
			s.Parked[i] = r.refund()
		}
	}
	if n := r.count(1); n > 0 {
		s.Reinstated = make([]affiliate.EventID, n)
		for i := range s.Reinstated {
			s.Reinstated[i] = affiliate.EventID(r.string())
		}
	}
	if r.err == nil && r.off != len(data) {
		r.fail("trailing bytes")
	}
	if r.err != nil {
		return summary{}, r.err
	}
	return s, nil
}
