package payfile

import (
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
)

// SEPANamespace is the ISO 20022 message WriteSEPA writes.
const SEPANamespace = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"

// Debtor is the account a SEPA file pays from.
type Debtor struct {
	Name string // the program's legal name, also the initiating party
	IBAN string
	BIC  string
	// ExecutionDate is the day the bank should execute the transfers; a
	// NET-N schedule sets it to N days after the period's end.
	ExecutionDate time.Time
}

// WriteSEPA writes b as a SEPA credit transfer initiation, ISO 20022
// pain.001.001.09: one payment information block paying every line from
// d, one credit transfer per payout (EndToEndId = EndToEndID(payout ID)), the
// number of transactions and the control sum in both the group header
// and the block. The output is a function of b and d alone.
//
// Names and the remittance text are written in SEPA's Latin character set
// (see SEPALatin); a payee's name is cut at SEPA's 70 characters and the
// remittance at 140, as banks do.
//
// Returns a *affiliate.FieldError (ErrInvalid) for a batch that is not
// bank transfer, empty, not in EUR (SEPA pays euros only) or with an ID
// that is no SEPA reference (over 35 characters, outside the Latin set),
// for a name SEPALatin refuses, and for a
// debtor whose name (at most 70 characters), IBAN, BIC or execution date
// is missing or invalid.
func WriteSEPA(w io.Writer, b Batch, d Debtor) error {
	if b.Method != affiliate.MethodBankTransfer {
		return &affiliate.FieldError{Field: "Batch.Method", Reason: string(b.Method) + " is not " + string(affiliate.MethodBankTransfer)}
	}
	sum, err := b.total()
	if err != nil {
		return err
	}
	if sum.Currency() != "EUR" {
		return &affiliate.FieldError{Field: "Batch.Lines", Reason: "SEPA credit transfers are in EUR, not " + string(sum.Currency()), Err: affiliate.ErrCurrencyMismatch}
	}
	debtorName, err := SEPALatin("Debtor.Name", d.Name)
	if err != nil {
		return err
	}
	if len(debtorName) > 70 {
		return &affiliate.FieldError{Field: "Debtor.Name", Reason: "longer than SEPA's 70 characters"}
	}
	if err := affiliate.ValidateIBAN(d.IBAN); err != nil {
		return &affiliate.FieldError{Field: "Debtor.IBAN", Reason: err.Error()}
	}
	if err := affiliate.ValidateBIC(d.BIC); err != nil {
		return &affiliate.FieldError{Field: "Debtor.BIC", Reason: err.Error()}
	}
	if d.ExecutionDate.IsZero() {
		return &affiliate.FieldError{Field: "Debtor.ExecutionDate", Reason: "zero time"}
	}
	if why := validSEPAID(b.ID); why != "" {
		return &affiliate.FieldError{Field: "Batch.ID", Reason: b.ID + " " + why}
	}
	for _, l := range b.Lines {
		if why := validSEPAID(EndToEndID(l.Payout.ID)); why != "" {
			return &affiliate.FieldError{Field: "Batch.Lines", Reason: "payout " + string(l.Payout.ID) + " as an EndToEndId " + why}
		}
	}
	names, remits := make([]string, len(b.Lines)), make([]string, len(b.Lines))
	for i, l := range b.Lines {
		if names[i], err = SEPALatin("Payee["+string(l.Payee.Affiliate)+"].AccountHolder", l.Payee.AccountHolder); err != nil {
			return err
		}
		if remits[i], err = SEPALatin("remittance", remittance(l)); err != nil {
			return err
		}
		names[i], remits[i] = cut(names[i], 70), cut(remits[i], 140)
	}
	n := strconv.Itoa(len(b.Lines))
	ctrl := sum.AmountString()
	doc := sepaDocument{
		Xmlns: SEPANamespace,
		Initiation: sepaInitiation{
			Header: sepaHeader{
				MsgID: b.ID, Created: b.CreatedAt.UTC().Format("2006-01-02T15:04:05Z"),
				NbOfTxs: n, CtrlSum: ctrl, InitgPty: sepaParty{Name: debtorName},
			},
			Payment: sepaPayment{
				ID: b.ID, Method: "TRF", BatchBooking: "true", NbOfTxs: n, CtrlSum: ctrl,
				TypeInfo:  sepaTypeInfo{ServiceLevel: sepaCode{Code: "SEPA"}},
				Execution: sepaDate{Date: d.ExecutionDate.Format(time.DateOnly)},
				Debtor:    sepaParty{Name: debtorName}, DebtorAcct: sepaAccount{IBAN: d.IBAN}, DebtorAgt: sepaAgent{BIC: d.BIC},
				ChargeBearer: "SLEV",
			},
		},
	}
	for i, l := range b.Lines {
		doc.Initiation.Payment.Transfers = append(doc.Initiation.Payment.Transfers, sepaTransfer{
			EndToEndID:  EndToEndID(l.Payout.ID),
			Amount:      sepaAmount{Currency: string(l.Payout.Amount.Currency()), Value: l.Payout.Amount.AmountString()},
			CreditorAgt: sepaAgent{BIC: l.Payee.BIC}, Creditor: sepaParty{Name: names[i]},
			CreditorAcct: sepaAccount{IBAN: l.Payee.IBAN},
			Remittance:   remits[i],
		})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n")
	return err
}

// The element names and their order are pain.001.001.09's (GroupHeader85,
// PaymentInstruction30, CreditTransferTransaction34).
type sepaDocument struct {
	XMLName    xml.Name       `xml:"Document"`
	Xmlns      string         `xml:"xmlns,attr"`
	Initiation sepaInitiation `xml:"CstmrCdtTrfInitn"`
}

type sepaInitiation struct {
	Header  sepaHeader  `xml:"GrpHdr"`
	Payment sepaPayment `xml:"PmtInf"`
}

type sepaHeader struct {
	MsgID    string    `xml:"MsgId"`
	Created  string    `xml:"CreDtTm"`
	NbOfTxs  string    `xml:"NbOfTxs"`
	CtrlSum  string    `xml:"CtrlSum"`
	InitgPty sepaParty `xml:"InitgPty"`
}

type sepaPayment struct {
	ID           string         `xml:"PmtInfId"`
	Method       string         `xml:"PmtMtd"`
	BatchBooking string         `xml:"BtchBookg"`
	NbOfTxs      string         `xml:"NbOfTxs"`
	CtrlSum      string         `xml:"CtrlSum"`
	TypeInfo     sepaTypeInfo   `xml:"PmtTpInf"`
	Execution    sepaDate       `xml:"ReqdExctnDt"`
	Debtor       sepaParty      `xml:"Dbtr"`
	DebtorAcct   sepaAccount    `xml:"DbtrAcct"`
	DebtorAgt    sepaAgent      `xml:"DbtrAgt"`
	ChargeBearer string         `xml:"ChrgBr"`
	Transfers    []sepaTransfer `xml:"CdtTrfTxInf"`
}

type sepaTypeInfo struct {
	ServiceLevel sepaCode `xml:"SvcLvl"`
}

type sepaCode struct {
	Code string `xml:"Cd"`
}

type sepaDate struct {
	Date string `xml:"Dt"`
}

type sepaParty struct {
	Name string `xml:"Nm"`
}

type sepaAccount struct {
	IBAN string `xml:"Id>IBAN"`
}

type sepaAgent struct {
	BIC string `xml:"FinInstnId>BICFI"`
}

type sepaTransfer struct {
	EndToEndID   string      `xml:"PmtId>EndToEndId"`
	Amount       sepaAmount  `xml:"Amt>InstdAmt"`
	CreditorAgt  sepaAgent   `xml:"CdtrAgt"`
	Creditor     sepaParty   `xml:"Cdtr"`
	CreditorAcct sepaAccount `xml:"CdtrAcct"`
	Remittance   string      `xml:"RmtInf>Ustrd"`
}

type sepaAmount struct {
	Currency string `xml:"Ccy,attr"`
	Value    string `xml:",chardata"`
}

// cut shortens s, which SEPALatin made ASCII, to at most n characters.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.TrimRight(s[:n], " ")
}
