package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/payout"
)

// Config is one simulation run.
type Config struct {
	Gen GenConfig
	// Hold is the terms' hold on new entries; seed 000 states none.
	Hold time.Duration
	// Check runs the checker beside the simulation and the final checks
	// after it. Without it nothing is judged.
	Check bool
	// Model runs the simulation's own integer model of the year over the
	// same events, in the same run, and times it apart from the library
	// and the checks: the yardstick the library's time is compared with.
	Model bool
	// Recompute is how many customers, evenly spread, the final check
	// recomputes from their events; 0 recomputes none.
	Recompute int
	// Baseline measures the generator alone after the year, so its time
	// and allocations can be told from the library's.
	Baseline bool
	// Progress, when set, gets one line per simulated month.
	Progress io.Writer
	// Profile, when set, is called right before the year starts and
	// returns the function that ends the profile, called right after the
	// last payout run.
	Profile func() (stop func() error, err error)
}

// Result is what a simulation measured and counted.
type Result struct {
	Totals     Totals
	Violations *Violations
	Measures   Measures
}

// Measures are the run's figures. Durations are wall-clock.
type Measures struct {
	GOMAXPROCS int
	Affiliates int
	// Bindings counts the customers bound: before the year (Setup) and at
	// signup (in the stream).
	PreBindings, StreamBindings int
	// Events are the billing events recorded: payments and refunds.
	Events                                         int
	Payments, Refunds, PartialRefunds, Chargebacks int

	Setup  time.Duration // storing affiliates, binding the existing customers
	Stream time.Duration // generating and recording the months' events (with the model's checks)
	Record time.Duration // inside Engine.Record and Bindings.Bind, within Stream
	Closes time.Duration // inside tiers.Program.Close and the Retier calls it asks for
	Runs   time.Duration // inside payout.Runner.Run
	// CloseCPU and RunCPU are the process's CPU time over the closes and
	// the runs.
	CloseCPU, RunCPU time.Duration
	Year             time.Duration // Setup + Stream + the closes and runs, and the checks between them
	// YearCPU is the CPU time the process used over the year, every
	// thread (the GC's too); 0 where the system does not say.
	YearCPU time.Duration
	Library time.Duration // inside library calls: PutAffiliate, Bind, Record, Close, Run
	// LibraryCPU is the process's CPU time over the library calls (taken
	// around batches of events, so the clock's own cost stays out).
	LibraryCPU time.Duration
	// Model and ModelCPU are the integer model's wall and CPU time over
	// the same year (Config.Model): setup, events, closes and runs.
	Model, ModelCPU time.Duration
	// LibraryMallocs and ModelMallocs are the allocations inside each.
	LibraryMallocs, ModelMallocs uint64
	Final                        time.Duration // the final checks

	// Mallocs and AllocBytes are runtime.MemStats deltas over the year;
	// the Close and Run ones are the part inside closes and runs.
	Mallocs, AllocBytes         uint64
	CloseMallocs, RunMallocs    uint64
	SetupMallocs                uint64
	GenTime                     time.Duration // the generator alone (Baseline)
	GenMallocs, GenBytes        uint64
	HeapSys, PeakHeapInuse, RSS uint64
	NumGC                       uint32
}

// Run simulates the program year cfg describes on memstore.
func Run(ctx context.Context, cfg Config) (Result, error) {
	sim, err := newSimulation(cfg)
	if err != nil {
		return Result{}, err
	}
	if err := sim.run(ctx); err != nil {
		return Result{}, err
	}
	res := sim.result()
	if cfg.Baseline {
		sim.p, sim.chk, sim.model = nil, nil, nil // let the store go before measuring the generator
		if err := baseline(cfg.Gen, &res.Measures); err != nil {
			return Result{}, err
		}
	}
	res.Measures.RSS = maxRSS()
	return res, nil
}

func newSimulation(cfg Config) (*simulation, error) {
	gen, err := NewGenerator(cfg.Gen)
	if err != nil {
		return nil, err
	}
	sim := &simulation{cfg: cfg, gen: gen, v: &Violations{}, now: gen.cfg.Start}
	if cfg.Model {
		sim.model = newModel(gen, cfg.Hold)
	}
	if sim.p, err = newProgram(cfg.Hold, func() time.Time { return sim.now }); err != nil {
		return nil, err
	}
	if cfg.Check {
		sim.chk = newChecker(gen, cfg.Hold, sim.v)
	}
	return sim, nil
}

// run simulates the year, then makes the final checks.
func (s *simulation) run(ctx context.Context) error {
	if err := s.year(ctx); err != nil {
		return err
	}
	if s.chk == nil {
		return nil
	}
	t := time.Now()
	if err := s.chk.final(ctx, s.p, s.now, s.cfg.Recompute); err != nil {
		return err
	}
	s.m.Final = time.Since(t)
	return nil
}

func (s *simulation) result() Result {
	res := Result{Violations: s.v, Measures: s.m}
	if s.chk != nil {
		res.Totals = s.chk.Totals
	}
	res.Totals.Bindings = s.m.PreBindings + s.m.StreamBindings
	return res
}

