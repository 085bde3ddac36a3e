package commission

import (
	"cmp"
	"encoding/json"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/rules"
)

// summary is the engine's per-customer state (storage.CustomerState.Data):
// what pricing the customer's next payment in order reads, so that it
// reads nothing else of the customer's history. Everything in it except
// Pinned can be rebuilt from the event log, and the replay path does
// rebuild it. It is stored in a binary encoding (state.go); the json tags
// read summaries that earlier versions stored as JSON.
type summary struct {
	// Format is the encoding's version, stateFormat when written.
	Format int `json:"format"`
	// HistoryDepth is the number of earliest paid payments Earlier was
	// kept for; a larger depth in a newer configuration forces a rebuild.
	HistoryDepth int `json:"history_depth"`
	// Pinned is the terms version Reprice moved the customer to; "" means
	// the schedule.
	Pinned string `json:"pinned,omitempty"`
	// BoundTo is the affiliate of the binding the customer's payments
	// were priced with ("" none): a binding made since sends the next
	// event down the replay path.
	BoundTo affiliate.AffiliateID `json:"bound_to,omitempty"`
	// Binding is the binding the payments were priced with (BoundTo's),
	// as JSON: decoded only after a move, so the fast path pays one copy.
	// PaidUnder are the bindings of earlier affiliates that payments of
	// paid-out months are still priced with, sorted by affiliate. After a
	// move they price what was paid as it was paid (see paidUnder).
	Binding   json.RawMessage     `json:"binding,omitempty"`
	PaidUnder []affiliate.Binding `json:"paid_under,omitempty"`
	// Rebound maps the payments recorded before the customer's binding,
	// or moved with it since, to the affiliate their aggregates now count
	// for (their event records keep the one they were recorded with).
	Rebound map[affiliate.EventID]affiliate.AffiliateID `json:"rebound,omitempty"`

	Count     int               `json:"count"`      // payments recorded
	PaidCount int               `json:"paid_count"` // of which paid (rules.Paid)
	HasLast   bool              `json:"has_last"`
	LastAt    time.Time         `json:"last_at"` // the latest payment by (PaidAt, ID)
	LastID    affiliate.EventID `json:"last_id"`
	// FirstPaidAt is the first paid payment's time, zero until one.
	FirstPaidAt time.Time `json:"first_paid_at"`

	// BoundCount and LastBoundPeriod feed the conversion and
	// paying-customer counts: payments recorded with an affiliate, and
	// the period of the latest of them.
	BoundCount      int    `json:"bound_count"`
	LastBoundPeriod string `json:"last_bound_period,omitempty"`

	Earlier []earlierPayment   `json:"earlier,omitempty"` // the first HistoryDepth paid payments
	Used    []capUse           `json:"used,omitempty"`    // cap usage, pruned to the months still open
	Parked  []affiliate.Refund `json:"parked,omitempty"`  // refunds whose payment is not recorded yet
	// Reinstated lists, sorted, the chargebacks a recorded reinstatement
	// undoes, whether or not the chargeback is recorded yet.
	Reinstated []affiliate.EventID `json:"reinstated,omitempty"`

	// stale marks a summary decoded from an older format: it is rebuilt
	// from the event log before use.
	stale bool
}

// earlierPayment is one of the customer's first paid payments, with the
// refunds recorded against it (rules see them as PaymentFact.Refunded).
type earlierPayment struct {
	Payment affiliate.Payment `json:"payment"`
	Refunds []refundFact      `json:"refunds,omitempty"`
}

// refundFact is one effective refund of a payment: in its currency, for
// its customer.
type refundFact struct {
	ID     affiliate.EventID `json:"id"`
	At     time.Time         `json:"at"`
	Full   bool              `json:"full,omitempty"`
	Amount int64             `json:"amount,omitempty"` // minor units of the payment's currency; 0 when full
}

type capUse struct {
	Key   rules.CapKey `json:"key"`
	Minor int64        `json:"minor"`
}

