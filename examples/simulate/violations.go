package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
)

// maxKept is how many violation messages a Violations keeps; the rest are
// counted.
const maxKept = 20

// Violations collects broken invariants: a count per invariant and the
// first messages, in the order found. It is safe for concurrent use.
type Violations struct {
	mu     sync.Mutex
	counts map[string]int
	first  []string
}

// Add records one violation of invariant.
func (v *Violations) Add(invariant, format string, args ...any) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.counts == nil {
		v.counts = map[string]int{}
	}
	v.counts[invariant]++
	if len(v.first) < maxKept {
		v.first = append(v.first, invariant+": "+fmt.Sprintf(format, args...))
	}
}

// Count returns the number of violations recorded.
func (v *Violations) Count() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	n := 0
	for _, c := range v.counts {
		n += c
	}
	return n
}

// String lists the counts per invariant, then the first messages.
func (v *Violations) String() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.counts) == 0 {
		return "no violations"
	}
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(v.counts)) {
		fmt.Fprintf(&b, "%s: %d\n", k, v.counts[k])
	}
	for _, m := range v.first {
		b.WriteString("  " + m + "\n")
	}
	return b.String()
}
