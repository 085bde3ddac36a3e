package affiliate

import "testing"

// TestScalesMatchTheTable checks the array Scale reads against the ISO
// table for every three-letter code: none missing, none invented.
func TestScalesMatchTheTable(t *testing.T) {
	seen := 0
	for a := byte('A'); a <= 'Z'; a++ {
		for b := byte('A'); b <= 'Z'; b++ {
			for c := byte('A'); c <= 'Z'; c++ {
				code := Currency([]byte{a, b, c})
				want, ok := minorUnits[code]
				if !ok {
					want = -1
				} else {
					seen++
				}
				if got := code.Scale(); got != want {
					t.Errorf("%s.Scale() = %d, want %d", code, got, want)
				}
				if err := code.Validate(); (err == nil) != ok {
					t.Errorf("%s.Validate() = %v, want valid %v", code, err, ok)
				}
			}
		}
	}
	if seen != len(minorUnits) {
		t.Errorf("checked %d codes of the table's %d", seen, len(minorUnits))
	}
}

// TestScaleOfEveryTriple checks Scale on every three bytes against the
// table: a test only around known codes misses a bound one off in the
// second or third place ("A[M" read as BAM).
func TestScaleOfEveryTriple(t *testing.T) {
	b := make([]byte, 3)
	for x := range 1 << 24 {
		b[0], b[1], b[2] = byte(x>>16), byte(x>>8), byte(x)
		want := int32(-1)
		if s, known := minorUnits[Currency(b)]; known {
			want = int32(s)
		}
		if got := Currency(b).Scale(); got != want {
			t.Fatalf("%q.Scale() = %d, want %d", b, got, want)
		}
	}
}
