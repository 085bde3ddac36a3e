package program_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
	"github.com/openaffiliate/affiliate/program"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// Bad input gets an error matching affiliate.ErrInvalid (or the sentinel
// named) and leaves the store as it was.
func TestBadInputChangesNothing(t *testing.T) {
	ctx := context.Background()
	store := memstore.New()
	p, c := story(t, store)
	jan, feb := p.Month(2026, time.January), p.Month(2026, time.February)
	negative := invoice("in_bad", "acme", at(time.February, 11), "10")
	negative.Lines[0].Amount = eur("-10")
	cases := []struct {
		name string
		call func() error
		want error
	}{
		{"Signup without a customer", func() error {
			_, err := p.Signup(ctx, attribution.Signup{Code: "ann"})
			return err
		}, affiliate.ErrInvalid},
		{"Signup with a malformed code", func() error {
			_, err := p.Signup(ctx, attribution.Signup{Customer: "hooli", Code: "not a code\x00"})
			return err
		}, affiliate.ErrInvalid},
		{"Click without a visitor", func() error {
			_, err := p.Click(ctx, attribution.TouchInput{Code: "ann"})
			return err
		}, affiliate.ErrInvalid},
		{"SubmitLead without a company", func() error {
			_, err := p.SubmitLead(ctx, attribution.LeadInput{Affiliate: "ann", Email: "cto@hooli.com"})
			return err
		}, affiliate.ErrInvalid},
		{"Record a negative line", func() error {
			_, err := p.Record(ctx, negative)
			return err
		}, affiliate.ErrInvalid},
		{"Record a payment again with another amount", func() error {
			_, err := p.Record(ctx, invoice("in_acme_feb", "acme", at(time.February, 10), "999"))
			return err
		}, affiliate.ErrIdempotencyMismatch},
		{"CloseMonth of a month not ended", func() error {
			_, err := p.CloseMonth(ctx, feb)
			return err
		}, affiliate.ErrPeriodOpen},
		{"RunPayouts of a month not ended", func() error {
			_, err := p.RunPayouts(ctx, feb)
			return err
		}, affiliate.ErrPeriodOpen},
		{"SettlePayout of an unknown payout", func() error {
			_, err := p.SettlePayout(ctx, "po_nope", "sepa-1")
			return err
		}, affiliate.ErrNotFound},
		{"Statement of a malformed affiliate", func() error {
			_, err := p.Statement(ctx, "", jan)
			return err
		}, affiliate.ErrInvalid},
		{"Earned of a malformed affiliate", func() error {
			_, err := p.Earned(ctx, "", jan)
			return err
		}, affiliate.ErrInvalid},
		{"Balance at a zero time", func() error {
			_, err := p.Balance(ctx, "ann", time.Time{})
			return err
		}, affiliate.ErrInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := fingerprint(t, store, c.now)
			if err := tc.call(); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want an error matching %v", err, tc.want)
			}
			if after := fingerprint(t, store, c.now); after != before {
				t.Errorf("the store changed:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

// fingerprint renders what the program has stored: every entry, the
// program's balances, clicks and signups, and payout totals.
func fingerprint(t *testing.T, store program.Store, now time.Time) string {
	t.Helper()
	ctx := context.Background()
	entries, err := store.Entries(ctx, storage.EntryQuery{})
	fatalIf(t, err)
	ids := make([]affiliate.EntryID, len(entries))
	for i, e := range entries {
		ids[i] = e.ID
	}
	balances, err := balance(store.EarningsBalances(ctx, "", now))
	fatalIf(t, err)
	act, err := store.Activity(ctx, "", at(time.January, 1), now.AddDate(1, 0, 0))
	fatalIf(t, err)
	totals, err := store.PayoutTotals(ctx, "default", per("2026-01"), per("2026-12"))
	fatalIf(t, err)
	return fmt.Sprintf("entries %v; %s; %+v; payouts %+v", ids, balances, act, totals)
}
