package report

import (
	"encoding/json"

	"github.com/openaffiliate/affiliate"
	"github.com/shopspring/decimal"
)

// Ratio is a step of the funnel, Num out of Den, exact: rounding happens
// only when it is shown. Without a denominator it is not defined and
// shows "n/a", like every figure of the package that would divide by
// zero.
type Ratio struct {
	Num, Den int64
}

// Defined reports whether the ratio has a denominator.
func (r Ratio) Defined() bool { return r.Den > 0 }

// Over reports whether Num exceeds Den: the ratio passes 100%, or it
// counts something out of nothing. A funnel over a range of time can do
// both; the dashboard's Notes say why when it does.
func (r Ratio) Over() bool { return r.Num > r.Den }

// Percent returns the ratio in percent rounded to places decimals (half
// away from zero), or zero when it is not defined.
func (r Ratio) Percent(places int32) decimal.Decimal {
	if !r.Defined() {
		return decimal.Zero
	}
	return decimal.New(r.Num, 2).DivRound(decimal.New(r.Den, 0), places)
}

// String formats the ratio as a percentage with one decimal ("12.5%"), or
// "n/a" without a denominator.
func (r Ratio) String() string {
	if !r.Defined() {
		return "n/a"
	}
	return r.Percent(1).StringFixed(1) + "%"
}

// MarshalJSON writes {"num":3,"den":8,"percent":"37.5"}; percent is null
// when the ratio is not defined.
func (r Ratio) MarshalJSON() ([]byte, error) {
	v := struct {
		Num     int64   `json:"num"`
		Den     int64   `json:"den"`
		Percent *string `json:"percent"`
	}{Num: r.Num, Den: r.Den}
	if r.Defined() {
		p := r.Percent(1).StringFixed(1)
		v.Percent = &p
	}
	return json.Marshal(v)
}

// Average is a money total shared over a count, such as earnings per
// touch. Without a count it is not defined and shows "n/a", as a Ratio
// does.
type Average struct {
	Total affiliate.Money
	Count int64
}

// Defined reports whether the average has a count and a total (the zero
// Money has no currency, so nothing to divide).
func (a Average) Defined() bool { return a.Count > 0 && a.Total.Currency() != "" }

// Value returns Total over Count rounded half to even at the currency's
// minor unit (the figure's one rounding point), and false when the
// average is not defined.
func (a Average) Value() (affiliate.Money, bool) {
	if !a.Defined() {
		return affiliate.Money{}, false
	}
	return affiliate.MustMoney(divHalfEven(a.Total.Minor(), a.Count), a.Total.Currency()), true
}

// String formats the value as an amount ("3.75"), or "n/a".
func (a Average) String() string {
	v, ok := a.Value()
	if !ok {
		return "n/a"
	}
	return v.AmountString()
}

// MarshalJSON writes the value as Money writes it, or null when the
// average is not defined.
func (a Average) MarshalJSON() ([]byte, error) {
	v, ok := a.Value()
	if !ok {
		return []byte("null"), nil
	}
	return json.Marshal(v)
}

// divHalfEven returns n/d rounded half to even, for d > 0.
func divHalfEven(n, d int64) int64 {
	q, r := n/d, n%d
	if r == 0 {
		return q
	}
	if r < 0 {
		r = -r
	}
	// Compare 2r with d without overflow: r < d, so d-r > 0.
	switch {
	case r > d-r:
		if n < 0 {
			return q - 1
		}
		return q + 1
	case r == d-r && q%2 != 0:
		if n < 0 {
			return q - 1
		}
		return q + 1
	}
	return q
}
