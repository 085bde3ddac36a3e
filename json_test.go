package affiliate_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
)

// TestMoneyJSONRoundTrip: the amount is a string at the currency's fixed
// scale, and reading it back gives the same Money and the same text.
func TestMoneyJSONRoundTrip(t *testing.T) {
	tests := []struct {
		money affiliate.Money
		want  string
	}{
		{eur("12.30"), `{"amount":"12.30","currency":"EUR"}`},
		{eur("12.3"), `{"amount":"12.30","currency":"EUR"}`},
		{eur("0"), `{"amount":"0.00","currency":"EUR"}`},
		{eur("-0.05"), `{"amount":"-0.05","currency":"EUR"}`},
		{jpy("1000"), `{"amount":"1000","currency":"JPY"}`},
		{jpy("-1"), `{"amount":"-1","currency":"JPY"}`},
		{kwd("1.234"), `{"amount":"1.234","currency":"KWD"}`},
		{affiliate.MustParseMoney("0.001", "BHD"), `{"amount":"0.001","currency":"BHD"}`},
		{affiliate.MustParseMoney("1", "CLF"), `{"amount":"1.0000","currency":"CLF"}`},
		{affiliate.MustMoney(math.MaxInt64, "USD"), `{"amount":"92233720368547758.07","currency":"USD"}`},
		{affiliate.MustMoney(-math.MaxInt64, "USD"), `{"amount":"-92233720368547758.07","currency":"USD"}`},
		{affiliate.Money{}, `null`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			b, err := json.Marshal(tt.money)
			if err != nil || string(b) != tt.want {
				t.Fatalf("Marshal(%v) = %s, %v; want %s", tt.money, b, err, tt.want)
			}
			var back affiliate.Money
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatalf("Unmarshal(%s): %v", b, err)
			}
			if back != tt.money {
				t.Errorf("Unmarshal(%s) = %v, want %v", b, back, tt.money)
			}
			if again, _ := json.Marshal(back); string(again) != tt.want {
				t.Errorf("second Marshal = %s, want %s: the scale drifted", again, tt.want)
			}
		})
	}
}

