package payfile_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/payout/payfile"
)

// The fixture run's batch and payouts, as january.sepa.xml names them
// (EndToEndID of po_2026-01_3331ee... and po_2026-01_e5fe1e...).
const (
	janBatch = "run-2026-01-e20a95a61ff81e79"
	annPO    = "po-2026-01-3331ee4283a4204aef4ba2f3"
	bobPO    = "po-2026-01-e5fe1ef64f9e32cd4286db97"
)

func readTestdata(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestStatusReportFixturesValidateAgainstXSD checks every pain.002 fixture
// against the official pain.002.001.10 schema, and that the validator
// refuses a broken one. Without xmllint it skips, except in CI.
func TestStatusReportFixturesValidateAgainstXSD(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("xmllint is not installed (package libxml2-utils); CI must validate the pain.002 fixtures")
		}
		t.Skip("xmllint is not installed (apt-get install libxml2-utils)")
	}
	schema := filepath.Join("testdata", "pain.002.001.10.xsd")
	fixtures, err := filepath.Glob(filepath.Join("testdata", "*.pain002.xml"))
	if err != nil || len(fixtures) < 3 {
		t.Fatalf("pain.002 fixtures: %v, %v", fixtures, err)
	}
	for _, f := range fixtures {
		if out, err := exec.Command(xmllint, "--noout", "--schema", schema, f).CombinedOutput(); err != nil {
			t.Errorf("xmllint %s: %v\n%s", f, err, out)
		}
	}
	// The validator can fail: a transaction status before its end-to-end ID.
	broken := strings.Replace(readTestdata(t, "january.pain002.xml"), "<OrgnlEndToEndId>"+annPO+"</OrgnlEndToEndId>\n        <TxSts>ACSC</TxSts>",
		"<TxSts>ACSC</TxSts>\n        <OrgnlEndToEndId>"+annPO+"</OrgnlEndToEndId>", 1)
	path := filepath.Join(t.TempDir(), "broken.xml")
	if err := os.WriteFile(path, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(xmllint, "--noout", "--schema", schema, path).CombinedOutput(); err == nil {
		t.Fatalf("xmllint accepted elements out of order:\n%s", out)
	}
}

