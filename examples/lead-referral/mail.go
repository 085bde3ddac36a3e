package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
)

// notice is one e-mail to a partner: which lead it is about and which
// step of the lead's way it reports.
type notice struct {
	To   affiliate.AffiliateID
	Lead string // the company
	Step string // accepted, refused, paying, reward, transferred
}

// mailer stands in for the host's e-mail: it prints each message and
// keeps its notice. As the program's attribution Observer it hears the lead
// steps the program stores; the billing code calls send for reward and
// transfer, which are not attribution events.
type mailer struct {
	w    io.Writer
	sent []notice
}

func (m *mailer) send(n notice, body string) {
	m.sent = append(m.sent, n)
	fmt.Fprintf(m.w, "    ✉ to %s: %s\n", n.To, body)
}

// Observe implements attribution.Observer.
func (m *mailer) Observe(_ context.Context, e attribution.Event) {
	l := e.Lead
	switch e.Kind {
	case attribution.LeadAccepted:
		m.send(notice{l.Affiliate, l.Company, "accepted"},
			fmt.Sprintf("we received %s and validated it; an account manager will contact them.", l.Company))
	case attribution.LeadRefused:
		m.send(notice{l.Affiliate, l.Company, "refused"},
			fmt.Sprintf("we received %s but cannot accept it: %s.", l.Company, strings.Join(l.Reasons, "; ")))
	case attribution.LeadConverted:
		m.send(notice{l.Affiliate, l.Company, "paying"},
			fmt.Sprintf("%s is now a paying customer.", l.Company))
	}
}
