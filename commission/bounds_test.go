package commission_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/commission"
)

// Payments beyond the documented limits (affiliate.MaxLines,
// MaxTextLen, the event years) used to be recorded; a 200,000-line one
// then made every out-of-order event of its customer slow. They are
// refused now, and the store is left as it was.
func TestOversizedPaymentsStoreNothing(t *testing.T) {
	const eur = affiliate.Currency("EUR")
	lines := func(n int) []affiliate.Line {
		ls := make([]affiliate.Line, n)
		for i := range ls {
			ls[i] = line(affiliate.LineUsage, "0.01", eur)
		}
		return ls
	}
	cases := []struct {
		name  string
		edit  func(*affiliate.Payment)
		field string
	}{
		{"200,000 lines", func(p *affiliate.Payment) { p.Lines = lines(200_000) }, "Payment.Lines"},
		{"MaxLines+1 lines", func(p *affiliate.Payment) { p.Lines = lines(affiliate.MaxLines + 1) }, "Payment.Lines"},
		{"a megabyte SKU", func(p *affiliate.Payment) { p.Lines[0].SKU = strings.Repeat("s", 1<<20) }, "Payment.Lines[0].SKU"},
		{"a NUL in a description", func(p *affiliate.Payment) { p.Lines[0].Description = "pro\x00" }, "Payment.Lines[0].Description"},
		{"a long country", func(p *affiliate.Payment) { p.Country = strings.Repeat("F", affiliate.MaxTextLen+1) }, "Payment.Country"},
		{"paid in 2300", func(p *affiliate.Payment) { p.PaidAt = time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC) }, "Payment.PaidAt"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, commission.Config{Terms: terms(thirty)}, aff("a", ""))
			f.bind("c", "a", jan15)
			f.record(pay("p1", "c", jan15, eur, line(affiliate.LineSubscription, "100", eur)))
			before := f.snapshot("c")
			p := pay("p2", "c", month(1), eur, line(affiliate.LineSubscription, "100", eur))
			tc.edit(&p)
			_, err := f.eng.Record(f.ctx, p)
			var fe *affiliate.FieldError
			if !errors.As(err, &fe) || fe.Field != tc.field || !errors.Is(err, affiliate.ErrInvalid) {
				t.Fatalf("Record = %v; want a *FieldError on %s", err, tc.field)
			}
			if after := f.snapshot("c"); !reflect.DeepEqual(before, after) {
				t.Errorf("a refused payment changed the store")
			}
		})
	}
}
