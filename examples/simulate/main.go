package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

func main() {
	os.Exit(cli(os.Args[1:], os.Stdout, os.Stderr))
}

// cli runs the command with args and returns its exit code: 0 when the
// simulation ran and broke no invariant, 1 on a violation, 2 on an error.
func cli(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	scale := fs.Float64("scale", 1, "population scale: 1 is 10,000 affiliates and 100,000 customers (about 1.2M payments a year)")
	months := fs.Int("months", 12, "months to simulate, 1 to 12")
	seed := fs.Uint64("seed", 1, "PCG seed of the generator")
	hold := fs.Duration("hold", 0, "hold on new entries before payout (seed 000 states none)")
	check := fs.Bool("check", true, "check the library's results against the simulation's own model (-check=false still times the model)")
	model := fs.Bool("model", true, "run the simulation's own integer model of the year over the same events and time it beside the library")
	recompute := fs.Int("recompute", 1000, "customers to recompute from their events at the end (part of -check)")
	base := fs.Bool("baseline", true, "measure the generator alone after the year, to tell its cost from the library's")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the year to `file`")
	memprofile := fs.String("memprofile", "", "write a heap profile (in use at the year's end, and allocated during it) to `file`")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg := Config{
		Gen:       GenConfig{Seed: *seed, Scale: *scale, Months: *months},
		Hold:      *hold,
		Check:     *check,
		Model:     *model,
		Recompute: *recompute,
		Baseline:  *base,
		Progress:  stdout,
	}
	cfg.Profile = profiler(*cpuprofile, *memprofile)
	fmt.Fprintf(stdout, "simulate: seed %d, scale %g, %d months, hold %s, GOMAXPROCS %d, %s %s/%s\n",
		*seed, *scale, *months, *hold, runtime.GOMAXPROCS(0), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	res, err := Run(context.Background(), cfg)
	if err != nil {
		fmt.Fprintln(stderr, "simulate:", err)
		return 2
	}
	printResult(stdout, cfg, res)
	if !cfg.Check {
		fmt.Fprintln(stdout, "checks: skipped (-check=false)")
		return 0
	}
	if n := res.Violations.Count(); n > 0 {
		fmt.Fprintf(stdout, "checks: %d VIOLATIONS\n%s", n, res.Violations)
		return 1
	}
	fmt.Fprintln(stdout, "checks: ok (per event: amounts, rates, tiers, currencies, reversals; per close: decisions, aggregates, nothing to re-price; per run: I6; at the end: ledger nets, paid + carried + on hold, recomputation)")
	return 0
}

// profiler returns the Config.Profile hook for the flags, or nil.
func profiler(cpu, mem string) func() (func() error, error) {
	if cpu == "" && mem == "" {
		return nil
	}
	return func() (func() error, error) {
		var cf *os.File
		if cpu != "" {
			f, err := os.Create(cpu)
			if err != nil {
				return nil, err
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				f.Close()
				return nil, err
			}
			cf = f
		}
		return func() error {
			if cf != nil {
				pprof.StopCPUProfile()
				if err := cf.Close(); err != nil {
					return err
				}
			}
			if mem == "" {
				return nil
			}
			f, err := os.Create(mem)
			if err != nil {
				return err
			}
			runtime.GC()
			if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
				f.Close()
				return err
			}
			return f.Close()
		}, nil
	}
}

