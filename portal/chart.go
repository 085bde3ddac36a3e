package portal

import (
	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/report"
)

// Chart is a dashboard's monthly earnings and referred revenue in one
// currency, laid out as bars for an SVG the server draws: pages need no
// script, and the CSP allows none inline.
type Chart struct {
	Currency affiliate.Currency
	Max      affiliate.Money // the tallest bar's amount
	Width    int
	Height   int // of the bars' area; labels go below
	Bars     []Bar
}

// Bar is one month's pair of bars, in SVG user units.
type Bar struct {
	Period                 affiliate.Period
	Earned, Spent          affiliate.Money
	X, Width               int
	EarnedY, EarnedH       int
	SpentX, SpentY, SpentH int
	LabelX                 int
}

const (
	chartHeight = 160
	slot        = 48 // one month's width
)

// newChart charts the dashboard's first currency; nil when it has no
// money figures. Heights are integer shares of the tallest amount, from
// minor units: no float touches the money.
func newChart(d report.Dashboard) *Chart {
	if len(d.Currencies) == 0 {
		return nil
	}
	c := &Chart{Currency: d.Currencies[0].Currency, Width: slot * len(d.Months), Height: chartHeight}
	pick := func(list []affiliate.Money) affiliate.Money {
		for _, m := range list {
			if m.Currency() == c.Currency {
				return m
			}
		}
		return affiliate.Zero(c.Currency)
	}
	var max int64
	for _, m := range d.Months {
		e, s := pick(m.Earned), pick(m.Spent)
		max = max2(max, e.Minor(), s.Minor())
		c.Bars = append(c.Bars, Bar{Period: m.Period, Earned: e, Spent: s})
	}
	c.Max = affiliate.MustMoney(max, c.Currency)
	for i := range c.Bars {
		b := &c.Bars[i]
		b.X, b.Width, b.LabelX = i*slot+6, 16, i*slot+slot/2
		b.SpentX = b.X + b.Width + 2
		b.EarnedH, b.SpentH = height(b.Earned.Minor(), max), height(b.Spent.Minor(), max)
		b.EarnedY, b.SpentY = chartHeight-b.EarnedH, chartHeight-b.SpentH
	}
	return c
}

// height scales v (negative shows as nothing) to the chart's height.
func height(v, max int64) int {
	if v <= 0 || max <= 0 {
		return 0
	}
	// v/max ≤ 1, so v*chartHeight could overflow only above 5.7e16
	// minor units; divide first there.
	if v > 1<<53 {
		return int(min(v/(max/chartHeight), chartHeight))
	}
	return int(v * chartHeight / max)
}

func max2(m int64, vs ...int64) int64 {
	for _, v := range vs {
		if v > m {
			m = v
		}
	}
	return m
}
