package affiliate_test

import (
	"testing"
	"time"
	_ "time/tzdata" // the DST cases must not depend on the host's zoneinfo

	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
)

var paris = mustLocation("Europe/Paris")

func TestPeriodOf(t *testing.T) {
	lateJan := time.Date(2026, time.January, 31, 23, 30, 0, 0, time.UTC) // 00:30 on 1 February in Paris
	tests := []struct {
		name string
		t    time.Time
		loc  *time.Location
		want string
	}{
		{"UTC", lateJan, time.UTC, "2026-01"},
		{"nil means UTC", lateJan, nil, "2026-01"},
		{"Paris is already in February", lateJan, paris, "2026-02"},
		{"New York is still in January", time.Date(2026, time.February, 1, 3, 0, 0, 0, time.UTC), mustLocation("America/New_York"), "2026-01"},
		{"December to January", time.Date(2025, time.December, 31, 23, 0, 0, 0, time.UTC), paris, "2026-01"},
		{"time in another zone", time.Date(2026, time.March, 1, 0, 30, 0, 0, paris), time.UTC, "2026-02"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := affiliate.PeriodOf(tt.t, tt.loc)
			if p.String() != tt.want {
				t.Errorf("PeriodOf(%v, %v) = %s, want %s", tt.t, tt.loc, p, tt.want)
			}
			if p.Location == nil {
				t.Errorf("PeriodOf left Location nil, want the location used")
			}
			if !p.Contains(tt.t) {
				t.Errorf("PeriodOf(%v) = %s does not contain it", tt.t, p)
			}
		})
	}
}

func TestPeriodBoundaries(t *testing.T) {
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			panic(err)
		}
		return v
	}
	tests := []struct {
		name       string
		period     affiliate.Period
		start, end time.Time
		hours      int
	}{
		{"January in UTC", affiliate.Period{Year: 2026, Month: time.January}, utc("2026-01-01T00:00:00Z"), utc("2026-02-01T00:00:00Z"), 31 * 24},
		{"February in a leap year", affiliate.Period{Year: 2024, Month: time.February, Location: time.UTC}, utc("2024-02-01T00:00:00Z"), utc("2024-03-01T00:00:00Z"), 29 * 24},
		{"December in UTC", affiliate.Period{Year: 2025, Month: time.December}, utc("2025-12-01T00:00:00Z"), utc("2026-01-01T00:00:00Z"), 31 * 24},
		{"January in Paris", affiliate.Period{Year: 2026, Month: time.January, Location: paris}, utc("2025-12-31T23:00:00Z"), utc("2026-01-31T23:00:00Z"), 31 * 24},
		// Clocks go forward on 29 March 2026: the month is an hour short.
		{"March in Paris (DST starts)", affiliate.Period{Year: 2026, Month: time.March, Location: paris}, utc("2026-02-28T23:00:00Z"), utc("2026-03-31T22:00:00Z"), 31*24 - 1},
		// Clocks go back on 25 October 2026: the month is an hour long.
		{"October in Paris (DST ends)", affiliate.Period{Year: 2026, Month: time.October, Location: paris}, utc("2026-09-30T22:00:00Z"), utc("2026-10-31T23:00:00Z"), 31*24 + 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.period
			if !p.Start().Equal(tt.start) {
				t.Errorf("Start() = %v, want %v", p.Start(), tt.start)
			}
			if !p.End().Equal(tt.end) {
				t.Errorf("End() = %v, want %v", p.End(), tt.end)
			}
			if got := p.End().Sub(p.Start()); got != time.Duration(tt.hours)*time.Hour {
				t.Errorf("End - Start = %v, want %dh", got, tt.hours)
			}
			contains := []struct {
				at   time.Time
				want bool
			}{
				{p.Start(), true},
				{p.Start().Add(-time.Nanosecond), false},
				{p.End(), false},
				{p.End().Add(-time.Nanosecond), true},
				{p.Start().Add(p.End().Sub(p.Start()) / 2), true},
			}
			for _, c := range contains {
				if got := p.Contains(c.at); got != c.want {
					t.Errorf("Contains(%v) = %t, want %t", c.at, got, c.want)
				}
			}
			if p.Ended(p.End().Add(-time.Nanosecond)) {
				t.Errorf("Ended one nanosecond before End")
			}
			if !p.Ended(p.End()) {
				t.Errorf("not Ended at End")
			}
			if p.Ended(p.Start()) {
				t.Errorf("Ended at Start")
			}
		})
	}
}

