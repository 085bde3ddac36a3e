package affiliate_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
)

func TestParseRate(t *testing.T) {
	tests := []struct {
		in      string
		want    string // String() of the result; "" means an error
		wantDec decimal.Decimal
	}{
		{in: "0.15", want: "0.15", wantDec: decimal.New(15, -2)},
		{in: "0.150", want: "0.15", wantDec: decimal.New(15, -2)},
		{in: "0.1500000000", want: "0.15", wantDec: decimal.New(15, -2)},
		{in: "15", want: "15", wantDec: decimal.New(15, 0)},
		{in: "15.00", want: "15", wantDec: decimal.New(15, 0)},
		{in: "1", want: "1", wantDec: decimal.New(1, 0)},
		{in: "0", want: "0", wantDec: decimal.New(0, 0)},
		{in: "0.000", want: "0", wantDec: decimal.New(0, 0)},
		{in: "1.0837", want: "1.0837", wantDec: decimal.New(10837, -4)},
		{in: "100", want: "100", wantDec: decimal.New(100, 0)},
		{in: "0.000000000000000001", want: "0.000000000000000001", wantDec: decimal.New(1, -18)},
		// 19 places written, 1 meant: normalisation comes before the limit.
		{in: "0.1000000000000000000", want: "0.1", wantDec: decimal.New(1, -1)},
		{in: "9223372036854775807", want: "9223372036854775807", wantDec: decimal.New(9223372036854775807, 0)},
		{in: "9.223372036854775807", want: "9.223372036854775807", wantDec: decimal.New(9223372036854775807, -18)},

		{in: ""},
		{in: "0.0000000000000000001"},  // 19 places
		{in: "9223372036854775808"},    // coefficient out of range
		{in: "100.000000000000000001"}, // 18 places, coefficient out of range
		{in: "-0.15"},
		{in: "-1"},
		{in: "1e2"},
		{in: "1E2"},
		{in: "1.5e-2"},
		{in: "+1"},
		{in: " 1"},
		{in: "1 "},
		{in: "1_0"},
		{in: "abc"},
		{in: "0x1"},
		{in: "1.2.3"},
		{in: "15%"},
		{in: "NaN"},
		{in: "Inf"},
		{in: "0." + strings.Repeat("1", 39)}, // 41 characters
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := affiliate.ParseRate(tt.in)
			if tt.want == "" {
				wantFieldError(t, err, "Rate")
				if got != (affiliate.Rate{}) {
					t.Errorf("ParseRate(%q) returned %v with its error, want the zero Rate", tt.in, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseRate(%q): %v", tt.in, err)
			}
			if got.String() != tt.want {
				t.Errorf("ParseRate(%q).String() = %q, want %q", tt.in, got.String(), tt.want)
			}
			if !got.Decimal().Equal(tt.wantDec) {
				t.Errorf("ParseRate(%q).Decimal() = %s, want %s", tt.in, got.Decimal(), tt.wantDec)
			}
			if again := affiliate.MustRate(got.String()); again != got {
				t.Errorf("ParseRate(%q) does not survive String: %v then %v", tt.in, got, again)
			}
		})
	}
}

func TestRateNormalises(t *testing.T) {
	a, b := affiliate.MustRate("0.150"), affiliate.MustRate("0.15")
	if a != b || !a.Equal(b) || a.Cmp(b) != 0 {
		t.Errorf(`"0.150" and "0.15": ==: %t, Equal: %t, Cmp: %d; want the same Rate`, a == b, a.Equal(b), a.Cmp(b))
	}
	if diff := cmp.Diff(b, a); diff != "" {
		t.Errorf("cmp.Diff (-0.15 +0.150):\n%s", diff)
	}
	fromDec, err := affiliate.RateFromDecimal(decimal.New(1500, -4))
	if err != nil || fromDec != b {
		t.Errorf("RateFromDecimal(0.1500) = %v, %v; want the same Rate as 0.15", fromDec, err)
	}
	if p := affiliate.MustPercent("15"); p != b {
		t.Errorf(`Percent("15") = %v, not the same Rate as "0.15"`, p)
	}
}

