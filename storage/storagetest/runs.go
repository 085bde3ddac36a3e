package storagetest

import (
	"io"
	"testing"

	"pgregory.net/rapid"
)

// checkRuns is rapid.Check with a fresh store for every run. A store that
// is an io.Closer is closed when its run ends, so that a property's 100
// runs do not hold 100 databases and their connections open until the
// property ends (see Factory).
func checkRuns[S any](t *testing.T, newStore Factory[S], prop func(rt *rapid.T, s S)) {
	t.Helper()
	rapid.Check(t, func(rt *rapid.T) {
		s := newStore(t)
		if c, ok := any(s).(io.Closer); ok {
			rt.Cleanup(func() {
				if err := c.Close(); err != nil {
					t.Errorf("closing a run's store: %v", err)
				}
			})
		}
		prop(rt, s)
	})
}
