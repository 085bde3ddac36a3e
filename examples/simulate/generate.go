package main

import (
	"cmp"
	"fmt"
	"iter"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/openaffiliate/affiliate"
)

// GenConfig shapes a simulated program year.
type GenConfig struct {
	// Seed seeds the PCG source: the same seed and shape give the same
	// year, event for event.
	Seed uint64
	// Scale multiplies the population: 1 is 10,000 affiliates and
	// 100,000 customers, about 1.2M payments over 12 months.
	Scale float64
	// Months is how many months of the year are generated, from Start
	// (1 to 12).
	Months int
	// Start is the first month's first instant, in UTC.
	Start time.Time
}

// The population at Scale 1, and how it behaves. Probabilities are per
// mille and drawn with integers.
const (
	fullAffiliates = 10_000
	fullCustomers  = 100_000
	// subEvery makes every tenth affiliate a sub-affiliate (10%).
	subEvery = 10
	// noPayoutMethodPerMille affiliates have no payout method on file
	// yet: the payout run carries their balance as ineligible.
	noPayoutMethodPerMille = 20

	// existingPerMille customers were bound before the year and pay from
	// its first month; the others sign up during the year, uniformly.
	existingPerMille = 600
	annualPerMille   = 100 // of the non-enterprise customers
	vatPerMille      = 300 // B2C customers, who pay VAT
	whitelabelPM     = 50
	extraNumbersPM   = 200
	usagePM          = 300
	couponPM         = 150 // new customers who signed up with the welcome coupon
	// churnPerMille monthly customers cancel at each renewal; annual ones
	// at their yearly renewal churn at annualChurnPM.
	churnPerMille = 15
	annualChurnPM = 100
	// topUpPerMille of the monthly invoices are followed, later in the
	// month, by a separate credit top-up invoice.
	topUpPerMille = 450
	// refundPerMille of the payments are refunded, 1 hour to 20 days
	// later: a tenth of them charged back, half in full, the rest partly
	// (10% to 90%).
	refundPerMille = 20
	maxRefundDelay = 20 * 24 * time.Hour
	billingDays    = 28 // customers are billed on day 1 to 28 of each month
	// maxSignup is the signup day of customers who sign up after the
	// generated months.
	maxSignup = math.MaxInt32
)

// Plan shares per mille: starter, pro, business, enterprise.
var planPerMille = [numPlans]int{400, 350, 200, 50}

// ItemKind says what an Item carries.
type ItemKind uint8

// The kinds of Item.
const (
	ItemBind    ItemKind = iota // a signup: bind the customer
	ItemPayment                 // a paid invoice
	ItemRefund                  // a refund or chargeback
)

// Item is one thing that happens in the simulated year, in time order.
type Item struct {
	Kind    ItemKind
	Binding affiliate.Binding
	Payment affiliate.Payment
	Refund  affiliate.Refund
	// RefundLater marks a payment the generator has scheduled a refund
	// for, so a checker keeps what it needs to judge the refund.
	RefundLater bool

	at int64 // the item's time in Unix nanoseconds, the sort key
}

func (it *Item) id() string {
	switch it.Kind {
	case ItemBind:
		return string(it.Binding.Customer)
	case ItemPayment:
		return string(it.Payment.ID)
	}
	return string(it.Refund.ID)
}

// customer is what the generator remembers of one customer: 24 bytes.
type customer struct {
	aff          int32 // affiliate index
	custom       int32 // enterprise monthly price, EUR cents
	signupDay    int32 // absolute day index of the signup; < 0 before the year
	cur          uint8 // index in currencies
	plan         plan
	annual       bool
	vat          bool
	whitelabel   bool
	numbers      uint8 // extra numbers
	usage        bool
	day          uint8 // billing day of the month, 1..28
	renewMonth   uint8 // annual customers: the month of the year they renew in
	discountLeft uint8
	churned      bool
}

