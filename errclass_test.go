package affiliate_test

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/affiliatetest"
	"github.com/openaffiliate/affiliate/attribution"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/payout/payfile"
	"github.com/openaffiliate/affiliate/program"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/rules/rulestest"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/sqlstore"
	"github.com/openaffiliate/affiliate/stripesync"
	"github.com/openaffiliate/affiliate/tiers"
	"github.com/openaffiliate/affiliate/webhook"
)

// The classes an error can be in: what a host should do with it (see the
// sentinels' doc in errors.go).
const (
	invalid   = "invalid"   // affiliate.ErrInvalid: fix the input, do not retry
	retryable = "retryable" // affiliate.ErrRetryable: call again
	notFound  = "not found" // affiliate.ErrNotFound
	conflict  = "conflict"  // affiliate.ErrConflict
)

func classesOf(err error) []string {
	var out []string
	for _, c := range []struct {
		name string
		is   error
	}{{invalid, affiliate.ErrInvalid}, {retryable, affiliate.ErrRetryable}, {notFound, affiliate.ErrNotFound}, {conflict, affiliate.ErrConflict}} {
		if errors.Is(err, c.is) {
			out = append(out, c.name)
		}
	}
	return out
}

func cls(cs ...string) []string { return cs }

// errorClasses lists every exported error sentinel and error type of the
// module (TestErrorClassesListEveryError keeps it complete) with the
// classes it must match. A row with pending names the change, in a
// package this table's branch does not own, that gives it its class; the
// test checks it still has the classes in now, so the row fails, and
// asks to be updated, once the change is made.
var errorClasses = []struct {
	name    string // as go doc spells it; a type may have several rows
	err     error
	want    []string
	pending string
	now     []string
}{
	{name: "affiliate.ErrInvalid", err: affiliate.ErrInvalid, want: cls(invalid)},
	{name: "affiliate.ErrRetryable", err: affiliate.ErrRetryable, want: cls(retryable)},
	{name: "affiliate.ErrNotFound", err: affiliate.ErrNotFound, want: cls(notFound)},
	{name: "affiliate.ErrConflict", err: affiliate.ErrConflict, want: cls(conflict)},
	{name: "affiliate.ErrIdempotencyMismatch", err: affiliate.ErrIdempotencyMismatch, want: cls(invalid)},
	{name: "affiliate.ErrCurrencyMismatch", err: affiliate.ErrCurrencyMismatch, want: cls(invalid)},
	{name: "affiliate.ErrUnknownCurrency", err: affiliate.ErrUnknownCurrency, want: cls(invalid)},
	{name: "affiliate.ErrOverflow", err: affiliate.ErrOverflow, want: cls(invalid)},
	{name: "affiliate.ErrPeriodOpen", err: affiliate.ErrPeriodOpen, want: cls(invalid)},
	{name: "affiliate.ErrMissingConversion", err: affiliate.ErrMissingConversion, want: cls(invalid)},
	{name: "affiliate.ErrAlreadyBound", err: affiliate.ErrAlreadyBound, want: cls(conflict)},
	{name: "affiliate.FieldError", err: &affiliate.FieldError{Field: "Payment.ID", Reason: "missing"}, want: cls(invalid)},
	{name: "affiliate.FieldError", err: &affiliate.FieldError{Field: "Payment.ID", Reason: "reused", Err: affiliate.ErrIdempotencyMismatch}, want: cls(invalid)},
	{name: "affiliate.CurrencyMismatchError", err: &affiliate.CurrencyMismatchError{Want: "EUR", Got: "USD"}, want: cls(invalid)},

	{name: "attribution.ErrUnknownCode", err: attribution.ErrUnknownCode, want: cls(notFound)},
	{name: "attribution.ErrUnknownAffiliate", err: attribution.ErrUnknownAffiliate, want: cls(notFound)},
	{name: "attribution.ErrAffiliateInactive", err: attribution.ErrAffiliateInactive, want: cls(invalid)},
	{name: "attribution.ErrNoReferral", err: attribution.ErrNoReferral, want: cls(notFound)},
	{name: "attribution.ErrIneligible", err: attribution.ErrIneligible, want: cls(invalid)},
	{name: "attribution.ErrHoldUnsupported", err: attribution.ErrHoldUnsupported, want: cls(invalid)},
	{name: "attribution.ErrLeadState", err: attribution.ErrLeadState, want: cls(conflict)},
	{name: "attribution.ErrLeadIDTaken", err: attribution.ErrLeadIDTaken, want: cls(conflict)},
	{name: "attribution.ErrCookieFuture", err: attribution.ErrCookieFuture, want: cls(invalid)},
	{name: "attribution.ErrNoLeadStore", err: attribution.ErrNoLeadStore, want: cls(invalid)},
	{name: "attribution.ErrCookieMalformed", err: attribution.ErrCookieMalformed, want: cls(invalid)},
	{name: "attribution.ErrCookieOversized", err: attribution.ErrCookieOversized, want: cls(invalid)},
	{name: "attribution.ErrCookieUnknownKey", err: attribution.ErrCookieUnknownKey, want: cls(invalid)},
	{name: "attribution.ErrCookieTampered", err: attribution.ErrCookieTampered, want: cls(invalid)},
	{name: "attribution.ErrCookieExpired", err: attribution.ErrCookieExpired, want: cls(invalid)},
	{name: "attribution.CookieError", err: &attribution.CookieError{Err: attribution.ErrCookieTampered}, want: cls(invalid)},
	{name: "attribution.CodeError", err: &attribution.CodeError{Code: "x", Err: attribution.ErrUnknownCode}, want: cls(notFound)},
	{name: "attribution.CodeError", err: &attribution.CodeError{Code: "x", Err: attribution.ErrAffiliateInactive}, want: cls(invalid)},
	{name: "attribution.IneligibleError", err: &attribution.IneligibleError{Customer: "c"}, want: cls(invalid)},
	{name: "attribution.LeadStateError", err: &attribution.LeadStateError{Lead: "l"}, want: cls(conflict)},
	{name: "attribution.Reason", err: &attribution.Reason{Code: "self_referral"}, want: cls(invalid)},

	{name: "commission.ErrRefundExceedsPayment", err: commission.ErrRefundExceedsPayment, want: cls(invalid)},
	{name: "commission.ErrRefundTarget", err: commission.ErrRefundTarget, want: cls(invalid)},
	{name: "commission.ErrMissingConversion", err: commission.ErrMissingConversion, want: cls(invalid)},
	{name: "commission.ErrRejected", err: commission.ErrRejected, want: cls(conflict)},
	{name: "commission.ErrSettled", err: commission.ErrSettled, want: cls(conflict)},
	{name: "commission.ErrRule", err: commission.ErrRule, want: cls(invalid)},
	{name: "commission.ErrContention", err: commission.ErrContention, want: cls(retryable, conflict)},
	{name: "commission.ErrCorruptState", err: commission.ErrCorruptState, want: cls(invalid)},
	{name: "commission.ErrUnknownTerms", err: commission.ErrUnknownTerms, want: cls(notFound)},
	{name: "commission.RefundError", err: &commission.RefundError{Err: commission.ErrRefundExceedsPayment}, want: cls(invalid)},
	{name: "commission.RefundError", err: &commission.RefundError{Err: commission.ErrRefundTarget}, want: cls(invalid)},
	// issue 12: a refund in another currency than its payment.
	{name: "commission.RefundError", err: &commission.RefundError{Err: affiliate.ErrCurrencyMismatch}, want: cls(invalid)},
	{name: "commission.RuleError", err: &commission.RuleError{Terms: "v1"}, want: cls(invalid)},
	{name: "commission.ContentionError", err: &commission.ContentionError{Customer: "c", Attempts: 16}, want: cls(retryable, conflict)},

	{name: "rules.ErrConfig", err: rules.ErrConfig, want: cls(invalid)},
	{name: "rules.ErrUnknownType", err: rules.ErrUnknownType, want: cls(invalid)},
	{name: "rules.ErrDuplicate", err: rules.ErrDuplicate, want: cls(conflict)},
	{name: "rules.ConfigError", err: &rules.ConfigError{Rule: "percent", Field: "Rate"}, want: cls(invalid)},
	{name: "rules.SpecError", err: &rules.SpecError{Type: "x", Err: rules.ErrUnknownType}, want: cls(invalid)},
	{name: "rules.SpecError", err: &rules.SpecError{Type: "x", Err: &rules.ConfigError{}}, want: cls(invalid)},
	{name: "rulestest.Failure", err: &rulestest.Failure{Property: rulestest.NoPanic}, want: cls()}, // a test's report, not a call's outcome

	{name: "affiliatetest.ErrInjected", err: affiliatetest.ErrInjected, want: cls(retryable)},
	{name: "affiliatetest.Violation", err: &affiliatetest.Violation{Invariant: "I1"}, want: cls()}, // a test's report

	{name: "storage.ErrPayoutPaid", err: storage.ErrPayoutPaid, want: cls(conflict)},
	{name: "storage.ErrPayoutReleased", err: storage.ErrPayoutReleased, want: cls(conflict)},
	{name: "storage.PayoutStatusError", err: &storage.PayoutStatusError{Payout: affiliate.Payout{Status: affiliate.PayoutPaid}}, want: cls(conflict)},
	{name: "storage.EntrySettledError", err: &storage.EntrySettledError{Entry: "e"}, want: cls(conflict)},
	{name: "storage.BalanceMovedError", err: &storage.BalanceMovedError{Payout: "p"}, want: cls(conflict)},
	{name: "storage.AggregateOverflowError", err: &storage.AggregateOverflowError{Affiliate: "a", Metric: "revenue", Currency: "EUR"}, want: cls(invalid)},
	{name: "storage.ErrUnknownCursor", err: storage.ErrUnknownCursor, want: cls(invalid)},
	{name: "storage.CursorError", err: &storage.CursorError{Cursor: 9, Head: 2}, want: cls(invalid)},
	{name: "storage.BatchError", err: &storage.BatchError{Index: 3, Err: affiliate.ErrConflict}, want: cls(conflict)}, // the failed commit's class
	{name: "storage.BatchError", err: &storage.BatchError{Index: 0, Err: affiliate.ErrIdempotencyMismatch}, want: cls(invalid)},
	{name: "commission.BatchError", err: &commission.BatchError{Errs: []error{nil, commission.ErrRefundTarget}}, want: cls(invalid)}, // the classes of its events' errors
	{name: "sqlstore.ErrRetriesExhausted", err: sqlstore.ErrRetriesExhausted, want: cls(retryable)},

	{name: "program.ErrNoCookie", err: program.ErrNoCookie, want: cls(invalid)},
	{name: "program.ErrNoReviews", err: program.ErrNoReviews, want: cls(invalid)},
	{name: "program.ErrNotPending", err: program.ErrNotPending, want: cls(conflict)},

	{name: "webhook.ErrBadSecret", err: webhook.ErrBadSecret, want: cls(invalid)},
	{name: "webhook.ErrMissing", err: webhook.ErrMissing, want: cls(invalid)},
	{name: "webhook.ErrTimestamp", err: webhook.ErrTimestamp, want: cls(invalid)},
	{name: "webhook.ErrNoValidMatch", err: webhook.ErrNoValidMatch, want: cls(invalid)},
	{name: "webhook.ErrEndpoint", err: webhook.ErrEndpoint, want: cls(retryable)},
	{name: "webhook.ErrRefused", err: webhook.ErrRefused, want: cls(invalid)},
	{name: "webhook.ErrTooLarge", err: webhook.ErrTooLarge, want: cls(invalid)},
	{name: "webhook.DeliveryError", err: &webhook.DeliveryError{Err: webhook.ErrEndpoint}, want: cls(retryable)},
	{name: "webhook.DeliveryError", err: &webhook.DeliveryError{Err: webhook.ErrTooLarge}, want: cls(invalid)},

	{name: "stripesync.ErrUnbalancedInvoice", err: stripesync.ErrUnbalancedInvoice, want: cls(invalid)},
	{name: "stripesync.ErrLookupImpossible", err: stripesync.ErrLookupImpossible, want: cls(notFound)},
	{name: "stripesync.ErrStripeUnavailable", err: stripesync.ErrStripeUnavailable, want: cls(retryable)},
	{name: "stripesync.ErrSignature", err: stripesync.ErrSignature, want: cls(invalid)},
	{name: "stripesync.PayloadError", err: &stripesync.PayloadError{Field: "data.object.total", Reason: "missing"}, want: cls(invalid)},

	{name: "tiers.ErrZeroRate", err: tiers.ErrZeroRate, want: cls(invalid)},
	{name: "tiers.ErrSchedule", err: tiers.ErrSchedule, want: cls(invalid)},
	{name: "tiers.ErrEmptySchedule", err: tiers.ErrEmptySchedule, want: cls(invalid)},
	{name: "tiers.ErrThresholdOrder", err: tiers.ErrThresholdOrder, want: cls(invalid)},
	{name: "tiers.ErrRateRange", err: tiers.ErrRateRange, want: cls(invalid)},
	{name: "tiers.ErrMissingConversion", err: tiers.ErrMissingConversion, want: cls(invalid)},
	{name: "tiers.ErrUnknownTier", err: tiers.ErrUnknownTier, want: cls(conflict)},
	{name: "tiers.ScheduleError", err: &tiers.ScheduleError{Index: -1}, want: cls(invalid)},
	{name: "tiers.ConversionError", err: &tiers.ConversionError{Payment: "p"}, want: cls(invalid)},
	{name: "tiers.PeriodOpenError", err: &tiers.PeriodOpenError{}, want: cls(invalid)},

	{name: "payout.ErrNegativeMinimum", err: payout.ErrNegativeMinimum, want: cls(invalid)},
	{name: "payout.ErrAlreadyPaid", err: payout.ErrAlreadyPaid, want: cls(conflict)},
	{name: "payout.ErrReleased", err: payout.ErrReleased, want: cls(conflict)},
	{name: "payout.MinimumError", err: &payout.MinimumError{Currency: "EUR", Minimum: affiliate.MustParseMoney("-1", "EUR")}, want: cls(invalid)},
	{name: "payout.MinimumError", err: &payout.MinimumError{Currency: "EUR", Minimum: affiliate.MustParseMoney("1", "USD")}, want: cls(invalid)},
	{name: "payout.PeriodOpenError", err: &payout.PeriodOpenError{}, want: cls(invalid)},
	{name: "payout.NotDueError", err: &payout.NotDueError{}, want: cls(invalid)},

	{name: "payfile.ErrWrongBatch", err: payfile.ErrWrongBatch, want: cls(invalid)},
	{name: "payfile.ErrUnknownPayout", err: payfile.ErrUnknownPayout, want: cls(notFound)},
	{name: "payfile.ResultError", err: &payfile.ResultError{Line: 2, Reason: "bad status"}, want: cls(invalid)},
	{name: "payfile.ResultError", err: &payfile.ResultError{Err: payfile.ErrWrongBatch}, want: cls(invalid)},
	{name: "payfile.ResultError", err: &payfile.ResultError{Err: payfile.ErrUnknownPayout}, want: cls(notFound)},
	{name: "payfile.ResultError", err: &payfile.ResultError{Err: storage.ErrPayoutPaid}, want: cls(conflict)},
}