// TestPeriodMidnightDSTGap: in Paraguay, clocks jumped from 00:00 to 01:00
// on Sunday 1 October 2023, so that month had no midnight. Its first
// instant is 01:00 -03 (04:00 UTC); the hour before belongs to September,
// where PeriodOf puts it, and Contains must agree with PeriodOf.
func TestPeriodMidnightDSTGap(t *testing.T) {
	asuncion := mustLocation("America/Asuncion")
	oct := affiliate.Period{Year: 2023, Month: time.October, Location: asuncion}
	sep := oct.Prev()
	if want := time.Date(2023, time.October, 1, 4, 0, 0, 0, time.UTC); !oct.Start().Equal(want) {
		t.Errorf("October 2023 in Asunción: Start() = %v (%v), want %v: the first instant whose wall clock reads October", oct.Start(), oct.Start().UTC(), want.In(asuncion))
	}
	if got := affiliate.PeriodOf(oct.Start(), asuncion); !got.Equal(oct) {
		t.Errorf("PeriodOf(October.Start()) = %s, want 2023-10", got)
	}
	lateSep := time.Date(2023, time.September, 30, 23, 30, 0, 0, asuncion) // 03:30 UTC on 1 October
	if got := affiliate.PeriodOf(lateSep, asuncion); !got.Equal(sep) {
		t.Fatalf("PeriodOf(%v) = %s, want 2023-09", lateSep, got)
	}
	if !sep.Contains(lateSep) {
		t.Errorf("September does not contain %v, which PeriodOf puts in September", lateSep)
	}
	if oct.Contains(lateSep) {
		t.Errorf("October contains %v, a September wall-clock time", lateSep)
	}
	if !sep.End().Equal(oct.Start()) {
		t.Errorf("September ends at %v but October starts at %v", sep.End(), oct.Start())
	}
}

func TestPeriodNextPrev(t *testing.T) {
	tests := []struct {
		p          affiliate.Period
		next, prev string
	}{
		{affiliate.Period{Year: 2026, Month: time.January, Location: paris}, "2026-02", "2025-12"},
		{affiliate.Period{Year: 2026, Month: time.December, Location: paris}, "2027-01", "2026-11"},
		{affiliate.Period{Year: 2026, Month: time.June}, "2026-07", "2026-05"},
	}
	for _, tt := range tests {
		next, prev := tt.p.Next(), tt.p.Prev()
		if next.String() != tt.next || prev.String() != tt.prev {
			t.Errorf("%s: Next %s, Prev %s; want %s, %s", tt.p, next, prev, tt.next, tt.prev)
		}
		if next.Location != tt.p.Location || prev.Location != tt.p.Location {
			t.Errorf("%s: Next/Prev changed the location", tt.p)
		}
		if !next.Prev().Equal(tt.p) || !prev.Next().Equal(tt.p) {
			t.Errorf("%s: Next().Prev() = %s, Prev().Next() = %s", tt.p, next.Prev(), prev.Next())
		}
		if !tt.p.Before(next) || !prev.Before(tt.p) || tt.p.Before(tt.p) || next.Before(tt.p) {
			t.Errorf("%s: Before is not the month order", tt.p)
		}
		if !tt.p.End().Equal(next.Start()) || !prev.End().Equal(tt.p.Start()) {
			t.Errorf("%s: months do not tile: End %v, next Start %v", tt.p, tt.p.End(), next.Start())
		}
	}
}

func TestPeriodEqual(t *testing.T) {
	jan := affiliate.Period{Year: 2026, Month: time.January}
	tests := []struct {
		name string
		a, b affiliate.Period
		want bool
	}{
		{"nil location is UTC", jan, affiliate.Period{Year: 2026, Month: time.January, Location: time.UTC}, true},
		{"same location loaded twice", affiliate.Period{Year: 2026, Month: 1, Location: paris}, affiliate.Period{Year: 2026, Month: 1, Location: mustLocation("Europe/Paris")}, true},
		{"other location", jan, affiliate.Period{Year: 2026, Month: time.January, Location: paris}, false},
		{"other month", jan, jan.Next(), false},
		{"other year", jan, affiliate.Period{Year: 2027, Month: time.January}, false},
	}
	for _, tt := range tests {
		if got := tt.a.Equal(tt.b); got != tt.want {
			t.Errorf("%s: Equal = %t, want %t", tt.name, got, tt.want)
		}
	}
}

func TestPeriodString(t *testing.T) {
	tests := []struct {
		p    affiliate.Period
		want string
	}{
		{affiliate.Period{Year: 2026, Month: time.January}, "2026-01"},
		{affiliate.Period{Year: 2026, Month: time.December, Location: paris}, "2026-12"},
		{affiliate.Period{Year: 999, Month: time.March}, "0999-03"},
		{affiliate.Period{Year: 1, Month: time.January}, "0001-01"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in        string
		loc       *time.Location
		wantYear  int
		wantMonth time.Month
		wantField string
	}{
		{in: "2026-01", loc: paris, wantYear: 2026, wantMonth: time.January},
		{in: "2026-12", loc: nil, wantYear: 2026, wantMonth: time.December},
		{in: "0001-01", loc: nil, wantYear: 1, wantMonth: time.January},
		{in: "9999-12", loc: nil, wantYear: 9999, wantMonth: time.December},
		{in: "", wantField: "Period"},
		{in: "2026-1", wantField: "Period"},
		{in: "2026-13", wantField: "Period"},
		{in: "2026-00", wantField: "Period"},
		{in: "26-01", wantField: "Period"},
		{in: "2026/01", wantField: "Period"},
		{in: "2026-01-01", wantField: "Period"},
		{in: " 2026-01", wantField: "Period"},
		{in: "2026-01 ", wantField: "Period"},
		{in: "2026-Jan", wantField: "Period"},
		{in: "+2026-01", wantField: "Period"},
		{in: "0000-01", wantField: "Period.Year"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := affiliate.ParsePeriod(tt.in, tt.loc)
			if tt.wantField != "" {
				wantFieldError(t, err, tt.wantField)
				return
			}
			if err != nil {
				t.Fatalf("ParsePeriod(%q): %v", tt.in, err)
			}
			want := affiliate.Period{Year: tt.wantYear, Month: tt.wantMonth, Location: tt.loc}
			if !got.Equal(want) || got.String() != tt.in {
				t.Errorf("ParsePeriod(%q) = %+v, want %+v", tt.in, got, want)
			}
		})
	}
}

