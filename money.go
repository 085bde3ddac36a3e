package affiliate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Money is an exact amount in one currency, held as a whole number of the
// currency's minor units (cents for EUR, yen for JPY, fils for KWD).
//
// Keeping the amount at the currency's own scale makes every Money
// canonical: two equal amounts have equal bits, == and Equal agree, and
// formatting always shows the full scale ("12.30", never "12.3"). The range
// is that of int64 minor units (about ±92 quadrillion EUR); arithmetic that
// would leave it returns ErrOverflow instead of wrapping.
//
// Money is never built from a float. Use ParseMoney, NewMoney (minor
// units), or RoundDecimal (an exact decimal rounded once, with a mode).
// The zero value has no currency; it is what optional fields hold when
// empty, and Validate refuses it.
type Money struct {
	minor    int64
	currency Currency
}

// NewMoney returns minor units of currency c: NewMoney(1230, "EUR") is
// 12.30 EUR. It returns ErrUnknownCurrency for a currency outside the table.
func NewMoney(minor int64, c Currency) (Money, error) {
	if err := c.Validate(); err != nil {
		return Money{}, err
	}
	if minor == math.MinInt64 {
		return Money{}, errOutOfRange("Money.Amount")
	}
	return Money{minor: minor, currency: c}, nil
}

// errOutOfRange is the error for amounts outside ±MaxInt64 minor units.
// The most negative int64 is excluded so that every amount has a negation.
func errOutOfRange(field string) error {
	return &FieldError{Field: field, Reason: "out of range", Err: ErrOverflow}
}

// Zero returns zero in currency c. It panics on an unknown currency, so it
// is meant for currencies already validated or written as constants.
func Zero(c Currency) Money {
	return MustMoney(0, c)
}

// MustMoney is NewMoney for constants in programs and tests; it panics on
// an unknown currency.
func MustMoney(minor int64, c Currency) Money {
	m, err := NewMoney(minor, c)
	if err != nil {
		panic(err)
	}
	return m
}

// ParseMoney reads a plain decimal string ("12.3", "-0.05", "1000") in
// currency code cur. The amount may have fewer digits than the currency's
// scale ("12.3" EUR is 12.30 EUR) but not more: "12.345" EUR is refused
// rather than rounded, because rounding belongs at a documented point, not
// in a parser. Exponents, thousands separators, spaces and signs other
// than a leading '-' are refused too. Errors are *FieldError values
// matching ErrInvalid, ErrUnknownCurrency or ErrOverflow.
func ParseMoney(amount string, cur string) (Money, error) {
	c, err := ParseCurrency(cur)
	if err != nil {
		return Money{}, err
	}
	minor, err := parseMinor(amount, c.Scale())
	if err != nil {
		return Money{}, err
	}
	return Money{minor: minor, currency: c}, nil
}

// MustParseMoney is ParseMoney for constants; it panics on bad input.
func MustParseMoney(amount string, cur string) Money {
	m, err := ParseMoney(amount, cur)
	if err != nil {
		panic(err)
	}
	return m
}

const maxAmountLen = 64

