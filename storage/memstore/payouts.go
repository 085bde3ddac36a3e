package memstore

import (
	"cmp"
	"context"
	"slices"
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

// runRecord is a stored payout run. Its payouts are numbers of
// payoutTables.rows, so reads always show their current status.
type runRecord struct {
	key     runKey
	hash    string
	asOf    time.Time
	through uint64   // the run's watermark, 0 for a run by list
	payouts []uint32 // payout numbers, in the run's order
	carried []affiliate.CarriedBalance
	// byAffiliate holds the indexes of payouts, and carriedBy those of
	// carried, ordered by affiliate number (then index): an affiliate's
	// share is found by binary search, for statements and dashboards.
	byAffiliate, carriedBy []uint32
	// payoutAff and carriedAff are each payout's and carried balance's
	// affiliate number.
	payoutAff, carriedAff []uint32
	// currencies lists the payouts' currencies, sorted, for PayoutTotals.
	currencies []affiliate.Currency
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

// currencySums are an affiliate's stateSums in one currency.
type currencySums struct {
	currency affiliate.Currency
	sums     stateSums
}

// payoutTables holds payout runs, payouts and the indexes behind
// statements and dashboards.
type payoutTables struct {
	// ids numbers the payouts: payout n is rows[n-1], and an entry's
	// claim is that number.
	ids  *interner
	rows pages[payoutRow] // pages: a year's payouts are never copied to grow
	// claims holds every payout's entries as ledger positions; a row
	// names its range.
	claims  []uint32
	runs    map[runKey]uint32 // index in runList
	runList []*runRecord
	// periods lists, per program, the periods that have a run, sorted.
	periods map[string][]monthKey
	totals  map[totalKey]*affiliate.PayoutTotal
	// state sums payouts per affiliate number and currency; programState
	// per currency over every affiliate.
	state        [][]currencySums
	programState map[affiliate.Currency]*stateSums
}

func (t *payoutTables) init(text *arena) {
	t.ids = newInterner(text)
	t.runs = make(map[runKey]uint32)
	t.periods = make(map[string][]monthKey)
	t.totals = make(map[totalKey]*affiliate.PayoutTotal)
	t.programState = make(map[affiliate.Currency]*stateSums)
}

// payoutRow is a payout as the store keeps it: numbers, instants and
// arena text, no pointers.
type payoutRow struct {
	amount           int64
	created, settled instant
	// affiliate, currency and status are interned numbers (currency and
	// status words).
	affiliate, currency, status uint32
	run                         uint32 // index in payoutTables.runList
	first, n                    uint32 // its entries: claims[first:first+n]
	reference, note             ref
	period                      monthKey
	periodLoc                   uint16
}

func (t *payoutTables) row(n uint32) *payoutRow { return t.rows.at(int(n - 1)) }

func (t *payoutTables) entries(r *payoutRow) []uint32 {
	return t.claims[r.first : r.first+r.n : r.first+r.n]
}

// payoutOut rebuilds payout n. Its strings point into the arena.
func (s *Store) payoutOut(n uint32) affiliate.Payout {
	var idBuf []byte
	p, _ := s.payoutIn(n, nil, &idBuf)
	return p
}

// payoutIn returns payout n with its entry IDs in the front of ids,
// which it allocates when too short, and the rest of ids: a run's payouts
// share one array, and one idBuf for the IDs built (see entryID).
func (s *Store) payoutIn(n uint32, ids []affiliate.EntryID, idBuf *[]byte) (affiliate.Payout, []affiliate.EntryID) {
	p := s.payoutHead(n)
	entries := s.payouts.entries(s.payouts.row(n))
	if len(ids) < len(entries) {
		ids = make([]affiliate.EntryID, len(entries))
	}
	p.Entries, ids = ids[:len(entries):len(entries)], ids[len(entries):]
	for i, pos := range entries {
		r := s.ledger.rows.at(int(pos))
		p.Entries[i] = s.ids.entryID(s.ids.idCode(r), r.event, idBuf)
	}
	return p, ids
}

// payoutHead returns payout n without its entries.
func (s *Store) payoutHead(n uint32) affiliate.Payout {
	t := &s.payouts
	r := t.row(n)
	return affiliate.Payout{
		ID:        affiliate.PayoutID(t.ids.str(n)),
		Affiliate: affiliate.AffiliateID(s.ids.affiliates.str(r.affiliate)),
		Period:    periodIn(r.period, s.ids.locs[r.periodLoc]),
		Amount:    s.ids.money(r.amount, r.currency),
		Status:    affiliate.PayoutStatus(s.ids.words.str(r.status)),
		CreatedAt: s.ids.locs.time(r.created),
		Reference: s.ids.text.str(r.reference),
		SettledAt: s.ids.locs.time(r.settled),
		Note:      s.ids.text.str(r.note),
	}
}

// payoutProgram returns the program of payout n's run.
func (s *Store) payoutProgram(n uint32) string {
	return s.payouts.runList[s.payouts.row(n).run].key.program
}

// checkClaims checks every payout against the ledger and the stored
// payouts, and returns the ledger positions of the payouts' entries, one
// payout after the other, and how many each payout has: those it lists,
// or those it claims by the run's watermark. Callers hold the lock.
func (s *Store) checkClaims(r affiliate.PayoutRun) (claims []uint32, counts []int, err error) {
	n := 0
	for _, p := range r.Payouts {
		n += len(p.Entries)
	}
	claims = make([]uint32, 0, n)
	counts = make([]int, len(r.Payouts))
	var picked []timed
	for i, p := range r.Payouts {
		if _, ok := s.payouts.ids.lookup(string(p.ID)); ok {
			return nil, nil, conflict("payout %q is already stored", p.ID)
		}
		if len(p.Entries) == 0 {
			from := len(claims)
			if claims, err = s.claimThrough(r, i, claims, &picked); err != nil {
				return nil, nil, err
			}
			counts[i] = len(claims) - from
			continue
		}
		counts[i] = len(p.Entries)
		beneficiary, _ := s.ids.affiliates.lookup(string(p.Affiliate))
		currency, _ := s.ids.words.lookup(string(p.Amount.Currency()))
		var sum int64
		for _, id := range p.Entries {
			pos, ok := s.entryPos(id)
			if !ok {
				return nil, nil, notFound("entry", string(id))
			}
			claims = append(claims, pos)
			e := s.ledger.rows.at(int(pos))
			if e.beneficiary != beneficiary || e.currency != currency || beneficiary == 0 {
				return nil, nil, invalid(payoutField(i)+".Entries", "entry "+string(id)+" is "+s.ids.affiliates.str(e.beneficiary)+"'s in "+s.ids.words.str(e.currency)+", not "+string(p.Affiliate)+"'s in "+string(p.Amount.Currency()))
			}
			if e.claim != 0 {
				return nil, nil, &storage.EntrySettledError{Entry: id, Payout: affiliate.PayoutID(s.payouts.ids.str(e.claim))}
			}
			next := sum + e.amount
			if (next > sum) != (e.amount > 0) {
				return nil, nil, &affiliate.FieldError{Field: payoutField(i) + ".Amount", Reason: "entries sum out of range", Err: affiliate.ErrOverflow}
			}
			sum = next
		}
		if sum != p.Amount.Minor() {
			got, _ := affiliate.NewMoney(sum, p.Amount.Currency())
			return nil, nil, invalid(payoutField(i)+".Amount", p.Amount.String()+" is not the sum of its entries, "+got.String())
		}
	}
	return claims, counts, nil
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
	t := &s.payouts
	if i, ok := t.runs[key]; ok {
		old := t.runList[i]
		if old.hash != r.Hash {
			return storage.PayoutRunResult{}, &affiliate.FieldError{Field: "PayoutRun.Hash", Reason: "run " + r.Program + "/" + r.Period.String() + " was made with another payload", Err: affiliate.ErrIdempotencyMismatch}
		}
		return storage.PayoutRunResult{Run: s.runCopy(old, r.Period.Location), Replayed: true}, nil
	}
	claims, counts, err := s.checkClaims(r)
	if err != nil {
		return storage.PayoutRunResult{}, err
	}
	rec := &runRecord{
		key:     key,
		hash:    r.Hash,
		asOf:    r.AsOf,
		through: r.Through,
		payouts: make([]uint32, len(r.Payouts)),
		carried: slices.Clone(r.Carried),
	}
	run := uint32(len(t.runList))
	rec.payoutAff = make([]uint32, len(r.Payouts))
	for i := range r.Payouts {
		p := &r.Payouts[i]
		first := uint32(len(t.claims))
		t.claims = append(t.claims, claims[:counts[i]]...)
		claims = claims[counts[i]:]
		row := payoutRow{
			amount:    p.Amount.Minor(),
			created:   s.ids.locs.instant(p.CreatedAt),
			settled:   s.ids.locs.instant(p.SettledAt),
			affiliate: s.ids.affiliates.intern(string(p.Affiliate)),
			currency:  s.ids.words.intern(string(p.Amount.Currency())),
			status:    s.ids.words.intern(string(p.Status)),
			run:       run,
			first:     first,
			n:         uint32(counts[i]),
			reference: s.ids.text.addString(p.Reference),
			note:      s.ids.text.addString(p.Note),
			periodLoc: s.ids.locs.number(p.Period.Location),
		}
		row.period, _ = keyOf(p.Period)
		t.rows.append(row)
		n := t.ids.intern(string(p.ID))
		rec.payouts[i], rec.payoutAff[i] = n, row.affiliate
		s.count(r.Program, &row, 1)
		if c := p.Amount.Currency(); !slices.Contains(rec.currencies, c) {
			rec.currencies = append(rec.currencies, c)
		}
		t.sums(row.affiliate, p.Amount.Currency()).inPayout += p.Amount.Minor()
		t.programSums(p.Amount.Currency()).inPayout += p.Amount.Minor()
		s.ledger.settle(t.entries(&row), n)
		s.reports.settled(s, t.entries(&row))
		if p.Reference == "" && p.Note == "" {
			s.appendPayoutEvent(payoutCreated, n)
		} else { // its row forgets them at settlement
			s.appendOutbox(storage.PayoutRunEvents(affiliate.PayoutRun{Program: r.Program, Payouts: r.Payouts[i : i+1]}))
		}
	}
	rec.byAffiliate = byNumber(rec.payoutAff)
	rec.carriedAff = make([]uint32, len(rec.carried))
	for i, c := range rec.carried {
		rec.carriedAff[i] = s.ids.affiliates.intern(string(c.Affiliate))
	}
	rec.carriedBy = byNumber(rec.carriedAff)
	slices.Sort(rec.currencies)
	t.runs[key] = run
	t.runList = append(t.runList, rec)
	periods := t.periods[r.Program]
	at, _ := slices.BinarySearch(periods, key.period)
	t.periods[r.Program] = slices.Insert(periods, at, key.period)
	return storage.PayoutRunResult{Run: s.runCopy(rec, r.Period.Location)}, nil
}

// byNumber returns the indexes of numbers ordered by number, then index.
func byNumber(numbers []uint32) []uint32 {
	order := make([]uint32, len(numbers))
	for i := range order {
		order[i] = uint32(i)
	}
	slices.SortFunc(order, func(a, b uint32) int {
		return cmp.Or(cmp.Compare(numbers[a], numbers[b]), cmp.Compare(a, b))
	})
	return order
}

// share returns the part of order (byNumber of numbers) whose number is n.
func share(order, numbers []uint32, n uint32) []uint32 {
	lo, _ := slices.BinarySearchFunc(order, n, func(i, n uint32) int { return cmp.Compare(numbers[i], n) })
	hi := lo
	for hi < len(order) && numbers[order[hi]] == n {
		hi++
	}
	return order[lo:hi]
}

// sums returns a's sums in c. The pointer is good until the next call.
// sums returns the stateSums of affiliate number a in c.
func (t *payoutTables) sums(a uint32, c affiliate.Currency) *stateSums {
	if int(a) >= len(t.state) {
		t.state = slices.Grow(t.state, int(a)+1-len(t.state))[:a+1]
	}
	cs := t.state[a]
	i := slices.IndexFunc(cs, func(x currencySums) bool { return x.currency == c })
	if i < 0 {
		i = len(cs)
		cs = append(cs, currencySums{currency: c})
		t.state[a] = cs
	}
	return &cs[i].sums
}

func (t *payoutTables) programSums(c affiliate.Currency) *stateSums {
	s := t.programState[c]
	if s == nil {
		s = &stateSums{}
		t.programState[c] = s
	}
	return s
}

// count adds sign times payout row r to its period, currency and status
// total.
func (s *Store) count(program string, r *payoutRow, sign int64) {
	t := &s.payouts
	k := totalKey{program, r.period, affiliate.Currency(s.ids.words.str(r.currency)), affiliate.PayoutStatus(s.ids.words.str(r.status))}
	tot := t.totals[k]
	if tot == nil {
		tot = &affiliate.PayoutTotal{Period: periodIn(r.period, nil), Status: k.status, Amount: affiliate.Zero(k.currency)}
		t.totals[k] = tot
	}
	tot.Count += sign
	tot.Amount = affiliate.MustMoney(tot.Amount.Minor()+sign*r.amount, k.currency)
}

// runCopy returns the run as it stands now, its period in loc.
func (s *Store) runCopy(rec *runRecord, loc *time.Location) affiliate.PayoutRun {
	out := affiliate.PayoutRun{
		Program: rec.key.program,
		Period:  periodIn(rec.key.period, loc),
		Hash:    rec.hash,
		AsOf:    rec.asOf,
		Through: rec.through,
		Payouts: make([]affiliate.Payout, len(rec.payouts)),
		Carried: slices.Clone(rec.carried),
	}
	total := 0
	for _, n := range rec.payouts {
		total += int(s.payouts.row(n).n)
	}
	ids := make([]affiliate.EntryID, total)
	idBuf := make([]byte, 0, idRoom*total)
	for i, n := range rec.payouts {
		out.Payouts[i], ids = s.payoutIn(n, ids, &idBuf)
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
	i, found := s.payouts.runs[runKey{program, key}]
	if !ok || !found {
		return affiliate.PayoutRun{}, errNoRun
	}
	return s.runCopy(s.payouts.runList[i], period.Location), nil
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
	n, ok := t.ids.lookup(string(u.ID))
	if !ok || n == 0 {
		return affiliate.Payout{}, notFound("payout", string(u.ID))
	}
	r := t.row(n)
	if s.ids.words.str(r.status) != string(affiliate.PayoutCreated) {
		return affiliate.Payout{}, &storage.PayoutStatusError{Payout: s.payoutOut(n), To: u.Status}
	}
	program := t.runList[r.run].key.program
	s.count(program, r, -1)
	r.status = s.ids.words.intern(string(u.Status))
	r.settled = s.ids.locs.instant(u.At)
	r.note = s.ids.text.addString(u.Note)
	if u.Status == affiliate.PayoutPaid {
		r.reference = s.ids.text.addString(u.Reference)
	}
	s.count(program, r, 1)
	cur := affiliate.Currency(s.ids.words.str(r.currency))
	for _, sums := range []*stateSums{t.sums(r.affiliate, cur), t.programSums(cur)} {
		sums.inPayout -= r.amount
		if u.Status == affiliate.PayoutPaid {
			sums.paid += r.amount
		}
	}
	if u.Status != affiliate.PayoutPaid {
		s.ledger.release(t.entries(r))
		s.reports.released(s, t.entries(r))
	}
	s.appendPayoutEvent(payoutSettled, n)
	return s.payoutOut(n), nil
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
		out = append(out, t.runList[t.runs[runKey{program, periods[i]}]])
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
		if n, ok := s.ids.affiliates.lookup(string(a)); ok && n != 0 {
			for _, i := range share(rec.byAffiliate, rec.payoutAff, n) {
				ar.Payouts = append(ar.Payouts, s.payoutOut(rec.payouts[i]))
			}
			for _, i := range share(rec.carriedBy, rec.carriedAff, n) {
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