// countsFor returns the affiliate payment id's aggregates count for: the
// one it was rebound to, else the one its record names.
func (s *summary) countsFor(id affiliate.EventID, recorded affiliate.AffiliateID) affiliate.AffiliateID {
	if a, ok := s.Rebound[id]; ok {
		return a
	}
	return recorded
}

func (s *summary) after(at time.Time, id affiliate.EventID) bool {
	if !s.HasLast {
		return true
	}
	return comparePaymentKey(at, id, s.LastAt, s.LastID) > 0
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
	for i := range s.Earlier {
		if s.Earlier[i].Payment.ID == id {
			return i
		}
	}
	return -1
}

// history returns what rules see of the customer's payments before p.
func (s *summary) history(p affiliate.Payment, paid bool) rules.History {
	h := rules.History{Count: s.Count, FirstPaidAt: s.FirstPaidAt}
	if h.FirstPaidAt.IsZero() && paid {
		h.FirstPaidAt = p.PaidAt
	}
	if len(s.Earlier) > 0 {
		h.Earlier = make([]rules.PaymentFact, len(s.Earlier))
		for i, e := range s.Earlier {
			total, _ := e.Payment.Total()
			refunded, _ := affiliate.NewMoney(refundedAsOf(e.Refunds, total.Minor(), p.PaidAt), e.Payment.Currency)
			h.Earlier[i] = rules.PaymentFact{ID: e.Payment.ID, PaidAt: e.Payment.PaidAt, Payment: e.Payment, Refunded: refunded}
		}
	}
	return h
}

func (s *summary) usedMap() map[rules.CapKey]affiliate.Money {
	if len(s.Used) == 0 {
		return nil
	}
	m := make(map[rules.CapKey]affiliate.Money, len(s.Used))
	for _, u := range s.Used {
		m[u.Key], _ = affiliate.NewMoney(u.Minor, u.Key.Currency)
	}
	return m
}

// advance records that p was priced, with the accruals it produced, the
// refunds recorded against it so far, and the affiliate it was recorded
// for ("" when unbound).
func (s *summary) advance(p affiliate.Payment, accs []rules.Accrual, refunds []refundFact, recordedFor affiliate.AffiliateID, loc *time.Location) error {
	s.Count++
	s.HasLast, s.LastAt, s.LastID = true, p.PaidAt, p.ID
	if rules.Paid(p) {
		s.PaidCount++
		if s.FirstPaidAt.IsZero() {
			s.FirstPaidAt = p.PaidAt
		}
		if len(s.Earlier) < s.HistoryDepth {
			s.Earlier = append(s.Earlier, earlierPayment{Payment: p, Refunds: refunds})
		}
	}
	if recordedFor != "" {
		s.BoundCount++
		s.LastBoundPeriod = periodKey(p.PaidAt, loc)
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
	if len(s.Used) == 0 {
		return nil
	}
	keep := affiliate.PeriodOf(p.PaidAt, time.UTC).Prev().String()
	out := s.Used[:0]
	for _, u := range s.Used {
		if u.Key.Period == "" || u.Key.Period >= keep {
			out = append(out, u)
		}
	}
	s.Used = out
	return nil
}

func (s *summary) addUse(k rules.CapKey, minor int64) {
	for i := range s.Used {
		if s.Used[i].Key == k {
			s.Used[i].Minor += minor
			return
		}
	}
	s.Used = append(s.Used, capUse{Key: k, Minor: minor})
}

// takeParked removes and returns the refunds parked for payment id, in
// (RefundedAt, ID) order.
func (s *summary) takeParked(id affiliate.EventID) []affiliate.Refund {
	var out []affiliate.Refund
	kept := s.Parked[:0]
	for _, p := range s.Parked {
		if p.Payment == id {
			out = append(out, p)
		} else {
			kept = append(kept, p)
		}
	}
	s.Parked = kept
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
