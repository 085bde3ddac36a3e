package sqlstore_test

import (
	"testing"

	"github.com/openaffiliate/affiliate/storage/storagetest"
)

// TestConformance runs the storage conformance suite on each dialect: on
// SQLite always, on PostgreSQL when AFFILIATE_TEST_POSTGRES is set.
func TestConformance(t *testing.T) {
	for _, d := range dialects() {
		t.Run(d.name, func(t *testing.T) {
			// The dialects share nothing; PostgreSQL's work is mostly in
			// the server, so the two overlap well even on two cores.
			t.Parallel()
			storagetest.Run(t, func(t *testing.T) storagetest.Store {
				s, release := d.openRelease(t)
				return releasable{s, release}
			})
		})
	}
}
