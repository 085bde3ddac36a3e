package memstore_test

import (
	"testing"

	"github.com/openaffiliate/affiliate/storage/memstore"
	"github.com/openaffiliate/affiliate/storage/storagetest"
)

func TestLists(t *testing.T) {
	storagetest.RunLists(t, func(*testing.T) storagetest.ListStore { return memstore.New() })
}
