package main

import (
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
)

func TestRun(t *testing.T) {
	got, err := run(io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	eur := func(s string) affiliate.Money { return affiliate.MustParseMoney(s, "EUR") }
	gbp := func(s string) affiliate.Money { return affiliate.MustParseMoney(s, "GBP") }
	refused := func(reasons ...attribution.ReasonCode) leadOutcome {
		return leadOutcome{Status: affiliate.LeadRefused, Reasons: reasons}
	}
	want := figures{
		Partners: map[affiliate.AffiliateID][]attribution.ReasonCode{
			"pia":  nil, // a freelancer, welcome as a partner
			"otto": nil,
			"sam":  {attribution.ReasonFreeMail, attribution.ReasonNoWebsite},
		},
		Leads: map[affiliate.LeadID]leadOutcome{
			"lead-northwind":   {Status: affiliate.LeadConverted},
			"lead-acme":        {Status: affiliate.LeadConverted},
			"lead-bluefjord":   {Status: affiliate.LeadConverted},
			"lead-jodesign":    refused(attribution.ReasonFreeMail, attribution.ReasonNoWebsite, attribution.ReasonNoLinkedIn, attribution.ReasonFreelancer),
			"lead-northwind-2": refused(attribution.ReasonAlreadyLead),
			"lead-globex":      refused(attribution.ReasonNoLinkedIn, attribution.ReasonAlreadyCustomer),
		},
		Rewards: map[affiliate.CustomerID]affiliate.Money{
			"cus_northwind": eur("400"), // 50% of 400 + 50% of 400, VAT left out
			"cus_acme":      gbp("250"), // in the invoice's currency
			// cus_bluefjord paid one month and left: no reward.
		},
		Paid: map[string][]affiliate.Money{
			"2026-03": {eur("400"), gbp("250")},
		},
		Mail: []notice{
			{"pia", "Northwind GmbH", "accepted"},
			{"pia", "Acme Ltd", "accepted"},
			{"pia", "Blue Fjord AS", "accepted"},
			{"pia", "Jo Design", "refused"},
			{"otto", "Northwind GmbH", "refused"},
			{"otto", "Globex Corporation", "refused"},
			{"pia", "Northwind GmbH", "paying"},
			{"pia", "Acme Ltd", "paying"},
			{"pia", "Blue Fjord AS", "paying"},
			{"pia", "Northwind GmbH", "reward"},
			{"pia", "Acme Ltd", "reward"},
			{"pia", "", "transferred"},
			{"pia", "", "transferred"},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("figures (-want +got):\n%s", diff)
	}
}
