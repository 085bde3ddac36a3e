package storagetest

import (
	"context"
	"fmt"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// t0 is the fixed epoch the suite's data lives around, so failures print
// readable times.
var t0 = time.Date(2026, time.January, 15, 12, 0, 0, 0, time.UTC)

func eur(minor int64) affiliate.Money { return affiliate.MustMoney(minor, "EUR") }

// entry builds a valid entry; the suite varies the fields it tests.
func entry(id string, beneficiary affiliate.AffiliateID, customer affiliate.CustomerID, event affiliate.EventID, amount affiliate.Money, at time.Time) affiliate.Entry {
	return affiliate.Entry{
		ID:          affiliate.EntryID(id),
		Beneficiary: beneficiary,
		Event:       event,
		Payment:     event,
		Customer:    customer,
		Kind:        affiliate.KindCommission,
		Base:        amount,
		BaseLines:   []affiliate.LineKind{affiliate.LineSubscription},
		Rate:        affiliate.MustRate("1"),
		Amount:      amount,
		Rule:        "storagetest",
		Terms:       "v1",
		Chain:       []affiliate.AffiliateID{beneficiary},
		At:          at,
		AvailableAt: at.Add(30 * 24 * time.Hour),
		Explanation: "conformance fixture",
	}
}

func payment(id affiliate.EventID, customer affiliate.CustomerID, minor int64, at time.Time) *affiliate.Payment {
	return &affiliate.Payment{
		ID: id, Customer: customer, PaidAt: at, Currency: "EUR",
		Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: eur(minor)}},
	}
}

func ctxT() context.Context { return context.Background() }

func mustAppend(tb interface {
	Helper()
	Fatalf(string, ...any)
}, l storage.Ledger, b storage.AppendBatch) storage.AppendResult {
	tb.Helper()
	r, err := l.Append(ctxT(), b)
	if err != nil {
		tb.Fatalf("Append(%q): %v", b.Key, err)
	}
	return r
}

func entryIDs(es []affiliate.Entry) []affiliate.EntryID {
	out := make([]affiliate.EntryID, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

func describe(es []affiliate.Entry) string {
	s := ""
	for _, e := range es {
		s += fmt.Sprintf("%s(%s %s %s) ", e.ID, e.Beneficiary, e.Amount, e.At.Format(time.RFC3339))
	}
	return s
}
