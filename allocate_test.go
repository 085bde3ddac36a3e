package affiliate_test

import (
	"math"
	"math/big"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
)

func TestAllocate(t *testing.T) {
	const max = math.MaxInt64
	tests := []struct {
		name    string
		money   affiliate.Money
		weights []decimal.Decimal
		want    []int64
	}{
		{"three ways", eur("100.00"), decs("1", "1", "1"), []int64{3334, 3333, 3333}},
		{"three ways negative", eur("-100.00"), decs("1", "1", "1"), []int64{-3334, -3333, -3333}},
		{"two leftover units go to the first two", eur("0.05"), decs("1", "1", "1"), []int64{2, 2, 1}},
		{"one unit, equal weights: first position wins", eur("0.01"), decs("1", "1"), []int64{1, 0}},
		{"one unit, equal weights, negative", eur("-0.01"), decs("1", "1"), []int64{-1, 0}},
		{"largest remainder beats position", eur("0.10"), decs("1", "2"), []int64{3, 7}},
		{"largest remainder beats position, JPY", jpy("100"), decs("1", "2"), []int64{33, 67}},
		{"exact", eur("10.00"), decs("0.7", "0.3"), []int64{700, 300}},
		{"weights of mixed scale", eur("10.00"), decs("0.5", "1", "1.25"), []int64{182, 364, 454}}, // 181.8, 363.6, 454.5
		{"zero weight gets nothing", eur("1.00"), decs("0", "1"), []int64{0, 100}},
		{"zero weight even with leftovers", eur("0.05"), decs("1", "0", "1"), []int64{3, 0, 2}},
		{"zero amount", eur("0"), decs("1", "1"), []int64{0, 0}},
		{"one weight", eur("12.34"), decs("7"), []int64{1234}},
		{"KWD three ways", kwd("1"), decs("1", "1", "1"), []int64{334, 333, 333}},
		{"percent weights: largest remainders win", eur("19.99"), decs("50", "30", "20"), []int64{999, 600, 400}}, // 999.5, 599.7, 399.8
		{"largest amount halved", affiliate.MustMoney(max, "EUR"), decs("1", "1"), []int64{max/2 + 1, max / 2}},
		{"most negative amount halved", affiliate.MustMoney(-max, "EUR"), decs("1", "1"), []int64{-max/2 - 1, -max / 2}},
		{"largest amount, tiny weight", affiliate.MustMoney(max, "JPY"), decs("0.000000000000000000001", "1"), []int64{0, max}},
		{"weights with a positive exponent", eur("1.00"), []decimal.Decimal{decimal.New(1, 3), decimal.New(3, 3)}, []int64{25, 75}},
		{"many parts", eur("0.07"), decs("1", "1", "1", "1", "1", "1", "1", "1", "1", "1"), []int64{1, 1, 1, 1, 1, 1, 1, 0, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.money.Allocate(tt.weights...)
			if err != nil {
				t.Fatalf("Allocate: %v", err)
			}
			if diff := cmp.Diff(tt.want, minors(got)); diff != "" {
				t.Errorf("%v.Allocate(%v) mismatch (-want +got minor units):\n%s", tt.money, tt.weights, diff)
			}
			for i, p := range got {
				if p.Currency() != tt.money.Currency() {
					t.Errorf("part %d is in %s, want %s", i, p.Currency(), tt.money.Currency())
				}
			}
		})
	}
}

func TestAllocateErrors(t *testing.T) {
	tests := []struct {
		name    string
		weights []decimal.Decimal
	}{
		{"no weights", nil},
		{"negative weight", decs("1", "-1", "1")},
		{"all zero", decs("0", "0")},
		{"zero with scale", decs("0.00")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := eur("100").Allocate(tt.weights...)
			wantFieldError(t, err, "Allocate.weights")
			if got != nil {
				t.Errorf("Allocate returned %v with its error, want nil", got)
			}
		})
	}
}

// genWeights draws 1–12 non-negative weights of mixed scales, at least one
// of them positive.
func genWeights() *rapid.Generator[[]decimal.Decimal] {
	w := rapid.Custom(func(t *rapid.T) decimal.Decimal {
		coef := rapid.OneOf(
			rapid.Int64Range(0, 10),
			rapid.Int64Range(0, 1_000_000),
			rapid.Int64Range(0, math.MaxInt64),
		).Draw(t, "coef")
		return decimal.New(coef, -rapid.Int32Range(0, 8).Draw(t, "scale"))
	})
	return rapid.SliceOfN(w, 1, 12).Filter(func(ws []decimal.Decimal) bool {
		return slices.ContainsFunc(ws, func(d decimal.Decimal) bool { return d.Sign() > 0 })
	})
}

