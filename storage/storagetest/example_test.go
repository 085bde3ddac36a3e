package storagetest_test

import (
	"fmt"
	"testing"

	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
	"github.com/openaffiliate/affiliate/storage/storagetest"
)

// A host's test hands Run a factory of its whole store, or a concern's
// runner a factory of that concern; a store missing a method does not
// compile against it. (In a test: storagetest.Run(t, all).)
func Example() {
	all := func(*testing.T) storagetest.Store { return memstore.New() }
	bindingsOnly := func(*testing.T) storage.Bindings { return memstore.New() }
	var _ storagetest.Factory[storagetest.Store] = all
	var _ storagetest.Factory[storage.Bindings] = bindingsOnly
	fmt.Println("storagetest.Run(t, all); storagetest.RunBindings(t, bindingsOnly)")
	// Output:
	// storagetest.Run(t, all); storagetest.RunBindings(t, bindingsOnly)
}