func TestNewPeriodAndValidate(t *testing.T) {
	tests := []struct {
		name      string
		year      int
		month     time.Month
		wantField string
	}{
		{name: "valid", year: 2026, month: time.March},
		{name: "first year", year: 1, month: time.January},
		{name: "last year", year: 9999, month: time.December},
		{name: "month zero", year: 2026, month: 0, wantField: "Period.Month"},
		{name: "month thirteen", year: 2026, month: 13, wantField: "Period.Month"},
		{name: "negative month", year: 2026, month: -1, wantField: "Period.Month"},
		{name: "year zero", year: 0, month: time.January, wantField: "Period.Year"},
		{name: "negative year", year: -1, month: time.January, wantField: "Period.Year"},
		{name: "year 10000", year: 10000, month: time.January, wantField: "Period.Year"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := affiliate.NewPeriod(tt.year, tt.month, paris)
			v := affiliate.Period{Year: tt.year, Month: tt.month, Location: paris}.Validate()
			if tt.wantField != "" {
				wantFieldError(t, err, tt.wantField)
				wantFieldError(t, v, tt.wantField)
				return
			}
			if err != nil || v != nil {
				t.Fatalf("NewPeriod: %v; Validate: %v", err, v)
			}
			if p.Year != tt.year || p.Month != tt.month || p.Location != paris {
				t.Errorf("NewPeriod = %+v", p)
			}
		})
	}
	if err := (affiliate.Period{}).Validate(); err == nil {
		t.Error("the zero Period validates")
	}
}

// TestPeriodProperty: in any location, the month of an instant contains
// it, its neighbours do not, and consecutive months tile time exactly.
func TestPeriodProperty(t *testing.T) {
	locs := []*time.Location{
		time.UTC,
		paris,
		mustLocation("America/New_York"),
		mustLocation("America/Sao_Paulo"), // DST used to start at midnight
		mustLocation("America/Asuncion"),  // and here on the 1st of a month
		mustLocation("Asia/Kolkata"),
		mustLocation("Australia/Lord_Howe"), // half-hour DST
		mustLocation("Pacific/Chatham"),     // +12:45
		mustLocation("Pacific/Apia"),        // skipped 30 December 2011
		time.FixedZone("UTC-11", -11*3600),
	}
	rapid.Check(t, func(t *rapid.T) {
		loc := rapid.SampledFrom(locs).Draw(t, "location")
		at := time.Unix(rapid.Int64Range(-2_208_988_800, 4_102_444_800).Draw(t, "unix"), int64(rapid.IntRange(0, 999_999_999).Draw(t, "nanos")))
		p := affiliate.PeriodOf(at, loc)
		if err := p.Validate(); err != nil {
			t.Fatalf("PeriodOf(%v) = %+v: %v", at, p, err)
		}
		if !p.Contains(at) {
			t.Fatalf("%s in %v = [%v, %v) does not contain %v", p, loc, p.Start(), p.End(), at)
		}
		if p.Next().Contains(at) || p.Prev().Contains(at) {
			t.Fatalf("a neighbour of %s also contains %v", p, at)
		}
		if !p.End().Equal(p.Next().Start()) || !p.Prev().End().Equal(p.Start()) || !p.Start().Before(p.End()) {
			t.Fatalf("%s in %v does not tile: [%v, %v)", p, loc, p.Start(), p.End())
		}
		if got := affiliate.PeriodOf(p.Start(), loc); !got.Equal(p) {
			t.Fatalf("PeriodOf(%s.Start()) = %s", p, got)
		}
		if got := affiliate.PeriodOf(p.End().Add(-time.Nanosecond), loc); !got.Equal(p) {
			t.Fatalf("PeriodOf(%s.End()-1ns) = %s", p, got)
		}
		if got, err := affiliate.ParsePeriod(p.String(), loc); err != nil || !got.Equal(p) {
			t.Fatalf("ParsePeriod(%q) = %+v, %v", p.String(), got, err)
		}
		if p.Ended(at) || !p.Ended(p.End()) {
			t.Fatalf("%s: Ended(%v) = %t, Ended(End) = %t", p, at, p.Ended(at), p.Ended(p.End()))
		}
	})
}