// TestAllocateProperties: for any amount and weights, the parts sum
// exactly to the amount, each lies within one minor unit of its exact
// share (computed with big.Rat), larger weights never get less, equal
// weights favour the earlier position, and the result is deterministic.
func TestAllocateProperties(t *testing.T) {
	rapid.Check(t, checkAllocate)
}

func checkAllocate(t *rapid.T) {
	c := genCurrency().Draw(t, "currency")
	m := genMoney(c).Draw(t, "money")
	ws := genWeights().Draw(t, "weights")

	parts, err := m.Allocate(ws...)
	if err != nil {
		t.Fatalf("%v.Allocate(%v): %v", m, ws, err)
	}
	if len(parts) != len(ws) {
		t.Fatalf("%d parts for %d weights", len(parts), len(ws))
	}

	total := new(big.Rat)
	for _, w := range ws {
		total.Add(total, ratOf(w))
	}
	sum := new(big.Int)
	for i, p := range parts {
		if p.Currency() != c {
			t.Fatalf("part %d is in %s, want %s", i, p.Currency(), c)
		}
		sum.Add(sum, big.NewInt(p.Minor()))
		share := new(big.Rat).Mul(new(big.Rat).SetInt64(m.Minor()), new(big.Rat).Quo(ratOf(ws[i]), total))
		off := new(big.Rat).Sub(new(big.Rat).SetInt64(p.Minor()), share)
		if off.Abs(off).Cmp(big.NewRat(1, 1)) >= 0 {
			t.Fatalf("part %d = %d minor units, exact share %s: not within one unit", i, p.Minor(), share.FloatString(4))
		}
		if p.Sign() != 0 && p.Sign() != m.Sign() {
			t.Fatalf("part %d = %v has the wrong sign for %v", i, p, m)
		}
	}
	if !sum.IsInt64() || sum.Int64() != m.Minor() {
		t.Fatalf("parts %v sum to %s, want %d", minors(parts), sum, m.Minor())
	}

	// Larger weights never get a smaller part; equal weights favour the
	// earlier position.
	for i := range ws {
		for j := i + 1; j < len(ws); j++ {
			pi, pj := parts[i].Abs().Minor(), parts[j].Abs().Minor()
			switch ws[i].Cmp(ws[j]) {
			case 0:
				if pi < pj || pi-pj > 1 {
					t.Fatalf("equal weights %d and %d got %d and %d: want the earlier one to get the extra unit", i, j, pi, pj)
				}
			case 1:
				if pi < pj {
					t.Fatalf("weight %d (%s) > weight %d (%s) but part %d < %d", i, ws[i], j, ws[j], pi, pj)
				}
			case -1:
				if pi > pj {
					t.Fatalf("weight %d (%s) < weight %d (%s) but part %d > %d", i, ws[i], j, ws[j], pi, pj)
				}
			}
		}
	}

	again, err := m.Allocate(ws...)
	if err != nil || !slices.Equal(again, parts) {
		t.Fatalf("second Allocate = %v, %v; first gave %v", minors(again), err, minors(parts))
	}

	// The split depends on the weights' ratios, not how they are written.
	scaled := make([]decimal.Decimal, len(ws))
	for i, w := range ws {
		scaled[i] = w.Shift(3)
	}
	if got, err := m.Allocate(scaled...); err != nil || !slices.Equal(got, parts) {
		t.Fatalf("weights ×1000 gave %v, %v; want %v", minors(got), err, minors(parts))
	}

	// Negating the amount negates every part.
	negParts, err := m.Neg().Allocate(ws...)
	if err != nil {
		t.Fatalf("%v.Allocate: %v", m.Neg(), err)
	}
	for i := range parts {
		if negParts[i] != parts[i].Neg() {
			t.Fatalf("-amount part %d = %v, want %v", i, negParts[i], parts[i].Neg())
		}
	}
}

// TestAllocateEqualWeightsProperty: n equal weights split an amount into
// parts that differ by at most one unit, the larger ones first.
func TestAllocateEqualWeightsProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := genMoney("EUR").Draw(t, "money")
		n := rapid.IntRange(1, 20).Draw(t, "n")
		w := decimal.New(rapid.Int64Range(1, 1_000_000).Draw(t, "weight"), -rapid.Int32Range(0, 6).Draw(t, "scale"))
		parts, err := m.Allocate(slices.Repeat([]decimal.Decimal{w}, n)...)
		if err != nil {
			t.Fatalf("Allocate: %v", err)
		}
		q, r := m.Abs().Minor()/int64(n), m.Abs().Minor()%int64(n)
		for i, p := range parts {
			want := q
			if int64(i) < r {
				want++
			}
			if p.Abs().Minor() != want {
				t.Fatalf("%v in %d equal parts: part %d = %v, want magnitude %d (parts %v)", m, n, i, p, want, minors(parts))
			}
		}
	})
}
