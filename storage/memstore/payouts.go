package memstore

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

var (
	_ storage.Payouts       = (*Store)(nil)
	_ storage.PayoutHistory = (*Store)(nil)
)

type runKey struct {
	program string
	period  monthKey
}

// monthKey numbers a valid period's month: year*12 + month-1, so keys
// sort as periods do and a lookup formats nothing.
type monthKey int32

// keyOf returns p's key; ok is false for a period no stored run can have.
func keyOf(p affiliate.Period) (k monthKey, ok bool) {
	if p.Year < 1 || p.Year > 9999 || p.Month < time.January || p.Month > time.December {
		return 0, false
	}
	return monthKey(p.Year*12 + int(p.Month) - 1), true
}

// periodIn returns the period k names, in loc.
func periodIn(k monthKey, loc *time.Location) affiliate.Period {
	return affiliate.Period{Year: int(k) / 12, Month: time.Month(k%12 + 1), Location: loc}
}

// runRecord is a stored payout run. Payouts live in payoutTables.byID; the
// run holds their IDs, so reads always show the current status.
type runRecord struct {
	key     runKey
	hash    string
	asOf    time.Time
	payouts []affiliate.PayoutID
	carried []affiliate.CarriedBalance
	// shares indexes the run by affiliate, for statements and dashboards.
	shares map[affiliate.AffiliateID]*runShare
	// currencies lists the payouts' currencies, sorted, for PayoutTotals.
	currencies []affiliate.Currency
}

type runShare struct {
	payouts []affiliate.PayoutID
	carried []int // positions in runRecord.carried
}

type totalKey struct {
	program  string
	period   monthKey
	currency affiliate.Currency
	status   affiliate.PayoutStatus
}

// stateSums are minor units in payouts that are created (InPayout) and
// paid, for Reports.EarningsBalances.
type stateSums struct{ inPayout, paid int64 }

// payoutTables holds payout runs, payouts and the indexes behind
// statements and dashboards.
type payoutTables struct {
	byID  map[affiliate.PayoutID]*storedPayout
	runOf map[affiliate.PayoutID]runKey
	runs  map[runKey]*runRecord
	// periods lists, per program, the periods that have a run, sorted.
	periods map[string][]monthKey
	totals  map[totalKey]*affiliate.PayoutTotal
	// state sums payouts per affiliate and currency; programState per
	// currency over every affiliate.
	state        map[affiliate.AffiliateID]map[affiliate.Currency]*stateSums
	programState map[affiliate.Currency]*stateSums
}

func (t *payoutTables) init() {
	t.byID = make(map[affiliate.PayoutID]*storedPayout)
	t.runOf = make(map[affiliate.PayoutID]runKey)
	t.runs = make(map[runKey]*runRecord)
	t.periods = make(map[string][]monthKey)
	t.totals = make(map[totalKey]*affiliate.PayoutTotal)
	t.state = make(map[affiliate.AffiliateID]map[affiliate.Currency]*stateSums)
	t.programState = make(map[affiliate.Currency]*stateSums)
}

// storedPayout is a payout as the store keeps it: its entries as ledger
// positions (Payout.Entries stays nil).
type storedPayout struct {
	affiliate.Payout
	entries []uint32
}

// payoutOut returns a copy of a stored payout, its entry IDs rebuilt.
func (s *Store) payoutOut(sp *storedPayout) affiliate.Payout {
	p := sp.Payout
	p.Entries = make([]affiliate.EntryID, len(sp.entries))
	for i, pos := range sp.entries {
		p.Entries[i] = affiliate.EntryID(s.ids.entries.str(pos + 1))
	}
	return p
}

