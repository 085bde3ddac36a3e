package payfile_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/payout/payfile"
)

var debtor = payfile.Debtor{Name: "Example Programs GmbH", IBAN: "DE02120300000000202051", BIC: "BYLADEM1001", ExecutionDate: time.Date(2026, time.February, 15, 0, 0, 0, 0, time.UTC)}

func sepaFile(t *testing.T) []byte {
	t.Helper()
	_, run := fixture(t)
	b, err := payfile.NewBatch(run, payees, affiliate.MethodBankTransfer)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := payfile.WriteSEPA(&buf, b, debtor); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestWriteSEPAGolden(t *testing.T) {
	got := sepaFile(t)
	golden(t, "january.sepa.xml", got)
	if again := sepaFile(t); !bytes.Equal(got, again) {
		t.Fatal("two SEPA files of one run differ")
	}
}

// The control sums and counts agree with the transfers.
func TestWriteSEPAControlSum(t *testing.T) {
	var doc struct {
		Header struct {
			NbOfTxs string `xml:"NbOfTxs"`
			CtrlSum string `xml:"CtrlSum"`
		} `xml:"CstmrCdtTrfInitn>GrpHdr"`
		PmtInf struct {
			NbOfTxs string   `xml:"NbOfTxs"`
			CtrlSum string   `xml:"CtrlSum"`
			Amounts []string `xml:"CdtTrfTxInf>Amt>InstdAmt"`
		} `xml:"CstmrCdtTrfInitn>PmtInf"`
	}
	if err := xml.Unmarshal(sepaFile(t), &doc); err != nil {
		t.Fatal(err)
	}
	sum := affiliate.Zero("EUR")
	for _, a := range doc.PmtInf.Amounts {
		sum, _ = sum.Add(affiliate.MustParseMoney(a, "EUR"))
	}
	if doc.Header.NbOfTxs != "2" || doc.PmtInf.NbOfTxs != "2" || len(doc.PmtInf.Amounts) != 2 {
		t.Fatalf("NbOfTxs %s/%s with %d transfers; want 2 (ann and bob)", doc.Header.NbOfTxs, doc.PmtInf.NbOfTxs, len(doc.PmtInf.Amounts))
	}
	if doc.Header.CtrlSum != "200.50" || doc.PmtInf.CtrlSum != "200.50" || sum.AmountString() != "200.50" {
		t.Fatalf("CtrlSum %s/%s, transfers sum to %s; want 200.50", doc.Header.CtrlSum, doc.PmtInf.CtrlSum, sum.AmountString())
	}
}

// TestWriteSEPAValidatesAgainstXSD checks the file against the official
// pain.001.001.09 schema with xmllint. Without xmllint it skips, except
// in CI (CI=true), where a missing validator is a failure.
func TestWriteSEPAValidatesAgainstXSD(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("xmllint is not installed (package libxml2-utils); CI must validate SEPA files against the XSD")
		}
		t.Skip("xmllint is not installed (apt-get install libxml2-utils): the SEPA file is not validated against its XSD")
	}
	path := filepath.Join(t.TempDir(), "january.xml")
	if err := os.WriteFile(path, sepaFile(t), 0o644); err != nil {
		t.Fatal(err)
	}
	schema := filepath.Join("testdata", "pain.001.001.09.xsd")
	out, err := exec.Command(xmllint, "--noout", "--schema", schema, path).CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint: %v\n%s", err, out)
	}
	// The validator can fail: a transfer without its creditor account.
	broken := strings.Replace(string(sepaFile(t)), "<CdtrAcct>", "<CdtrAcctX>", 1)
	broken = strings.Replace(broken, "</CdtrAcct>", "</CdtrAcctX>", 1)
	if err := os.WriteFile(path, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(xmllint, "--noout", "--schema", schema, path).CombinedOutput(); err == nil {
		t.Fatalf("xmllint accepted a file with a misnamed element:\n%s", out)
	}
}

func TestWriteSEPARefuses(t *testing.T) {
	_, run := fixture(t)
	sepa, err := payfile.NewBatch(run, payees, affiliate.MethodBankTransfer)
	if err != nil {
		t.Fatal(err)
	}
	wise, err := payfile.NewBatch(run, payees, affiliate.MethodWise)
	if err != nil {
		t.Fatal(err)
	}
	gbp := wise
	gbp.Method = affiliate.MethodBankTransfer
	tests := []struct {
		name  string
		batch payfile.Batch
		d     func(*payfile.Debtor)
		want  error
	}{
		{"another method", wise, func(*payfile.Debtor) {}, affiliate.ErrInvalid},
		{"not in EUR", gbp, func(*payfile.Debtor) {}, affiliate.ErrCurrencyMismatch},
		{"empty", payfile.Batch{Method: affiliate.MethodBankTransfer}, func(*payfile.Debtor) {}, affiliate.ErrInvalid},
		{"debtor IBAN checksum", sepa, func(d *payfile.Debtor) { d.IBAN = "DE02120300000000202052" }, affiliate.ErrInvalid},
		{"debtor BIC", sepa, func(d *payfile.Debtor) { d.BIC = "BYLA" }, affiliate.ErrInvalid},
		{"no execution date", sepa, func(d *payfile.Debtor) { d.ExecutionDate = time.Time{} }, affiliate.ErrInvalid},
		{"no debtor name", sepa, func(d *payfile.Debtor) { d.Name = "" }, affiliate.ErrInvalid},
		{"payout ID over 35 characters", longID(sepa), func(*payfile.Debtor) {}, affiliate.ErrInvalid},
		{"batch ID outside the Latin set", withBatchID(sepa, "run 2026/01"), func(*payfile.Debtor) {}, affiliate.ErrInvalid},
		{"batch ID with //", withBatchID(sepa, "run//2026-01"), func(*payfile.Debtor) {}, affiliate.ErrInvalid},
		{"batch ID ending in /", withBatchID(sepa, "run-2026-01/"), func(*payfile.Debtor) {}, affiliate.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := debtor
			tt.d(&d)
			var buf bytes.Buffer
			if err := payfile.WriteSEPA(&buf, tt.batch, d); !errors.Is(err, tt.want) {
				t.Fatalf("WriteSEPA = %v, want %v", err, tt.want)
			}
			if buf.Len() != 0 {
				t.Fatalf("WriteSEPA wrote %d bytes before refusing", buf.Len())
			}
		})
	}
}

func longID(b payfile.Batch) payfile.Batch {
	b.Lines = append([]payfile.Line(nil), b.Lines...)
	b.Lines[0].Payout.ID = "po_2026-01_0123456789abcdef0123456789"
	return b
}

func withBatchID(b payfile.Batch, id string) payfile.Batch {
	b.ID = id
	return b
}
