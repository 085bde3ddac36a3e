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
