package program_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
	"github.com/openaffiliate/affiliate/program"
	"github.com/openaffiliate/affiliate/report"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
	"github.com/openaffiliate/affiliate/storage/sqlstore"
	"github.com/openaffiliate/affiliate/stripesync"
)

var (
	_ program.Store = (*memstore.Store)(nil)
	_ program.Store = (*sqlstore.Store)(nil)
)

func TestMethodsOnMemstore(t *testing.T) { testMethods(t, memstore.New()) }

// testMethods checks what each method of a program gives after the story,
// on store.
func testMethods(t *testing.T, store program.Store) {
	ctx := context.Background()
	p, _ := story(t, store)
	jan, feb := p.Month(2026, time.January), p.Month(2026, time.February)
	cases := []struct {
		name string
		got  func() (any, error)
		want string
	}{
		{"Signup binds through the cookie", func() (any, error) { return binding(store, "acme") }, "ann by link"},
		{"Signup binds through a Click", func() (any, error) { return binding(store, "globex") }, "ben by link"},
		{"Signup binds through a typed code", func() (any, error) { return binding(store, "initech") }, "ann by code"},
		{"Earned in January, a late signup's payment included", func() (any, error) { return p.Earned(ctx, "ann", jan) }, "[265.00 EUR]"},
		{"Earned by a sub-affiliate", func() (any, error) { return p.Earned(ctx, "ben", jan) }, "[100.00 EUR]"},
		{"Earned in February at the tier January reached", func() (any, error) { return p.Earned(ctx, "ann", feb) }, "[250.00 EUR]"},
		{"Explain names the tier", func() (any, error) {
			es, err := store.Entries(ctx, storage.EntryQuery{Payment: "in_acme_feb"})
			if err != nil || len(es) != 1 {
				return es, err
			}
			return strings.Contains(p.Explain(es[0]), `tier "Gold"`), nil
		}, "true"},
		{"Balance of a settled affiliate", func() (any, error) { return balance(p.Balance(ctx, "ann", at(time.February, 20))) }, "EUR pending 0.00 available 250.00 in payout 0.00 paid 265.00"},
		{"Balance of an unsettled payout", func() (any, error) { return balance(p.Balance(ctx, "ben", at(time.February, 20))) }, "EUR pending 0.00 available 0.00 in payout 100.00 paid 0.00"},
		{"Statement", func() (any, error) {
			s, err := p.Statement(ctx, "ann", jan)
			return fmt.Sprintf("opening %s earned %s paid %s closing %s", s.Opening.AmountString(), s.EarnedTotal.AmountString(), s.Paid.AmountString(), s.Closing.AmountString()), err
		}, "opening 0.00 earned 265.00 paid 265.00 closing 0.00"},
		{"Dashboard", func() (any, error) {
			d, err := p.Dashboard(ctx, "ann", report.Range{From: jan, To: feb})
			return fmt.Sprintf("touches %d signups %d earned %s", d.Touches, d.Signups, d.Currencies[0].Earned), err
		}, "touches 2 signups 2 earned 515.00 EUR"},
		{"ProgramDashboard", func() (any, error) {
			d, err := p.ProgramDashboard(ctx, report.Month(jan))
			return fmt.Sprintf("touches %d signups %d", d.Touches, d.Signups), err
		}, "touches 3 signups 3"},
		{"CloseMonth again writes nothing", func() (any, error) {
			r, err := p.CloseMonth(ctx, jan)
			return len(r.Closes) == 1 && !r.Closes[0].Written && len(r.Entries) == 0, err
		}, "true"},
		{"RunPayouts again replays the run", func() (any, error) {
			r, err := p.RunPayouts(ctx, jan)
			return fmt.Sprint(r.Replayed, len(r.Payouts)), err
		}, "true 2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.got()
			if err != nil {
				t.Fatal(err)
			}
			if s := fmt.Sprint(got); s != c.want {
				t.Errorf("got %s, want %s", s, c.want)
			}
		})
	}
}

func binding(store program.Store, c affiliate.CustomerID) (string, error) {
	b, err := store.Binding(context.Background(), c)
	return fmt.Sprintf("%s by %s", b.Affiliate, b.Source), err
}

