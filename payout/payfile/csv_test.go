package payfile_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/payout/payfile"
)

func TestWritePayPalGolden(t *testing.T) {
	_, run := fixture(t)
	b, err := payfile.NewBatch(run, payees, affiliate.MethodPayPal)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := payfile.WritePayPal(&buf, b); err != nil {
		t.Fatal(err)
	}
	golden(t, "january.paypal.csv", buf.Bytes())
}

func TestWriteWiseGolden(t *testing.T) {
	_, run := fixture(t)
	b, err := payfile.NewBatch(run, payees, affiliate.MethodWise)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := payfile.WriteWise(&buf, b, "EUR"); err != nil {
		t.Fatal(err)
	}
	golden(t, "january.wise.csv", buf.Bytes())
}

func TestWritePayPalOneCurrencyPerFile(t *testing.T) {
	_, run := fixture(t)
	b, err := payfile.NewBatch(run, payees, affiliate.MethodPayPal)
	if err != nil {
		t.Fatal(err)
	}
	usd := b.Lines[0]
	usd.Payout.Amount = affiliate.MustParseMoney("1.00", "USD")
	b.Lines = append(b.Lines, usd)
	var buf bytes.Buffer
	if err := payfile.WritePayPal(&buf, b); !errors.Is(err, affiliate.ErrCurrencyMismatch) || buf.Len() != 0 {
		t.Fatalf("WritePayPal of EUR and USD = %v with %d bytes; want ErrCurrencyMismatch and nothing written", err, buf.Len())
	}
}

func TestNewBatch(t *testing.T) {
	_, run := fixture(t)
	without := func(a affiliate.AffiliateID) map[affiliate.AffiliateID]affiliate.PayeeProfile {
		m := make(map[affiliate.AffiliateID]affiliate.PayeeProfile)
		for k, v := range payees {
			if k != a {
				m[k] = v
			}
		}
		return m
	}
	with := func(p affiliate.PayeeProfile) map[affiliate.AffiliateID]affiliate.PayeeProfile {
		m := without(p.Affiliate)
		m[p.Affiliate] = p
		return m
	}
	usdAnn := payees["ann"]
	usdAnn.Currency = "USD"
	badAnn := payees["ann"]
	badAnn.IBAN = "DE89370400440532013001"
	tests := []struct {
		name   string
		payees map[affiliate.AffiliateID]affiliate.PayeeProfile
		method affiliate.PayoutMethod
		want   error
		lines  []affiliate.AffiliateID
	}{
		{"SEPA", payees, affiliate.MethodBankTransfer, nil, []affiliate.AffiliateID{"ann", "bob"}},
		{"PayPal", payees, affiliate.MethodPayPal, nil, []affiliate.AffiliateID{"cat"}},
		{"other", payees, affiliate.MethodOther, nil, []affiliate.AffiliateID{"eve"}},
		{"a payee without profile", without("cat"), affiliate.MethodBankTransfer, affiliate.ErrNotFound, nil},
		{"payee paid in another currency", with(usdAnn), affiliate.MethodBankTransfer, affiliate.ErrCurrencyMismatch, nil},
		{"invalid profile", with(badAnn), affiliate.MethodPayPal, affiliate.ErrInvalid, nil},
		{"unknown method", payees, "cash", affiliate.ErrInvalid, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := payfile.NewBatch(run, tt.payees, tt.method)
			if !errors.Is(err, tt.want) || (tt.want != nil) != (err != nil) {
				t.Fatalf("NewBatch = %v, want %v", err, tt.want)
			}
			var got []affiliate.AffiliateID
			for _, l := range b.Lines {
				got = append(got, l.Payout.Affiliate)
			}
			if len(got) != len(tt.lines) {
				t.Fatalf("lines for %v, want %v", got, tt.lines)
			}
			for i := range got {
				if got[i] != tt.lines[i] {
					t.Fatalf("lines for %v, want %v", got, tt.lines)
				}
			}
		})
	}
}