// Generator produces the program year. It is deterministic: the same
// GenConfig gives the same affiliates, bindings and events in the same
// order. It is not safe for concurrent use.
type Generator struct {
	cfg        GenConfig
	rng        *rand.Rand
	affs       []affiliate.Affiliate
	parents    []int32 // parent index of each affiliate, -1 for top-level
	custs      []customer
	custIDs    []affiliate.CustomerID
	existing   []int32   // customers bound before the year
	byDay      [][]int32 // billing day → customers billed that day, in signup order
	signups    [][]int32 // absolute day → customers signing up that day
	monthStart []int     // absolute day index of each month's first day, plus the end
	rates      [][]int64 // month → currency → rate to EUR in units of 0.0001
	rateVals   [][]affiliate.Rate
	future     [][]Item // absolute day → items generated earlier for that day
	buf        []Item
	seq        int
	end        time.Time // the first instant after the last month
}

// NewGenerator draws the population: affiliates, customers and their
// plans. Events are drawn lazily by Month.
func NewGenerator(cfg GenConfig) (*Generator, error) {
	if cfg.Scale <= 0 || cfg.Scale > 100 || math.IsNaN(cfg.Scale) {
		return nil, fmt.Errorf("scale %v: want a value in (0, 100]", cfg.Scale)
	}
	if cfg.Months < 1 || cfg.Months > 12 {
		return nil, fmt.Errorf("months %d: want 1 to 12", cfg.Months)
	}
	if cfg.Start.IsZero() {
		cfg.Start = time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)
	}
	cfg.Start = cfg.Start.UTC()
	g := &Generator{cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15))}
	g.calendar()
	g.drawAffiliates(max(int(math.Round(fullAffiliates*cfg.Scale)), subEvery))
	g.drawCustomers(max(int(math.Round(fullCustomers*cfg.Scale)), subEvery))
	return g, nil
}

func (g *Generator) calendar() {
	y, m, _ := g.cfg.Start.Date()
	day := 0
	for i := range g.cfg.Months {
		g.monthStart = append(g.monthStart, day)
		first := time.Date(y, m+time.Month(i), 1, 0, 0, 0, 0, time.UTC)
		day += first.AddDate(0, 1, -1).Day()
		units := make([]int64, len(currencies))
		vals := make([]affiliate.Rate, len(currencies))
		for c, cur := range currencies {
			units[c] = cur.toEUR
			if cur.drift > 0 {
				units[c] += g.rng.Int64N(2*cur.drift+1) - cur.drift
			}
			vals[c] = rate(units[c])
		}
		g.rates = append(g.rates, units)
		g.rateVals = append(g.rateVals, vals)
	}
	g.monthStart = append(g.monthStart, day)
	g.future = make([][]Item, day)
	g.signups = make([][]int32, day)
	g.byDay = make([][]int32, billingDays+1)
	g.end = g.cfg.Start.AddDate(0, 0, day)
}

func (g *Generator) drawAffiliates(n int) {
	g.affs = make([]affiliate.Affiliate, n)
	g.parents = make([]int32, n)
	for i := range n {
		id := affiliate.AffiliateID(seqID("aff_", i+1, 6))
		a := affiliate.Affiliate{
			ID: id, Status: affiliate.StatusActive, Name: "Partner " + strconv.Itoa(i+1),
			Codes:              []string{"p" + strconv.Itoa(i+1)},
			PayoutMethodOnFile: g.rng.IntN(1000) >= noPayoutMethodPerMille,
			CreatedAt:          g.cfg.Start.AddDate(-1, 0, 0),
		}
		g.parents[i] = -1
		if i%subEvery == subEvery-1 {
			// A sub-affiliate of an earlier top-level affiliate, so
			// storing them in order stores every parent first.
			p := g.rng.IntN(i)
			for p%subEvery == subEvery-1 {
				p = g.rng.IntN(i)
			}
			g.parents[i] = int32(p)
			a.Parent = g.affs[p].ID
		}
		g.affs[i] = a
	}
}

