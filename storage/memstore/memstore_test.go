package memstore_test

import (
	"testing"

	"github.com/openaffiliate/affiliate/storage/memstore"
	"github.com/openaffiliate/affiliate/storage/storagetest"
)

func TestConformance(t *testing.T) {
	storagetest.Run(t, func(*testing.T) storagetest.Store { return memstore.New() })
}

func BenchmarkStore(b *testing.B) {
	storagetest.RunBenchmarks(b, func(*testing.B) storagetest.Store { return memstore.New() })
}
