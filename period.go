package affiliate

import (
	"fmt"
	"time"
)

// Period is a calendar month in a location, half-open: it contains every
// instant from the first midnight of the month (inclusive) to the first
// midnight of the next (exclusive), as the wall clock of Location reads
// them. Tier closes and payout runs are keyed by Period.
type Period struct {
	Year     int
	Month    time.Month
	Location *time.Location // nil means UTC
}

// PeriodOf returns the month that contains t in loc (nil means UTC).
func PeriodOf(t time.Time, loc *time.Location) Period {
	if loc == nil {
		loc = time.UTC
	}
	lt := t.In(loc)
	return Period{Year: lt.Year(), Month: lt.Month(), Location: loc}
}

// NewPeriod returns the month year-month in loc, refusing months outside
// 1–12 and years outside 1–9999.
func NewPeriod(year int, month time.Month, loc *time.Location) (Period, error) {
	p := Period{Year: year, Month: month, Location: loc}
	return p, p.Validate()
}

// ParsePeriod reads "2026-01" as January 2026 in loc.
func ParsePeriod(s string, loc *time.Location) (Period, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil || len(s) != 7 {
		return Period{}, fieldErr("Period", quote(s)+" is not a YYYY-MM month")
	}
	return NewPeriod(t.Year(), t.Month(), loc)
}

// Validate refuses a month outside 1–12 or a year outside 1–9999.
func (p Period) Validate() error {
	if p.Month < time.January || p.Month > time.December {
		return fieldErr("Period.Month", fmt.Sprintf("%d is not a month", p.Month))
	}
	if p.Year < 1 || p.Year > 9999 {
		return fieldErr("Period.Year", fmt.Sprintf("%d is out of range", p.Year))
	}
	return nil
}

func (p Period) loc() *time.Location {
	if p.Location == nil {
		return time.UTC
	}
	return p.Location
}

// Start returns the first instant of the month. Where the clocks skip
// midnight of the 1st (a daylight-saving jump at 00:00, as in
// America/Asuncion), time.Date normalises into the previous month; the
// month then starts where the skipped hour ends.
func (p Period) Start() time.Time {
	s := time.Date(p.Year, p.Month, 1, 0, 0, 0, 0, p.loc())
	if s.Month() != p.Month {
		_, s = s.ZoneBounds()
	}
	return s
}

// End returns the first instant after the month (the next month's Start).
func (p Period) End() time.Time { return p.Next().Start() }

// Contains reports whether t lies in [Start, End).
func (p Period) Contains(t time.Time) bool {
	return !t.Before(p.Start()) && t.Before(p.End())
}

// Next returns the following month.
func (p Period) Next() Period {
	if p.Month == time.December {
		return Period{Year: p.Year + 1, Month: time.January, Location: p.Location}
	}
	return Period{Year: p.Year, Month: p.Month + 1, Location: p.Location}
}

// Prev returns the preceding month.
func (p Period) Prev() Period {
	if p.Month == time.January {
		return Period{Year: p.Year - 1, Month: time.December, Location: p.Location}
	}
	return Period{Year: p.Year, Month: p.Month - 1, Location: p.Location}
}

// IsZero reports whether p is the zero Period, which names no month.
func (p Period) IsZero() bool { return p.Year == 0 && p.Month == 0 }

// Ended reports whether the month is over at asOf.
func (p Period) Ended(asOf time.Time) bool { return !asOf.Before(p.End()) }

// Before reports whether p is an earlier month than o (locations ignored).
func (p Period) Before(o Period) bool {
	return p.Year < o.Year || (p.Year == o.Year && p.Month < o.Month)
}

// Equal reports whether p and o are the same month in the same location.
func (p Period) Equal(o Period) bool {
	return p.Year == o.Year && p.Month == o.Month && p.loc().String() == o.loc().String()
}

// String returns the key form "2026-01", used in storage keys. It is on
// every event's path, so it formats without fmt.
func (p Period) String() string {
	if p.Year < 0 || p.Year > 9999 {
		return fmt.Sprintf("%04d-%02d", p.Year, int(p.Month))
	}
	var b [7]byte
	y, m := p.Year, int(p.Month)
	b[0], b[1], b[2], b[3] = byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10)
	b[4] = '-'
	b[5], b[6] = byte('0'+m/10%10), byte('0'+m%10)
	return string(b[:])
}
