package payfile_test

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/payout/payfile"
)

func ExampleWritePayPal() {
	jan := affiliate.Period{Year: 2026, Month: time.January, Location: time.UTC}
	run := affiliate.PayoutRun{Program: "default", Period: jan, AsOf: time.Date(2026, time.February, 1, 0, 0, 0, 0, time.UTC),
		Payouts: []affiliate.Payout{{ID: "po_2026-01_1", Affiliate: "cat", Period: jan, Amount: affiliate.MustParseMoney("45.10", "USD"), Status: affiliate.PayoutCreated}}}
	payees := map[affiliate.AffiliateID]affiliate.PayeeProfile{
		"cat": {Affiliate: "cat", Method: affiliate.MethodPayPal, Currency: "USD", Email: "cat@example.com", UpdatedAt: run.AsOf},
	}
	b, err := payfile.NewBatch(run, payees, affiliate.MethodPayPal)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := payfile.WritePayPal(os.Stdout, b); err != nil {
		fmt.Println(err)
	}
	// Output:
	// cat@example.com,45.10,USD,po_2026-01_1,Affiliate commission 2026-01 po_2026-01_1,PAYPAL
}

func ExampleParseResult() {
	res, err := payfile.ParseResult(strings.NewReader(`batch_id,payout_id,status,reference,note
run-2026-01-e20a95a61ff81e79,po_2026-01_1,paid,PP-93AB,
run-2026-01-e20a95a61ff81e79,po_2026-01_2,failed,,account closed
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, o := range res.Outcomes {
		fmt.Printf("%s %s ref=%q note=%q\n", o.Payout, o.Status, o.Reference, o.Note)
	}
	_, err = payfile.ParseResult(strings.NewReader("batch_id,payout_id,status,reference,note\nb,po_1,paid,,\n"))
	fmt.Println(err)
	// Output:
	// po_2026-01_1 paid ref="PP-93AB" note=""
	// po_2026-01_2 failed ref="" note="account closed"
	// payfile: result file line 2 (payout po_1): a paid payout needs its transfer reference
}

// The bank's pain.002 status report on a SEPA file: one transfer settled,
// one rejected. Apply takes rep.Result(), like a result file.
func ExampleParseStatusReport() {
	rep, err := payfile.ParseStatusReport(strings.NewReader(`<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10">
  <CstmrPmtStsRpt>
    <GrpHdr><MsgId>STS-1</MsgId><CreDtTm>2026-02-16T07:30:00Z</CreDtTm></GrpHdr>
    <OrgnlGrpInfAndSts>
      <OrgnlMsgId>run-2026-01-e20a95a61ff81e79</OrgnlMsgId>
      <OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>
      <GrpSts>PART</GrpSts>
    </OrgnlGrpInfAndSts>
    <OrgnlPmtInfAndSts>
      <OrgnlPmtInfId>run-2026-01-e20a95a61ff81e79</OrgnlPmtInfId>
      <TxInfAndSts>
        <OrgnlEndToEndId>po-2026-01-1</OrgnlEndToEndId><TxSts>ACSC</TxSts><AcctSvcrRef>BANK-1</AcctSvcrRef>
      </TxInfAndSts>
      <TxInfAndSts>
        <OrgnlEndToEndId>po-2026-01-2</OrgnlEndToEndId><TxSts>RJCT</TxSts>
        <StsRsnInf><Rsn><Cd>AC04</Cd></Rsn></StsRsnInf>
      </TxInfAndSts>
    </OrgnlPmtInfAndSts>
  </CstmrPmtStsRpt>
</Document>`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rep.BatchID, rep.GroupStatus)
	for _, o := range rep.Result().Outcomes {
		fmt.Printf("%s %s ref=%q note=%q\n", o.Payout, o.Status, o.Reference, o.Note)
	}
	// Output:
	// run-2026-01-e20a95a61ff81e79 PART
	// po-2026-01-1 paid ref="BANK-1" note=""
	// po-2026-01-2 failed ref="" note="RJCT AC04 closed account number"
}

func ExampleSEPALatin() {
	for _, name := range []string{"Jörg Müller & Söhne", "Łukasz Żółć <Sp. z o.o.>", "Иван Петров"} {
		fmt.Println(payfile.SEPALatin("AccountHolder", name))
	}
	// Output:
	// Jorg Muller + Sohne <nil>
	// Lukasz Zolc (Sp. z o.o.) <nil>
	//  affiliate: invalid AccountHolder: holds И, which SEPA's Latin character set cannot carry; store a Latin spelling
}