func balance(bs []storage.EarningsBalance, err error) (string, error) {
	var out []string
	for _, b := range bs {
		out = append(out, fmt.Sprintf("%s pending %s available %s in payout %s paid %s",
			b.Currency, b.Pending.AmountString(), b.Available.AmountString(), b.InPayout.AmountString(), b.Paid.AmountString()))
	}
	return strings.Join(out, "; "), err
}

// A payment recorded before its customer signs up earns at the signup,
// with no other call: the billing webhook often runs first.
func TestPaymentBeforeSignupEarns(t *testing.T) {
	ctx := context.Background()
	_, p, c := annProgram(t)

	res, err := p.Record(ctx, invoice("in_1", "acme", at(time.March, 1), "300"))
	fatalIf(t, err)
	if !res.Unbound || len(res.Entries) != 0 {
		t.Fatalf("before the signup: Unbound %v, %d entries; want an unbound payment earning nothing", res.Unbound, len(res.Entries))
	}
	bound, err := p.Signup(ctx, attribution.Signup{Customer: "acme", Code: "ann"})
	fatalIf(t, err)
	if len(bound.Entries) != 1 || !bound.Entries[0].Amount.Equal(eur("60")) || bound.Entries[0].Beneficiary != "ann" {
		t.Fatalf("Signup appended %v; want ann's 60.00 EUR on in_1", bound.Entries)
	}
	got, err := balance(p.Balance(ctx, "ann", c.now))
	fatalIf(t, err)
	if want := "EUR pending 0.00 available 60.00 in payout 0.00 paid 0.00"; got != want {
		t.Errorf("Balance: got %s, want %s", got, want)
	}
}

// Bind, the form stripesync binds through (a checkout completed after its
// invoice was paid), re-prices the earlier payment as Signup does.
func TestBindAfterPaymentEarns(t *testing.T) {
	ctx := context.Background()
	_, p, c := annProgram(t)
	var binder stripesync.Binder = p
	_, err := p.Record(ctx, invoice("in_1", "acme", at(time.March, 1), "300"))
	fatalIf(t, err)
	a, err := binder.ResolveCode(ctx, "ann")
	fatalIf(t, err)
	b, err := binder.Bind(ctx, attribution.Signup{Customer: "acme", Code: "ann"})
	fatalIf(t, err)
	if a.ID != "ann" || b.Affiliate != "ann" {
		t.Fatalf("ResolveCode = %s, Bind = %s; want ann", a.ID, b.Affiliate)
	}
	got, err := balance(p.Balance(ctx, "ann", c.now))
	fatalIf(t, err)
	if want := "EUR pending 0.00 available 60.00 in payout 0.00 paid 0.00"; got != want {
		t.Errorf("Balance after Bind: got %s, want %s", got, want)
	}
}

// A manual binding re-prices the customer's earlier payments as a signup
// does, and a malformed one stores nothing.
func TestBindManuallyRecomputes(t *testing.T) {
	ctx := context.Background()
	store, p, _ := annProgram(t)
	_, err := p.Record(ctx, invoice("in_1", "acme", at(time.March, 1), "300"))
	fatalIf(t, err)

	_, err = p.BindManually(ctx, attribution.ManualBinding{Customer: "acme", Affiliate: "ann"})
	if !errors.Is(err, affiliate.ErrInvalid) {
		t.Fatalf("BindManually without a reason: %v, want an error matching ErrInvalid", err)
	}
	if _, err := store.Binding(ctx, "acme"); !errors.Is(err, affiliate.ErrNotFound) {
		t.Fatalf("after a refused manual binding: Binding = %v, want ErrNotFound", err)
	}
	bound, err := p.BindManually(ctx, attribution.ManualBinding{Customer: "acme", Affiliate: "ann", At: at(time.March, 2), Reason: "referred before tracking"})
	fatalIf(t, err)
	if len(bound.Entries) != 1 || !bound.Entries[0].Amount.Equal(eur("60")) || bound.Entries[0].Beneficiary != "ann" {
		t.Fatalf("BindManually appended %v; want ann's 60.00 EUR on in_1", bound.Entries)
	}
}

