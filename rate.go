package affiliate

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// Rate is an exact, non-negative decimal multiplier: a commission rate
// (0.15 for 15%), a bonus rate, or a currency conversion rate. It holds a
// coefficient and a power of ten, normalised so that equal rates have equal
// bits ("0.150" and "0.15" are the same Rate). Up to 18 decimal places are
// kept, which covers every percentage with room to spare; more is refused.
//
// The zero value is the rate 0.
type Rate struct {
	coef int64
	exp  uint8 // value = coef × 10^-exp
}

const maxRateExp = 18

// ParseRate reads a plain decimal string such as "0.15" or "1.0837".
// Negative values, exponents and more than 18 decimal places are refused
// with a *FieldError matching ErrInvalid.
func ParseRate(s string) (Rate, error) {
	if s == "" || len(s) > 40 || strings.ContainsAny(s, "eE+ _") {
		return Rate{}, fieldErr("Rate", quote(s)+" is not a plain decimal number")
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return Rate{}, fieldErr("Rate", quote(s)+" is not a plain decimal number")
	}
	return RateFromDecimal(d)
}

// MustRate is ParseRate for constants; it panics on bad input.
func MustRate(s string) Rate {
	r, err := ParseRate(s)
	if err != nil {
		panic(err)
	}
	return r
}

// Percent reads a percentage: Percent("15") is the rate 0.15 and
// Percent("2.5") is 0.025. It is exact; no float is involved.
func Percent(p string) (Rate, error) {
	r, err := ParseRate(p)
	if err != nil {
		return Rate{}, err
	}
	return RateFromDecimal(r.Decimal().Shift(-2))
}

// MustPercent is Percent for constants; it panics on bad input.
func MustPercent(p string) Rate {
	r, err := Percent(p)
	if err != nil {
		panic(err)
	}
	return r
}

// RateFromDecimal returns d as a Rate, refusing negative values and values
// that need more than 18 decimal places or do not fit.
func RateFromDecimal(d decimal.Decimal) (Rate, error) {
	if d.Sign() < 0 {
		return Rate{}, fieldErr("Rate", d.String()+" is negative")
	}
	exp := int32(0)
	if d.Exponent() < 0 {
		exp = -d.Exponent()
	}
	coefDec := d.Shift(exp)
	// Drop trailing zeros so equal rates have one representation.
	for exp > 0 && coefDec.Mod(decimal.NewFromInt(10)).IsZero() {
		coefDec = coefDec.Shift(-1)
		exp--
	}
	if exp > maxRateExp {
		return Rate{}, fieldErr("Rate", d.String()+" has more than 18 decimal places")
	}
	bi := coefDec.BigInt()
	if !bi.IsInt64() {
		return Rate{}, fieldErr("Rate", d.String()+" is out of range")
	}
	return Rate{coef: bi.Int64(), exp: uint8(exp)}, nil
}

// Decimal returns the rate as an exact decimal.
func (r Rate) Decimal() decimal.Decimal { return decimal.New(r.coef, -int32(r.exp)) }

// IsZero reports whether the rate is 0.
func (r Rate) IsZero() bool { return r.coef == 0 }

// Equal reports whether two rates are the same number.
func (r Rate) Equal(o Rate) bool { return r == o }

// Cmp compares two rates: -1, 0 or +1.
func (r Rate) Cmp(o Rate) int { return r.Decimal().Cmp(o.Decimal()) }

// String formats the rate as a plain decimal: "0.15", "1", "0.025".
func (r Rate) String() string { return formatMinor(r.coef, int32(r.exp)) }

// PercentString formats the rate as a percentage: "15%", "2.5%".
func (r Rate) PercentString() string {
	return r.Decimal().Shift(2).String() + "%"
}

// Mul returns r×o, exactly, or an error when the product needs more than
// 18 decimal places. A bonus paid as a rate of a commission is such a
// product.
func (r Rate) Mul(o Rate) (Rate, error) {
	return RateFromDecimal(r.Decimal().Mul(o.Decimal()))
}

// MarshalJSON writes the rate as a JSON string, "0.15".
func (r Rate) MarshalJSON() ([]byte, error) { return json.Marshal(r.String()) }

// UnmarshalJSON reads a JSON string written by MarshalJSON.
func (r *Rate) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fieldErr("Rate", "must be a JSON string such as \"0.15\"")
	}
	v, err := ParseRate(s)
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// Format implements fmt.Formatter so %v and %s print the plain decimal.
func (r Rate) Format(f fmt.State, verb rune) { fmt.Fprint(f, r.String()) }