// printResult writes the figures and totals.
func printResult(w io.Writer, cfg Config, r Result) {
	m, t := r.Measures, r.Totals
	ev := float64(max(m.Events, 1))
	fmt.Fprintf(w, "\npopulation: %d affiliates, %d customers bound (%d before the year, %d at signup)\n",
		m.Affiliates, m.PreBindings+m.StreamBindings, m.PreBindings, m.StreamBindings)
	fmt.Fprintf(w, "events: %d (%d payments, %d refunds: %d partial, %d chargebacks)\n", m.Events, m.Payments, m.Refunds, m.PartialRefunds, m.Chargebacks)
	fmt.Fprintf(w, "\ntime (GOMAXPROCS %d):\n", m.GOMAXPROCS)
	fmt.Fprintf(w, "  year               %8.3fs  (setup %.3fs, events %.3fs, %d closes %.3fs, %d payout runs %.3fs, checks between)\n",
		m.Year.Seconds(), m.Setup.Seconds(), m.Stream.Seconds(), cfg.Gen.Months, m.Closes.Seconds(), cfg.Gen.Months, m.Runs.Seconds())
	if m.YearCPU > 0 {
		fmt.Fprintf(w, "  year, CPU time     %8.3fs  (every thread, the GC's included: steadier than wall time on a loaded machine)\n", m.YearCPU.Seconds())
		fmt.Fprintf(w, "  closes, runs CPU   %8.3fs, %.3fs\n", m.CloseCPU.Seconds(), m.RunCPU.Seconds())
	}
	fmt.Fprintf(w, "  inside the library %8.3fs  (Record+Bind %.3fs)\n", m.Library.Seconds(), m.Record.Seconds())
	fmt.Fprintf(w, "  events/s           %8.0f  recorded (Record+Bind time), %.0f end to end (year)\n", ev/m.Record.Seconds(), ev/m.Year.Seconds())
	fmt.Fprintf(w, "  per event          %8.2fµs recorded, %.2fµs end to end\n", us(m.Record)/ev, us(m.Year)/ev)
	if m.GenTime > 0 {
		fmt.Fprintf(w, "  generator alone    %8.3fs  (%.2fµs per event)\n", m.GenTime.Seconds(), us(m.GenTime)/ev)
	}
	if m.Final > 0 {
		fmt.Fprintf(w, "  final checks       %8.3fs  (%d customers recomputed)\n", m.Final.Seconds(), t.RecomputeChecked)
	}
	fmt.Fprintf(w, "\nlibrary and model, the same events in the same run:\n")
	fmt.Fprintf(w, "  library            %8.3fs  wall, %.3fs CPU, %.2fµs per event, %.1f allocs/event (setup, Record+Bind, closes, payout runs)\n",
		m.Library.Seconds(), m.LibraryCPU.Seconds(), us(m.Library)/ev, float64(m.LibraryMallocs)/ev)
	if cfg.Model {
		fmt.Fprintf(w, "  model              %8.3fs  wall, %.3fs CPU, %.2fµs per event, %.1f allocs/event (the simulation's own int64 model, no checks)\n",
			m.Model.Seconds(), m.ModelCPU.Seconds(), us(m.Model)/ev, float64(m.ModelMallocs)/ev)
		fmt.Fprintf(w, "  library/model      %8.1f×  wall, %.1f× CPU\n", ratio(m.Library, m.Model), ratio(m.LibraryCPU, m.ModelCPU))
	}
	fmt.Fprintf(w, "\nallocations (runtime.MemStats over the year):\n")
	fmt.Fprintf(w, "  total              %8.1f allocs/event, %.0f B/event (%d allocs, %s)\n", float64(m.Mallocs)/ev, float64(m.AllocBytes)/ev, m.Mallocs, mib(m.AllocBytes))
	if m.GenTime > 0 {
		lib := int64(m.Mallocs) - int64(m.GenMallocs)
		fmt.Fprintf(w, "  generator alone    %8.1f allocs/event, %.0f B/event\n", float64(m.GenMallocs)/ev, float64(m.GenBytes)/ev)
		fmt.Fprintf(w, "  library (total − generator) %.1f allocs/event\n", float64(lib)/ev)
	}
	fmt.Fprintf(w, "  setup %d allocs; closes %d allocs (%.0f per close); payout runs %d allocs (%.0f per run); %d GCs\n",
		m.SetupMallocs, m.CloseMallocs, float64(m.CloseMallocs)/float64(cfg.Gen.Months), m.RunMallocs, float64(m.RunMallocs)/float64(cfg.Gen.Months), m.NumGC)
	fmt.Fprintf(w, "\nmemory: peak HeapInuse %s, HeapSys %s, MaxRSS %s\n", mib(m.PeakHeapInuse), mib(m.HeapSys), mib(m.RSS))
	if !cfg.Check {
		return
	}
	fmt.Fprintf(w, "\ntotals:\n")
	fmt.Fprintf(w, "  entries            %d commission, %d bonus, %d reversal, %d adjustment\n",
		t.Entries["commission"], t.Entries["sub_affiliate_bonus"], t.Entries["reversal"], t.Entries["adjustment"])
	fmt.Fprintf(w, "  earned             %v\n", currencyTotals(t.Earned))
	fmt.Fprintf(w, "  reversed           %v\n", currencyTotals(t.Reversed))
	fmt.Fprintf(w, "  paid out           %v in %d payouts\n", currencyTotals(t.PaidOut), t.Payouts)
	fmt.Fprintf(w, "  carried            %v (by the last run)\n", currencyTotals(t.Carried))
	fmt.Fprintf(w, "  on hold            %v\n", currencyTotals(t.OnHold))
	fmt.Fprintf(w, "  tiers              %d Premium decisions over %d closes, %d re-priced entries\n", t.PremiumDecisions, cfg.Gen.Months, t.TrueUps)
}

func ratio(a, b time.Duration) float64 { return float64(a) / float64(max(b, 1)) }

func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

func mib(b uint64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