// TestMoneyJSONInStruct: Money as a field, including an empty optional one.
func TestMoneyJSONInStruct(t *testing.T) {
	type invoice struct {
		Total    affiliate.Money  `json:"total"`
		Discount affiliate.Money  `json:"discount"`
		Fee      *affiliate.Money `json:"fee,omitempty"`
		Rate     affiliate.Rate   `json:"rate"`
	}
	in := invoice{Total: eur("12.30"), Rate: affiliate.MustPercent("15")}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"total":{"amount":"12.30","currency":"EUR"},"discount":null,"rate":"0.15"}`
	if string(b) != want {
		t.Errorf("Marshal = %s, want %s", b, want)
	}
	var out invoice
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in, out); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestMoneyUnmarshalJSON(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		want      affiliate.Money
		wantField string
		wantErr   error
	}{
		{name: "canonical", in: `{"amount":"12.30","currency":"EUR"}`, want: eur("12.30")},
		{name: "short scale", in: `{"amount":"12.3","currency":"EUR"}`, want: eur("12.30")},
		{name: "keys reordered", in: `{"currency":"EUR","amount":"12.30"}`, want: eur("12.30")},
		{name: "whitespace", in: " {\n \"amount\" : \"12.30\" ,\t\"currency\" : \"EUR\" } ", want: eur("12.30")},
		{name: "extra field", in: `{"amount":"1","currency":"JPY","note":"x"}`, want: jpy("1")},
		{name: "negative", in: `{"amount":"-0.05","currency":"EUR"}`, want: eur("-0.05")},
		{name: "null", in: `null`, want: affiliate.Money{}},
		{name: "null with spaces", in: "  null\n", want: affiliate.Money{}},

		{name: "amount as a number", in: `{"amount":12.30,"currency":"EUR"}`, wantField: "Money.Amount"},
		{name: "amount as an integer", in: `{"amount":1000,"currency":"JPY"}`, wantField: "Money.Amount"},
		{name: "amount null", in: `{"amount":null,"currency":"EUR"}`, wantField: "Money.Amount"},
		{name: "amount missing", in: `{"currency":"EUR"}`, wantField: "Money.Amount"},
		{name: "too many decimals", in: `{"amount":"12.345","currency":"EUR"}`, wantField: "Money.Amount"},
		{name: "exponent", in: `{"amount":"1e3","currency":"EUR"}`, wantField: "Money.Amount"},
		{name: "out of range", in: `{"amount":"92233720368547758.08","currency":"EUR"}`, wantField: "Money.Amount", wantErr: affiliate.ErrOverflow},
		{name: "lower-case currency", in: `{"amount":"12.30","currency":"eur"}`, wantField: "Money.Currency"},
		{name: "currency with a space", in: `{"amount":"12.30","currency":"EUR "}`, wantField: "Money.Currency"},
		{name: "unknown currency", in: `{"amount":"12.30","currency":"XXX"}`, wantField: "Currency", wantErr: affiliate.ErrUnknownCurrency},
		{name: "currency missing", in: `{"amount":"12.30"}`, wantField: "Currency", wantErr: affiliate.ErrUnknownCurrency},
		{name: "currency as a number", in: `{"amount":"12.30","currency":978}`, wantField: "Money"},
		{name: "a string", in: `"12.30 EUR"`, wantField: "Money"},
		{name: "a number", in: `12.30`, wantField: "Money"},
		{name: "an array", in: `["12.30","EUR"]`, wantField: "Money"},
		{name: "not JSON", in: `{amount: 12.30}`, wantField: "Money"},
		{name: "empty", in: ``, wantField: "Money"},
		{name: "truncated", in: `{"amount":"12.30","currency":"EUR"`, wantField: "Money"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := usd("7.00")
			got := before
			err := got.UnmarshalJSON([]byte(tt.in))
			if tt.wantField != "" {
				var sentinels []error
				if tt.wantErr != nil {
					sentinels = append(sentinels, tt.wantErr)
				}
				wantFieldError(t, err, tt.wantField, sentinels...)
				if got != before {
					t.Errorf("a failed UnmarshalJSON changed the Money from %v to %v", before, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("UnmarshalJSON(%s): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("UnmarshalJSON(%s) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

// TestMoneyJSONEveryCurrency: every bundled currency writes its own scale
// and reads back, at the edges of the range.
func TestMoneyJSONEveryCurrency(t *testing.T) {
	for _, c := range affiliate.Currencies() {
		for _, minor := range []int64{0, 1, -1, 10, 1230, -5, math.MaxInt64, -math.MaxInt64} {
			checkMoneyJSON(t, affiliate.MustMoney(minor, c))
		}
	}
}

// TestMoneyJSONProperty: the round trip keeps value and scale for any
// amount in any bundled currency.
func TestMoneyJSONProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := genCurrency().Draw(t, "currency")
		checkMoneyJSON(t, genMoney(c).Draw(t, "money"))
	})
}

func checkMoneyJSON(t tb, m affiliate.Money) {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatalf("Marshal(%v): %v", m, err)
	}
	want := `{"amount":"` + m.AmountString() + `","currency":"` + string(m.Currency()) + `"}`
	if string(b) != want {
		t.Fatalf("Marshal(%v) = %s, want %s", m, b, want)
	}
	_, frac, hasDot := strings.Cut(m.AmountString(), ".")
	if scale := int(m.Currency().Scale()); len(frac) != scale || hasDot != (scale > 0) {
		t.Fatalf("%v: amount %q does not have %s's %d decimals", m, m.AmountString(), m.Currency(), scale)
	}
	var back affiliate.Money
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("Unmarshal(%s): %v", b, err)
	}
	if back != m {
		t.Fatalf("Unmarshal(%s) = %v, want %v", b, back, m)
	}
	if diff := cmp.Diff(m.Amount(), back.Amount(), strictDecimal); diff != "" {
		t.Fatalf("Amount() after the round trip (-want +got):\n%s", diff)
	}
	if again, _ := json.Marshal(back); string(again) != string(b) {
		t.Fatalf("second Marshal = %s, first %s", again, b)
	}
}
