package affiliatetest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/affiliatetest"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// The checkers on the library's own engine: seed 001's 30% revenue share,
// a payment and a partial refund delivered twice, out of order.
func ExampleCheckRefunds() {
	ctx := context.Background()
	store := memstore.New()
	_ = store.PutAffiliate(ctx, affiliate.Affiliate{ID: "aff_1", Status: affiliate.StatusActive})
	_, _ = store.Bind(ctx, affiliate.Binding{Customer: "cus_1", Affiliate: "aff_1", Source: affiliate.BindByManual, BoundAt: affiliatetest.Epoch})
	eng, err := commission.New(commission.Config{
		Store: store,
		Terms: []commission.TermsVersion{{Version: "v1", Rule: rules.Percent{Rate: affiliate.MustPercent("30")}}},
	})
	if err != nil {
		panic(err)
	}
	sys := affiliatetest.System{Engine: affiliatetest.Engine(eng), Ledger: store, Events: store}

	pay := affiliate.Payment{ID: "pay_1", Customer: "cus_1", PaidAt: affiliatetest.Epoch.Add(time.Hour), Currency: "USD",
		Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustMoney(2000, "USD")}}}
	refund := affiliate.Refund{ID: "ref_1", Payment: "pay_1", Customer: "cus_1", RefundedAt: pay.PaidAt.Add(24 * time.Hour),
		Kind: affiliate.KindRefund, Amount: affiliate.MustMoney(500, "USD")}
	deliveries := []affiliate.Event{refund, pay, refund, pay}

	fmt.Println("I1:", affiliatetest.CheckIdempotent(ctx, sys, deliveries))
	fmt.Println("I3:", affiliatetest.CheckRefunds(ctx, sys, deliveries))
	entries, _ := store.Entries(ctx, storage.EntryQuery{Payment: "pay_1"})
	net, _ := affiliatetest.Net(entries)
	for k, v := range net {
		fmt.Println(k, "nets", v)
	}
	// Output:
	// I1: <nil>
	// I3: <nil>
	// aff_1 from cus_1's payment pay_1 (commission, USD) nets 4.50 USD
}

// A checker's report on a broken engine: this one pays 30% of every
// payment and never looks at refunds.
func ExampleViolation() {
	ctx := context.Background()
	store := memstore.New()
	broken := affiliatetest.RecorderFunc(func(ctx context.Context, e affiliate.Event) error {
		p, ok := e.(affiliate.Payment)
		if !ok {
			return nil // refunds: ignored, the bug
		}
		total, _ := p.Total()
		amount, _ := total.MulRate(affiliate.MustPercent("30"), affiliate.HalfEven)
		_, err := affiliatetest.SeedLedger(ctx, store, string(p.ID), []affiliate.Entry{{
			ID: affiliate.EntryID(p.ID + "/1"), Beneficiary: "aff_1", Event: p.ID, Payment: p.ID, Customer: p.Customer,
			Kind: affiliate.KindCommission, Base: total, Rate: affiliate.MustPercent("30"), Amount: amount,
			At: p.PaidAt, AvailableAt: p.PaidAt,
		}}, nil)
		return err
	})
	pay := affiliate.Payment{ID: "pay_1", Customer: "cus_1", PaidAt: affiliatetest.Epoch, Currency: "EUR",
		Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: affiliate.MustMoney(10000, "EUR")}}}
	full := affiliate.Refund{ID: "ref_1", Payment: "pay_1", Customer: "cus_1", RefundedAt: pay.PaidAt.Add(time.Hour), Kind: affiliate.KindChargeback, Full: true}

	err := affiliatetest.CheckRefunds(ctx, affiliatetest.System{Engine: broken, Ledger: store}, []affiliate.Event{pay, full})
	fmt.Println(err)
	// Output:
	// I3 broken (a refund reverses its payment's commission pro rata, a full refund to zero, never more than remains) on pay_1, ref_1: the refunds of payment pay_1 were not reversed pro rata:
	// 	aff_1 from cus_1's payment pay_1 (commission, EUR): the payment was fully refunded, yet 30.00 EUR remains of the 30.00 EUR earned
}

func ExampleCheckBindings() {
	day := 24 * time.Hour
	err := affiliatetest.CheckBindings(affiliatetest.Attribution{
		Window:     90 * day,
		FirstClick: true,
		Touches: []affiliate.Touch{
			{ID: "t1", Visitor: "v1", Affiliate: "aff_1", Source: affiliate.TouchLink, At: affiliatetest.Epoch},
			{ID: "t2", Visitor: "v1", Affiliate: "aff_2", Source: affiliate.TouchLink, At: affiliatetest.Epoch.Add(5 * day)},
		},
		Observed: []affiliate.Binding{
			{Customer: "cus_1", Affiliate: "aff_2", Source: affiliate.BindByLink, Touch: "t2", BoundAt: affiliatetest.Epoch.Add(6 * day)},
		},
	})
	fmt.Println(err)
	// Output:
	// I9 broken (a customer has one binding, first-click holds, the touch is in its window, no self-referral) on cus_1, t2, t1: bindings break the attribution rules:
	// 	customer cus_1 was bound through touch t2 (aff_2 at 2026-01-06T00:00:00Z), but under first-click the earlier touch t1 (aff_1 at 2026-01-01T00:00:00Z) wins
}

func ExampleCmpOptions() {
	want := []affiliate.Entry{
		{ID: "e1", Amount: affiliate.MustMoney(600, "EUR"), At: affiliatetest.Epoch},
		{ID: "e2", Amount: affiliate.MustMoney(-600, "EUR"), At: affiliatetest.Epoch.Add(time.Hour)},
	}
	// The same entries in another order, read back in another time zone:
	// equal under CmpOptions.
	paris, _ := time.LoadLocation("Europe/Paris")
	got := []affiliate.Entry{
		{ID: "e2", Amount: affiliate.MustMoney(-600, "EUR"), At: affiliatetest.Epoch.Add(time.Hour).In(paris)},
		{ID: "e1", Amount: affiliate.MustMoney(600, "EUR"), At: affiliatetest.Epoch.In(paris)},
	}
	fmt.Println(cmp.Equal(want, got, affiliatetest.CmpOptions()))

	// 6.00 EUR and 6.00 USD are not equal.
	got[1].Amount = affiliate.MustMoney(600, "USD")
	fmt.Println(cmp.Equal(want, got, affiliatetest.CmpOptions()))
	// Output:
	// true
	// false
}

// Generators draw inside rapid.Check; Example draws one value outside it.
func ExampleHistory() {
	gen := affiliatetest.History(affiliatetest.HistoryOptions{Customer: "cus_1", Currency: "EUR", MinPayments: 3, MaxPayments: 3})
	for _, e := range gen.Example(1) {
		if p, ok := e.(affiliate.Payment); ok {
			total, _ := p.Total()
			fmt.Println(p.ID, p.PaidAt.Month(), total.Currency(), total.Sign() > 0, p.Validate() == nil)
		}
	}
	// Output:
	// cus_1-p01 January EUR true true
	// cus_1-p02 February EUR true true
	// cus_1-p03 March EUR true true
}

// FieldVariants sets each leaf field of a value in turn: a test that
// hashes each variant fails when a field falls outside the hash.
func ExampleFieldVariants() {
	for _, v := range affiliatetest.FieldVariants(affiliate.Conversion{}) {
		fmt.Println(v.Path, v.Value)
	}
	// Output:
	// To {x 0}
	// Rate { 0.5}
}
