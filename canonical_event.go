package affiliate

import (
	"reflect"
	"strconv"
	"time"
	"unicode/utf8"
)

// AppendCanonical appends Canonical(v) to b. Payments, refunds and
// reinstatements, which the commission engine hashes once per event, and
// tier snapshots, which a tier close hashes once per affiliate, are
// encoded by hand, byte for byte as the reflective encoding writes them
// (TestFastCanonicalMatchesReflection pins it), whether passed as values
// or held by pointer (as the SQL store's event bodies hold them); anything
// else, and any value the hand-written encoders would have to refuse, goes
// through reflection, which also words the error.
func AppendCanonical(b []byte, v any) ([]byte, error) {
	if fast, ok := appendByHand(b, v); ok {
		return fast, nil
	}
	return appendCanonical(b, reflect.ValueOf(v))
}

// appendByHand appends the hand-written encoding of v, a payment, refund,
// reinstatement or tier snapshot or a non-nil pointer to one. ok is false,
// and b's contents past its length undefined, for any other value and for
// one the hand-written encoders must refuse.
func appendByHand(b []byte, v any) (_ []byte, ok bool) {
	switch e := v.(type) {
	case Payment:
		return appendPayment(b, &e)
	case *Payment:
		if e != nil {
			return appendPayment(b, e)
		}
	case Refund:
		return appendRefund(b, &e)
	case *Refund:
		if e != nil {
			return appendRefund(b, e)
		}
	case Reinstatement:
		return appendReinstatement(b, &e)
	case *Reinstatement:
		if e != nil {
			return appendReinstatement(b, e)
		}
	case TierSnapshot:
		return appendTierSnapshot(b, &e)
	case *TierSnapshot:
		if e != nil {
			return appendTierSnapshot(b, e)
		}
	}
	return b, false
}

func appendPayment(b []byte, p *Payment) ([]byte, bool) {
	ok := true
	b = appendField(b, `{"ID":`, string(p.ID), &ok)
	b = appendField(b, `,"Customer":`, string(p.Customer), &ok)
	b = appendTime(append(b, `,"PaidAt":`...), p.PaidAt, &ok)
	b = appendField(b, `,"Currency":`, string(p.Currency), &ok)
	b = append(b, `,"Lines":`...)
	if p.Lines == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range p.Lines {
			l := &p.Lines[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = appendField(b, `{"Kind":`, string(l.Kind), &ok)
			b = appendMoney(append(b, `,"Amount":`...), l.Amount)
			b = appendField(b, `,"Plan":`, l.Plan, &ok)
			b = appendField(b, `,"SKU":`, l.SKU, &ok)
			b = appendField(b, `,"Description":`, l.Description, &ok)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = appendField(b, `,"Country":`, p.Country, &ok)
	b = appendField(b, `,"Conversion":{"To":`, string(p.Conversion.To), &ok)
	b = append(b, `,"Rate":"`...)
	b = appendMinor(b, p.Conversion.Rate.coef, int32(p.Conversion.Rate.exp))
	return append(b, `"}}`...), ok
}

func appendRefund(b []byte, r *Refund) ([]byte, bool) {
	ok := true
	b = appendField(b, `{"ID":`, string(r.ID), &ok)
	b = appendField(b, `,"Payment":`, string(r.Payment), &ok)
	b = appendField(b, `,"Customer":`, string(r.Customer), &ok)
	b = appendTime(append(b, `,"RefundedAt":`...), r.RefundedAt, &ok)
	b = appendField(b, `,"Kind":`, string(r.Kind), &ok)
	b = strconv.AppendBool(append(b, `,"Full":`...), r.Full)
	b = appendMoney(append(b, `,"Amount":`...), r.Amount)
	return append(b, '}'), ok
}

func appendReinstatement(b []byte, r *Reinstatement) ([]byte, bool) {
	ok := true
	b = appendField(b, `{"ID":`, string(r.ID), &ok)
	b = appendField(b, `,"Chargeback":`, string(r.Chargeback), &ok)
	b = appendField(b, `,"Customer":`, string(r.Customer), &ok)
	b = appendTime(append(b, `,"ReinstatedAt":`...), r.ReinstatedAt, &ok)
	return append(b, '}'), ok
}

func appendTierSnapshot(b []byte, s *TierSnapshot) ([]byte, bool) {
	ok := true
	b = appendField(b, `{"Program":`, s.Program, &ok)
	b = appendPeriod(append(b, `,"Period":`...), s.Period)
	b = strconv.AppendInt(append(b, `,"Revision":`...), s.Revision, 10)
	b = appendField(b, `,"Affiliate":`, string(s.Affiliate), &ok)
	b = appendField(b, `,"Metric":`, string(s.Metric), &ok)
	b = appendMoney(append(b, `,"Amount":`...), s.Amount)
	b = strconv.AppendInt(append(b, `,"Count":`...), s.Count, 10)
	b = appendField(b, `,"Reached":`, s.Reached, &ok)
	b = appendField(b, `,"Tier":`, s.Tier, &ok)
	b = appendPeriod(append(b, `,"HeldFrom":`...), s.HeldFrom)
	b = appendField(b, `,"Applied":`, s.Applied, &ok)
	return append(b, '}'), ok
}

// appendPeriod appends p as the reflective encoding writes a Period: its
// fields, the location by name.
func appendPeriod(b []byte, p Period) []byte {
	b = strconv.AppendInt(append(b, `{"Year":`...), int64(p.Year), 10)
	b = strconv.AppendInt(append(b, `,"Month":`...), int64(p.Month), 10)
	return append(appendJSONString(append(b, `,"Location":`...), p.Location.String()), '}')
}

// appendField appends name and s as a JSON string; *ok turns false when s
// is not UTF-8, which Canonical refuses.
func appendField(b []byte, name, s string, ok *bool) []byte {
	if !utf8.ValidString(s) {
		*ok = false
	}
	return appendJSONString(append(b, name...), s)
}

// appendTime appends t as Time.MarshalJSON writes it in UTC; *ok turns
// false for a year that encoding refuses.
func appendTime(b []byte, t time.Time, ok *bool) []byte {
	t = t.UTC()
	if y := t.Year(); y < 0 || y > 9999 {
		*ok = false
		return b
	}
	return append(t.AppendFormat(append(b, '"'), time.RFC3339Nano), '"')
}

// appendMoney appends what Money.MarshalJSON returns.
func appendMoney(b []byte, m Money) []byte {
	if m.currency == "" {
		return append(b, "null"...)
	}
	b = appendMinor(append(b, `{"amount":"`...), m.minor, m.currency.Scale())
	return append(append(append(b, `","currency":"`...), m.currency...), `"}`...)
}

// appendJSONString appends s quoted as encoding/json writes it (HTML
// characters, U+2028 and U+2029 escaped, invalid bytes as U+FFFD).
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(append(b, s[start:i]...), `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(append(b, s[start:i]...), '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(append(b, s[start:]...), '"')
}
