package program_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/payout/payfile"
	"github.com/openaffiliate/affiliate/program"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// payoutProgram is a 10% program with one affiliate paid by PayPal, one
// payment of EUR 500 in January, and the clock at now.
func payoutProgram(t *testing.T, now *time.Time) (*program.Program, *memstore.Store) {
	t.Helper()
	ctx, store := context.Background(), memstore.New()
	p, err := program.New(program.Config{
		Store: store, Currency: "EUR",
		Terms: []commission.TermsVersion{{Version: "v1", Rule: rules.Percent{Name: "share", Rate: affiliate.MustPercent("10")}}},
		Now:   func() time.Time { return *now },
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.PutAffiliate(ctx, affiliate.Affiliate{ID: "ann", Status: affiliate.StatusActive, Codes: []string{"ann"}}); err != nil {
		t.Fatal(err)
	}
	jan := p.Month(2026, time.January)
	if _, err := p.Signup(ctx, attribution.Signup{Customer: "acme", Code: "ann", At: jan.Start()}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Record(ctx, affiliate.Payment{ID: "in_1", Customer: "acme", PaidAt: jan.Start().AddDate(0, 0, 3), Currency: "EUR",
		Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustParseMoney("500", "EUR")}}}); err != nil {
		t.Fatal(err)
	}
	return p, store
}

func TestPayoutFilesThroughTheProgram(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, time.February, 2, 0, 0, 0, 0, time.UTC)
	p, _ := payoutProgram(t, &now)
	jan := p.Month(2026, time.January)
	if _, err := p.PutPayeeProfile(ctx, affiliate.PayeeProfile{Affiliate: "ghost", Method: affiliate.MethodPayPal, Currency: "EUR",
		Email: "g@example.com", UpdatedAt: now}); !errors.Is(err, affiliate.ErrNotFound) {
		t.Fatalf("PutPayeeProfile of an unknown affiliate = %v, want ErrNotFound", err)
	}
	var buf bytes.Buffer
	if err := p.WritePayoutFile(ctx, jan, program.PayoutFile{Method: affiliate.MethodPayPal}, &buf); !errors.Is(err, affiliate.ErrNotFound) {
		t.Fatalf("WritePayoutFile before the run = %v, want ErrNotFound", err)
	}
	res, err := p.RequestPayout(ctx, "ann")
	if err != nil || len(res.Payouts) != 1 || res.Payouts[0].Amount.String() != "50.00 EUR" {
		t.Fatalf("RequestPayout = %+v, %v; want one payout of 50.00 EUR", res, err)
	}
	// The monthly run finds nothing left; its file has no PayPal payout.
	if _, err := p.RunPayouts(ctx, jan); err != nil {
		t.Fatal(err)
	}
	if _, err := p.PutPayeeProfile(ctx, affiliate.PayeeProfile{Affiliate: "ann", Method: affiliate.MethodPayPal, Currency: "EUR",
		Email: "ann@example.com", UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
	if err := p.WritePayoutFile(ctx, jan, program.PayoutFile{Method: affiliate.MethodPayPal}, &buf); !errors.Is(err, affiliate.ErrInvalid) || buf.Len() != 0 {
		t.Fatalf("WritePayoutFile of an empty batch = %v (%d bytes), want ErrInvalid and nothing written", err, buf.Len())
	}
	if err := p.WritePayoutFile(ctx, jan, program.PayoutFile{Method: affiliate.MethodOther}, &buf); !errors.Is(err, affiliate.ErrInvalid) {
		t.Fatalf("WritePayoutFile for method other = %v, want ErrInvalid", err)
	}
	years, err := p.PayoutYear(ctx, "ann", 2026)
	if err != nil || len(years) != 1 || years[0].Earned.String() != "50.00 EUR" || years[0].Paid.String() != "0.00 EUR" {
		t.Fatalf("PayoutYear = %+v, %v; want 50.00 EUR earned, nothing paid yet", years, err)
	}
}

// A run the affiliate requested has its execution file and takes its
// result file, as the monthly run does.
func TestRequestedRunFileAndImport(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, time.February, 2, 0, 0, 0, 0, time.UTC)
	p, _ := payoutProgram(t, &now)
	jan := p.Month(2026, time.January)
	if _, err := p.PutPayeeProfile(ctx, affiliate.PayeeProfile{Affiliate: "ann", Method: affiliate.MethodPayPal, Currency: "EUR",
		Email: "ann@example.com", UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
	res, err := p.RequestPayout(ctx, "ann")
	if err != nil || len(res.Payouts) != 1 {
		t.Fatalf("RequestPayout = %+v, %v; want one payout", res, err)
	}
	po := res.Payouts[0]
	var buf bytes.Buffer
	if err := p.WritePayoutFile(ctx, jan, program.PayoutFile{Method: affiliate.MethodPayPal}, &buf); !errors.Is(err, affiliate.ErrNotFound) {
		t.Fatalf("WritePayoutFile of the monthly run = %v, want ErrNotFound (only ann's request ran)", err)
	}
	if err := p.WritePayoutFile(ctx, jan, program.PayoutFile{Method: affiliate.MethodPayPal, Requested: "ann"}, &buf); err != nil {
		t.Fatalf("WritePayoutFile of ann's request: %v", err)
	}
	if !bytes.Contains(buf.Bytes(), []byte("ann@example.com")) || !bytes.Contains(buf.Bytes(), []byte(po.ID)) {
		t.Fatalf("ann's request file does not pay her payout %s:\n%s", po.ID, buf.String())
	}
	batch := payfile.BatchID(payout.RequestProgram("default", "ann"), jan)
	result := "batch_id,payout_id,status,reference,note\n" + batch + "," + string(po.ID) + ",paid,PP-1,\n"
	for _, tc := range []struct {
		name string
		a    affiliate.AffiliateID
		want error
	}{
		{"no affiliate", "", affiliate.ErrInvalid},
		{"another affiliate's batch", "bob", payfile.ErrWrongBatch},
	} {
		if _, err := p.ImportRequestResult(ctx, tc.a, jan, strings.NewReader(result)); !errors.Is(err, tc.want) {
			t.Errorf("ImportRequestResult(%s) = %v, want %v", tc.name, err, tc.want)
		}
	}
	settled, err := p.ImportRequestResult(ctx, "ann", jan, strings.NewReader(result))
	if err != nil || len(settled) != 1 || settled[0].Status != affiliate.PayoutPaid || settled[0].Reference != "PP-1" {
		t.Fatalf("ImportRequestResult = %+v, %v; want ann's payout paid under PP-1", settled, err)
	}
}
