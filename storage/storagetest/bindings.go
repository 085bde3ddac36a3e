package storagetest

import "testing"

func runBindings(t *testing.T, newStore Factory) {
	runBindingCases(t, newStore)
}