// TestErrorClasses: every error says what to do. Bad input matches
// ErrInvalid, a failure a retry cures matches ErrRetryable, and none is
// both.
func TestErrorClasses(t *testing.T) {
	for _, row := range errorClasses {
		got := classesOf(row.err)
		if slices.Contains(got, invalid) && slices.Contains(got, retryable) {
			t.Errorf("%s (%v) is both invalid and retryable", row.name, row.err)
		}
		if row.pending != "" {
			if slices.Equal(got, row.want) {
				t.Errorf("%s now has its class %v: remove its pending mark (%s)", row.name, got, row.pending)
			} else if !slices.Equal(got, row.now) {
				t.Errorf("%s (%v) is %v, neither %v as it was nor %v as it should be", row.name, row.err, got, row.now, row.want)
			} else {
				t.Logf("pending: %s is %v, should be %v: %s", row.name, got, row.want, row.pending)
			}
			continue
		}
		if !slices.Equal(got, row.want) {
			t.Errorf("%s (%v) is %v, want %v", row.name, row.err, got, row.want)
		}
	}
}

// TestErrorClassesListEveryError: the table names every exported error
// sentinel (a package-level Err… variable) and every exported type with
// an Error method, outside the examples.
func TestErrorClassesListEveryError(t *testing.T) {
	var found []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "examples" || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		pkg := f.Name.Name
		for _, decl := range f.Decls {
			switch decl := decl.(type) {
			case *ast.GenDecl:
				if decl.Tok != token.VAR {
					continue
				}
				for _, spec := range decl.Specs {
					for _, n := range spec.(*ast.ValueSpec).Names {
						if n.IsExported() && strings.HasPrefix(n.Name, "Err") {
							found = append(found, pkg+"."+n.Name)
						}
					}
				}
			case *ast.FuncDecl:
				if decl.Recv == nil || decl.Name.Name != "Error" || len(decl.Recv.List) != 1 {
					continue
				}
				typ := decl.Recv.List[0].Type
				if star, ok := typ.(*ast.StarExpr); ok {
					typ = star.X
				}
				if id, ok := typ.(*ast.Ident); ok && id.IsExported() {
					found = append(found, pkg+"."+id.Name)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, row := range errorClasses {
		listed[row.name] = true
	}
	for _, name := range found {
		if !listed[name] {
			t.Errorf("%s is not in errorClasses: add it with its class", name)
		}
		delete(listed, name)
	}
	for name := range listed {
		t.Errorf("errorClasses lists %s, which the module no longer declares", name)
	}
	if len(found) < 60 {
		t.Errorf("found only %d errors; is the walk reading the module?", len(found))
	}
}