// Signup is safe to retry: a binding stored by a call that failed before
// re-pricing (here, made through the tracker alone) is completed by the
// retry, which reports the standing binding.
func TestSignupRetryRecomputes(t *testing.T) {
	ctx := context.Background()
	_, p, _ := annProgram(t)
	_, err := p.Record(ctx, invoice("in_1", "acme", at(time.March, 1), "300"))
	fatalIf(t, err)
	s := attribution.Signup{Customer: "acme", Code: "ann"}
	if _, err := p.Tracker().Bind(ctx, s); err != nil {
		t.Fatal(err)
	}

	for i, want := range []int{1, 0} { // the first retry re-prices, the second finds nothing to do
		bound, err := p.Signup(ctx, s)
		if !errors.Is(err, affiliate.ErrAlreadyBound) || bound.Binding.Affiliate != "ann" {
			t.Fatalf("retry %d: got %v, %v; want ann's binding and ErrAlreadyBound", i, bound.Binding, err)
		}
		if len(bound.Entries) != want {
			t.Errorf("retry %d appended %d entries, want %d", i, len(bound.Entries), want)
		}
	}
}

// A lead's payments recorded before its conversion earn at ConvertLead;
// a refused lead converts to nothing.
func TestLeads(t *testing.T) {
	ctx := context.Background()
	store := memstore.New()
	fatalIf(t, store.PutAffiliate(ctx, affiliate.Affiliate{ID: "pia", Status: affiliate.StatusActive, Email: "pia@partners.io"}))
	p, err := program.New(config(store, &clock{at(time.March, 5)}))
	fatalIf(t, err)
	reasons, err := p.CheckPartner(ctx, attribution.PartnerApplication{Email: "pia@gmail.com", Website: "https://pia.dev"})
	fatalIf(t, err)
	if len(reasons) != 1 || reasons[0].Code != attribution.ReasonFreeMail {
		t.Errorf("CheckPartner of a free-mail partner: %v, want one free-mail reason", reasons)
	}
	acme, err := p.SubmitLead(ctx, attribution.LeadInput{ID: "l_acme", Affiliate: "pia", Company: "Acme", Email: "cto@acme-corp.io"})
	fatalIf(t, err)
	hooli, err := p.SubmitLead(ctx, attribution.LeadInput{ID: "l_hooli", Affiliate: "pia", Company: "Hooli", Email: "cto@hooli.com"})
	fatalIf(t, err)
	if acme.Status != affiliate.LeadAccepted || hooli.Status != affiliate.LeadAccepted {
		t.Fatalf("SubmitLead: %s, %s; want both accepted", acme.Status, hooli.Status)
	}
	refused, err := p.RefuseLead(ctx, "l_hooli", attribution.Reason{Code: "duplicate", Detail: "a customer already"})
	fatalIf(t, err)
	if refused.Status != affiliate.LeadRefused {
		t.Errorf("RefuseLead: %s, want refused", refused.Status)
	}

	_, err = p.Record(ctx, invoice("in_acme_1", "acme", at(time.March, 1), "500"))
	fatalIf(t, err)
	bound, err := p.ConvertLead(ctx, "l_acme", attribution.Signup{Customer: "acme", Email: "cto@acme-corp.io"})
	fatalIf(t, err)
	if bound.Binding.Affiliate != "pia" || len(bound.Entries) != 1 || !bound.Entries[0].Amount.Equal(eur("100")) {
		t.Errorf("ConvertLead: %v with %v; want pia's binding and 100.00 EUR on in_acme_1", bound.Binding, bound.Entries)
	}
	if _, err := p.ConvertLead(ctx, "l_hooli", attribution.Signup{Customer: "hooli", Email: "cto@hooli.com"}); !errors.Is(err, attribution.ErrLeadState) {
		t.Errorf("ConvertLead of a refused lead: %v, want ErrLeadState", err)
	}
	if _, err := store.Binding(ctx, "hooli"); !errors.Is(err, affiliate.ErrNotFound) {
		t.Errorf("the refused lead's customer is bound: %v", err)
	}
}

// annProgram is a program on memstore with one active affiliate, ann
// (code "ann"), whose clock stands at March 5.
func annProgram(t *testing.T) (*memstore.Store, *program.Program, *clock) {
	t.Helper()
	store := memstore.New()
	fatalIf(t, store.PutAffiliate(context.Background(), affiliate.Affiliate{ID: "ann", Status: affiliate.StatusActive, Codes: []string{"ann"}}))
	c := &clock{at(time.March, 5)}
	p, err := program.New(config(store, c))
	fatalIf(t, err)
	return store, p, c
}
