package commission

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
)

// Engine records billing events and keeps the ledger following from them.
// It is safe for concurrent use; see the package doc for what it relies
// on from the store.
type Engine struct {
	store        Store
	reads        bool // store is a storage.BatchReader and an ExpectationChecker
	remembered   remembered
	terms        []TermsVersion
	tiers        TierSource
	currency     affiliate.Currency
	requireConv  bool
	revenue      affiliate.Revenue
	loc          *time.Location
	chainDepth   int
	historyDepth int
	maxAttempts  int
	now          func() time.Time
	// payoutProgram names the payout runs that close months (months.go).
	payoutProgram string
	closedCache   closedMonths
	hasher        hasher
}

// New validates cfg and returns an engine. Errors are *affiliate.FieldError
// values naming the Config field; a rule that fails its own validation is
// reported under its terms version.
func New(cfg Config) (*Engine, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	e := &Engine{
		store:       cfg.Store,
		terms:       slices.Clone(cfg.Terms),
		tiers:       cfg.Tiers,
		currency:    cfg.Currency,
		requireConv: cfg.RequireConversion,
		revenue:     affiliate.Revenue{Kinds: slices.Clone(cfg.Revenue.Kinds)},
		loc:         cfg.Location,
		chainDepth:  cfg.ChainDepth,
		maxAttempts: cfg.MaxAttempts,
		now:         cfg.Now,
		remembered:  remembered{room: cfg.RememberedCustomers},

		payoutProgram: cfg.PayoutProgram,
		hasher:        hasherFor(cfg.Store),
	}
	if e.tiers == nil {
		e.tiers = FixedTier(rules.Tier{})
	}
	if e.loc == nil {
		e.loc = time.UTC
	}
	if e.maxAttempts == 0 {
		e.maxAttempts = 16
	}
	_, reader := cfg.Store.(storage.BatchReader)
	_, checks := cfg.Store.(storage.ExpectationChecker)
	e.reads = reader && checks
	if cfg.RememberedCustomers == 0 {
		e.remembered.room = defaultRemembered
	}
	if e.payoutProgram == "" {
		e.payoutProgram = defaultPayoutProgram
	}
	if e.now == nil {
		e.now = time.Now
	}
	for _, t := range e.terms {
		e.historyDepth = max(e.historyDepth, rules.HistoryDepth(t.Rule))
		e.chainDepth = max(e.chainDepth, rules.ChainDepth(t.Rule))
	}
	return e, nil
}

// Record records a billing event, a Payment, a Refund (a refund or a
// chargeback) or a Reinstatement (a chargeback the merchant won), and
// returns the entries it appended.
//
// It is idempotent by event ID: delivering the same event again appends
// nothing and returns the first delivery's entries with Replayed set; the
// same ID with another payload returns an error matching
// affiliate.ErrIdempotencyMismatch. Bad input is refused with a typed
// error before anything is stored: a *affiliate.FieldError for an event
// that fails its own validation (a missing ID or time, a zero or negative
// payment, mixed or unknown currencies), a *RefundError for a refund its
// payment cannot take, ErrMissingConversion under RequireConversion.
//
// Record writes with one store call. When that call loses the race for
// the customer's summary to a concurrent Record, it reloads and tries
// again, up to Config.MaxAttempts times, then returns a *ContentionError.
func (e *Engine) Record(ctx context.Context, ev affiliate.Event) (Result, error) {
	ev, err := e.canonical(ev)
	if err != nil {
		return Result{}, err
	}
	k, err := e.hasher.keysOf(ev)
	if err != nil {
		return Result{}, err
	}
	return e.record(ctx, ev, k)
}

// record is Record for a canonical event and its keys.
func (e *Engine) record(ctx context.Context, ev affiliate.Event, k eventKeys) (Result, error) {
	var last error
	for attempt := range e.maxAttempts {
		if err := backoff(ctx, attempt); err != nil {
			return Result{}, err
		}
		res, retry, err := e.recordOnce(ctx, ev, k)
		if !retry {
			return res, err
		}
		last = err
	}
	return Result{}, &ContentionError{Customer: ev.EventCustomer(), Attempts: e.maxAttempts, Last: last}
}

