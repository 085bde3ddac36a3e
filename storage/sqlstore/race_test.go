//go:build race

package sqlstore_test

// raceEnabled reports a -race build; see TestMain.
const raceEnabled = true