type simulation struct {
	cfg   Config
	gen   *Generator
	p     *program
	chk   *checker
	model *model
	v     *Violations
	now   time.Time // the simulation's clock, read by the shells that need one
	m     Measures

	batch   []Item // the events of the batch being recorded
	results []commission.Result
	failed  []bool
}

func (s *simulation) year(ctx context.Context) (err error) {
	s.m.GOMAXPROCS = runtime.GOMAXPROCS(0)
	if s.cfg.Profile != nil {
		stop, err := s.cfg.Profile()
		if err != nil {
			return err
		}
		defer func() {
			if e := stop(); err == nil {
				err = e
			}
		}()
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start, cpu := time.Now(), cpuTime()

	if err := s.setup(ctx); err != nil {
		return err
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	s.m.SetupMallocs = ms.Mallocs - before.Mallocs
	s.m.Setup = time.Since(start)

	for m := range s.gen.Months() {
		if err := s.month(ctx, m); err != nil {
			return err
		}
	}
	s.m.Year = time.Since(start)
	s.m.YearCPU = cpuTime() - cpu
	runtime.ReadMemStats(&after)
	s.m.Mallocs = after.Mallocs - before.Mallocs
	s.m.AllocBytes = after.TotalAlloc - before.TotalAlloc
	s.m.HeapSys = after.HeapSys
	s.m.PeakHeapInuse = max(s.m.PeakHeapInuse, after.HeapInuse)
	s.m.NumGC = after.NumGC - before.NumGC
	s.m.Library += s.m.Record + s.m.Closes + s.m.Runs
	return nil
}

// span measures a stretch of work: wall and CPU time and allocations.
// Reading them costs a stop of the world, so spans cover batches, not
// single events.
type span struct {
	wall, cpu time.Time
	mallocs   uint64
}

func startSpan() span {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return span{mallocs: ms.Mallocs, cpu: time.Unix(0, int64(cpuTime())), wall: time.Now()}
}

// end adds the span's wall and CPU time and allocations to the totals.
func (sp span) end(wall, cpu *time.Duration, mallocs *uint64) {
	*wall += time.Since(sp.wall)
	*cpu += time.Unix(0, int64(cpuTime())).Sub(sp.cpu)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	*mallocs += ms.Mallocs - sp.mallocs
}

func (s *simulation) libraryEnd(sp span) time.Duration {
	var wall time.Duration
	sp.end(&wall, &s.m.LibraryCPU, &s.m.LibraryMallocs)
	return wall
}

func (s *simulation) modelEnd(sp span) { sp.end(&s.m.Model, &s.m.ModelCPU, &s.m.ModelMallocs) }

// setup stores the affiliates, parents first, and binds the customers
// referred before the year, through storage.Bindings directly (the
// attribution shell's cost is measured by its own benchmarks).
func (s *simulation) setup(ctx context.Context) error {
	bindings := slices.Collect(s.gen.ExistingBindings())
	sp := startSpan()
	for _, a := range s.gen.Affiliates() {
		if err := s.p.store.PutAffiliate(ctx, a); err != nil {
			return fmt.Errorf("affiliate %s: %w", a.ID, err)
		}
	}
	s.m.Affiliates = len(s.gen.Affiliates())
	for _, b := range bindings {
		if _, err := s.p.store.Bind(ctx, b); err != nil {
			return fmt.Errorf("bind %s: %w", b.Customer, err)
		}
		s.m.PreBindings++
	}
	s.m.Library += s.libraryEnd(sp)
	if s.model != nil {
		sp := startSpan()
		for i := range bindings {
			s.model.item(&Item{Kind: ItemBind, Binding: bindings[i]})
		}
		s.modelEnd(sp)
	}
	return nil
}

// batchSize is how many events are recorded between two readings of the
// clocks and the allocation counters.
const batchSize = 1024

// events records a batch of events through the library, then lets the
// checker judge them and the model apply them, each timed on its own.
func (s *simulation) events(ctx context.Context, items []Item) error {
	s.results = slices.Grow(s.results[:0], len(items))[:len(items)]
	s.failed = slices.Grow(s.failed[:0], len(items))[:len(items)]
	sp := startSpan()
	for i := range items {
		it := &items[i]
		var err error
		s.results[i] = commission.Result{}
		switch it.Kind {
		case ItemBind:
			_, err = s.p.store.Bind(ctx, it.Binding)
		case ItemPayment:
			s.results[i], err = s.p.engine.Record(ctx, it.Payment)
		case ItemRefund:
			s.results[i], err = s.p.engine.Record(ctx, it.Refund)
		}
		s.failed[i] = err != nil
		if err != nil {
			if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				return err
			}
			s.v.Add("record", "%s: %v", it.id(), err)
		}
	}
	s.m.Record += s.libraryEnd(sp)
	for i := range items {
		it := &items[i]
		switch it.Kind {
		case ItemBind:
			s.m.StreamBindings++
		case ItemPayment:
			s.m.Payments++
		case ItemRefund:
			s.m.Refunds++
			switch {
			case it.Refund.Kind == affiliate.KindChargeback:
				s.m.Chargebacks++
			case !it.Refund.Full:
				s.m.PartialRefunds++
			}
		}
		if s.chk == nil || s.failed[i] {
			continue
		}
		switch it.Kind {
		case ItemPayment:
			s.chk.payment(&it.Payment, it.RefundLater, s.results[i])
		case ItemRefund:
			s.chk.refund(&it.Refund, s.results[i])
		}
	}
	if s.model != nil {
		sp := startSpan()
		for i := range items {
			s.model.item(&items[i])
		}
		s.modelEnd(sp)
	}
	return nil
}

// month records month m's events in time order, then closes the month's
// tiers and runs its payouts at its end, as a host's month-end job would.
func (s *simulation) month(ctx context.Context, m int) error {
	t0 := time.Now()
	before := s.m.Payments + s.m.Refunds
	s.batch = s.batch[:0]
	for it := range s.gen.Month(m) {
		s.batch = append(s.batch, *it)
		if len(s.batch) == batchSize {
			if err := s.events(ctx, s.batch); err != nil {
				return err
			}
			s.batch = s.batch[:0]
		}
	}
	if err := s.events(ctx, s.batch); err != nil {
		return err
	}
	events := s.m.Payments + s.m.Refunds - before
	s.m.Events += events
	s.m.Stream += time.Since(t0)

	period := s.gen.Period(m)
	s.now = period.End()
	var closeMallocs, runMallocs uint64
	sp := startSpan()
	closed, err := s.p.tiers.Close(ctx, period, s.now)
	retiered := 0
	for _, c := range closed.Affected {
		if err != nil {
			break
		}
		var res commission.Result
		res, err = s.p.engine.Retier(ctx, c.Affiliate, c.From)
		retiered += len(res.Entries)
	}
	var closeTime, closeCPU time.Duration
	sp.end(&closeTime, &closeCPU, &closeMallocs)
	s.m.Closes += closeTime
	s.m.CloseCPU += closeCPU
	s.m.LibraryCPU += closeCPU
	s.m.CloseMallocs += closeMallocs
	s.m.LibraryMallocs += closeMallocs
	if err != nil {
		return fmt.Errorf("close %s: %w", period, err)
	}
	if s.chk != nil {
		if err := s.chk.closed(ctx, s.p.store, period, closed.Snapshots, retiered); err != nil {
			return err
		}
	}

	sp = startSpan()
	run, err := s.p.payout.Run(ctx, period, s.now)
	var runTime, runCPU time.Duration
	sp.end(&runTime, &runCPU, &runMallocs)
	s.m.Runs += runTime
	s.m.RunCPU += runCPU
	s.m.LibraryCPU += runCPU
	s.m.RunMallocs += runMallocs
	s.m.LibraryMallocs += runMallocs
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	s.m.PeakHeapInuse = max(s.m.PeakHeapInuse, ms.HeapInuse)
	if err != nil {
		return fmt.Errorf("payout run %s: %w", period, err)
	}
	if s.chk != nil {
		stored, err := s.p.store.PayoutRun(ctx, payout.DefaultProgram, period)
		if err != nil {
			return fmt.Errorf("payout run %s: %w", period, err)
		}
		s.chk.ran(stored, period)
	}
	if s.model != nil {
		sp := startSpan()
		s.model.close()
		s.model.run(period.End().UnixNano(), s.now.UnixNano())
		s.modelEnd(sp)
	}
	if s.cfg.Progress != nil {
		// Allocations per close and run are printed beside their times:
		// unlike the times, they do not depend on which GC cycle or
		// neighbour lands in the call, so they show how the cost grows.
		fmt.Fprintf(s.cfg.Progress, "%s %7d events %5d snapshots %6d payouts %5d carried | close %6.3fs %6.0fk allocs | run %6.3fs %6.0fk allocs | month %6.2fs\n",
			period, events, len(closed.Snapshots), len(run.Payouts), len(run.Carried),
			closeTime.Seconds(), float64(closeMallocs)/1e3, runTime.Seconds(), float64(runMallocs)/1e3, time.Since(t0).Seconds())
	}
	return nil
}

// baseline runs the generator alone over the same year and records its
// time and allocations, which the year's figures include.
func baseline(cfg GenConfig, m *Measures) error {
	runtime.GC()
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	t := time.Now()
	g, err := NewGenerator(cfg)
	if err != nil {
		return err
	}
	for range g.ExistingBindings() {
	}
	for month := range g.Months() {
		for range g.Month(month) {
		}
	}
	m.GenTime = time.Since(t)
	runtime.ReadMemStats(&b)
	m.GenMallocs, m.GenBytes = b.Mallocs-a.Mallocs, b.TotalAlloc-a.TotalAlloc
	return nil
}

// currencyTotals formats per-currency minor units as Money.
func currencyTotals(minor []int64) []affiliate.Money {
	var out []affiliate.Money
	for i, v := range minor {
		if v != 0 {
			out = append(out, affiliate.MustMoney(v, currencies[i].code))
		}
	}
	return out
}
