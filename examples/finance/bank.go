package main

import (
	"fmt"
	"strings"

	"github.com/openaffiliate/affiliate/payout/payfile"
)

// bankTx is the bank's word on one transfer of a SEPA file.
type bankTx struct {
	payout payfile.TransactionStatus // Payout holds the EndToEndId
	reason string                    // an ISO reason code, for a rejection
}

// bankStatusReport writes the pain.002.001.10 a bank sends back about the
// SEPA file whose MsgId is batch: a group status and one status per
// transfer. A real bank writes it; the example plays the bank.
func bankStatusReport(msgID, created, batch, groupStatus string, txs []bankTx) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="%s">
  <CstmrPmtStsRpt>
    <GrpHdr>
      <MsgId>%s</MsgId>
      <CreDtTm>%s</CreDtTm>
    </GrpHdr>
    <OrgnlGrpInfAndSts>
      <OrgnlMsgId>%s</OrgnlMsgId>
      <OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>
      <GrpSts>%s</GrpSts>
    </OrgnlGrpInfAndSts>
    <OrgnlPmtInfAndSts>
      <OrgnlPmtInfId>%s</OrgnlPmtInfId>
`, payfile.StatusReportNamespace, msgID, created, batch, groupStatus, batch)
	for _, tx := range txs {
		fmt.Fprintf(&b, "      <TxInfAndSts>\n        <OrgnlEndToEndId>%s</OrgnlEndToEndId>\n        <TxSts>%s</TxSts>\n", tx.payout.Payout, tx.payout.Status)
		if tx.reason != "" {
			fmt.Fprintf(&b, "        <StsRsnInf>\n          <Rsn>\n            <Cd>%s</Cd>\n          </Rsn>\n        </StsRsnInf>\n", tx.reason)
		}
		if tx.payout.Reference != "" {
			fmt.Fprintf(&b, "        <AcctSvcrRef>%s</AcctSvcrRef>\n", tx.payout.Reference)
		}
		b.WriteString("      </TxInfAndSts>\n")
	}
	b.WriteString("    </OrgnlPmtInfAndSts>\n  </CstmrPmtStsRpt>\n</Document>\n")
	return []byte(b.String())
}