// backoff waits before a retry: not at all for the first two attempts,
// then a short, growing, jittered pause, so that writers racing for one
// customer spread out instead of colliding again in lockstep.
func backoff(ctx context.Context, attempt int) error {
	if attempt < 2 {
		return ctx.Err()
	}
	limit := time.Duration(min(attempt*attempt, 100)) * 50 * time.Microsecond
	t := time.NewTimer(time.Duration(rand.Int64N(int64(limit))) + time.Microsecond)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// canonical validates ev and returns the event the engine works on: a
// value (not a pointer), with its times in UTC. A payment's lines are
// still the host's: planPayment copies them before a rule sees them.
func (e *Engine) canonical(ev affiliate.Event) (affiliate.Event, error) {
	switch v := ev.(type) {
	case *affiliate.Payment:
		if v == nil {
			return nil, fieldErr("Event", "nil payment")
		}
		ev = *v
	case *affiliate.Refund:
		if v == nil {
			return nil, fieldErr("Event", "nil refund")
		}
		ev = *v
	case *affiliate.Reinstatement:
		if v == nil {
			return nil, fieldErr("Event", "nil reinstatement")
		}
		ev = *v
	}
	switch v := ev.(type) {
	case affiliate.Payment:
		if err := v.Validate(); err != nil {
			return nil, err
		}
		utc := v.PaidAt.UTC()
		if err := checkYear("Payment.PaidAt", utc); err != nil {
			return nil, err
		}
		if e.requireConv && v.Currency != e.currency && v.Conversion.To != e.currency {
			return nil, &affiliate.FieldError{Field: "Payment.Conversion", Reason: "a payment in " + string(v.Currency) + " needs a conversion to " + string(e.currency), Err: ErrMissingConversion}
		}
		if utc == v.PaidAt {
			return ev, nil // already a value in UTC: boxing it again would copy it
		}
		v.PaidAt = utc
		return v, nil
	case affiliate.Refund:
		if err := v.Validate(); err != nil {
			return nil, err
		}
		v.RefundedAt = v.RefundedAt.UTC()
		if err := checkYear("Refund.RefundedAt", v.RefundedAt); err != nil {
			return nil, err
		}
		return v, nil
	case affiliate.Reinstatement:
		if err := v.Validate(); err != nil {
			return nil, err
		}
		v.ReinstatedAt = v.ReinstatedAt.UTC()
		if err := checkYear("Reinstatement.ReinstatedAt", v.ReinstatedAt); err != nil {
			return nil, err
		}
		return v, nil
	case nil:
		return nil, fieldErr("Event", "missing")
	}
	return nil, fieldErr("Event", "not a payment, a refund or a reinstatement")
}

// checkYear refuses a time outside the years 1 to 9999 (UTC): periods and
// the stored customer state cover no others.
func checkYear(field string, t time.Time) error {
	if y := t.Year(); y < 1 || y > 9999 {
		return fieldErr(field, "year "+itoa(y)+" is outside 1–9999")
	}
	return nil
}

// recordOnce makes one attempt. retry is set when the attempt lost a race
// with another writer for the customer and should run again.
func (e *Engine) recordOnce(ctx context.Context, ev affiliate.Event, k eventKeys) (res Result, retry bool, err error) {
	// Remembering is for a store whose reads are round trips and that
	// checks expectations, and for a Record alone, not one within
	// RecordBatch or a recompute.
	alone := e.reads && prefetchOf(ctx) == nil && memoOf(ctx) == nil
	if alone {
		if p, x := e.recall(ev); p != nil {
			res, ok, err := e.recordRecalled(context.WithValue(ctx, prefetchKey{}, p), ev, k, x)
			if ok {
				return res, false, err
			}
		}
	}
	ctx, err = e.prefetchOne(ctx, ev)
	if err != nil {
		return Result{}, false, err
	}
	w, res, retry, err := e.prepare(ctx, ev, k)
	if w == nil {
		return res, retry, err
	}
	cr, err := e.store.Commit(ctx, w.commit)
	if err == nil && e.reads {
		if alone && !cr.Replayed {
			e.remember(prefetchOf(ctx), w) // prefetchOne's: the store is a BatchReader
		} else if !alone { // within RecordBatch or a recompute: the state moved on
			e.remembered.forget(ev.EventCustomer())
		}
	}
	if err != nil {
		// A mismatch on the event's key may be the same delivery, committed
		// since this attempt read by an engine that hashes the other way
		// (storage.ProcessHashes): the next attempt reads the event and
		// compares payloads.
		mismatch := w.commit.Event != nil && errors.Is(err, affiliate.ErrIdempotencyMismatch)
		return Result{}, mismatch || errors.Is(err, affiliate.ErrConflict), err
	}
	res = w.result(cr)
	w.release()
	return res, false, nil
}

// recordRecalled is recordOnce's attempt from what the engine remembers
// of the customer (ctx's prefetch), its commit carrying x. ok is false
// when the attempt decided nothing: its commit found the facts changed,
// or it would have ended without a write (a replay or a refusal, which
// a read decides). The customer is then forgotten, and the attempt made
// again from a read, not counted as a retry.
func (e *Engine) recordRecalled(ctx context.Context, ev affiliate.Event, k eventKeys, x *storage.Expectation) (res Result, ok bool, err error) {
	c := ev.EventCustomer()
	w, _, _, _ := e.prepare(ctx, ev, k)
	if w == nil {
		e.remembered.forget(c)
		return Result{}, false, nil
	}
	w.commit.Expect = x
	cr, err := e.store.Commit(ctx, w.commit)
	switch {
	case err == nil && !cr.Replayed:
		e.remember(prefetchOf(ctx), w)
	case err == nil || stale(err):
		e.remembered.forget(c)
		return Result{}, false, nil
	default:
		e.remembered.forget(c)
		return Result{}, true, err
	}
	res = w.result(cr)
	w.release()
	return res, true, nil
}

// pendingWrite is an attempt prepared and not yet committed: the commit
// to make, and the plan that tells its result. It also holds the
// customer's summary; spare, the zero plan planPayment fills on the fast
// path (a plan is allocated apart: one object of both is past the
// allocator's small sizes, and costs more than two); and state, the
// buffer the new summary is encoded into.
//
// Writes are recycled (writePool): a plan is about 5 KB of working memory,
// and allocating one per event was half of what a year of events
// allocated. A write is taken in prepare and given back by release once
// its result is copied out (result); one that fails is left to the
// collector.
type pendingWrite struct {
	commit storage.Commit
	plan   *plan
	spare  *plan
	state  []byte
	sum    summary
}

var writePool = sync.Pool{New: func() any { return &pendingWrite{spare: new(plan)} }}

// maxPooledState bounds the state buffer a recycled write keeps: a rare
// customer with a long summary should not pin its size in every write.
const maxPooledState = 4 << 10

// result is the attempt's result once its commit returned cr, sharing no
// memory with w: its entries are copied out of w's plan (ownEntries).
func (w *pendingWrite) result(cr storage.CommitResult) Result {
	var res Result
	if cr.Replayed { // a concurrent delivery of the same event won
		res = Result{Replayed: true, Unbound: w.plan.result.Unbound}
	} else {
		res = w.plan.result
	}
	res.Entries = ownEntries(cr.Entries)
	return res
}

// release gives w back for reuse, once its commit is made (the store
// copied it in) and its result copied out.
func (w *pendingWrite) release() {
	spare, state := w.spare, w.state[:0]
	*spare = plan{}
	if cap(state) > maxPooledState {
		state = nil
	}
	*w = pendingWrite{spare: spare, state: state}
	writePool.Put(w)
}

// ownedEntries backs, in one allocation, the entries of the usual Result
// with their chains and base lines.
type ownedEntries struct {
	entries [2]affiliate.Entry
	chains  [6]affiliate.AffiliateID
	lines   [8]affiliate.LineKind
}

// ownEntries returns a copy of es that shares no memory with es: its
// chains and base lines copied too (nil stays nil). It allocates once
// for the usual payment's entries, three times beyond.
func ownEntries(es []affiliate.Entry) []affiliate.Entry {
	if es == nil {
		return nil
	}
	var chains, lines int
	for _, e := range es {
		chains, lines = chains+len(e.Chain), lines+len(e.BaseLines)
	}
	var (
		out []affiliate.Entry
		cs  []affiliate.AffiliateID
		ls  []affiliate.LineKind
	)
	if len(es) <= len(ownedEntries{}.entries) && chains <= len(ownedEntries{}.chains) && lines <= len(ownedEntries{}.lines) {
		o := new(ownedEntries)
		out, cs, ls = o.entries[:0:len(es)], o.chains[:0], o.lines[:0]
	} else {
		out, cs, ls = make([]affiliate.Entry, 0, len(es)), make([]affiliate.AffiliateID, 0, chains), make([]affiliate.LineKind, 0, lines)
	}
	for _, e := range es {
		if e.Chain != nil {
			n := len(cs)
			cs = append(cs, e.Chain...)
			e.Chain = cs[n:len(cs):len(cs)]
		}
		if e.BaseLines != nil {
			n := len(ls)
			ls = append(ls, e.BaseLines...)
			e.BaseLines = ls[n:len(ls):len(ls)]
		}
		out = append(out, e)
	}
	return out
}

// prepare reads what ev needs and plans its write. It returns the write
// to commit, or, when there is none (a replay, a refusal, a failed read),
// the attempt's answer: its result, whether to retry, and its error.
func (e *Engine) prepare(ctx context.Context, ev affiliate.Event, k eventKeys) (w *pendingWrite, res Result, retry bool, err error) {
	id, cust := ev.EventID(), ev.EventCustomer()
	// The customer's state is read before anything else: the commit
	// succeeds only if no other commit for the customer came after this
	// read, so every later read is as fresh as the commit needs.
	st, err := e.customerState(ctx, cust)
	if err != nil {
		return nil, Result{}, false, err
	}
	rec, err := e.event(ctx, id)
	switch {
	case err == nil:
		res, err := e.replayed(ctx, rec, k.hash)
		return nil, res, false, err
	case !errors.Is(err, affiliate.ErrNotFound):
		return nil, Result{}, false, err
	}
	w = writePool.Get().(*pendingWrite)
	if w.sum, err = decodeSummary(st.Data); err != nil {
		return nil, Result{}, false, err
	}
	var p *plan
	switch v := ev.(type) {
	case affiliate.Payment:
		p, err = e.planPayment(ctx, &w.sum, v, k, w.spare)
	case affiliate.Refund:
		p, err = e.planRefund(ctx, &w.sum, v, k.hash)
	case affiliate.Reinstatement:
		p, err = e.planReinstatement(ctx, &w.sum, v, k.hash)
	}
	if err != nil {
		// Reads made while another writer committed for the customer can
		// disagree with each other (the event itself already in the log,
		// a refund already applied); the plan is then stale, not wrong.
		return nil, Result{}, e.moved(ctx, cust, st.Version), err
	}
	w.state = appendSummary(w.state[:0], p.sum)
	w.plan, w.commit = p, storage.Commit{
		Key:     k.key,
		Hash:    k.hash,
		Event:   p.record,
		State:   storage.CustomerState{Customer: cust, Version: st.Version + 1, Data: w.state},
		Entries: p.batch.entries,
		Deltas:  p.deltas.list,
	}
	return w, Result{}, false, nil
}

// moved reports whether the customer's state is no longer at version.
func (e *Engine) moved(ctx context.Context, c affiliate.CustomerID, version int64) bool {
	st, err := e.store.CustomerState(ctx, c)
	return err == nil && st.Version != version
}

// replayed answers a delivery of an event already recorded.
func (e *Engine) replayed(ctx context.Context, rec affiliate.EventRecord, hash string) (Result, error) {
	if !e.hasher.samePayload(rec, hash) {
		return Result{}, &affiliate.FieldError{Field: "ID", Reason: "event " + quote(string(rec.ID)) + " was recorded with another payload", Err: affiliate.ErrIdempotencyMismatch}
	}
	entries, err := e.store.Entries(ctx, storage.EntryQuery{Event: rec.ID})
	if err != nil {
		return Result{}, err
	}
	sortBySequence(entries)
	res := Result{Entries: entries, Replayed: true}
	switch {
	case rec.Payment != nil:
		res.Unbound = rec.Affiliate == ""
	case rec.Refund != nil:
		if _, err := e.store.Event(ctx, rec.Refund.Payment); errors.Is(err, affiliate.ErrNotFound) {
			res.Parked = true
		} else if err != nil {
			return Result{}, err
		}
	case rec.Reinstatement != nil:
		if _, err := e.store.Event(ctx, rec.Reinstatement.Chargeback); errors.Is(err, affiliate.ErrNotFound) {
			res.Parked = true
		} else if err != nil {
			return Result{}, err
		}
	}
	return res, nil
}

// plan is what one attempt will commit.
type plan struct {
	record *affiliate.EventRecord
	// recordBuf and paymentBuf back record and its payment on the fast
	// path, so that a plan is one allocation.
	recordBuf  affiliate.EventRecord
	paymentBuf affiliate.Payment
	// entriesBuf and deltasBuf back batch.entries and deltas.list for a
	// payment of the usual size; the store copies both in.
	entriesBuf [2]affiliate.Entry
	deltasBuf  [12]storage.AggregateDelta
	// cust, monthsBuf, targetsBuf, accsBuf, scratch and linesBuf back
	// the customer, batch.months, the targets, the checked accruals, the
	// rule's working memory and the payment's lines of an in-order payment: all of them live as long as
	// the plan, and the store copies the state in.
	cust       customer
	monthsBuf  months
	targetsBuf [2]target
	accsBuf    [2]rules.Accrual
	scratch    rules.Scratch
	linesBuf   [4]affiliate.Line
	// countsFor is, after a replay, the affiliate each payment's
	// aggregates count for.
	countsFor map[affiliate.EventID]affiliate.AffiliateID
	sum       *summary
	batch     batch
	deltas    deltaSet
	result    Result
}
