package payfile

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"github.com/openaffiliate/affiliate"
)

// StatusReportNamespace is the ISO 20022 message ParseStatusReport reads:
// the bank's answer to a pain.001.001.09 file.
const StatusReportNamespace = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"

// MaxStatusReportSize bounds what ParseStatusReport reads: a report on
// 10,000 rejected transfers is 2.8 MiB (BenchmarkParseStatusReport).
const MaxStatusReportSize = 16 << 20

// StatusReport is a bank's Customer Payment Status Report (pain.002): what
// it did with one SEPA file, as a whole and per transfer.
type StatusReport struct {
	MessageID string // the report's own ID
	// BatchID is the original message ID: the pain.001's MsgId, which is
	// BatchID(program, period).
	BatchID      string
	GroupStatus  string // ISO code for the whole file, often empty
	GroupReason  string
	Transactions []TransactionStatus // in file order
}

// TransactionStatus is the bank's word on one transfer.
type TransactionStatus struct {
	Payout affiliate.PayoutID // the original EndToEndId
	// Status is the ISO code that applies to it: its own, else its payment
	// block's, else the group's.
	Status string
	Reason string // reason codes and text, for a rejection
	// Reference is the bank's reference (AcctSvcrRef), else the report's
	// MessageID.
	Reference string
}

// statusOutcome maps ISO 20022 transaction status codes to what they do
// to a payout. Only a completed settlement is paid (paid is final here,
// and a transfer accepted for settlement can still be returned); the
// other accepted and pending codes change nothing yet.
var statusOutcome = map[string]affiliate.PayoutStatus{
	"ACSC": affiliate.PayoutPaid,   // settlement on the debtor's account completed
	"ACCC": affiliate.PayoutPaid,   // settlement on the creditor's account completed
	"RJCT": affiliate.PayoutFailed, // rejected
	"CANC": affiliate.PayoutFailed, // cancelled: no money moved
	"RCVD": "", "PDNG": "", "ACTC": "", "ACCP": "", "ACSP": "", "ACWC": "",
	"ACFC": "", "ACWP": "", "ACIS": "", "PART": "", "PATC": "",
}

// reasonNames spell out the rejection reasons (ExternalStatusReason1Code)
// a payee's account most often causes.
var reasonNames = map[string]string{
	"AC01": "incorrect account number", "AC04": "closed account number", "AC06": "blocked account",
	"AG01": "transaction forbidden", "AM04": "insufficient funds", "AM05": "duplication",
	"BE04": "missing creditor address", "MD07": "end customer deceased", "MS02": "reason not specified by the customer",
	"MS03": "reason not specified by the bank", "RC01": "bank identifier incorrect", "RR04": "regulatory reason",
	"FF01": "invalid file format", "DUPL": "duplicate payment", "CUST": "requested by the customer",
}

// ParseStatusReport reads a pain.002.001.10 report on a pain.001 file this
// package wrote: the original message and every payment block name the
// same batch, every transfer names its payout (EndToEndId) once and has a
// status code that is known. It reads at most MaxStatusReportSize bytes.
//
// encoding/xml reads no DTD and resolves no external entity, so a report
// cannot make it read files or the network (no XXE); an undeclared entity
// is a syntax error.
//
// Returns a *ResultError (ErrInvalid) for a report it cannot read or that
// breaks one of those rules.
func ParseStatusReport(r io.Reader) (StatusReport, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxStatusReportSize+1))
	if err != nil {
		return StatusReport{}, &ResultError{Reason: "reading the status report: " + err.Error()}
	}
	if len(data) > MaxStatusReportSize {
		return StatusReport{}, &ResultError{Reason: "status report is larger than 16 MiB"}
	}
	var doc painDocument
	dec := xml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return StatusReport{}, xmlError(err)
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return StatusReport{}, xmlError(err)
		}
		if cd, ok := tok.(xml.CharData); ok && len(bytes.TrimSpace(cd)) == 0 {
			continue
		}
		if _, ok := tok.(xml.Comment); ok {
			continue
		}
		return StatusReport{}, &ResultError{Reason: "content after the Document element"}
	}
	return doc.report()
}

func xmlError(err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return &ResultError{Line: se.Line, Reason: "not well-formed XML: " + se.Msg}
	}
	return &ResultError{Reason: "not a status report: " + err.Error()}
}

