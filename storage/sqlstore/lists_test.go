package sqlstore_test

import (
	"testing"

	"github.com/openaffiliate/affiliate/storage/storagetest"
)

// TestLists runs the optional list reads' cases on each dialect.
func TestLists(t *testing.T) {
	for _, d := range dialects() {
		t.Run(d.name, func(t *testing.T) {
			storagetest.RunLists(t, func(t *testing.T) storagetest.ListStore {
				s, _ := d.open(t)
				return s
			})
		})
	}
}
