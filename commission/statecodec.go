package commission

import (
	"encoding/binary"
	"errors"
	"maps"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/openaffiliate/affiliate"
)

// The pieces of the binary summary (state.go): varints for numbers, a
// uvarint length before strings and bytes, times as Unix seconds and
// nanoseconds, money as currency and minor units, rates as their text.

func appendStr(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

func appendBytes(b, p []byte) []byte {
	return append(binary.AppendUvarint(b, uint64(len(p))), p...)
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 1)
	}
	return append(b, 0)
}

func appendTime(b []byte, t time.Time) []byte {
	return binary.AppendUvarint(binary.AppendVarint(b, t.Unix()), uint64(t.Nanosecond()))
}

func appendMoney(b []byte, m affiliate.Money) []byte {
	return binary.AppendVarint(appendStr(b, string(m.Currency())), m.Minor())
}

func appendPayment(b []byte, p *affiliate.Payment) []byte {
	b = appendStr(appendStr(b, string(p.ID)), string(p.Customer))
	b = appendStr(appendTime(b, p.PaidAt), string(p.Currency))
	b = binary.AppendUvarint(b, uint64(len(p.Lines)))
	for _, l := range p.Lines {
		b = appendMoney(appendStr(b, string(l.Kind)), l.Amount)
		b = appendStr(appendStr(appendStr(b, l.Plan), l.SKU), l.Description)
	}
	b = appendStr(appendStr(b, p.Country), string(p.Conversion.To))
	var rate [32]byte // the rate's text, without a string allocated for it
	return appendBytes(b, p.Conversion.Rate.AppendString(rate[:0]))
}

func appendRefund(b []byte, r *affiliate.Refund) []byte {
	b = appendStr(appendStr(appendStr(b, string(r.ID)), string(r.Payment)), string(r.Customer))
	b = appendStr(appendTime(b, r.RefundedAt), string(r.Kind))
	return appendMoney(appendBool(b, r.Full), r.Amount)
}

func sortedKeys[K ~string, V any](m map[K]V) []K {
	if len(m) == 0 {
		return nil
	}
	return slices.Sorted(maps.Keys(m))
}

// stateReader reads the pieces back strictly: the first thing it cannot
// read sets err, and every later read returns a zero value.
type stateReader struct {
	data []byte
	str  string // data as one string, so strings read are cut from it without a copy
	off  int
	err  error
}

func (r *stateReader) fail(reason string) {
	if r.err == nil {
		r.err = errors.New(reason + " at byte " + itoa(r.off))
	}
}

func (r *stateReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.data[r.off:])
	if n <= 0 {
		r.fail("bad or truncated number")
		return 0
	}
	r.off += n
	return v
}

func (r *stateReader) varint() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.data[r.off:])
	if n <= 0 {
		r.fail("bad or truncated number")
		return 0
	}
	r.off += n
	return v
}

func (r *stateReader) int() int {
	v := r.varint()
	if int64(int(v)) != v {
		r.fail("number out of range")
		return 0
	}
	return int(v)
}

// count reads a length of items that take at least min bytes each, so
// that garbage cannot ask for a huge allocation.
func (r *stateReader) count(min int) int {
	n := r.uvarint()
	if n > uint64(len(r.data)-r.off)/uint64(min) {
		r.fail("count beyond the data")
		return 0
	}
	return int(n)
}

func (r *stateReader) span() (int, int) {
	n := r.count(1)
	if r.err != nil {
		return 0, 0
	}
	start := r.off
	r.off += n
	return start, r.off
}

func (r *stateReader) string() string {
	start, end := r.span()
	s := r.str[start:end]
	if !utf8.ValidString(s) {
		r.fail("string not UTF-8")
		return ""
	}
	return s
}

// bytes returns the next bytes as a slice of data, nil when empty.
func (r *stateReader) bytes() []byte {
	start, end := r.span()
	if start == end {
		return nil
	}
	return r.data[start:end:end]
}

func (r *stateReader) bool() bool {
	if r.err != nil {
		return false
	}
	if r.off >= len(r.data) || r.data[r.off] > 1 {
		r.fail("bad or truncated flag")
		return false
	}
	r.off++
	return r.data[r.off-1] == 1
}

func (r *stateReader) time() time.Time {
	sec, nsec := r.varint(), r.uvarint()
	if nsec >= 1e9 {
		r.fail("nanoseconds out of range")
		return time.Time{}
	}
	return time.Unix(sec, int64(nsec)).UTC()
}

func (r *stateReader) money() affiliate.Money {
	c, minor := affiliate.Currency(r.string()), r.varint()
	if r.err != nil || c == "" && minor == 0 {
		return affiliate.Money{}
	}
	m, err := affiliate.NewMoney(minor, c)
	if err != nil {
		r.fail("bad money: " + err.Error())
	}
	return m
}

func (r *stateReader) payment() affiliate.Payment {
	p := affiliate.Payment{ID: affiliate.EventID(r.string()), Customer: affiliate.CustomerID(r.string()), PaidAt: r.time(), Currency: affiliate.Currency(r.string())}
	if n := r.count(6); n > 0 {
		p.Lines = make([]affiliate.Line, n)
		for i := range p.Lines {
			p.Lines[i] = affiliate.Line{Kind: affiliate.LineKind(r.string()), Amount: r.money(), Plan: r.string(), SKU: r.string(), Description: r.string()}
		}
	}
	p.Country, p.Conversion.To = r.string(), affiliate.Currency(r.string())
	if rate := r.string(); r.err == nil {
		var err error
		if p.Conversion.Rate, err = affiliate.ParseRate(rate); err != nil {
			r.fail("bad rate: " + err.Error())
		}
	}
	return p
}

func (r *stateReader) refund() affiliate.Refund {
	return affiliate.Refund{ID: affiliate.EventID(r.string()), Payment: affiliate.EventID(r.string()), Customer: affiliate.CustomerID(r.string()),
		RefundedAt: r.time(), Kind: affiliate.RefundKind(r.string()), Full: r.bool(), Amount: r.money()}
}
