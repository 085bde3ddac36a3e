package affiliate

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
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

// ParseRate reads a plain decimal string such as "0.15", "1" or
// "1.0837": digits, optionally a point and more digits. Signs, exponents,
// spaces, a bare point (".5", "5.") and more than 18 significant decimal
// places are refused with a *FieldError matching ErrInvalid. It parses
// the text itself, so no setting of the decimal package affects it.
func ParseRate(s string) (Rate, error) {
	intPart, fracPart, hasDot := strings.Cut(s, ".")
	if len(s) > 40 || intPart == "" || (hasDot && fracPart == "") || !allDigits(intPart) || !allDigits(fracPart) {
		return Rate{}, fieldErr("Rate", quote(s)+" is not a plain decimal number")
	}
	fracPart = strings.TrimRight(fracPart, "0")
	if len(fracPart) > maxRateExp {
		return Rate{}, fieldErr("Rate", quote(s)+" has more than 18 decimal places")
	}
	var coef uint64
	for _, part := range []string{intPart, fracPart} {
		for i := 0; i < len(part); i++ {
			d := uint64(part[i] - '0')
			if coef > (math.MaxInt64-d)/10 {
				return Rate{}, fieldErr("Rate", quote(s)+" is out of range")
			}
			coef = coef*10 + d
		}
	}
	return Rate{coef: int64(coef), exp: uint8(len(fracPart))}, nil
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
	if r.exp+2 > maxRateExp {
		return Rate{}, fieldErr("Rate", quote(p)+"% has more than 18 decimal places as a rate")
	}
	return normalRate(r.coef, r.exp+2), nil
}

// normalRate drops trailing zeros so that equal rates have equal bits.
func normalRate(coef int64, exp uint8) Rate {
	for exp > 0 && coef%10 == 0 {
		coef /= 10
		exp--
	}
	return Rate{coef: coef, exp: exp}
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
		return Rate{}, fieldErr("Rate", exactString(d)+" is negative")
	}
	exp := int32(0)
	if d.Exponent() < 0 {
		exp = -d.Exponent()
	}
	// Shift by the exponent gives an integer; trailing zeros go below.
	coefDec := d.Shift(exp)
	if exp > maxRateExp+18 {
		return Rate{}, fieldErr("Rate", exactString(d)+" has more than 18 decimal places")
	}
	bi := coefDec.BigInt()
	ten := big.NewInt(10)
	rem := new(big.Int)
	for exp > 0 {
		q, r := new(big.Int).QuoRem(bi, ten, rem)
		if r.Sign() != 0 {
			break
		}
		bi = q
		exp--
	}
	if exp > maxRateExp {
		return Rate{}, fieldErr("Rate", exactString(d)+" has more than 18 decimal places")
	}
	if !bi.IsInt64() {
		return Rate{}, fieldErr("Rate", exactString(d)+" is out of range")
	}
	return Rate{coef: bi.Int64(), exp: uint8(exp)}, nil
}

// exactString formats d in plain notation with all its digits, without
// reading the decimal package's formatting settings.
func exactString(d decimal.Decimal) string {
	places := int32(0)
	if d.Exponent() < 0 {
		places = -d.Exponent()
	}
	return d.StringFixed(places)
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

// AppendString appends r.String() to b.
func (r Rate) AppendString(b []byte) []byte { return appendMinor(b, r.coef, int32(r.exp)) }

// PercentString formats the rate as a percentage: "15%", "2.5%", "150%".
func (r Rate) PercentString() string {
	if r.coef == 0 {
		return "0%"
	}
	if r.exp >= 2 {
		return normalRate(r.coef, r.exp-2).String() + "%"
	}
	return strconv.FormatInt(r.coef, 10) + strings.Repeat("0", 2-int(r.exp)) + "%"
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