func (g *Generator) drawCustomers(n int) {
	g.custs = make([]customer, n)
	g.custIDs = make([]affiliate.CustomerID, n)
	year := g.monthStart[len(g.monthStart)-1]
	for i := range n {
		g.custIDs[i] = affiliate.CustomerID(seqID("cus_", i+1, 7))
		c := &g.custs[i]
		// Referrals are skewed: affiliate k gets a share proportional to
		// k^(-2/3), so a few hundred partners bring enough revenue for
		// Premium and most bring a handful of customers. (A float draws
		// the index, never an amount.)
		u := g.rng.Float64()
		c.aff = int32(min(float64(len(g.affs)-1), float64(len(g.affs))*u*u*u))
		c.cur = g.drawCurrency()
		c.plan = g.drawPlan()
		if c.plan == planEnterprise {
			c.custom = int32(enterpriseMinEUR + 100_00*g.rng.Int64N((enterpriseMaxEUR-enterpriseMinEUR)/100_00+1))
		} else {
			c.annual = g.rng.IntN(1000) < annualPerMille
		}
		c.vat = g.rng.IntN(1000) < vatPerMille
		if !c.annual {
			c.whitelabel = g.rng.IntN(1000) < whitelabelPM
			if g.rng.IntN(1000) < extraNumbersPM {
				c.numbers = uint8(1 + g.rng.IntN(5))
			}
			c.usage = g.rng.IntN(1000) < usagePM
		}
		c.day = uint8(1 + g.rng.IntN(billingDays))
		if g.rng.IntN(1000) < existingPerMille {
			c.signupDay = -1 - int32(g.rng.IntN(365))
			c.renewMonth = uint8(g.rng.IntN(12))
			g.existing = append(g.existing, int32(i))
			g.byDay[c.day] = append(g.byDay[c.day], int32(i))
			continue
		}
		month := g.rng.IntN(12)
		if c.plan != planEnterprise && g.rng.IntN(1000) < couponPM {
			c.discountLeft = discountMonths
		}
		c.renewMonth = uint8(month)
		if month >= g.cfg.Months {
			c.signupDay = maxSignup // signs up after the simulated months
			continue
		}
		c.signupDay = int32(g.monthStart[month] + int(c.day) - 1)
		if int(c.signupDay) < year {
			g.signups[c.signupDay] = append(g.signups[c.signupDay], int32(i))
		}
	}
}

func (g *Generator) drawCurrency() uint8 {
	r := g.rng.IntN(1000)
	for i, c := range currencies {
		if r < c.share {
			return uint8(i)
		}
		r -= c.share
	}
	return 0
}

func (g *Generator) drawPlan() plan {
	r := g.rng.IntN(1000)
	for p, share := range planPerMille {
		if r < share {
			return plan(p)
		}
		r -= share
	}
	return planStarter
}

// Affiliates returns the affiliates, parents before their sub-affiliates.
// The slice is the generator's; do not modify it.
func (g *Generator) Affiliates() []affiliate.Affiliate { return g.affs }

// Parent returns the index of affiliate i's parent, or -1.
func (g *Generator) Parent(i int) int { return int(g.parents[i]) }

// Customers returns the number of customers drawn, including those who
// sign up after the generated months.
func (g *Generator) Customers() int { return len(g.custs) }

// CustomerID returns customer i's ID.
func (g *Generator) CustomerID(i int) affiliate.CustomerID { return g.custIDs[i] }

// Months returns how many months are generated.
func (g *Generator) Months() int { return g.cfg.Months }

// Period returns month m of the simulation (0-based).
func (g *Generator) Period(m int) affiliate.Period {
	return affiliate.PeriodOf(g.cfg.Start.AddDate(0, 0, g.monthStart[m]), time.UTC)
}

// RateUnits returns the month's exchange rate of currency c to EUR, in
// units of 0.0001.
func (g *Generator) RateUnits(m int, c affiliate.Currency) int64 {
	for i, cur := range currencies {
		if cur.code == c {
			return g.rates[m][i]
		}
	}
	return 0
}

// ExistingBindings yields the bindings of the customers who were referred
// before the year: the host had them bound already when the year starts.
func (g *Generator) ExistingBindings() iter.Seq[affiliate.Binding] {
	return func(yield func(affiliate.Binding) bool) {
		for _, i := range g.existing {
			c := &g.custs[i]
			bound := g.cfg.Start.AddDate(0, 0, int(c.signupDay)).Add(time.Duration(g.rng.Int64N(int64(24 * time.Hour))))
			if !yield(g.binding(int(i), bound)) {
				return
			}
		}
	}
}

func (g *Generator) binding(i int, at time.Time) affiliate.Binding {
	return affiliate.Binding{
		Customer: g.custIDs[i], Affiliate: g.affs[g.custs[i].aff].ID, Source: affiliate.BindByLink,
		TouchedAt: at.Add(-time.Duration(g.rng.Int64N(int64(89 * 24 * time.Hour)))), BoundAt: at,
	}
}