func TestParseStatusReport(t *testing.T) {
	tests := []struct {
		file string
		want payfile.StatusReport
		// what Apply is given: pending transfers are left out
		wantResult payfile.Result
	}{
		{"january.pain002.xml", payfile.StatusReport{
			MessageID: "STS-20260216-0001", BatchID: janBatch, GroupStatus: "PART",
			Transactions: []payfile.TransactionStatus{
				{Payout: annPO, Status: "ACSC", Reference: "BANK-2026-0216-0001"},
				{Payout: bobPO, Status: "RJCT", Reason: "AC04 closed account number: Konto erloschen", Reference: "STS-20260216-0001"},
			},
		}, payfile.Result{BatchID: janBatch, Outcomes: []payfile.Outcome{
			{Payout: annPO, Status: affiliate.PayoutPaid, Reference: "BANK-2026-0216-0001"},
			{Payout: bobPO, Status: affiliate.PayoutFailed, Note: "RJCT AC04 closed account number: Konto erloschen"},
		}}},
		{"pending.pain002.xml", payfile.StatusReport{
			MessageID: "STS-20260215-0001", BatchID: janBatch, GroupStatus: "ACSP",
			Transactions: []payfile.TransactionStatus{
				{Payout: annPO, Status: "ACSP", Reference: "STS-20260215-0001"}, // the group's status
				{Payout: bobPO, Status: "PDNG", Reference: "STS-20260215-0001"},
			},
		}, payfile.Result{BatchID: janBatch}},
		{"rejected.pain002.xml", payfile.StatusReport{
			MessageID: "STS-20260215-0002", BatchID: janBatch, GroupStatus: "RJCT", GroupReason: "FF01 invalid file format: Signature missing",
		}, payfile.Result{BatchID: janBatch}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			rep, err := payfile.ParseStatusReport(strings.NewReader(readTestdata(t, tt.file)))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, rep); diff != "" {
				t.Errorf("ParseStatusReport (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantResult, rep.Result()); diff != "" {
				t.Errorf("Result (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseStatusReportRefuses(t *testing.T) {
	jan := readTestdata(t, "january.pain002.xml")
	tests := []struct {
		name string
		in   string
	}{
		{"empty", ""},
		{"not XML", "batch_id,payout_id,status,reference,note\n"},
		{"another version", strings.Replace(jan, "pain.002.001.10", "pain.002.001.03", 1)},
		{"no namespace", strings.Replace(jan, ` xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"`, "", 1)},
		{"a report on a direct debit", strings.Replace(jan, "<OrgnlMsgNmId>pain.001.001.09", "<OrgnlMsgNmId>pain.008.001.08", 1)},
		{"no original message", strings.Replace(jan, "<OrgnlMsgId>"+janBatch+"</OrgnlMsgId>", "", 1)},
		{"no report ID", strings.Replace(jan, "<MsgId>STS-20260216-0001</MsgId>", "", 1)},
		{"payment block of another batch", strings.Replace(jan, "<OrgnlPmtInfId>"+janBatch, "<OrgnlPmtInfId>run_2026-02_0000000000000000", 1)},
		{"transaction without end-to-end ID", strings.Replace(jan, "<OrgnlEndToEndId>"+annPO+"</OrgnlEndToEndId>", "", 1)},
		{"transaction twice", strings.Replace(jan, bobPO, annPO, 1)},
		{"unknown transaction status", strings.Replace(jan, "<TxSts>ACSC</TxSts>", "<TxSts>PAID</TxSts>", 1)},
		{"unknown group status", strings.Replace(jan, "<GrpSts>PART</GrpSts>", "<GrpSts>OKAY</GrpSts>", 1)},
		{"transaction without any status", strings.Replace(strings.Replace(jan, "<GrpSts>PART</GrpSts>", "", 1), "<TxSts>ACSC</TxSts>", "", 1)},
		{"content after the document", jan + "<Document/>"},
		{"truncated", jan[:len(jan)/2]},
		// encoding/xml reads no DTD: an external entity is never fetched,
		// and using it is a syntax error.
		{"external entity", strings.Replace(strings.Replace(jan, "<Document", `<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>`+"\n<Document", 1),
			"<AddtlInf>Konto erloschen", "<AddtlInf>&xxe;", 1)},
		{"larger than the bound", jan + strings.Repeat(" ", payfile.MaxStatusReportSize)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := payfile.ParseStatusReport(strings.NewReader(tt.in))
			var re *payfile.ResultError
			if !errors.As(err, &re) || !errors.Is(err, affiliate.ErrInvalid) {
				t.Fatalf("ParseStatusReport = %+v, %v; want a *ResultError matching ErrInvalid", rep, err)
			}
		})
	}
}

// A status report goes through the same apply step as a result file: all
// or nothing, a replay changes nothing, pending transfers stay created, a
// report on another run's file is refused.
func TestApplyStatusReport(t *testing.T) {
	settled := time.Date(2026, time.February, 16, 8, 0, 0, 0, time.UTC)
	parse := func(name string) payfile.StatusReport {
		rep, err := payfile.ParseStatusReport(strings.NewReader(readTestdata(t, name)))
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	s, _ := fixture(t)
	untouched := statuses(t, s)
	for _, name := range []string{"pending.pain002.xml", "rejected.pain002.xml"} {
		got, err := payfile.Apply(ctx, s, payout.DefaultProgram, jan, parse(name).Result(), settled)
		if err != nil || len(got) != 0 {
			t.Fatalf("Apply(%s) = %v, %v; want nothing settled", name, got, err)
		}
	}
	if diff := cmp.Diff(untouched, statuses(t, s)); diff != "" {
		t.Fatalf("a report without settlements changed payouts (-before +after):\n%s", diff)
	}

	feb := parse("january.pain002.xml")
	feb.BatchID = payfile.BatchID(payout.DefaultProgram, affiliate.Period{Year: 2026, Month: time.February, Location: time.UTC})
	if _, err := payfile.Apply(ctx, s, payout.DefaultProgram, jan, feb.Result(), settled); !errors.Is(err, payfile.ErrWrongBatch) {
		t.Fatalf("Apply(another run's report) = %v, want ErrWrongBatch", err)
	}
	if diff := cmp.Diff(untouched, statuses(t, s)); diff != "" {
		t.Fatalf("a refused report changed payouts (-before +after):\n%s", diff)
	}

	rep := parse("january.pain002.xml")
	if _, err := payfile.Apply(ctx, s, payout.DefaultProgram, jan, rep.Result(), settled); err != nil {
		t.Fatal(err)
	}
	want := map[affiliate.AffiliateID]string{
		"ann": "paid BANK-2026-0216-0001", "bob": "failed ",
		"cat": "created ", "dan": "created ", "eve": "created ",
	}
	if diff := cmp.Diff(want, statuses(t, s)); diff != "" {
		t.Fatalf("after the report (-want +got):\n%s", diff)
	}
	if _, err := payfile.Apply(ctx, s, payout.DefaultProgram, jan, rep.Result(), settled.Add(time.Hour)); err != nil {
		t.Fatalf("Apply(the same report again) = %v, want a replay", err)
	}
	if diff := cmp.Diff(want, statuses(t, s)); diff != "" {
		t.Fatalf("a replay changed payouts (-want +got):\n%s", diff)
	}
}

// FuzzParseStatusReport: the parser never panics on bounded input, every
// refusal is a *ResultError matching ErrInvalid, and what it accepts
// settles only through outcomes a result file can carry.
func FuzzParseStatusReport(f *testing.F) {
	for _, name := range []string{"january.pain002.xml", "pending.pain002.xml", "rejected.pain002.xml"} {
		f.Add(readTestdata(f, name))
	}
	f.Add(`<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10">&x;</Document>`)
	f.Fuzz(func(t *testing.T, in string) {
		if len(in) > 1<<16 {
			return
		}
		rep, err := payfile.ParseStatusReport(strings.NewReader(in))
		if err != nil {
			var re *payfile.ResultError
			if !errors.As(err, &re) || !errors.Is(err, affiliate.ErrInvalid) {
				t.Fatalf("ParseStatusReport error %v is not a *ResultError matching ErrInvalid", err)
			}
			return
		}
		res := rep.Result()
		if len(res.Outcomes) == 0 {
			return
		}
		var buf bytes.Buffer
		if err := payfile.WriteResult(&buf, res); err != nil {
			t.Fatal(err)
		}
		again, err := payfile.ParseResult(&buf)
		if err != nil {
			t.Fatalf("the report's outcomes are no valid result file: %v\n%s", err, buf.String())
		}
		if diff := cmp.Diff(res, again); diff != "" {
			t.Fatalf("round trip through a result file (-report +file):\n%s", diff)
		}
	})
}

// BenchmarkParseStatusReport reads a report on 10,000 transfers, each
// rejected with a reason, the largest shape a monthly run sends back.
func BenchmarkParseStatusReport(b *testing.B) {
	jan := readTestdata(b, "january.pain002.xml")
	start := strings.Index(jan, "      <TxInfAndSts>")
	end := strings.LastIndex(jan, "    </OrgnlPmtInfAndSts>")
	bob := jan[strings.LastIndex(jan, "      <TxInfAndSts>"):end] // rejected, with a reason
	var txs strings.Builder
	for i := range 10_000 {
		txs.WriteString(strings.Replace(bob, bobPO, fmt.Sprintf("po-2026-01-%024d", i), 1))
	}
	in := jan[:start] + txs.String() + jan[end:]
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		rep, err := payfile.ParseStatusReport(strings.NewReader(in))
		if err != nil || len(rep.Transactions) != 10_000 {
			b.Fatalf("ParseStatusReport: %d transactions, %v", len(rep.Transactions), err)
		}
	}
	b.ReportMetric(float64(len(in))/(1<<20), "MiB/report")
}
