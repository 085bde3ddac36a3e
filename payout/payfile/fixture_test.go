package payfile_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/affiliatetest"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var ctx = context.Background()

var jan = affiliate.Period{Year: 2026, Month: time.January, Location: time.UTC}

// payees: two by SEPA, one by PayPal, one by Wise (in GBP), one by other
// means.
var payees = map[affiliate.AffiliateID]affiliate.PayeeProfile{
	"ann": {Affiliate: "ann", Version: 1, Method: affiliate.MethodBankTransfer, Currency: "EUR", AccountHolder: "Ann Müller-Łukasiewicz",
		IBAN: "DE89370400440532013000", BIC: "COBADEFFXXX", TaxForm: affiliate.TaxFormVAT, VATNumber: "DE136695976", UpdatedAt: at(1)},
	"bob": {Affiliate: "bob", Version: 1, Method: affiliate.MethodBankTransfer, Currency: "EUR", AccountHolder: "Bob & Co <SARL>",
		IBAN: "FR1420041010050500013M02606", BIC: "PSSTFRPPPAR", UpdatedAt: at(1)},
	"cat": {Affiliate: "cat", Version: 1, Method: affiliate.MethodPayPal, Currency: "EUR", Email: "cat@example.com", TaxForm: affiliate.TaxFormW9, UpdatedAt: at(1)},
	"dan": {Affiliate: "dan", Version: 1, Method: affiliate.MethodWise, Currency: "GBP", AccountHolder: "Dan Smith", WiseRecipientID: "148393305",
		Email: "dan@example.co.uk", TaxForm: affiliate.TaxFormW8, UpdatedAt: at(1)},
	"eve": {Affiliate: "eve", Version: 1, Method: affiliate.MethodOther, Currency: "EUR", OtherDetails: "cheque to the office", UpdatedAt: at(1)},
}

func at(day int) time.Time { return time.Date(2026, time.January, day, 12, 0, 0, 0, time.UTC) }

// fixture runs January's payouts over a memstore: ann 120.50 EUR, bob
// 80.00 EUR, cat 45.10 EUR, dan 99.99 GBP, eve 10.00 EUR.
func fixture(t *testing.T) (*memstore.Store, affiliate.PayoutRun) {
	t.Helper()
	s := memstore.New()
	var entries []affiliate.Entry
	for i, e := range []struct {
		aff    affiliate.AffiliateID
		amount string
		cur    string
	}{{"ann", "100.00", "EUR"}, {"ann", "20.50", "EUR"}, {"bob", "80.00", "EUR"}, {"cat", "45.10", "EUR"}, {"dan", "99.99", "GBP"}, {"eve", "10.00", "EUR"}} {
		amt := affiliate.MustParseMoney(e.amount, e.cur)
		id := affiliate.EntryID("e" + string(rune('1'+i)))
		entries = append(entries, affiliate.Entry{
			ID: id, Beneficiary: e.aff, Event: affiliate.EventID("ev-" + id), Payment: affiliate.EventID("pay-" + id),
			Customer: "cust-" + affiliate.CustomerID(e.aff), Kind: affiliate.KindCommission, Amount: amt,
			Rule: "test", Terms: "v1", Chain: []affiliate.AffiliateID{e.aff}, At: at(10 + i), AvailableAt: at(10 + i),
			Explanation: "commission " + amt.String(),
		})
	}
	if _, err := affiliatetest.SeedLedger(ctx, s, "seed", entries, nil); err != nil {
		t.Fatal(err)
	}
	r, err := payout.New(payout.Config{Store: s, Now: func() time.Time { return time.Date(2026, time.February, 1, 9, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Run(ctx, jan, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	run, err := s.PayoutRun(ctx, payout.DefaultProgram, jan)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Payouts) != 5 {
		t.Fatalf("fixture run has %d payouts, want 5", len(res.Payouts))
	}
	return s, run
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if string(want) != string(got) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it)\n--- got:\n%s\n--- want:\n%s", name, got, want)
	}
}
