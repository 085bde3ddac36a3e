package memstore

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var _ storage.BalanceReader = (*Store)(nil)

// An entry's sequence, the watermark's unit, is its ledger position plus
// one: the ledger only grows, so every entry appended after a read is
// above the read's Through.

// window is what a balance read or a claim by watermark selects: open
// entries earned before to, available by availableBy, at positions below
// through.
type window struct {
	to, availableBy instant
	through         uint64
}

func (w window) selects(t *ledgerTables, pos uint32, r *entryRow) bool {
	return r.claim == 0 && uint64(pos) < w.through && r.at().before(w.to) && !w.availableBy.before(t.available(pos, r))
}

// OpenBalances implements storage.BalanceReader. It sums the open index
// of each affiliate over integer columns: nothing is copied and no entry
// is rebuilt.
func (s *Store) OpenBalances(ctx context.Context, q storage.BalanceQuery) (storage.Balances, error) {
	if err := ctx.Err(); err != nil {
		return storage.Balances{}, err
	}
	if err := q.Validate(); err != nil {
		return storage.Balances{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	t := &s.ledger
	out := storage.Balances{Through: uint64(t.rows.len())}
	w := window{to: bare(q.To), availableBy: bare(q.AvailableBy), through: out.Through}
	first, last := uint32(1), uint32(len(t.open))
	if q.Beneficiary != "" {
		n, ok := s.ids.affiliates.lookup(string(q.Beneficiary))
		if !ok || n == 0 {
			return out, nil
		}
		first, last = n, n+1
	}
	type sum struct {
		currency uint32
		minor    int64
		n        int
	}
	var sums []sum
	for b := first; b < last && int(b) < len(t.open); b++ {
		sums = sums[:0]
		for _, pos := range t.open[b] {
			r := t.rows.at(int(pos))
			if !w.selects(t, pos, r) {
				continue
			}
			i := slices.IndexFunc(sums, func(x sum) bool { return x.currency == r.currency })
			if i < 0 {
				sums = append(sums, sum{currency: r.currency})
				i = len(sums) - 1
			}
			next := sums[i].minor + r.amount
			if (next > sums[i].minor) != (r.amount > 0) && r.amount != 0 {
				return storage.Balances{}, &affiliate.FieldError{Field: "BalanceQuery", Reason: "the open entries of " + s.ids.affiliates.str(b) + " sum out of range", Err: affiliate.ErrOverflow}
			}
			sums[i].minor, sums[i].n = next, sums[i].n+1
		}
		aff := affiliate.AffiliateID(s.ids.affiliates.str(b))
		for _, x := range sums {
			out.Balances = append(out.Balances, storage.OpenBalance{Affiliate: aff, Amount: s.ids.money(x.minor, x.currency), Entries: x.n})
		}
	}
	slices.SortFunc(out.Balances, func(x, y storage.OpenBalance) int {
		return cmp.Or(strings.Compare(string(x.Affiliate), string(y.Affiliate)), strings.Compare(string(x.Amount.Currency()), string(y.Amount.Currency())))
	})
	return out, nil
}

// claimThrough appends to claims the positions payout i of r claims by
// watermark, ordered by At, then ID: the open entries of its affiliate and
// currency in the run's window. It fails with a *storage.BalanceMovedError
// when they do not sum to the payout's amount. picked is scratch, reused
// across a run's payouts. Callers hold the lock.
func (s *Store) claimThrough(r affiliate.PayoutRun, i int, claims []uint32, picked *[]timed) ([]uint32, error) {
	p := r.Payouts[i]
	t := &s.ledger
	w := window{to: bare(r.Period.End()), availableBy: bare(r.AsOf), through: min(r.Through, uint64(t.rows.len()))}
	beneficiary, _ := s.ids.affiliates.lookup(string(p.Affiliate))
	currency, _ := s.ids.words.lookup(string(p.Amount.Currency()))
	sel := (*picked)[:0]
	var sum int64
	inRange := true
	if beneficiary != 0 && currency != 0 {
		for _, pos := range listAt(t.open, beneficiary) {
			if r := t.rows.at(int(pos)); r.currency == currency && w.selects(t, pos, r) {
				sel = append(sel, timed{r.atSec, r.atNsec, pos})
				next := sum + r.amount
				inRange = inRange && (next > sum) == (r.amount > 0) || r.amount == 0
				sum = next
			}
		}
	}
	*picked = sel
	if !inRange || sum != p.Amount.Minor() || len(sel) == 0 {
		got, _ := affiliate.NewMoney(sum, p.Amount.Currency()) // zero when out of range
		return claims, &storage.BalanceMovedError{Payout: p.ID, Want: p.Amount, Got: got}
	}
	s.sortEntries(sel)
	for _, x := range sel {
		claims = append(claims, x.pos)
	}
	return claims, nil
}

// payoutField names payout i of a run in errors.
func payoutField(i int) string { return "PayoutRun.Payouts[" + strconv.Itoa(i) + "]" }