// Month yields month m's items (0-based) in time order, then by ID:
// signups (bindings), invoices, credit top-ups, refunds. Items are
// generated a day at a time, so memory holds one day plus what is
// scheduled for later days (top-ups and refunds). The *Item is valid only
// until the next one is yielded.
func (g *Generator) Month(m int) iter.Seq[*Item] {
	return func(yield func(*Item) bool) {
		for d := g.monthStart[m]; d < g.monthStart[m+1]; d++ {
			items := g.day(m, d)
			for i := range items {
				if !yield(&items[i]) {
					return
				}
			}
		}
	}
}

// day generates the items of absolute day d, in month m, sorted.
func (g *Generator) day(m, d int) []Item {
	items := append(g.buf[:0], g.future[d]...)
	g.future[d] = nil
	dom := d - g.monthStart[m] + 1
	start := g.cfg.Start.AddDate(0, 0, d)
	if dom <= billingDays {
		for _, ci := range g.byDay[dom] {
			c := &g.custs[ci]
			if c.churned || int(c.signupDay) >= g.monthStart[m] {
				continue // gone, or signed up this month: billed at signup
			}
			if c.annual && int(c.renewMonth) != m%12 {
				continue
			}
			churn := churnPerMille
			if c.annual {
				churn = annualChurnPM
			}
			if g.rng.IntN(1000) < churn {
				c.churned = true
				continue
			}
			at := start.Add(time.Duration(g.rng.Int64N(int64(24 * time.Hour))))
			items = g.invoice(items, d, m, int(ci), at, false)
			if !c.annual && g.rng.IntN(1000) < topUpPerMille {
				items = g.topUp(items, d, m, int(ci), dom)
			}
		}
		for _, ci := range g.signups[d] {
			// The customer signs up (and is bound) and pays the first
			// invoice within the hour.
			at := start.Add(time.Duration(g.rng.Int64N(int64(22 * time.Hour))))
			items = append(items, Item{Kind: ItemBind, Binding: g.binding(int(ci), at), at: at.UnixNano()})
			items = g.invoice(items, d, m, int(ci), at.Add(time.Minute+time.Duration(g.rng.Int64N(int64(time.Hour)))), true)
			g.byDay[dom] = append(g.byDay[dom], ci)
		}
		g.signups[d] = nil
	}
	slices.SortFunc(items, func(a, b Item) int {
		if c := cmp.Compare(a.at, b.at); c != 0 {
			return c
		}
		return cmp.Compare(a.id(), b.id())
	})
	g.buf = items
	return items
}

// invoice appends customer ci's invoice at at, and schedules its refund
// when one is drawn.
func (g *Generator) invoice(items []Item, d, m, ci int, at time.Time, first bool) []Item {
	c := &g.custs[ci]
	cur := currencies[c.cur]
	code := cur.code
	lines := make([]affiliate.Line, 0, 7)
	subEUR := monthlyEUR[c.plan]
	label := planLabels[c.plan][0]
	if c.plan == planEnterprise {
		subEUR = int64(c.custom)
	}
	if c.annual {
		subEUR *= annualMonths
		label = planLabels[c.plan][1]
	}
	sub := cur.price(subEUR)
	lines = append(lines, affiliate.Line{Kind: affiliate.LineSubscription, Amount: affiliate.MustMoney(sub, code), Plan: label})
	earned := sub
	add := func(kind affiliate.LineKind, sku string, minor int64) {
		lines = append(lines, affiliate.Line{Kind: kind, Amount: affiliate.MustMoney(minor, code), SKU: sku})
		earned += minor
	}
	if c.whitelabel {
		add(affiliate.LineAddOn, "whitelabel", cur.price(whitelabelEUR))
	}
	if c.numbers > 0 {
		add(affiliate.LineAddOn, "extra_number", cur.price(int64(c.numbers)*extraNumberEUR))
	}
	if c.usage {
		add(affiliate.LineUsage, "minutes", cur.price(usageMinEUR+g.rng.Int64N(usageMaxEUR-usageMinEUR+1)))
	}
	if first && c.plan == planEnterprise {
		add(affiliate.LineSetupFee, "setup", cur.price(setupFeeEUR))
	}
	if c.discountLeft > 0 {
		c.discountLeft--
		off := sub * discountPercent / 100
		lines = append(lines, affiliate.Line{Kind: affiliate.LineDiscount, Amount: affiliate.MustMoney(off, code), Plan: label, Description: "welcome coupon"})
		earned -= off
	}
	return g.pay(items, d, m, ci, at, lines, earned)
}

