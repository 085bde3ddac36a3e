package affiliate_test

import (
	"slices"
	"testing"

	"github.com/openaffiliate/affiliate"
)

func TestParseCurrency(t *testing.T) {
	tests := []struct {
		in   string
		want affiliate.Currency // "" means an error
	}{
		{"EUR", "EUR"},
		{"eur", "EUR"}, // as Stripe sends it
		{"Eur", "EUR"},
		{" jpy ", "JPY"},
		{"kwd", "KWD"},
		{"", ""},
		{"XXX", ""},
		{"EURO", ""},
		{"EU", ""},
		{"€", ""},
		{"E U R", ""},
	}
	for _, tt := range tests {
		got, err := affiliate.ParseCurrency(tt.in)
		if tt.want == "" {
			wantFieldError(t, err, "Currency", affiliate.ErrUnknownCurrency)
			if got != "" {
				t.Errorf("ParseCurrency(%q) returned %q with its error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseCurrency(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestCurrencyScale(t *testing.T) {
	tests := []struct {
		c    affiliate.Currency
		want int32
	}{
		{"EUR", 2}, {"USD", 2}, {"GBP", 2}, {"CHF", 2}, {"SEK", 2},
		{"JPY", 0}, {"KRW", 0}, {"CLP", 0}, {"VND", 0}, {"ISK", 0},
		{"KWD", 3}, {"BHD", 3}, {"JOD", 3}, {"OMR", 3}, {"TND", 3},
		{"CLF", 4}, {"UYW", 4},
		{"XXX", -1}, {"", -1}, {"eur", -1}, {"EU", -1}, {"EURO", -1},
		{"@UR", -1}, {"[UR", -1}, {"EU\x00", -1}, {"ÉUR", -1},
	}
	for _, tt := range tests {
		if got := tt.c.Scale(); got != tt.want {
			t.Errorf("%q.Scale() = %d, want %d", tt.c, got, tt.want)
		}
	}
}

func TestCurrencies(t *testing.T) {
	cs := affiliate.Currencies()
	if len(cs) < 100 {
		t.Errorf("Currencies() lists %d codes, want the common ones (at least 100)", len(cs))
	}
	if !slices.IsSorted(cs) {
		t.Error("Currencies() is not sorted")
	}
	if len(slices.Compact(slices.Clone(cs))) != len(cs) {
		t.Error("Currencies() lists a code twice")
	}
	for _, c := range cs {
		if len(c) != 3 || c.Scale() < 0 || c.Scale() > 4 {
			t.Errorf("%q: scale %d", c, c.Scale())
		}
		for _, r := range c {
			if r < 'A' || r > 'Z' {
				t.Errorf("%q is not three upper-case letters", c)
			}
		}
	}
	// a caller that edits the slice changes nothing the package holds
	cs[0] = "ZZZ"
	if affiliate.Currencies()[0] == "ZZZ" {
		t.Error("Currencies() returns the package's own slice")
	}
}
