//go:build race

package commission_test

// raceEnabled reports a -race build; see fewerChecksUnderRace.
const raceEnabled = true