// parseMinor parses a plain decimal string into minor units at scale,
// without going through big numbers or floats.
func parseMinor(s string, scale int32) (int64, error) {
	if s == "" {
		return 0, fieldErr("Money.Amount", "missing")
	}
	if len(s) > maxAmountLen {
		return 0, fieldErr("Money.Amount", "longer than 64 characters")
	}
	neg := false
	digits := s
	if digits[0] == '-' {
		neg = true
		digits = digits[1:]
	}
	intPart, fracPart, hasDot := strings.Cut(digits, ".")
	if intPart == "" || (hasDot && fracPart == "") || !allDigits(intPart) || !allDigits(fracPart) {
		return 0, fieldErr("Money.Amount", quote(s)+" is not a plain decimal number")
	}
	if int32(len(fracPart)) > scale {
		trimmed := strings.TrimRight(fracPart, "0")
		if int32(len(trimmed)) > scale {
			return 0, fieldErr("Money.Amount", fmt.Sprintf("%s has more than %d decimal places", quote(s), scale))
		}
		fracPart = trimmed
	}
	var v uint64
	for _, part := range []string{intPart, fracPart + strings.Repeat("0", int(scale)-len(fracPart))} {
		for i := 0; i < len(part); i++ {
			d := uint64(part[i] - '0')
			if v > (math.MaxInt64-d)/10 {
				return 0, &FieldError{Field: "Money.Amount", Reason: quote(s) + " is out of range", Err: ErrOverflow}
			}
			v = v*10 + d
		}
	}
	if neg {
		return -int64(v), nil
	}
	return int64(v), nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// FromDecimal returns d in currency c when d is exact at c's scale, and a
// *FieldError otherwise: it never rounds. Use RoundDecimal to round.
func FromDecimal(d decimal.Decimal, c Currency) (Money, error) {
	if err := c.Validate(); err != nil {
		return Money{}, err
	}
	scaled := d.Shift(c.Scale())
	if !scaled.Equal(scaled.Truncate(0)) {
		return Money{}, fieldErr("Money.Amount", fmt.Sprintf("%s has more than %d decimal places", exactString(d), c.Scale()))
	}
	return fromScaled(scaled, c)
}

// RoundDecimal rounds d to currency c's minor unit with mode and returns
// the result. This is the one place where an exact decimal (a converted
// amount, say) becomes Money.
func RoundDecimal(d decimal.Decimal, c Currency, mode RoundingMode) (Money, error) {
	if err := c.Validate(); err != nil {
		return Money{}, err
	}
	if err := mode.validate(); err != nil {
		return Money{}, err
	}
	scaled := d.Shift(c.Scale())
	switch mode {
	case HalfEven:
		scaled = scaled.RoundBank(0)
	case HalfUp:
		scaled = scaled.Round(0)
	case Down:
		scaled = scaled.Truncate(0)
	}
	return fromScaled(scaled, c)
}

func fromScaled(scaled decimal.Decimal, c Currency) (Money, error) {
	bi := scaled.BigInt()
	if !bi.IsInt64() || bi.Int64() == math.MinInt64 {
		return Money{}, errOutOfRange("Money.Amount")
	}
	return Money{minor: bi.Int64(), currency: c}, nil
}

// Currency returns the currency, or "" for the zero Money.
func (m Money) Currency() Currency { return m.currency }

// Minor returns the amount in minor units: 1230 for 12.30 EUR.
func (m Money) Minor() int64 { return m.minor }

// Amount returns the amount as an exact decimal at the currency's scale.
func (m Money) Amount() decimal.Decimal {
	return decimal.New(m.minor, -m.currency.Scale())
}

// IsZero reports whether the amount is zero (in any currency, or none).
func (m Money) IsZero() bool { return m.minor == 0 }

// Sign returns -1, 0 or +1.
func (m Money) Sign() int {
	switch {
	case m.minor < 0:
		return -1
	case m.minor > 0:
		return 1
	}
	return 0
}

// Equal reports whether m and o are the same amount in the same currency.
// go-cmp uses it, so Money compares by value in tests.
func (m Money) Equal(o Money) bool { return m == o }

// Validate refuses the zero Money (no currency) and unknown currencies.
func (m Money) Validate() error {
	return m.currency.Validate()
}

// Add returns m+o. It returns a *CurrencyMismatchError when the currencies
// differ, and ErrOverflow when the sum leaves the int64 range.
func (m Money) Add(o Money) (Money, error) {
	if err := sameCurrency(m, o); err != nil {
		return Money{}, err
	}
	s := m.minor + o.minor
	if (s > m.minor) != (o.minor > 0) || s == math.MinInt64 {
		return Money{}, errOutOfRange("Money")
	}
	return Money{minor: s, currency: m.currency}, nil
}

// sameCurrency refuses the zero Money (no currency) and pairs in two
// currencies.
func sameCurrency(m, o Money) error {
	if m.currency != o.currency {
		return &CurrencyMismatchError{Want: m.currency, Got: o.currency}
	}
	if m.currency == "" {
		return &FieldError{Field: "Money.Currency", Reason: "missing", Err: ErrUnknownCurrency}
	}
	return nil
}

// Sub returns m-o, with the errors of Add.
func (m Money) Sub(o Money) (Money, error) { return m.Add(o.Neg()) }

// Neg returns -m. Every valid amount has a negation: the most negative
// int64 is outside the range.
func (m Money) Neg() Money { return Money{minor: -m.minor, currency: m.currency} }

// Abs returns |m|.
func (m Money) Abs() Money {
	if m.minor < 0 {
		return m.Neg()
	}
	return m
}

// Cmp compares m and o: -1, 0 or +1. It returns a *CurrencyMismatchError
// when the currencies differ.
func (m Money) Cmp(o Money) (int, error) {
	if err := sameCurrency(m, o); err != nil {
		return 0, err
	}
	switch {
	case m.minor < o.minor:
		return -1, nil
	case m.minor > o.minor:
		return 1, nil
	}
	return 0, nil
}

// MulRate returns m×r rounded once to the minor unit with mode. This is
// the rounding point for every commission: base times rate. It is exact
// (128-bit intermediate) and returns ErrOverflow when the result leaves
// the int64 range.
func (m Money) MulRate(r Rate, mode RoundingMode) (Money, error) {
	if err := mode.validate(); err != nil {
		return Money{}, err
	}
	if err := m.Validate(); err != nil {
		return Money{}, err
	}
	v, ok := mulDivPow10(m.minor, r.coef, r.exp, mode)
	if !ok {
		return Money{}, &FieldError{Field: "Money", Reason: "product out of range", Err: ErrOverflow}
	}
	return Money{minor: v, currency: m.currency}, nil
}

// Convert returns m in currency to, at rate (units of to per unit of m's
// currency), rounded once with mode.
func (m Money) Convert(to Currency, rate Rate, mode RoundingMode) (Money, error) {
	if to == m.currency {
		return m, nil
	}
	if rate.IsZero() {
		return Money{}, fieldErr("Rate", "a conversion needs a positive rate")
	}
	if err := to.Validate(); err != nil {
		return Money{}, err
	}
	// minor × rate × 10^(scale(to) − scale(from)) is minor × coef /
	// 10^(exp − scale difference): exact in 128 bits whenever that power
	// is in range, which covers every realistic rate.
	if exp := int(rate.exp) - int(to.Scale()-m.currency.Scale()); exp >= 0 && exp <= maxRateExp && m.Validate() == nil {
		if err := mode.validate(); err != nil {
			return Money{}, err
		}
		v, ok := mulDivPow10(m.minor, rate.coef, uint8(exp), mode)
		if !ok {
			return Money{}, errOutOfRange("Money")
		}
		return Money{minor: v, currency: to}, nil
	}
	return RoundDecimal(m.Amount().Mul(rate.Decimal()), to, mode)
}

// String formats m as "12.30 EUR" (amount at the currency's scale, then
// the code). The zero Money formats as "0".
func (m Money) String() string {
	var buf [32]byte
	return string(m.AppendString(buf[:0]))
}

// AmountString formats the amount alone at the currency's fixed scale:
// "12.30", "-0.05", "1000" (JPY).
func (m Money) AmountString() string {
	return formatMinor(m.minor, m.currency.Scale())
}

// appendMinor appends minor units at scale as a plain decimal: "-12.30".
func appendMinor(b []byte, minor int64, scale int32) []byte {
	if minor < 0 {
		b = append(b, '-')
	}
	u := uint64(minor)
	if minor < 0 {
		u = uint64(-(minor + 1)) + 1
	}
	var buf [24]byte
	digits := strconv.AppendUint(buf[:0], u, 10)
	if scale <= 0 {
		return append(b, digits...)
	}
	if len(digits) <= int(scale) {
		b = append(b, '0', '.')
		for range int(scale) - len(digits) {
			b = append(b, '0')
		}
		return append(b, digits...)
	}
	cut := len(digits) - int(scale)
	return append(append(append(b, digits[:cut]...), '.'), digits[cut:]...)
}

// AppendString appends m.String() to b: with room in b, it allocates
// nothing (Entry.Describe builds its line this way).
func (m Money) AppendString(b []byte) []byte {
	if m.currency == "" {
		return strconv.AppendInt(b, m.minor, 10)
	}
	return append(append(appendMinor(b, m.minor, m.currency.Scale()), ' '), m.currency...)
}

func formatMinor(minor int64, scale int32) string {
	var buf [32]byte
	return string(appendMinor(buf[:0], minor, scale))
}

type moneyJSON struct {
	Amount   json.RawMessage `json:"amount"`
	Currency string          `json:"currency"`
}

// MarshalJSON writes {"amount":"12.30","currency":"EUR"}: the amount is a
// string at the currency's fixed scale, so no JSON reader turns it into a
// float. The zero Money writes null.
func (m Money) MarshalJSON() ([]byte, error) {
	if m.currency == "" {
		return []byte("null"), nil
	}
	var b bytes.Buffer
	b.Grow(48)
	b.WriteString(`{"amount":"`)
	b.WriteString(m.AmountString())
	b.WriteString(`","currency":"`)
	b.WriteString(string(m.currency))
	b.WriteString(`"}`)
	return b.Bytes(), nil
}

// UnmarshalJSON reads what MarshalJSON writes. The amount must be a JSON
// string: a bare number is refused, because many writers produce numbers
// from floats. null leaves the zero Money.
func (m *Money) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		*m = Money{}
		return nil
	}
	var raw moneyJSON
	if err := json.Unmarshal(data, &raw); err != nil {
		return &FieldError{Field: "Money", Reason: "not a JSON object with amount and currency"}
	}
	var amount string
	if err := json.Unmarshal(raw.Amount, &amount); err != nil {
		return fieldErr("Money.Amount", "must be a JSON string such as \"12.30\"")
	}
	v, err := ParseMoney(amount, raw.Currency)
	if err != nil {
		return err
	}
	if raw.Currency != string(v.currency) {
		return fieldErr("Money.Currency", quote(raw.Currency)+" is not a canonical upper-case code")
	}
	*m = v
	return nil
}

// Sum adds amounts in currency c. It returns Zero(c) for no amounts, a
// *CurrencyMismatchError if any amount is in another currency, and
// ErrOverflow if the total leaves the range.
func Sum(c Currency, amounts ...Money) (Money, error) {
	total, err := NewMoney(0, c)
	if err != nil {
		return Money{}, err
	}
	for _, a := range amounts {
		if total, err = total.Add(a); err != nil {
			return Money{}, err
		}
	}
	return total, nil
}

func quote(s string) string { return strconv.Quote(s) }

func sortCurrencies(cs []Currency) { slices.Sort(cs) }