func TestRateFromDecimal(t *testing.T) {
	tests := []struct {
		name string
		in   decimal.Decimal
		want string // "" means an error
	}{
		{"scaled", decimal.New(150, -3), "0.15"},
		{"positive exponent", decimal.New(15, 1), "150"},
		{"zero with exponent", decimal.New(0, -5), "0"},
		{"zero with positive exponent", decimal.New(0, 5), "0"},
		{"18 places", decimal.New(1, -18), "0.000000000000000001"},
		{"negative", decimal.New(-1, -2), ""},
		{"19 places", decimal.New(1, -19), ""},
		{"too large", decimal.New(9223372036854775807, 1), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := affiliate.RateFromDecimal(tt.in)
			if tt.want == "" {
				wantFieldError(t, err, "Rate")
				return
			}
			if err != nil || got.String() != tt.want {
				t.Errorf("RateFromDecimal(%s) = %v, %v; want %s", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestPercent(t *testing.T) {
	tests := []struct {
		in          string
		want        string // the rate; "" means an error
		wantPercent string
	}{
		{"15", "0.15", "15%"},
		{"15.0", "0.15", "15%"},
		{"2.5", "0.025", "2.5%"},
		{"5", "0.05", "5%"},
		{"30", "0.3", "30%"},
		{"50", "0.5", "50%"},
		{"100", "1", "100%"},
		{"150", "1.5", "150%"},
		{"0", "0", "0%"},
		{"0.0000000000000001", "0.000000000000000001", "0.0000000000000001%"},
		{"33.333333", "0.33333333", "33.333333%"},
		{"0.00000000000000001", "", ""}, // 19 places once a percentage
		{"-5", "", ""},
		{"15%", "", ""},
		{"1e1", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := affiliate.Percent(tt.in)
			if tt.want == "" {
				wantFieldError(t, err, "Rate")
				return
			}
			if err != nil {
				t.Fatalf("Percent(%q): %v", tt.in, err)
			}
			if got.String() != tt.want {
				t.Errorf("Percent(%q) = %s, want %s", tt.in, got, tt.want)
			}
			if got.PercentString() != tt.wantPercent {
				t.Errorf("Percent(%q).PercentString() = %q, want %q", tt.in, got.PercentString(), tt.wantPercent)
			}
			back, err := affiliate.Percent(strings.TrimSuffix(got.PercentString(), "%"))
			if err != nil || back != got {
				t.Errorf("Percent(PercentString()) = %v, %v; want %v", back, err, got)
			}
		})
	}
}

func TestMustRateAndMustPercent(t *testing.T) {
	if got := affiliate.MustRate("0.15"); got.String() != "0.15" {
		t.Errorf("MustRate = %v", got)
	}
	if got := affiliate.MustPercent("15"); got.String() != "0.15" {
		t.Errorf("MustPercent = %v", got)
	}
	wantPanic(t, "MustRate(-1)", func() { affiliate.MustRate("-1") })
	wantPanic(t, "MustPercent(abc)", func() { affiliate.MustPercent("abc") })
}

func TestRateMethods(t *testing.T) {
	var zero affiliate.Rate
	if !zero.IsZero() || zero.String() != "0" || !zero.Decimal().IsZero() {
		t.Errorf("zero Rate: IsZero %t, String %q, Decimal %s; want the rate 0", zero.IsZero(), zero.String(), zero.Decimal())
	}
	if zero != affiliate.MustRate("0") {
		t.Error(`the zero Rate is not ParseRate("0")`)
	}
	if affiliate.MustRate("0.01").IsZero() {
		t.Error("0.01 IsZero")
	}

	cmps := []struct {
		a, b string
		want int
	}{
		{"0.15", "0.2", -1},
		{"0.2", "0.15", 1},
		{"0.150", "0.15", 0},
		{"1", "0.999999999999999999", 1},
		{"0", "0.000000000000000001", -1},
		{"10", "9.99", 1},
	}
	for _, tt := range cmps {
		if got := affiliate.MustRate(tt.a).Cmp(affiliate.MustRate(tt.b)); got != tt.want {
			t.Errorf("%s.Cmp(%s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := affiliate.MustRate(tt.a).Equal(affiliate.MustRate(tt.b)); got != (tt.want == 0) {
			t.Errorf("%s.Equal(%s) = %t", tt.a, tt.b, got)
		}
	}

	r := affiliate.MustRate("0.025")
	for _, verb := range []string{"%v", "%s"} {
		if got := fmt.Sprintf(verb, r); got != "0.025" {
			t.Errorf("Sprintf(%q, 0.025) = %q", verb, got)
		}
	}
}

func TestRateMul(t *testing.T) {
	tests := []struct {
		a, b string
		want string // "" means an error
	}{
		{"0.15", "0.05", "0.0075"}, // a 5% bonus on a 15% commission
		{"0.3", "1", "0.3"},
		{"0.5", "0.2", "0.1"},
		{"0", "0.15", "0"},
		{"1.0837", "161.235", "174.7303695"},
		{"0.000000001", "0.000000001", "0.000000000000000001"},
		{"0.000000001", "0.0000000001", ""}, // 19 places
		{"9223372036854775807", "2", ""},    // out of range
	}
	for _, tt := range tests {
		got, err := affiliate.MustRate(tt.a).Mul(affiliate.MustRate(tt.b))
		if tt.want == "" {
			wantFieldError(t, err, "Rate")
			continue
		}
		if err != nil || got.String() != tt.want {
			t.Errorf("%s × %s = %v, %v; want %s", tt.a, tt.b, got, err, tt.want)
		}
	}
}

func TestRateJSON(t *testing.T) {
	b, err := json.Marshal(affiliate.MustRate("0.150"))
	if err != nil || string(b) != `"0.15"` {
		t.Errorf("Marshal(0.150) = %s, %v; want \"0.15\"", b, err)
	}
	tests := []struct {
		in   string
		want string // "" means an error
	}{
		{`"0.15"`, "0.15"},
		{`"0.150"`, "0.15"},
		{`"1"`, "1"},
		{`0.15`, ""}, // a JSON number may have been a float
		{`"-0.15"`, ""},
		{`"1e2"`, ""},
		{`null`, ""},
		{`{}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			before := affiliate.MustRate("0.3")
			got := before
			err := json.Unmarshal([]byte(tt.in), &got)
			if tt.want == "" {
				wantFieldError(t, err, "Rate")
				if got != before {
					t.Errorf("a failed Unmarshal changed the Rate from %v to %v", before, got)
				}
				return
			}
			if err != nil || got.String() != tt.want {
				t.Errorf("Unmarshal(%s) = %v, %v; want %s", tt.in, got, err, tt.want)
			}
		})
	}
}

// TestRateProperties: normalisation makes equal rates identical, and
// String, JSON and Percent all round-trip.
func TestRateProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := genRate().Draw(t, "rate")
		zeros := rapid.Int32Range(0, 5).Draw(t, "extra zeros")

		// the same number written with more trailing zeros
		longer := r.String()
		if !strings.Contains(longer, ".") && zeros > 0 {
			longer += "."
		}
		longer += strings.Repeat("0", int(zeros))
		if got, err := affiliate.ParseRate(longer); err != nil && len(longer) <= 40 {
			t.Fatalf("ParseRate(%q): %v", longer, err)
		} else if err == nil && got != r {
			t.Fatalf("ParseRate(%q) = %v, want %v (same number, same Rate)", longer, got, r)
		}

		if got, err := affiliate.ParseRate(r.String()); err != nil || got != r {
			t.Fatalf("ParseRate(%q) = %v, %v; want %v", r.String(), got, err, r)
		}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("Marshal(%v): %v", r, err)
		}
		var back affiliate.Rate
		if err := json.Unmarshal(b, &back); err != nil || back != r {
			t.Fatalf("JSON %s = %v, %v; want %v", b, back, err, r)
		}
		if r.Decimal().Sign() < 0 {
			t.Fatalf("%v is negative", r)
		}
	})
}
