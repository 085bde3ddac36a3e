package affiliate_test

import (
	"errors"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
)

func TestReinstatementValidate(t *testing.T) {
	ok := affiliate.Reinstatement{ID: "dp_won", Chargeback: "dp_1", Customer: "cus_1", ReinstatedAt: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid reinstatement: %v", err)
	}
	tests := []struct {
		name  string
		edit  func(*affiliate.Reinstatement)
		field string
	}{
		{"no id", func(r *affiliate.Reinstatement) { r.ID = "" }, "Reinstatement.ID"},
		{"no chargeback", func(r *affiliate.Reinstatement) { r.Chargeback = "" }, "Reinstatement.Chargeback"},
		{"itself", func(r *affiliate.Reinstatement) { r.Chargeback = r.ID }, "Reinstatement.Chargeback"},
		{"no customer", func(r *affiliate.Reinstatement) { r.Customer = "" }, "Reinstatement.Customer"},
		{"no time", func(r *affiliate.Reinstatement) { r.ReinstatedAt = time.Time{} }, "Reinstatement.ReinstatedAt"},
		{"a time in 1800", func(r *affiliate.Reinstatement) { r.ReinstatedAt = time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC) }, "Reinstatement.ReinstatedAt"},
		{"an engine-made id", func(r *affiliate.Reinstatement) { r.ID = "cus_1/state-3" }, "Reinstatement.ID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ok
			tt.edit(&r)
			err := r.Validate()
			var fe *affiliate.FieldError
			if !errors.As(err, &fe) || fe.Field != tt.field || !errors.Is(err, affiliate.ErrInvalid) {
				t.Fatalf("Validate() = %v, want a FieldError on %s matching ErrInvalid", err, tt.field)
			}
		})
	}
}