// checkClaims checks every payout against the ledger and the stored
// payouts, and returns the ledger positions of each payout's entries.
// Callers hold the lock.
func (s *Store) checkClaims(r affiliate.PayoutRun) ([][]uint32, error) {
	claims := make([][]uint32, len(r.Payouts))
	for i, p := range r.Payouts {
		field := "PayoutRun.Payouts[" + strconv.Itoa(i) + "]"
		if _, ok := s.payouts.byID[p.ID]; ok {
			return nil, conflict("payout %q is already stored", p.ID)
		}
		beneficiary, _ := s.ids.affiliates.lookup(string(p.Affiliate))
		currency, _ := s.ids.words.lookup(string(p.Amount.Currency()))
		claims[i] = make([]uint32, len(p.Entries))
		var sum int64
		for k, id := range p.Entries {
			pos, ok := s.entryPos(id)
			if !ok {
				return nil, notFound("entry", string(id))
			}
			claims[i][k] = pos
			e := s.ledger.rows.at(int(pos))
			if e.beneficiary != beneficiary || e.currency != currency || beneficiary == 0 {
				return nil, invalid(field+".Entries", "entry "+string(id)+" is "+s.ids.affiliates.str(e.beneficiary)+"'s in "+s.ids.words.str(e.currency)+", not "+string(p.Affiliate)+"'s in "+string(p.Amount.Currency()))
			}
			if e.claim != 0 {
				return nil, &storage.EntrySettledError{Entry: id, Payout: s.ledger.payoutIDs[e.claim-1]}
			}
			next := sum + e.amount
			if (next > sum) != (e.amount > 0) {
				return nil, &affiliate.FieldError{Field: field + ".Amount", Reason: "entries sum out of range", Err: affiliate.ErrOverflow}
			}
			sum = next
		}
		if sum != p.Amount.Minor() {
			got, _ := affiliate.NewMoney(sum, p.Amount.Currency())
			return nil, invalid(field+".Amount", p.Amount.String()+" is not the sum of its entries, "+got.String())
		}
	}
	return claims, nil
}