func (doc painDocument) report() (StatusReport, error) {
	bad := func(p affiliate.PayoutID, reason string) (StatusReport, error) {
		return StatusReport{}, &ResultError{Payout: p, Reason: reason}
	}
	if doc.XMLName.Space != StatusReportNamespace || doc.XMLName.Local != "Document" || doc.Report == nil {
		return bad("", "not a "+StatusReportNamespace+" Document with a CstmrPmtStsRpt")
	}
	g := doc.Report.Group
	rep := StatusReport{MessageID: clean(doc.Report.Header.MsgID), BatchID: clean(g.MsgID), GroupStatus: clean(g.Status), GroupReason: reasonText(g.Reasons)}
	switch {
	case affiliate.ValidateID("MsgId", rep.MessageID) != nil:
		return bad("", "the report has no message ID")
	case affiliate.ValidateID("OrgnlMsgId", rep.BatchID) != nil:
		return bad("", "the report names no original message")
	case !strings.HasPrefix(clean(g.MsgName), "pain.001."):
		return bad("", "the report answers a "+clean(g.MsgName)+" message, not a pain.001 credit transfer")
	case !knownStatus(rep.GroupStatus):
		return bad("", "unknown group status "+rep.GroupStatus)
	}
	seen := make(map[affiliate.PayoutID]bool)
	for _, pmt := range doc.Report.Payments {
		if id := clean(pmt.ID); id != rep.BatchID {
			return bad("", "payment block "+id+" is not batch "+rep.BatchID)
		}
		pmtStatus := clean(pmt.Status)
		if !knownStatus(pmtStatus) {
			return bad("", "unknown payment block status "+pmtStatus)
		}
		for _, tx := range pmt.Transactions {
			t := TransactionStatus{Payout: affiliate.PayoutID(clean(tx.EndToEndID)), Status: clean(tx.Status), Reason: reasonText(tx.Reasons), Reference: clean(tx.BankRef)}
			if t.Status == "" {
				t.Status = pmtStatus
			}
			if t.Status == "" {
				t.Status = rep.GroupStatus
			}
			if t.Reference == "" {
				t.Reference = rep.MessageID
			}
			switch {
			case affiliate.ValidateID("OrgnlEndToEndId", t.Payout) != nil:
				return bad("", "a transaction without its original end-to-end ID")
			case seen[t.Payout]:
				return bad(t.Payout, "transaction listed twice")
			case t.Status == "" || !knownStatus(t.Status):
				return bad(t.Payout, "unknown or missing transaction status "+t.Status)
			case affiliate.ValidateID("AcctSvcrRef", t.Reference) != nil:
				return bad(t.Payout, "the bank's reference is malformed")
			}
			seen[t.Payout] = true
			rep.Transactions = append(rep.Transactions, t)
		}
	}
	return rep, nil
}

func knownStatus(code string) bool {
	_, ok := statusOutcome[code]
	return ok || code == ""
}

// clean collapses runs of white space (XML text may break lines) and
// drops control characters.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// reasonText renders reasons as "AC04 closed account number: text; ...".
func reasonText(reasons []painReason) string {
	var parts []string
	for _, r := range reasons {
		code := clean(r.Code)
		if code == "" {
			code = clean(r.Proprietary)
		}
		text := code
		if name := reasonNames[code]; name != "" {
			text += " " + name
		}
		if info := clean(strings.Join(r.Info, " ")); info != "" {
			text = strings.TrimPrefix(text+": "+info, ": ")
		}
		if text != "" {
			parts = append(parts, text)
		}
	}
	return strings.Join(parts, "; ")
}

// Result returns what the report settles, in the form Apply takes: each
// transfer whose settlement completed is paid under its Reference, each
// rejected or cancelled one failed with its Reason; pending ones are left
// out, so they stay created until a later report settles them.
func (rep StatusReport) Result() Result {
	res := Result{BatchID: rep.BatchID}
	for _, t := range rep.Transactions {
		switch statusOutcome[t.Status] {
		case affiliate.PayoutPaid:
			res.Outcomes = append(res.Outcomes, Outcome{Payout: t.Payout, Status: affiliate.PayoutPaid, Reference: t.Reference})
		case affiliate.PayoutFailed:
			res.Outcomes = append(res.Outcomes, Outcome{Payout: t.Payout, Status: affiliate.PayoutFailed, Note: strings.TrimSpace(t.Status + " " + t.Reason)})
		}
	}
	return res
}

// The element names are pain.002.001.10's (CustomerPaymentStatusReportV10,
// OriginalGroupHeader17, OriginalPaymentInstruction32,
// PaymentTransaction105); elements the apply step does not need are
// skipped.
type painDocument struct {
	XMLName xml.Name
	Report  *painReport `xml:"CstmrPmtStsRpt"`
}

type painReport struct {
	Header struct {
		MsgID string `xml:"MsgId"`
	} `xml:"GrpHdr"`
	Group struct {
		MsgID   string       `xml:"OrgnlMsgId"`
		MsgName string       `xml:"OrgnlMsgNmId"`
		Status  string       `xml:"GrpSts"`
		Reasons []painReason `xml:"StsRsnInf"`
	} `xml:"OrgnlGrpInfAndSts"`
	Payments []struct {
		ID           string `xml:"OrgnlPmtInfId"`
		Status       string `xml:"PmtInfSts"`
		Transactions []struct {
			EndToEndID string       `xml:"OrgnlEndToEndId"`
			Status     string       `xml:"TxSts"`
			Reasons    []painReason `xml:"StsRsnInf"`
			BankRef    string       `xml:"AcctSvcrRef"`
		} `xml:"TxInfAndSts"`
	} `xml:"OrgnlPmtInfAndSts"`
}

type painReason struct {
	Code        string   `xml:"Rsn>Cd"`
	Proprietary string   `xml:"Rsn>Prtry"`
	Info        []string `xml:"AddtlInf"`
}
