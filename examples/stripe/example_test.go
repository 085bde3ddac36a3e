package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/openaffiliate/affiliate"
)

func ExampleVerifySignature() {
	payload := []byte(`{"id":"evt_1","object":"event"}`)
	signedAt := time.Date(2026, time.January, 1, 10, 0, 0, 0, time.UTC)
	header := SignatureFor(payload, "whsec_test", signedAt)

	fmt.Println(VerifySignature(payload, header, []string{"whsec_test"}, signedAt.Add(time.Minute), 0))

	err := VerifySignature(payload, header, []string{"whsec_test"}, signedAt.Add(time.Hour), 0)
	fmt.Println(errors.Is(err, ErrOutsideTolerance), errors.Is(err, ErrSignature))

	err = VerifySignature(payload, header, []string{"whsec_other"}, signedAt, 0)
	fmt.Println(err)
	// Output:
	// <nil>
	// true true
	// stripe: webhook signature not verified: no v1 signature matches: none of 1 v1 signatures matches our 1 secret(s)
}

func ExampleMapper_Map() {
	body, err := os.ReadFile("testdata/invoice_paid_feb.json")
	if err != nil {
		panic(err)
	}
	ev, err := ParseEvent(body)
	if err != nil {
		panic(err)
	}
	out, err := (&Mapper{Links: &MemoryLinks{}}).Map(context.Background(), ev)
	if err != nil {
		panic(err)
	}
	p := out.Event.(affiliate.Payment)
	fmt.Println(ev.Type, "→ payment", p.ID, "of", p.Customer, "at", p.PaidAt.Format(time.RFC3339))
	for _, l := range p.Lines {
		fmt.Printf("  %-12s %7s  %s\n", l.Kind, l.Amount.AmountString(), l.Description)
	}
	total, _ := p.Total()
	fmt.Println("  total", total)
	// Output:
	// invoice.paid → payment in_feb of cus_ann_1 at 2026-02-01T10:00:00Z
	//   subscription   20.00  1 × Pro (at $20.00 / month)
	//   discount        5.00  discount on 1 × Pro (at $20.00 / month)
	//   tax             1.50  tax on 1 × Pro (at $20.00 / month)
	//   add_on        200.00  1 × Whitelabel (at $200.00 / month)
	//   tax            20.00  tax on 1 × Whitelabel (at $200.00 / month)
	//   credits        50.00  5,000 credits
	//   tax             5.00  tax on 5,000 credits
	//   total 291.50 USD
}
