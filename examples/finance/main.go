// Command finance runs one month of an affiliate program through to the
// money leaving the bank: payee profiles with their tax forms, manual
// review of large commissions, a payout run on NET-15 terms that pays
// only affiliates with a complete profile and a tax form, a per-affiliate
// cap, the SEPA credit transfer file (ISO 20022 pain.001.001.09) for the
// bank, the bank's status reports (pain.002.001.10) imported back, a
// statement that says why an affiliate was skipped, and the year's
// totals for the tax forms.
//
//	go run ./examples/finance
//
// The program: 20% of referred customers' payments, in EUR, paid out
// from EUR 50, at most EUR 500 per affiliate per run, 15 days after the
// month's end. A commission above EUR 350 waits for a reviewer's
// approval before a run may pay it.
package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
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

func main() {
	if _, err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "finance:", err)
		os.Exit(1)
	}
}

// figures are what the run ends with; the test checks them.
type figures struct {
	SEPA          []byte
	StatusReports [][]byte // the bank's pain.002 answers
	Settled       []string // "affiliate status", in the order the reports settled them
	Paid          map[affiliate.AffiliateID]affiliate.Money
	Carried       map[affiliate.AffiliateID]string // the reason
	Year          []payout.YearTotal
}

func eur(s string) affiliate.Money { return affiliate.MustParseMoney(s, "EUR") }

