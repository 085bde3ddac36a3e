package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/openaffiliate/affiliate/storage"
)

var _ storage.ExpectationChecker = (*Store)(nil)

// ChecksExpectations implements storage.ExpectationChecker: Commit checks
// a commit's expectation (checkExpect, and commitOnePostgres's
// conditions).
func (s *Store) ChecksExpectations() {}

// checkExpect refuses, inside a commit's transaction, a commit whose
// expectation no longer holds (storage.Expectation): its key claimed, or
// the binding, an affiliate or a run other than as it was read. A claimed
// key is a conflict here, not a replay: the engine reads the event and
// answers the replay as a read finds it.
func (s *Store) checkExpect(ctx context.Context, q querier, c storage.Commit) error {
	x := c.Expect
	var claimed bool
	if err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM affiliate_idempotency_keys WHERE key = $1)`, c.Key).Scan(&claimed); err != nil {
		return dbError("commit: expectation", err)
	}
	if claimed {
		return conflict("commit %q: the key was claimed since its facts were read", c.Key)
	}
	b, err := scanBinding(q.QueryRowContext(ctx, `SELECT `+bindingColumns+` FROM affiliate_bindings WHERE customer = $1`, string(c.State.Customer)))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if x.Bound {
			return conflict("commit %q: customer %q was unbound since its facts were read", c.Key, c.State.Customer)
		}
	case err != nil:
		return dbError("commit: expectation", err)
	case !x.Bound || !storage.SameBinding(b, x.Binding):
		return conflict("commit %q: customer %q's binding changed since its facts were read", c.Key, c.State.Customer)
	}
	for _, want := range x.Affiliates {
		got, err := scanAffiliate(q.QueryRowContext(ctx, `SELECT `+affiliateColumns+` FROM affiliate_affiliates a WHERE a.id = $1`, string(want.ID)))
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !storage.SameAffiliate(got, want)) {
			return conflict("commit %q: affiliate %q changed since its facts were read", c.Key, want.ID)
		}
		if err != nil {
			return dbError("commit: expectation", err)
		}
	}
	for k, want := range x.Runs {
		var exists bool
		if err := q.QueryRowContext(ctx, runExists, k.Program, k.Period.String()).Scan(&exists); err != nil {
			return dbError("commit: expectation", err)
		}
		if exists != want {
			return conflict("commit %q: payout run %s %s exists or not otherwise than when its facts were read", c.Key, k.Program, k.Period)
		}
	}
	return nil
}

const runExists = `SELECT EXISTS (SELECT 1 FROM affiliate_payout_runs WHERE program = $1 AND period = $2)`

// expectShape is what the text of a one-statement commit's checks of its
// expectation depends on.
type expectShape struct {
	on         bool
	bound      bool
	affiliates int
	runs       int
}

func expectShapeOf(x *storage.Expectation) expectShape {
	if x == nil {
		return expectShape{}
	}
	return expectShape{on: true, bound: x.Bound, affiliates: len(x.Affiliates), runs: len(x.Runs)}
}

// checks returns the conditions of the one-statement commit that hold
// when its expectation does, their placeholders from next; the key is
// checked by the commit's claim, and the customer is $3.
func (sh expectShape) checks(next func(int) int) []string {
	if !sh.on {
		return nil
	}
	var out []string
	var b strings.Builder
	if sh.bound {
		b.WriteString(`EXISTS (SELECT 1 FROM affiliate_bindings WHERE customer = $3
    AND (affiliate, source, touch, lead, code, touched_ns, bound_ns, expires_ns) = `)
		placeholders(&b, next(8), 1, 8)
		b.WriteString(`)`)
		out = append(out, b.String())
	} else {
		out = append(out, `NOT EXISTS (SELECT 1 FROM affiliate_bindings WHERE customer = $3)`)
	}
	for range sh.affiliates {
		n := next(8)
		b.Reset()
		b.WriteString(`EXISTS (SELECT 1 FROM affiliate_affiliates WHERE id = $` + strconv.Itoa(n) + ` AND parent IS NOT DISTINCT FROM $` + strconv.Itoa(n+1) + `
    AND (status, name, email, codes, payout_method_on_file, created_ns) = `)
		placeholders(&b, n+2, 1, 6)
		b.WriteString(`)`)
		out = append(out, b.String())
	}
	for range sh.runs {
		n := next(3)
		out = append(out, `EXISTS (SELECT 1 FROM affiliate_payout_runs WHERE program = $`+strconv.Itoa(n)+` AND period = $`+strconv.Itoa(n+1)+`) = $`+strconv.Itoa(n+2))
	}
	return out
}

// expectParams is how many arguments expectArgs appends for x.
func expectParams(x *storage.Expectation) int {
	if x == nil {
		return 0
	}
	n := 8*len(x.Affiliates) + 3*len(x.Runs)
	if x.Bound {
		n += 8
	}
	return n
}

// expectArgs appends the arguments of sh.checks, in their order.
func expectArgs(args []any, x *storage.Expectation) []any {
	if x == nil {
		return args
	}
	if b := x.Binding; x.Bound {
		args = append(args, string(b.Affiliate), string(b.Source), string(b.Touch), string(b.Lead), b.Code,
			timeNS(b.TouchedAt), timeNS(b.BoundAt), timeNS(b.ExpiresAt))
	}
	for _, a := range x.Affiliates {
		var parent any // NULL for a top-level affiliate, as PutAffiliate writes it
		if a.Parent != "" {
			parent = string(a.Parent)
		}
		args = append(args, string(a.ID), parent, string(a.Status), a.Name, a.Email, encodeList(a.Codes), a.PayoutMethodOnFile, timeNS(a.CreatedAt))
	}
	for _, k := range sortedRuns(x.Runs) {
		args = append(args, k.Program, k.Period.String(), x.Runs[k])
	}
	return args
}

// sortedRuns orders a map's runs, so that arguments follow one order.
func sortedRuns(runs map[storage.PayoutRunKey]bool) []storage.PayoutRunKey {
	keys := make([]storage.PayoutRunKey, 0, len(runs))
	for k := range runs {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b storage.PayoutRunKey) int {
		if c := strings.Compare(a.Program, b.Program); c != 0 {
			return c
		}
		return strings.Compare(a.Period.String(), b.Period.String())
	})
	return keys
}
