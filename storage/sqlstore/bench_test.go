package sqlstore_test

import (
	"testing"

	"github.com/openaffiliate/affiliate/storage/storagetest"
)

// BenchmarkStore runs the storage benchmark suite on each dialect (on
// PostgreSQL when AFFILIATE_TEST_POSTGRES is set).
func BenchmarkStore(b *testing.B) {
	for _, d := range dialects() {
		b.Run(d.name, func(b *testing.B) {
			storagetest.RunBenchmarks(b, func(b *testing.B) storagetest.Store {
				s, _ := d.open(b)
				return s
			})
		})
	}
}