var planLabels = func() (l [numPlans][2]string) {
	for p, name := range planNames {
		l[p] = [2]string{name + "_monthly", name + "_annual"}
	}
	return l
}()

// topUp schedules a credit top-up later in the month, if a day is left.
func (g *Generator) topUp(items []Item, d, m, ci, dom int) []Item {
	last := g.monthStart[m+1] - g.monthStart[m]
	if dom >= last {
		return items
	}
	td := d + 1 + g.rng.IntN(last-dom)
	at := g.cfg.Start.AddDate(0, 0, td).Add(time.Duration(g.rng.Int64N(int64(24 * time.Hour))))
	cur := currencies[g.custs[ci].cur]
	pack := cur.price(creditPacksEUR[g.rng.IntN(len(creditPacksEUR))])
	lines := []affiliate.Line{{Kind: affiliate.LineCredits, Amount: affiliate.MustMoney(pack, cur.code), SKU: "credits"}}
	g.future[td] = g.pay(g.future[td], td, m, ci, at, lines, pack)
	return items
}

// pay appends the payment of lines (earned: the lines before tax) and,
// when drawn, schedules its refund.
func (g *Generator) pay(items []Item, d, m, ci int, at time.Time, lines []affiliate.Line, earned int64) []Item {
	c := &g.custs[ci]
	cur := currencies[c.cur]
	total := earned
	if c.vat {
		tax := earned * vatPercent / 100
		lines = append(lines, affiliate.Line{Kind: affiliate.LineTax, Amount: affiliate.MustMoney(tax, cur.code), SKU: "vat"})
		total += tax
	}
	g.seq++
	p := affiliate.Payment{ID: affiliate.EventID(seqID("pay_", g.seq, 8)), Customer: g.custIDs[ci], PaidAt: at, Currency: cur.code, Lines: lines}
	if cur.code != programCurrency {
		p.Conversion = affiliate.Conversion{To: programCurrency, Rate: g.rateVals[m][c.cur]}
	}
	it := Item{Kind: ItemPayment, Payment: p, at: at.UnixNano()}
	if g.rng.IntN(1000) < refundPerMille {
		it.RefundLater = true
		items = g.refund(items, d, p, total)
	}
	return append(items, it)
}

// refund schedules a refund of p (total: its total in minor units),
// within the simulated months.
func (g *Generator) refund(items []Item, d int, p affiliate.Payment, total int64) []Item {
	delay := time.Hour + time.Duration(g.rng.Int64N(int64(maxRefundDelay)))
	at := p.PaidAt.Add(delay)
	if !at.Before(g.end) {
		at = p.PaidAt.Add(g.end.Sub(p.PaidAt) / 2)
	}
	g.seq++
	r := affiliate.Refund{ID: affiliate.EventID(seqID("ref_", g.seq, 8)), Payment: p.ID, Customer: p.Customer, RefundedAt: at, Kind: affiliate.KindRefund, Full: true}
	switch k := g.rng.IntN(100); {
	case k < 10:
		r.Kind = affiliate.KindChargeback
	case k >= 60:
		r.Full = false
		r.Amount = affiliate.MustMoney(max(1, total*int64(10+g.rng.IntN(81))/100), p.Currency)
	}
	it := Item{Kind: ItemRefund, Refund: r, at: at.UnixNano()}
	rd := int(at.Sub(g.cfg.Start) / (24 * time.Hour))
	if rd == d {
		return append(items, it)
	}
	g.future[rd] = append(g.future[rd], it)
	return items
}

// seqID formats prefix and n zero-padded to width digits, with one
// allocation.
func seqID(prefix string, n, width int) string {
	var b [32]byte
	out := append(b[:0], prefix...)
	for v := n / 10; width > 1; v /= 10 {
		if v == 0 {
			out = append(out, '0')
		}
		width--
	}
	out = strconv.AppendInt(out, int64(n), 10)
	return string(out)
}
