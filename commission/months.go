package commission

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// A month is closed once the payout program has a run for it: its
// statements are out and its balances paid or carried. The engine dates
// nothing in a closed month; a correction it would date there (a late
// refund, a late payment, a re-priced tier) is dated at the start of the
// first month after it that has no run, and its explanation names the
// month it corrects. Months with no run take every entry at its own date,
// so events that arrive before their month's run give the same entries
// per month whatever their order.

// PayoutRuns is the optional store read that tells the engine which
// months are paid out (storage.Payouts has it: memstore and sqlstore
// implement it). Over a store without it no month is ever closed.
type PayoutRuns interface {
	PayoutRun(ctx context.Context, program string, period affiliate.Period) (affiliate.PayoutRun, error)
}

// defaultPayoutProgram is payout.DefaultProgram: the runs of a payout
// Runner whose Config.Program is empty.
const defaultPayoutProgram = "default"

// months answers which months are closed, for one commit: a month found
// open stays open for the commit (open), so its keys cost one read.
type months struct {
	e    *Engine
	open []monthKey
	buf  [4]monthKey // backs open: a commit touches a month or two
}

// openFrom returns the month of t and the first month from it on that is
// not closed.
func (m *months) openFrom(ctx context.Context, t time.Time) (open, month affiliate.Period, err error) {
	month = affiliate.PeriodOf(t, m.e.loc)
	open = month
	// Runs are monthly and made after their month ends: a century of
	// them ahead is a store that answers wrongly; the last month stands.
	for range 1200 {
		if slices.Contains(m.open, keyOf(open)) {
			return open, month, nil
		}
		closed, err := m.e.closed(ctx, open)
		if err != nil || !closed {
			if err == nil {
				if m.open == nil {
					m.open = m.buf[:0]
				}
				m.open = append(m.open, keyOf(open))
			}
			return open, month, err
		}
		open = open.Next()
	}
	return open, month, nil
}

// closedMonths remembers the months found closed: a payout run is never
// deleted, so a month once closed stays closed.
type closedMonths struct {
	mu     sync.RWMutex
	months map[monthKey]bool
}

// monthKey is a month without its location: the engine's months are all
// in its own.
type monthKey struct{ year, month int }

func keyOf(p affiliate.Period) monthKey { return monthKey{p.Year, int(p.Month)} }

// before reports whether k is a month before o.
func (k monthKey) before(o monthKey) bool {
	return k.year < o.year || k.year == o.year && k.month < o.month
}

func (e *Engine) closed(ctx context.Context, p affiliate.Period) (bool, error) {
	runs, ok := e.store.(PayoutRuns)
	if !ok || knownOpen(ctx, p) {
		return false, nil
	}
	if e.knownClosed(p) {
		return true, nil
	}
	found, asked := false, false
	if pf := prefetchOf(ctx); pf != nil {
		found, asked = pf.runOf(e.runKey(p))
	}
	if !asked {
		_, err := runs.PayoutRun(ctx, e.payoutProgram, p)
		if err != nil && !errors.Is(err, affiliate.ErrNotFound) {
			return false, err
		}
		found = err == nil
	}
	if !found {
		sawOpen(ctx, p)
		return false, nil
	}
	e.closedCache.mu.Lock()
	if e.closedCache.months == nil {
		e.closedCache.months = make(map[monthKey]bool)
	}
	e.closedCache.months[keyOf(p)] = true
	e.closedCache.mu.Unlock()
	return true, nil
}

// knownClosed reports whether month p was found closed before.
func (e *Engine) knownClosed(p affiliate.Period) bool {
	e.closedCache.mu.RLock()
	defer e.closedCache.mu.RUnlock()
	return e.closedCache.months[keyOf(p)]
}

// runKey names the payout program's run for month p, as a prefetch asks
// and answers it: without p's location, so the key is the same however p
// was made.
func (e *Engine) runKey(p affiliate.Period) storage.PayoutRunKey {
	return storage.PayoutRunKey{Program: e.payoutProgram, Period: affiliate.Period{Year: p.Year, Month: p.Month}}
}

// closedFor reports whether the month p is closed for affiliate a:
// closed, or paid to a on its own request. Requests are runs of their own
// under payout.RequestProgram ("<payout program>/request/<a>"), and one
// for a period pays a's entries of every month up to its end, so a
// request for p or any later period closes p for a.
func (e *Engine) closedFor(ctx context.Context, a affiliate.AffiliateID, p affiliate.Period) (bool, error) {
	if closed, err := e.closed(ctx, p); err != nil || closed {
		return closed, err
	}
	program := e.payoutProgram + "/request/" + string(a)
	if h, ok := e.store.(affiliateRuns); ok {
		runs, err := h.AffiliateRuns(ctx, program, a, p, affiliate.PeriodOf(affiliate.MaxEventTime, e.loc))
		return len(runs) > 0, err
	}
	runs, ok := e.store.(PayoutRuns)
	if !ok {
		return false, nil
	}
	_, err := runs.PayoutRun(ctx, program, p)
	if errors.Is(err, affiliate.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// affiliateRuns is storage.PayoutHistory's read of an affiliate's runs
// (memstore and sqlstore have it): one read finds a request for any
// period from a month on.
type affiliateRuns interface {
	AffiliateRuns(ctx context.Context, program string, a affiliate.AffiliateID, from, to affiliate.Period) ([]affiliate.AffiliateRun, error)
}

// newBatch starts the entries of one commit.
func (e *Engine) newBatch(prefix string, event affiliate.EventID, c affiliate.CustomerID) batch {
	return batch{prefix: prefix, event: event, customer: c, months: &months{e: e}}
}
