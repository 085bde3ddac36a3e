package affiliate_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/openaffiliate/affiliate"
)

func TestSentinels(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		is     []error
		isNot  []error
		prefix string
	}{
		{"unknown currency is invalid", affiliate.ErrUnknownCurrency, []error{affiliate.ErrInvalid}, []error{affiliate.ErrConflict, affiliate.ErrOverflow}, "affiliate: "},
		{"overflow is invalid", affiliate.ErrOverflow, []error{affiliate.ErrInvalid}, []error{affiliate.ErrUnknownCurrency}, "affiliate: "},
		{"period open is invalid", affiliate.ErrPeriodOpen, []error{affiliate.ErrInvalid}, []error{affiliate.ErrConflict}, "affiliate: "},
		{"already bound is a conflict", affiliate.ErrAlreadyBound, []error{affiliate.ErrConflict}, []error{affiliate.ErrInvalid}, "affiliate: "},
		{"not found stands alone", affiliate.ErrNotFound, nil, []error{affiliate.ErrInvalid, affiliate.ErrConflict}, "affiliate: "},
		{"idempotency mismatch is invalid", affiliate.ErrIdempotencyMismatch, []error{affiliate.ErrInvalid}, []error{affiliate.ErrConflict, affiliate.ErrRetryable}, "affiliate: "},
		{"currency mismatch is invalid, not a conflict", affiliate.ErrCurrencyMismatch, []error{affiliate.ErrInvalid}, []error{affiliate.ErrConflict, affiliate.ErrNotFound}, "affiliate: "},
		{"retryable stands alone", affiliate.ErrRetryable, nil, []error{affiliate.ErrInvalid, affiliate.ErrConflict}, "affiliate: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, s := range tt.is {
				if !errors.Is(tt.err, s) {
					t.Errorf("errors.Is(%q, %q) = false", tt.err, s)
				}
			}
			for _, s := range tt.isNot {
				if errors.Is(tt.err, s) {
					t.Errorf("errors.Is(%q, %q) = true", tt.err, s)
				}
			}
			if got := tt.err.Error(); len(got) <= len(tt.prefix) || got[:len(tt.prefix)] != tt.prefix {
				t.Errorf("%q does not start with %q", got, tt.prefix)
			}
		})
	}
}

func TestFieldError(t *testing.T) {
	plain := &affiliate.FieldError{Field: "Payment.ID", Reason: "missing"}
	if got, want := plain.Error(), "affiliate: invalid Payment.ID: missing"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got := plain.Unwrap(); len(got) != 1 || got[0] != affiliate.ErrInvalid {
		t.Errorf("a FieldError without Err unwraps to %v, want [ErrInvalid]", got)
	}
	mismatch := &affiliate.FieldError{Field: "Payment.Lines[0].Amount", Reason: "other currency", Err: affiliate.ErrCurrencyMismatch}
	if !errors.Is(mismatch, affiliate.ErrCurrencyMismatch) || !errors.Is(mismatch, affiliate.ErrInvalid) {
		t.Errorf("a FieldError with ErrCurrencyMismatch must match it and ErrInvalid")
	}
	specific := &affiliate.FieldError{Field: "Currency", Reason: "missing", Err: affiliate.ErrUnknownCurrency}
	if !errors.Is(specific, affiliate.ErrUnknownCurrency) || !errors.Is(specific, affiliate.ErrInvalid) {
		t.Errorf("a FieldError with ErrUnknownCurrency must match it and ErrInvalid")
	}
	// wrapped further by a caller, it is still found
	wrapped := fmt.Errorf("record payment in_1: %w", specific)
	var fe *affiliate.FieldError
	if !errors.As(wrapped, &fe) || fe.Field != "Currency" {
		t.Errorf("errors.As through a wrap: %v", wrapped)
	}
}

func TestCurrencyMismatchError(t *testing.T) {
	err := error(&affiliate.CurrencyMismatchError{Want: "EUR", Got: "USD"})
	if got, want := err.Error(), "affiliate: currency mismatch: EUR and USD"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(err, affiliate.ErrCurrencyMismatch) {
		t.Error("CurrencyMismatchError does not match ErrCurrencyMismatch")
	}
	_, err = eur("1").Add(usd("1"))
	wantMismatch(t, fmt.Errorf("commission: %w", err), "EUR", "USD")
}