// CreatePayoutRun implements storage.Payouts.
func (s *Store) CreatePayoutRun(ctx context.Context, r affiliate.PayoutRun) (storage.PayoutRunResult, error) {
	if err := ctx.Err(); err != nil {
		return storage.PayoutRunResult{}, err
	}
	if err := storage.ValidatePayoutRun(r); err != nil {
		return storage.PayoutRunResult{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	period, _ := keyOf(r.Period) // ValidatePayoutRun checked it
	key := runKey{r.Program, period}
	if old, ok := s.payouts.runs[key]; ok {
		if old.hash != r.Hash {
			return storage.PayoutRunResult{}, &affiliate.FieldError{Field: "PayoutRun.Hash", Reason: "run " + r.Program + "/" + r.Period.String() + " was made with another payload", Err: affiliate.ErrIdempotencyMismatch}
		}
		return storage.PayoutRunResult{Run: s.runCopy(old, r.Period.Location), Replayed: true}, nil
	}
	claims, err := s.checkClaims(r)
	if err != nil {
		return storage.PayoutRunResult{}, err
	}
	rec := &runRecord{
		key:     key,
		hash:    r.Hash,
		asOf:    r.AsOf,
		payouts: make([]affiliate.PayoutID, 0, len(r.Payouts)),
		carried: slices.Clone(r.Carried),
		shares:  make(map[affiliate.AffiliateID]*runShare),
	}
	t := &s.payouts
	for i, p := range r.Payouts {
		stored := &storedPayout{Payout: p, entries: claims[i]}
		stored.Entries = nil
		t.byID[p.ID] = stored
		t.runOf[p.ID] = key
		rec.payouts = append(rec.payouts, p.ID)
		rec.share(p.Affiliate).payouts = append(rec.share(p.Affiliate).payouts, p.ID)
		t.count(r.Program, &stored.Payout, 1)
		if c := p.Amount.Currency(); !slices.Contains(rec.currencies, c) {
			rec.currencies = append(rec.currencies, c)
		}
		t.sums(p.Affiliate, p.Amount.Currency()).inPayout += p.Amount.Minor()
		t.programSums(p.Amount.Currency()).inPayout += p.Amount.Minor()
		s.ledger.payoutIDs = append(s.ledger.payoutIDs, p.ID)
		s.ledger.settle(claims[i], uint32(len(s.ledger.payoutIDs)))
		s.reports.settled(s, claims[i])
	}
	for i, c := range rec.carried {
		rec.share(c.Affiliate).carried = append(rec.share(c.Affiliate).carried, i)
	}
	slices.Sort(rec.currencies)
	t.runs[key] = rec
	periods := t.periods[r.Program]
	at, _ := slices.BinarySearch(periods, key.period)
	t.periods[r.Program] = slices.Insert(periods, at, key.period)
	s.appendOutbox(storage.PayoutRunEvents(r))
	return storage.PayoutRunResult{Run: s.runCopy(rec, r.Period.Location)}, nil
}

func (r *runRecord) share(a affiliate.AffiliateID) *runShare {
	sh := r.shares[a]
	if sh == nil {
		sh = &runShare{}
		r.shares[a] = sh
	}
	return sh
}

func (t *payoutTables) sums(a affiliate.AffiliateID, c affiliate.Currency) *stateSums {
	m := t.state[a]
	if m == nil {
		m = make(map[affiliate.Currency]*stateSums)
		t.state[a] = m
	}
	s := m[c]
	if s == nil {
		s = &stateSums{}
		m[c] = s
	}
	return s
}

func (t *payoutTables) programSums(c affiliate.Currency) *stateSums {
	s := t.programState[c]
	if s == nil {
		s = &stateSums{}
		t.programState[c] = s
	}
	return s
}

// count adds sign times p to its period, currency and status total.
func (t *payoutTables) count(program string, p *affiliate.Payout, sign int64) {
	period, _ := keyOf(p.Period)
	k := totalKey{program, period, p.Amount.Currency(), p.Status}
	tot := t.totals[k]
	if tot == nil {
		tot = &affiliate.PayoutTotal{Period: p.Period, Status: k.status, Amount: affiliate.Zero(k.currency)}
		t.totals[k] = tot
	}
	tot.Count += sign
	tot.Amount = affiliate.MustMoney(tot.Amount.Minor()+sign*p.Amount.Minor(), k.currency)
}

// runCopy returns the run as it stands now, its period in loc.
func (s *Store) runCopy(rec *runRecord, loc *time.Location) affiliate.PayoutRun {
	out := affiliate.PayoutRun{
		Program: rec.key.program,
		Period:  periodIn(rec.key.period, loc),
		Hash:    rec.hash,
		AsOf:    rec.asOf,
		Payouts: make([]affiliate.Payout, len(rec.payouts)),
		Carried: slices.Clone(rec.carried),
	}
	for i, id := range rec.payouts {
		out.Payouts[i] = s.payoutOut(s.payouts.byID[id])
	}
	return out
}

// PayoutRun implements storage.Payouts.
func (s *Store) PayoutRun(ctx context.Context, program string, period affiliate.Period) (affiliate.PayoutRun, error) {
	if err := ctx.Err(); err != nil {
		return affiliate.PayoutRun{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	key, ok := keyOf(period)
	rec, found := s.payouts.runs[runKey{program, key}]
	if !ok || !found {
		return affiliate.PayoutRun{}, errNoRun
	}
	return s.runCopy(rec, period.Location), nil
}

func validSettlement(st affiliate.PayoutStatus) bool {
	return st == affiliate.PayoutPaid || st == affiliate.PayoutFailed || st == affiliate.PayoutCancelled
}

// SettlePayout implements storage.Payouts.
func (s *Store) SettlePayout(ctx context.Context, u storage.PayoutSettlement) (affiliate.Payout, error) {
	if err := ctx.Err(); err != nil {
		return affiliate.Payout{}, err
	}
	switch {
	case !validSettlement(u.Status):
		return affiliate.Payout{}, invalid("PayoutSettlement.Status", "a payout settles as paid, failed or cancelled, not "+strings.TrimSpace(string(u.Status)))
	case u.Status == affiliate.PayoutPaid && u.Reference == "":
		return affiliate.Payout{}, invalid("PayoutSettlement.Reference", "a paid payout needs the host's transfer reference")
	case u.At.IsZero():
		return affiliate.Payout{}, invalid("PayoutSettlement.At", "zero time")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := &s.payouts
	sp, ok := t.byID[u.ID]
	if !ok {
		return affiliate.Payout{}, notFound("payout", string(u.ID))
	}
	p := &sp.Payout
	if p.Status != affiliate.PayoutCreated {
		return affiliate.Payout{}, &storage.PayoutStatusError{Payout: s.payoutOut(sp), To: u.Status}
	}
	program := t.runOf[u.ID].program
	t.count(program, p, -1)
	p.Status = u.Status
	p.SettledAt = u.At
	p.Note = u.Note
	if u.Status == affiliate.PayoutPaid {
		p.Reference = u.Reference
	}
	t.count(program, p, 1)
	cur := p.Amount.Currency()
	for _, sums := range []*stateSums{t.sums(p.Affiliate, cur), t.programSums(cur)} {
		sums.inPayout -= p.Amount.Minor()
		if u.Status == affiliate.PayoutPaid {
			sums.paid += p.Amount.Minor()
		}
	}
	if u.Status != affiliate.PayoutPaid {
		s.ledger.release(sp.entries)
		s.reports.released(s, sp.entries)
	}
	s.appendOutbox(storage.SettleEvents(program, *p))
	return s.payoutOut(sp), nil
}

// runsBetween returns program's runs for periods from through to.
// Callers hold the lock.
func (t *payoutTables) runsBetween(program string, from, to affiliate.Period) []*runRecord {
	periods := t.periods[program]
	first, _ := keyOf(from) // ValidateRange checked both
	last, _ := keyOf(to)
	i, _ := slices.BinarySearch(periods, first)
	var out []*runRecord
	for ; i < len(periods) && periods[i] <= last; i++ {
		out = append(out, t.runs[runKey{program, periods[i]}])
	}
	return out
}

// AffiliateRuns implements storage.PayoutHistory.
func (s *Store) AffiliateRuns(ctx context.Context, program string, a affiliate.AffiliateID, from, to affiliate.Period) ([]affiliate.AffiliateRun, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := storage.ValidateRange(from, to); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	t := &s.payouts
	runs := t.runsBetween(program, from, to)
	out := make([]affiliate.AffiliateRun, 0, len(runs))
	for _, rec := range runs {
		ar := affiliate.AffiliateRun{Program: program, Period: periodIn(rec.key.period, from.Location), AsOf: rec.asOf}
		if sh := rec.shares[a]; sh != nil {
			for _, id := range sh.payouts {
				ar.Payouts = append(ar.Payouts, s.payoutOut(t.byID[id]))
			}
			for _, i := range sh.carried {
				ar.Carried = append(ar.Carried, rec.carried[i])
			}
			slices.SortStableFunc(ar.Payouts, func(x, y affiliate.Payout) int {
				return strings.Compare(string(x.Amount.Currency()), string(y.Amount.Currency()))
			})
			slices.SortStableFunc(ar.Carried, func(x, y affiliate.CarriedBalance) int {
				return strings.Compare(string(x.Amount.Currency()), string(y.Amount.Currency()))
			})
		}
		out = append(out, ar)
	}
	return out, nil
}

// statuses is the order PayoutTotals reports them in.
var statuses = []affiliate.PayoutStatus{affiliate.PayoutCreated, affiliate.PayoutPaid, affiliate.PayoutFailed, affiliate.PayoutCancelled}

// PayoutTotals implements storage.PayoutHistory.
func (s *Store) PayoutTotals(ctx context.Context, program string, from, to affiliate.Period) ([]affiliate.PayoutTotal, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := storage.ValidateRange(from, to); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	t := &s.payouts
	var out []affiliate.PayoutTotal
	for _, rec := range t.runsBetween(program, from, to) {
		for _, c := range rec.currencies {
			for _, st := range statuses {
				if tot := t.totals[totalKey{program, rec.key.period, c, st}]; tot != nil && tot.Count != 0 {
					v := *tot
					v.Period.Location = from.Location
					out = append(out, v)
				}
			}
		}
	}
	return out, nil
}
