package main

import (
	"strings"
	"testing"
)

// The demo's answers and ledger: every fixture gets its status, Ann keeps
// February's and March's commission, January's is refunded away, and the
// API 2025-03-31 refund waits in the dead letters for a client.
func TestDemo(t *testing.T) {
	var out strings.Builder
	if err := run(&out, ""); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`→ 200 {"event":"evt_invoice_paid_trial","type":"invoice.paid","result":"skipped"`,
		`→ 200 {"event":"evt_charge_refunded_jan_1","type":"charge.refunded","result":"parked"`,
		`→ 200 {"event":"evt_invoice_paid_jan","type":"invoice.paid","result":"replayed"`,
		`→ 400 {"result":"error","reason":"affiliate: invalid input: stripe signature: webhook had no valid signature"}`,
		`→ 202 {"event":"evt_charge_refunded_mar","type":"charge.refunded","result":"dead_lettered"`,
		"balance 145.50 USD",
		"evt_charge_refunded_mar charge.refunded: affiliate: not found: stripe lookup cannot succeed",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo output lacks %q:\n%s", want, out.String())
		}
	}
}
