package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// notice is one e-mail to a partner: which lead it is about and which
// step of the lead's way it reports.
type notice struct {
	To   affiliate.AffiliateID
	Lead string // the company
	Step string // accepted, refused, paying, reward, transferred
}

// Notifier is what the host implements to reach its partners (e-mail
// here). The program's code never calls it: notices consumes the outbox
// and calls it for each event a partner hears of.
type Notifier interface {
	Notify(ctx context.Context, n notice, body string) error
}

// mailer stands in for the host's e-mail: it prints each message and
// keeps its notice.
type mailer struct {
	w    io.Writer
	sent []notice
}

// Notify implements Notifier.
func (m *mailer) Notify(_ context.Context, n notice, body string) error {
	m.sent = append(m.sent, n)
	fmt.Fprintf(m.w, "    ✉ to %s: %s\n", n.To, body)
	return nil
}

// notices is the partner e-mail consumer of the outbox: it turns every
// event after its cursor that a partner hears of into a notice, and
// acknowledges each event once its notice is sent, so a notifier that
// fails is asked again, from that event, next time. The entries one
// payment earns make one notice.
type notices struct {
	store    *memstore.Store
	notifier Notifier
}

const mailConsumer = "partner-mail"

// payload is the part of the events' versioned JSON the notices read.
type payload struct {
	V        int                  `json:"v"`
	Company  string               `json:"company"`
	Reasons  []string             `json:"reasons"`
	Customer affiliate.CustomerID `json:"customer"`
	Event    affiliate.EventID    `json:"event"`
	Amount   affiliate.Money      `json:"amount"`
}

// send delivers the notices of every event not yet acknowledged.
func (ns notices) send(ctx context.Context) error {
	cur, err := ns.store.Cursor(ctx, mailConsumer)
	if err != nil {
		return err
	}
	evs, _, err := ns.store.Read(ctx, cur, storage.MaxOutboxRead)
	if err != nil {
		return err
	}
	for i := 0; i < len(evs); i++ {
		var p payload
		if err := json.Unmarshal(evs[i].Payload, &p); err != nil || p.V != 1 {
			return fmt.Errorf("event %s: payload version %d: %v", evs[i].ID, p.V, err)
		}
		n, body := notice{To: evs[i].Affiliate, Lead: p.Company}, ""
		switch evs[i].Type {
		case affiliate.EventLeadAccepted:
			n.Step, body = "accepted", fmt.Sprintf("we received %s and validated it; an account manager will contact them.", p.Company)
		case affiliate.EventLeadRefused:
			n.Step, body = "refused", fmt.Sprintf("we received %s but cannot accept it: %s.", p.Company, strings.Join(p.Reasons, "; "))
		case affiliate.EventLeadConverted:
			n.Step, body = "paying", fmt.Sprintf("%s is now a paying customer.", p.Company)
		case affiliate.EventEntryEarned:
			// The entries of one payment follow each other: one notice.
			earned := p.Amount
			for i+1 < len(evs) && evs[i+1].Type == affiliate.EventEntryEarned && evs[i+1].Affiliate == n.To {
				var q payload
				if err := json.Unmarshal(evs[i+1].Payload, &q); err != nil || q.Event != p.Event {
					break
				}
				if earned, err = earned.Add(q.Amount); err != nil {
					return err
				}
				i++
			}
			if n.Lead, body, err = ns.reward(ctx, n.To, p.Customer, earned); err != nil {
				return err
			}
			n.Step = "reward"
		case affiliate.EventPayoutPaid:
			n.Step, body = "transferred", fmt.Sprintf("we transferred your reward of %s.", p.Amount)
		}
		if n.Step != "" {
			if err := ns.notifier.Notify(ctx, n, body); err != nil {
				return err
			}
		}
		if err := ns.store.Ack(ctx, mailConsumer, storage.Cursor(evs[i].Seq)); err != nil {
			return err
		}
	}
	return nil
}

// reward words the reward notice and, the first time, asks the partner
// for the details the transfer needs.
func (ns notices) reward(ctx context.Context, partner affiliate.AffiliateID, c affiliate.CustomerID, earned affiliate.Money) (company, body string, err error) {
	b, err := ns.store.Binding(ctx, c)
	if err != nil {
		return "", "", err
	}
	l, err := ns.store.Lead(ctx, b.Lead)
	if err != nil {
		return "", "", err
	}
	a, err := ns.store.Affiliate(ctx, partner)
	if err != nil {
		return "", "", err
	}
	body = fmt.Sprintf("%s paid its second month: you earned %s.", l.Company, earned)
	if !a.PayoutMethodOnFile {
		body += " Please send us your bank details for the transfer."
	}
	return l.Company, body, nil
}
