package commission

import (
	"encoding/binary"
	"time"

	"github.com/openaffiliate/affiliate"
)

// The summary is encoded by hand, compactly, with varints: it is read and
// written on every event, so its cost is part of the per-event cost. The
// first byte is the format version.
const summaryFormat = 1

func encodeSummary(s *summary) []byte {
	w := writer{buf: make([]byte, 0, 64+len(s.earlier)*128+len(s.used)*48+len(s.parked)*96)}
	w.byte(summaryFormat)
	w.uint(uint64(s.historyDepth))
	w.str(s.pinned)
	w.uint(uint64(s.count))
	w.uint(uint64(s.paidCount))
	w.bool(s.hasLast)
	w.time(s.lastAt)
	w.str(string(s.lastID))
	w.time(s.firstPaidAt)
	w.uint(uint64(s.boundCount))
	w.str(s.lastBoundPeriod)
	w.uint(uint64(len(s.earlier)))
	for _, e := range s.earlier {
		w.payment(e.payment)
		w.uint(uint64(len(e.refunds)))
		for _, r := range e.refunds {
			w.str(string(r.id))
			w.time(r.at)
			w.bool(r.full)
			w.int(r.amount)
		}
	}
	w.uint(uint64(len(s.used)))
	for _, u := range s.used {
		w.str(u.key.Cap)
		w.str(string(u.key.Beneficiary))
		w.str(u.key.Period)
		w.str(string(u.key.Currency))
		w.int(u.minor)
	}
	w.uint(uint64(len(s.parked)))
	for _, p := range s.parked {
		r := p.refund
		w.str(string(r.ID))
		w.str(string(r.Payment))
		w.str(string(r.Customer))
		w.time(r.RefundedAt)
		w.str(string(r.Kind))
		w.bool(r.Full)
		w.money(r.Amount)
	}
	return w.buf
}

// decodeSummary reads what encodeSummary wrote. Empty data is the summary
// of a customer never committed. Anything it cannot read returns
// ErrCorruptState; it never panics on any input.
func decodeSummary(data []byte) (summary, error) {
	var s summary
	if len(data) == 0 {
		return s, nil
	}
	r := reader{buf: data}
	if v := r.byte(); v != summaryFormat {
		return summary{}, &affiliate.FieldError{Field: "CustomerState.Data", Reason: "unknown summary format", Err: ErrCorruptState}
	}
	s.historyDepth = r.counter()
	s.pinned = r.str()
	s.count = r.counter()
	s.paidCount = r.counter()
	s.hasLast = r.bool()
	s.lastAt = r.time()
	s.lastID = affiliate.EventID(r.str())
	s.firstPaidAt = r.time()
	s.boundCount = r.counter()
	s.lastBoundPeriod = r.str()
	if n := r.count(); n > 0 && r.err == nil {
		s.earlier = make([]earlierPayment, 0, min(n, 64))
		for range n {
			if r.err != nil {
				break
			}
			e := earlierPayment{payment: r.payment()}
			if m := r.count(); m > 0 {
				e.refunds = make([]refundFact, 0, min(m, 64))
				for range m {
					if r.err != nil {
						break
					}
					e.refunds = append(e.refunds, refundFact{id: affiliate.EventID(r.str()), at: r.time(), full: r.bool(), amount: r.int()})
				}
			}
			s.earlier = append(s.earlier, e)
		}
	}
	if n := r.count(); n > 0 && r.err == nil {
		s.used = make([]capUse, 0, min(n, 64))
		for range n {
			if r.err != nil {
				break
			}
			var u capUse
			u.key.Cap = r.str()
			u.key.Beneficiary = affiliate.AffiliateID(r.str())
			u.key.Period = r.str()
			u.key.Currency = affiliate.Currency(r.str())
			u.minor = r.int()
			s.used = append(s.used, u)
		}
	}
	if n := r.count(); n > 0 && r.err == nil {
		s.parked = make([]parkedRefund, 0, min(n, 64))
		for range n {
			if r.err != nil {
				break
			}
			var f affiliate.Refund
			f.ID = affiliate.EventID(r.str())
			f.Payment = affiliate.EventID(r.str())
			f.Customer = affiliate.CustomerID(r.str())
			f.RefundedAt = r.time()
			f.Kind = affiliate.RefundKind(r.str())
			f.Full = r.bool()
			f.Amount = r.money()
			s.parked = append(s.parked, parkedRefund{refund: f})
		}
	}
	if r.err == nil && len(r.buf) != 0 {
		r.fail("trailing bytes")
	}
	if r.err != nil {
		return summary{}, r.err
	}
	return s, nil
}

type writer struct{ buf []byte }

