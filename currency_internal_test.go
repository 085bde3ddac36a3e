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
	// Any byte but a capital letter, in any place of a known code, makes
	// it unknown.
	for pos := range 3 {
		for x := range 256 {
			if x >= 'A' && x <= 'Z' {
				continue
			}
			code := []byte("EUR")
			code[pos] = byte(x)
			if got := Currency(code).Scale(); got != -1 {
				t.Errorf("%q.Scale() = %d, want -1", code, got)
			}
		}
	}
}