func run(w io.Writer) (figures, error) {
	ctx, store := context.Background(), memstore.New()
	now := time.Date(2026, time.February, 16, 9, 0, 0, 0, time.UTC)
	p, err := program.New(program.Config{
		Store: store, Currency: "EUR",
		Terms: []commission.TermsVersion{{Version: "v1", Rule: rules.Percent{Name: "share", Rate: affiliate.MustPercent("20")}}},
		Payouts: program.Payouts{
			Minimums: map[affiliate.Currency]affiliate.Money{"EUR": eur("50")},
			Checks:   []payout.Check{payout.ProfileComplete(), payout.TaxFormReceived()},
			Caps:     payout.Caps{PerAffiliate: map[affiliate.Currency]affiliate.Money{"EUR": eur("500")}},
			Schedule: payout.Schedule{NetDays: 15},
		},
		Approval: affiliate.ApprovalPolicy{Above: map[affiliate.Currency]affiliate.Money{"EUR": eur("350")}},
		Now:      func() time.Time { return now },
	})
	if err != nil {
		return figures{}, err
	}
	jan := p.Month(2026, time.January)
	profiles := []affiliate.PayeeProfile{
		{Affiliate: "ann", Method: affiliate.MethodBankTransfer, Currency: "EUR", AccountHolder: "Ann Example",
			IBAN: "DE89370400440532013000", BIC: "COBADEFFXXX", TaxForm: affiliate.TaxFormVAT, VATNumber: "DE136695976"},
		{Affiliate: "bob", Method: affiliate.MethodBankTransfer, Currency: "EUR", AccountHolder: "Bob Beispiel",
			IBAN: "FR1420041010050500013M02606", BIC: "PSSTFRPPPAR"}, // no tax form yet
		{Affiliate: "cyd", Method: affiliate.MethodBankTransfer, Currency: "EUR", AccountHolder: "Cyd Müster & Söhne",
			IBAN: "NL91ABNA0417164300", BIC: "ABNANL2A", TaxForm: affiliate.TaxFormW8},
	}
	customers := map[affiliate.AffiliateID][]string{"ann": {"1500"}, "bob": {"400"}, "cyd": {"1000", "2000", "2000"}}
	for i, prof := range profiles {
		a := prof.Affiliate
		if err := store.PutAffiliate(ctx, affiliate.Affiliate{ID: a, Status: affiliate.StatusActive, Codes: []string{string(a)}}); err != nil {
			return figures{}, err
		}
		prof.UpdatedAt = jan.Start()
		if _, err := p.PutPayeeProfile(ctx, prof); err != nil {
			return figures{}, err
		}
		customer := affiliate.CustomerID("customer-of-" + a)
		if _, err := p.Signup(ctx, attribution.Signup{Customer: customer, Code: string(a), At: jan.Start().Add(time.Hour)}); err != nil {
			return figures{}, err
		}
		for j, amount := range customers[a] {
			if _, err := p.Record(ctx, affiliate.Payment{ID: affiliate.EventID(fmt.Sprintf("in_%d_%d", i, j)), Customer: customer,
				PaidAt: jan.Start().AddDate(0, 0, 5+j), Currency: "EUR",
				Lines: []affiliate.Line{{Kind: affiliate.LineSubscription, Amount: eur(amount)}}}); err != nil {
				return figures{}, err
			}
		}
	}
	// A profile that fails its IBAN checksum is refused and changes nothing.
	bad := profiles[0]
	bad.IBAN, bad.UpdatedAt = "DE89370400440532013001", now
	_, err = p.PutPayeeProfile(ctx, bad)
	fmt.Fprintln(w, "new profile for ann refused:", err)

	// Manual review: cyd's two large commissions wait for a reviewer, who
	// approves the first before the run and leaves the other on hold (a
	// rejection would be a linked reversal).
	pending, err := p.Pending(ctx, program.PendingQuery{})
	if err != nil {
		return figures{}, err
	}
	fmt.Fprintln(w, "\nWaiting for review:")
	var held []affiliate.EntryID
	for _, e := range pending {
		fmt.Fprintf(w, "  %s %s: %s\n", e.Affiliate, e.Amount, e.Reason)
		if len(held) == 0 {
			held = append(held, e.Entry.ID)
		}
	}
	if err := p.Approve(ctx, program.Decision{Key: "review-2026-01", Entries: held, Reviewer: "rita", Reason: "invoice checked"}); err != nil {
		return figures{}, err
	}
	fmt.Fprintln(w, "  the first approved by rita (invoice checked); the second stays on hold")

	res, err := p.RunPayouts(ctx, jan)
	if err != nil {
		return figures{}, err
	}
	fig := figures{Paid: map[affiliate.AffiliateID]affiliate.Money{}, Carried: map[affiliate.AffiliateID]string{}}
	fmt.Fprintf(w, "\nPayout run %s, due %s:\n", jan, p.Payouts().DueAt(jan).Format(time.DateOnly))
	for _, po := range res.Payouts {
		fmt.Fprintf(w, "  pay   %s %s\n", po.Affiliate, po.Amount)
		fig.Paid[po.Affiliate] = po.Amount
	}
	for _, c := range res.Carried {
		fmt.Fprintf(w, "  carry %s %s: %s\n", c.Affiliate, c.Amount, c.Note)
		fig.Carried[c.Affiliate] = c.Reason
	}

	var sepa bytes.Buffer
	err = p.WritePayoutFile(ctx, jan, program.PayoutFile{
		Method: affiliate.MethodBankTransfer,
		Debtor: payfile.Debtor{Name: "Example Programs GmbH", IBAN: "DE02120300000000202051", BIC: "BYLADEM1001"},
	}, &sepa)
	if err != nil {
		return figures{}, err
	}
	fig.SEPA = sepa.Bytes()
	fmt.Fprintf(w, "\nSEPA file for the bank:\n%s", sepa.String())

	// The bank answers with pain.002 status reports: first that it accepted
	// the file (nothing is settled yet), then that it paid ann and could
	// not pay cyd, whose account is closed.
	batch := payfile.BatchID(p.Payouts().Program(), jan)
	ann, cyd := payfile.EndToEndID(payoutOf(res, "ann")), payfile.EndToEndID(payoutOf(res, "cyd"))
	accepted := bankStatusReport("STS-0001", "2026-02-16T10:00:00Z", batch, "ACSP", []bankTx{
		{payout: payfile.TransactionStatus{Payout: affiliate.PayoutID(ann), Status: "ACSP"}},
		{payout: payfile.TransactionStatus{Payout: affiliate.PayoutID(cyd), Status: "ACSP"}},
	})
	done := bankStatusReport("STS-0002", "2026-02-17T07:00:00Z", batch, "PART", []bankTx{
		{payout: payfile.TransactionStatus{Payout: affiliate.PayoutID(ann), Status: "ACSC", Reference: "BANK-7781"}},
		{payout: payfile.TransactionStatus{Payout: affiliate.PayoutID(cyd), Status: "RJCT"}, reason: "AC04"},
	})
	fig.StatusReports = [][]byte{accepted, done}
	fmt.Fprintln(w, "\nBank status reports (pain.002) imported:")
	for _, report := range fig.StatusReports {
		rep, settled, err := p.ImportBankStatus(ctx, jan, bytes.NewReader(report))
		if err != nil {
			return figures{}, err
		}
		fmt.Fprintf(w, "  %s, file %s: %d settled\n", rep.MessageID, rep.GroupStatus, len(settled))
		for _, po := range settled {
			fmt.Fprintf(w, "    %s %s %s %s%s\n", po.Affiliate, po.Amount, po.Status, po.Reference, po.Note)
			fig.Settled = append(fig.Settled, string(po.Affiliate)+" "+string(po.Status))
		}
	}
	_, _, err = p.ImportBankStatus(ctx, jan, bytes.NewReader(bytes.Replace(done, []byte("BANK-7781"), []byte("BANK-9999"), 1)))
	fmt.Fprintln(w, "the same payouts with another reference:", err)
	feb := bytes.ReplaceAll(done, []byte(batch), []byte(payfile.BatchID(p.Payouts().Program(), jan.Next())))
	_, _, err = p.ImportBankStatus(ctx, jan, bytes.NewReader(feb))
	fmt.Fprintln(w, "a report on another run's file:", err)

	st, err := p.Statement(ctx, "bob", jan)
	if err != nil {
		return figures{}, err
	}
	fmt.Fprintf(w, "\nbob's statement says: %s\n", st.CarriedNote)

	if fig.Year, err = p.PayoutYear(ctx, "ann", 2026); err != nil {
		return figures{}, err
	}
	for _, y := range fig.Year {
		fmt.Fprintf(w, "ann in %d (%s): earned %s, reversed %s, paid %s in %d payouts\n",
			y.Year, y.Currency, y.Earned.AmountString(), y.Reversed.AmountString(), y.Paid.AmountString(), y.Payouts)
	}
	return fig, nil
}

func payoutOf(res payout.Result, a affiliate.AffiliateID) affiliate.PayoutID {
	for _, po := range res.Payouts {
		if po.Affiliate == a {
			return po.ID
		}
	}
	return ""
}
