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

// ledgerWrite is entries and deltas written the one way a store takes
// them: an Events.Commit, under a key and hash of its own.
type ledgerWrite struct {
	Key, Hash string
	Entries   []affiliate.Entry
	Deltas    []storage.AggregateDelta
}

// write commits w with no event, moving a customer state of its own
// ("seed:" and the key) from version 0 to 1.
func write(s storage.Events, w ledgerWrite) (storage.CommitResult, error) {
	return s.Commit(ctxT(), storage.Commit{Key: w.Key, Hash: w.Hash, Entries: w.Entries, Deltas: w.Deltas,
		State: storage.CustomerState{Customer: affiliate.CustomerID("seed:" + w.Key), Version: 1}})
}

func mustWrite(tb interface {
	Helper()
	Fatalf(string, ...any)
}, s storage.Events, w ledgerWrite) storage.CommitResult {
	tb.Helper()
	r, err := write(s, w)
	if err != nil {
		tb.Fatalf("write(%q): %v", w.Key, err)
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

// per is the month s ("2026-01"), with no location (UTC).
func per(s string) affiliate.Period {
	p, err := affiliate.ParsePeriod(s, nil)
	if err != nil {
		panic(err)
	}
	return p
}