func (w *writer) byte(b byte)   { w.buf = append(w.buf, b) }
func (w *writer) uint(v uint64) { w.buf = binary.AppendUvarint(w.buf, v) }
func (w *writer) int(v int64)   { w.buf = binary.AppendVarint(w.buf, v) }
func (w *writer) str(s string)  { w.uint(uint64(len(s))); w.buf = append(w.buf, s...) }
func (w *writer) bool(b bool) {
	if b {
		w.byte(1)
	} else {
		w.byte(0)
	}
}
func (w *writer) money(m affiliate.Money) {
	w.str(string(m.Currency()))
	w.int(m.Minor())
}

// time writes a flag for the zero time, then seconds and nanoseconds since
// the Unix epoch (all of time.Time's range, unlike UnixNano).
func (w *writer) time(t time.Time) {
	if t.IsZero() {
		w.byte(0)
		return
	}
	w.byte(1)
	w.int(t.Unix())
	w.uint(uint64(t.Nanosecond()))
}

func (w *writer) payment(p affiliate.Payment) {
	w.str(string(p.ID))
	w.str(string(p.Customer))
	w.time(p.PaidAt)
	w.str(string(p.Currency))
	w.str(p.Country)
	w.str(string(p.Conversion.To))
	w.str(p.Conversion.Rate.String())
	w.uint(uint64(len(p.Lines)))
	for _, l := range p.Lines {
		w.str(string(l.Kind))
		w.int(l.Amount.Minor())
		w.str(l.Plan)
		w.str(l.SKU)
		w.str(l.Description)
	}
}

type reader struct {
	buf []byte
	err error
}

func (r *reader) fail(reason string) {
	if r.err == nil {
		r.err = &affiliate.FieldError{Field: "CustomerState.Data", Reason: reason, Err: ErrCorruptState}
	}
	r.buf = nil
}

func (r *reader) byte() byte {
	if len(r.buf) < 1 {
		r.fail("truncated")
		return 0
	}
	b := r.buf[0]
	r.buf = r.buf[1:]
	return b
}

func (r *reader) uint() uint64 {
	v, n := binary.Uvarint(r.buf)
	if n <= 0 {
		r.fail("bad varint")
		return 0
	}
	r.buf = r.buf[n:]
	return v
}

func (r *reader) int() int64 {
	v, n := binary.Varint(r.buf)
	if n <= 0 {
		r.fail("bad varint")
		return 0
	}
	r.buf = r.buf[n:]
	return v
}

// count reads a length, refusing one larger than the bytes left could
// hold (every element takes at least one byte), so a corrupt length cannot
// make a huge allocation or a long loop.
func (r *reader) count() int {
	v := r.uint()
	if v > uint64(len(r.buf)) {
		r.fail("length out of range")
		return 0
	}
	return int(v)
}

// counter reads a non-negative counter.
func (r *reader) counter() int {
	v := r.uint()
	if v > 1<<53 {
		r.fail("counter out of range")
		return 0
	}
	return int(v)
}

func (r *reader) str() string {
	n := r.uint()
	if n > uint64(len(r.buf)) {
		r.fail("truncated string")
		return ""
	}
	s := string(r.buf[:n])
	r.buf = r.buf[n:]
	return s
}

func (r *reader) bool() bool {
	switch r.byte() {
	case 0:
		return false
	case 1:
		return true
	}
	r.fail("bad bool")
	return false
}

func (r *reader) time() time.Time {
	if !r.bool() {
		return time.Time{}
	}
	sec := r.int()
	ns := r.uint()
	if ns >= 1e9 {
		r.fail("bad nanoseconds")
		return time.Time{}
	}
	return time.Unix(sec, int64(ns)).UTC()
}

func (r *reader) money() affiliate.Money {
	c := affiliate.Currency(r.str())
	minor := r.int()
	if c == "" && minor == 0 {
		return affiliate.Money{}
	}
	m, err := affiliate.NewMoney(minor, c)
	if err != nil {
		r.fail("bad currency")
	}
	return m
}

func (r *reader) payment() affiliate.Payment {
	var p affiliate.Payment
	p.ID = affiliate.EventID(r.str())
	p.Customer = affiliate.CustomerID(r.str())
	p.PaidAt = r.time()
	p.Currency = affiliate.Currency(r.str())
	p.Country = r.str()
	p.Conversion.To = affiliate.Currency(r.str())
	if rate := r.str(); rate != "0" && rate != "" {
		v, err := affiliate.ParseRate(rate)
		if err != nil {
			r.fail("bad rate")
		}
		p.Conversion.Rate = v
	}
	n := r.count()
	if n > 0 && r.err == nil {
		p.Lines = make([]affiliate.Line, 0, min(n, 64))
		for range n {
			if r.err != nil {
				break
			}
			var l affiliate.Line
			l.Kind = affiliate.LineKind(r.str())
			minor := r.int()
			if r.err == nil {
				m, err := affiliate.NewMoney(minor, p.Currency)
				if err != nil {
					r.fail("bad line currency")
				}
				l.Amount = m
			}
			l.Plan = r.str()
			l.SKU = r.str()
			l.Description = r.str()
			p.Lines = append(p.Lines, l)
		}
	}
	return p
}
