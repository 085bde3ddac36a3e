package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/payout"
)

func TestRun(t *testing.T) {
	got, err := run(io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	wantPaid := map[affiliate.AffiliateID]affiliate.Money{
		"ann": eur("300"), // 20% of 1500
		"cyd": eur("200"), // 20% of 1000; the 400 on 2000 would pass the EUR 500 cap
	}
	if diff := cmp.Diff(wantPaid, got.Paid); diff != "" {
		t.Errorf("paid (-want +got):\n%s", diff)
	}
	wantCarried := map[affiliate.AffiliateID]string{"bob": payout.ReasonIneligible, "cyd": payout.ReasonCapped}
	if diff := cmp.Diff(wantCarried, got.Carried); diff != "" {
		t.Errorf("carried (-want +got):\n%s", diff)
	}
	wantYear := []payout.YearTotal{{Affiliate: "ann", Year: 2026, Currency: "EUR", Earned: eur("300"), Reversed: eur("0"), Paid: eur("300"), Payouts: 1}}
	if diff := cmp.Diff(wantYear, got.Year); diff != "" {
		t.Errorf("year (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"ann paid", "cyd failed"}, got.Settled); diff != "" {
		t.Errorf("settled by the bank's reports (-want +got):\n%s", diff)
	}
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("xmllint is not installed (package libxml2-utils)")
		}
		t.Skip("xmllint is not installed: the SEPA file is not validated against its XSD")
	}
	path := filepath.Join(t.TempDir(), "sepa.xml")
	if err := os.WriteFile(path, got.SEPA, 0o644); err != nil {
		t.Fatal(err)
	}
	schema := filepath.Join("..", "..", "payout", "payfile", "testdata", "pain.001.001.09.xsd")
	if out, err := exec.Command(xmllint, "--noout", "--schema", schema, path).CombinedOutput(); err != nil {
		t.Fatalf("xmllint: %v\n%s", err, out)
	}
	// The bank's answers the example plays are valid pain.002.001.10.
	schema = filepath.Join("..", "..", "payout", "payfile", "testdata", "pain.002.001.10.xsd")
	for _, report := range got.StatusReports {
		if err := os.WriteFile(path, report, 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(xmllint, "--noout", "--schema", schema, path).CombinedOutput(); err != nil {
			t.Fatalf("xmllint: %v\n%s\n%s", err, out, report)
		}
	}
}

func Example() {
	if _, err := run(os.Stdout); err != nil {
		panic(err)
	}
	// Output:
	// new profile for ann refused: affiliate: invalid PayeeProfile.IBAN: checksum fails (mod 97)
	//
	// Waiting for review:
	//   cyd 400.00 EUR: needs a reviewer's approval
	//   cyd 400.00 EUR: needs a reviewer's approval
	//   the first approved by rita (invoice checked); the second stays on hold
	//
	// Payout run 2026-01, due 2026-02-16:
	//   pay   ann 300.00 EUR
	//   pay   cyd 200.00 EUR
	//   carry bob 80.00 EUR: not eligible: no tax form received: a tax form (W-9, W-8 or a VAT number) is required
	//   carry cyd 400.00 EUR: paid 200.00 EUR of 600.00 EUR, capped at the per-affiliate cap of 500.00 EUR: 400.00 EUR is carried to the next run
	//
	// SEPA file for the bank:
	// <?xml version="1.0" encoding="UTF-8"?>
	// <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09">
	//   <CstmrCdtTrfInitn>
	//     <GrpHdr>
	//       <MsgId>run-2026-01-e20a95a61ff81e79</MsgId>
	//       <CreDtTm>2026-02-16T09:00:00Z</CreDtTm>
	//       <NbOfTxs>2</NbOfTxs>
	//       <CtrlSum>500.00</CtrlSum>
	//       <InitgPty>
	//         <Nm>Example Programs GmbH</Nm>
	//       </InitgPty>
	//     </GrpHdr>
	//     <PmtInf>
	//       <PmtInfId>run-2026-01-e20a95a61ff81e79</PmtInfId>
	//       <PmtMtd>TRF</PmtMtd>
	//       <BtchBookg>true</BtchBookg>
	//       <NbOfTxs>2</NbOfTxs>
	//       <CtrlSum>500.00</CtrlSum>
	//       <PmtTpInf>
	//         <SvcLvl>
	//           <Cd>SEPA</Cd>
	//         </SvcLvl>
	//       </PmtTpInf>
	//       <ReqdExctnDt>
	//         <Dt>2026-02-16</Dt>
	//       </ReqdExctnDt>
	//       <Dbtr>
	//         <Nm>Example Programs GmbH</Nm>
	//       </Dbtr>
	//       <DbtrAcct>
	//         <Id>
	//           <IBAN>DE02120300000000202051</IBAN>
	//         </Id>
	//       </DbtrAcct>
	//       <DbtrAgt>
	//         <FinInstnId>
	//           <BICFI>BYLADEM1001</BICFI>
	//         </FinInstnId>
	//       </DbtrAgt>
	//       <ChrgBr>SLEV</ChrgBr>
	//       <CdtTrfTxInf>
	//         <PmtId>
	//           <EndToEndId>po-2026-01-3331ee4283a4204aef4ba2f3</EndToEndId>
	//         </PmtId>
	//         <Amt>
	//           <InstdAmt Ccy="EUR">300.00</InstdAmt>
	//         </Amt>
	//         <CdtrAgt>
	//           <FinInstnId>
	//             <BICFI>COBADEFFXXX</BICFI>
	//           </FinInstnId>
	//         </CdtrAgt>
	//         <Cdtr>
	//           <Nm>Ann Example</Nm>
	//         </Cdtr>
	//         <CdtrAcct>
	//           <Id>
	//             <IBAN>DE89370400440532013000</IBAN>
	//           </Id>
	//         </CdtrAcct>
	//         <RmtInf>
	//           <Ustrd>Affiliate commission 2026-01 po-2026-01-3331ee4283a4204aef4ba2f3</Ustrd>
	//         </RmtInf>
	//       </CdtTrfTxInf>
	//       <CdtTrfTxInf>
	//         <PmtId>
	//           <EndToEndId>po-2026-01-e10517ce473e3a37616f99b5</EndToEndId>
	//         </PmtId>
	//         <Amt>
	//           <InstdAmt Ccy="EUR">200.00</InstdAmt>
	//         </Amt>
	//         <CdtrAgt>
	//           <FinInstnId>
	//             <BICFI>ABNANL2A</BICFI>
	//           </FinInstnId>
	//         </CdtrAgt>
	//         <Cdtr>
	//           <Nm>Cyd Muster + Sohne</Nm>
	//         </Cdtr>
	//         <CdtrAcct>
	//           <Id>
	//             <IBAN>NL91ABNA0417164300</IBAN>
	//           </Id>
	//         </CdtrAcct>
	//         <RmtInf>
	//           <Ustrd>Affiliate commission 2026-01 po-2026-01-e10517ce473e3a37616f99b5</Ustrd>
	//         </RmtInf>
	//       </CdtTrfTxInf>
	//     </PmtInf>
	//   </CstmrCdtTrfInitn>
	// </Document>
	//
	// Bank status reports (pain.002) imported:
	//   STS-0001, file ACSP: 0 settled
	//   STS-0002, file PART: 2 settled
	//     ann 300.00 EUR paid BANK-7781
	//     cyd 200.00 EUR failed RJCT AC04 closed account number
	// the same payouts with another reference: payfile: result file (payout po-2026-01-3331ee4283a4204aef4ba2f3): already paid under reference BANK-7781
	// a report on another run's file: payfile: result file: batch run-2026-02-fdaf8d55954f21c7 is not run default/2026-01 (run-2026-01-e20a95a61ff81e79)
	//
	// bob's statement says: not eligible: no tax form received: a tax form (W-9, W-8 or a VAT number) is required
	// ann in 2026 (EUR): earned 300.00, reversed 0.00, paid 300.00 in 1 payouts
}
