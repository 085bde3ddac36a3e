package commission

import (
	"cmp"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/rules"
)

// summary is the engine's per-customer state (storage.CustomerState.Data):
// what pricing the next payment in order needs, so that it reads nothing
// else of the customer's history. Everything in it except pinned can be
// rebuilt from the event log, and the slow path does rebuild it.
type summary struct {
	// historyDepth is the number of earliest paid payments earlier was
	// kept for; a larger depth in a newer configuration forces a rebuild.
	historyDepth int
	// pinned is the terms version Reprice moved the customer to; "" means
	// the schedule.
	pinned string

	count     int // payments recorded
	paidCount int // of which paid (rules.Paid)
	hasLast   bool
	lastAt    time.Time // the latest payment by (PaidAt, ID)
	lastID    affiliate.EventID
	// firstPaidAt is the first paid payment's time, zero until one.
	firstPaidAt time.Time

	// boundCount and lastBoundPeriod feed the conversion and
	// paying-customer counts: payments recorded with an affiliate, and
	// the period of the latest of them.
	boundCount      int
	lastBoundPeriod string

	earlier []earlierPayment // the first historyDepth paid payments
	used    []capUse         // cap usage, pruned to the months still open
	parked  []parkedRefund   // refunds whose payment is not recorded yet
}

// earlierPayment is one of the customer's first paid payments, with the
// refunds recorded against it (rules see them as PaymentFact.Refunded).
type earlierPayment struct {
	payment affiliate.Payment
	refunds []refundFact
}

// refundFact is one effective refund of a payment: in its currency, for
// its customer.
type refundFact struct {
	id     affiliate.EventID
	at     time.Time
	full   bool
	amount int64 // minor units of the payment's currency; 0 when full
}

type capUse struct {
	key   rules.CapKey
	minor int64
}

// parkedRefund is a refund recorded before its payment.
type parkedRefund struct {
	refund affiliate.Refund
}

func (s *summary) after(at time.Time, id affiliate.EventID) bool {
	if !s.hasLast {
		return true
	}
	return comparePaymentKey(at, id, s.lastAt, s.lastID) > 0
}

// comparePaymentKey orders payments by (PaidAt, ID), the order rules see
// them in.
func comparePaymentKey(at time.Time, id affiliate.EventID, bt time.Time, bid affiliate.EventID) int {
	if c := at.Compare(bt); c != 0 {
		return c
	}
	return strings.Compare(string(id), string(bid))
}

func (s *summary) earlierIndex(id affiliate.EventID) int {
	for i := range s.earlier {
		if s.earlier[i].payment.ID == id {
			return i
		}
	}
	return -1
}

// history returns what rules see of the customer's payments before p.
func (s *summary) history(p affiliate.Payment, paid bool) rules.History {
	h := rules.History{Count: s.count, FirstPaidAt: s.firstPaidAt}
	if h.FirstPaidAt.IsZero() && paid {
		h.FirstPaidAt = p.PaidAt
	}
	if len(s.earlier) > 0 {
		h.Earlier = make([]rules.PaymentFact, len(s.earlier))
		for i, e := range s.earlier {
			total, _ := e.payment.Total()
			refunded, _ := affiliate.NewMoney(refundedAsOf(e.refunds, total.Minor(), p.PaidAt), e.payment.Currency)
			h.Earlier[i] = rules.PaymentFact{ID: e.payment.ID, PaidAt: e.payment.PaidAt, Payment: e.payment, Refunded: refunded}
		}
	}
	return h
}

func (s *summary) usedMap() map[rules.CapKey]affiliate.Money {
	if len(s.used) == 0 {
		return nil
	}
	m := make(map[rules.CapKey]affiliate.Money, len(s.used))
	for _, u := range s.used {
		m[u.key], _ = affiliate.NewMoney(u.minor, u.key.Currency)
	}
	return m
}

// advance records that p was priced, with the accruals it produced, the
// refunds recorded against it so far, and the affiliate it was recorded
// for ("" when unbound).
func (s *summary) advance(p affiliate.Payment, accs []rules.Accrual, refunds []refundFact, recordedFor affiliate.AffiliateID, loc *time.Location) error {
	s.count++
	s.hasLast, s.lastAt, s.lastID = true, p.PaidAt, p.ID
	if rules.Paid(p) {
		s.paidCount++
		if s.firstPaidAt.IsZero() {
			s.firstPaidAt = p.PaidAt
		}
		if len(s.earlier) < s.historyDepth {
			s.earlier = append(s.earlier, earlierPayment{payment: p, refunds: refunds})
		}
	}
	if recordedFor != "" {
		s.boundCount++
		s.lastBoundPeriod = periodKey(p.PaidAt, loc)
	}
	for _, a := range accs {
		for _, k := range a.Counts {
			if k.Currency != a.Amount.Currency() {
				return &RuleError{Rule: a.Rule, Payment: p.ID, Reason: "counts toward cap " + quote(k.Cap) + " in " + string(k.Currency) + " an amount in " + string(a.Amount.Currency())}
			}
			s.addUse(k, a.Amount.Minor())
		}
	}
	// A later payment is in this payment's month or later in any time
	// zone, and no zone is a month away from UTC: usage of months before
	// last month (UTC) is never read again.
	if len(s.used) == 0 {
		return nil
	}
	keep := affiliate.PeriodOf(p.PaidAt, time.UTC).Prev().String()
	out := s.used[:0]
	for _, u := range s.used {
		if u.key.Period == "" || u.key.Period >= keep {
			out = append(out, u)
		}
	}
	s.used = out
	return nil
}

func (s *summary) addUse(k rules.CapKey, minor int64) {
	for i := range s.used {
		if s.used[i].key == k {
			s.used[i].minor += minor
			return
		}
	}
	s.used = append(s.used, capUse{key: k, minor: minor})
}

// takeParked removes and returns the refunds parked for payment id, in
// (RefundedAt, ID) order.
func (s *summary) takeParked(id affiliate.EventID) []affiliate.Refund {
	var out []affiliate.Refund
	kept := s.parked[:0]
	for _, p := range s.parked {
		if p.refund.Payment == id {
			out = append(out, p.refund)
		} else {
			kept = append(kept, p)
		}
	}
	s.parked = kept
	sortRefunds(out)
	return out
}

func sortRefunds(rs []affiliate.Refund) {
	if len(rs) < 2 {
		return
	}
	// insertion sort: parked refunds are few
	for i := 1; i < len(rs); i++ {
		for j := i; j > 0 && cmpRefund(rs[j], rs[j-1]) < 0; j-- {
			rs[j], rs[j-1] = rs[j-1], rs[j]
		}
	}
}

func cmpRefund(a, b affiliate.Refund) int {
	return cmp.Or(a.RefundedAt.Compare(b.RefundedAt), strings.Compare(string(a.ID), string(b.ID)))
}
