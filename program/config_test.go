package program_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
	"github.com/openaffiliate/affiliate/commission"
	"github.com/openaffiliate/affiliate/payout"
	"github.com/openaffiliate/affiliate/program"
	"github.com/openaffiliate/affiliate/rules"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// New names the field of program.Config at fault, whichever shell found
// it.
func TestNewRefusesBadConfig(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*program.Config)
		field string
	}{
		{"no store", func(c *program.Config) { c.Store = nil }, "Config.Store"},
		{"no terms", func(c *program.Config) { c.Terms = nil }, "Config.Terms"},
		{"a terms version without a rule", func(c *program.Config) { c.Terms[0].Rule = nil }, "Config.Terms[0].Rule"},
		{"an unknown currency", func(c *program.Config) { c.Currency = "EURO" }, "Config.Currency"},
		{"revenue tiers without a currency", func(c *program.Config) { c.Currency = "" }, "Config.Currency"},
		{"tier thresholds in another currency", func(c *program.Config) { c.Currency = "USD" }, "Config.Tiers.Schedule"},
		{"a negative KeepFor", func(c *program.Config) { c.Tiers.KeepFor = -1 }, "Config.Tiers.KeepFor"},
		{"an unknown tier policy", func(c *program.Config) { c.Tiers.Policy = 99 }, "Config.Tiers.Policy"},
		{"a negative window", func(c *program.Config) { c.Attribution.Window = -time.Hour }, "Config.Attribution.Window"},
		{"an unknown click model", func(c *program.Config) { c.Attribution.Policy.Model = 9 }, "Config.Attribution.Policy.Model"},
		{"a short cookie secret", func(c *program.Config) { c.Attribution.Keys[0].Secret = []byte("short") }, "Config.Attribution.Keys[0].Secret"},
		{"a bad cookie name", func(c *program.Config) { c.Attribution.Cookie.Name = "a;b" }, "Config.Attribution.Cookie.Name"},
		{"SameSite=None without Secure", func(c *program.Config) {
			c.Attribution.Cookie.SameSite, c.Attribution.Cookie.Insecure = http.SameSiteNoneMode, true
		}, "Config.Attribution.Cookie.SameSite"},
		{"a __Host- cookie with a Domain", func(c *program.Config) {
			c.Attribution.Cookie.Name, c.Attribution.Cookie.Domain = "__Host-ref", ".example.com"
		}, "Config.Attribution.Cookie.Domain"},
		{"a nil payout check", func(c *program.Config) { c.Payouts.Checks = []payout.Check{nil} }, "Config.Payouts.Checks[0]"},
		{"a negative minimum", func(c *program.Config) { c.Payouts.Minimums["EUR"] = eur("-1") }, "Config.Payouts"},
		{"a negative hold", func(c *program.Config) { c.Payouts.Hold = -time.Hour }, "Config.Payouts.Hold"},
		{"a hold no store can date", func(c *program.Config) { c.Payouts.Hold = 2562047 * time.Hour }, "Config.Payouts.Hold"},
		{"a terms hold no store can date", func(c *program.Config) { c.Terms[0].Hold = 2562047 * time.Hour }, "Config.Terms[0].Hold"},
		{"terms from the year 2300", func(c *program.Config) { c.Terms[0].From = time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC) }, "Config.Terms[0].From"},
		{"a window of a century", func(c *program.Config) { c.Attribution.Window = 100 * 365 * 24 * time.Hour }, "Config.Attribution.Window"},
		{"a touch dedupe of a century", func(c *program.Config) { c.Attribution.TouchDedupe = 100 * 365 * 24 * time.Hour }, "Config.Attribution.TouchDedupe"},
		{"bindings that live a century", func(c *program.Config) { c.Attribution.BindingTTL = 100 * 365 * 24 * time.Hour }, "Config.Attribution.BindingTTL"},
		{"a revenue of no kinds", func(c *program.Config) { c.Revenue.Kinds = []affiliate.LineKind{} }, "Config.Revenue.Kinds"},
		{"a revenue of an unknown kind", func(c *program.Config) { c.Revenue.Kinds = []affiliate.LineKind{"vat"} }, "Config.Revenue.Kinds[0]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := config(memstore.New(), &clock{at(time.March, 1)})
			tc.edit(&cfg)
			p, err := program.New(cfg)
			var fe *affiliate.FieldError
			if !errors.As(err, &fe) || !errors.Is(err, affiliate.ErrInvalid) {
				t.Fatalf("New = %v, %v; want a *affiliate.FieldError matching ErrInvalid", p, err)
			}
			t.Log(err)
			if fe.Field != tc.field {
				t.Errorf("Field = %q, want %q (%v)", fe.Field, tc.field, err)
			}
		})
	}
}

// The zero values of everything but Store and Terms make a program: no
// tiers (CloseMonth does nothing), no cookie, no program currency.
func TestZeroConfig(t *testing.T) {
	ctx := context.Background()
	store := memstore.New()
	p, err := program.New(program.Config{
		Store: store,
		Terms: []commission.TermsVersion{{Version: "v1", Rule: rules.Percent{Rate: affiliate.MustPercent("30")}}},
	})
	fatalIf(t, err)
	if p.Tiers() != nil || p.Middleware() != nil {
		t.Errorf("Tiers() = %v, Middleware() = %v; want nil for a config without them", p.Tiers(), p.Middleware())
	}
	jan := p.Month(2026, time.January)
	closed, err := p.CloseMonth(ctx, jan)
	if err != nil || len(closed.Closes) != 0 || len(closed.Entries) != 0 {
		t.Errorf("CloseMonth without tiers = %+v, %v; want nothing written", closed, err)
	}
	if _, err := p.Referral(httptest.NewRequest("GET", "/", nil)); !errors.Is(err, program.ErrNoCookie) || !errors.Is(err, affiliate.ErrInvalid) {
		t.Errorf("Referral without keys: %v, want ErrNoCookie", err)
	}
	if _, err := p.Statement(ctx, "ann", jan); !errors.Is(err, affiliate.ErrInvalid) {
		t.Errorf("Statement without a program currency: %v, want ErrInvalid", err)
	}
	defer func() {
		if r := recover(); r != program.ErrNoCookie {
			t.Errorf("Handler without keys panicked with %v, want ErrNoCookie", r)
		}
	}()
	p.Handler(http.NotFoundHandler())
}

// Payouts.Hold holds the entries of every terms version without a hold of
// its own.
func TestHold(t *testing.T) {
	ctx := context.Background()
	store := memstore.New()
	fatalIf(t, store.PutAffiliate(ctx, affiliate.Affiliate{ID: "ann", Status: affiliate.StatusActive, Codes: []string{"ann"}}))
	cfg := config(store, &clock{at(time.March, 1)})
	cfg.Payouts.Hold = 30 * 24 * time.Hour
	cfg.Terms = append(cfg.Terms, commission.TermsVersion{Version: "v2", From: at(time.June, 1), Rule: rules.TierRate{}, Hold: time.Hour})
	p, err := program.New(cfg)
	fatalIf(t, err)
	_, err = p.Signup(ctx, attribution.Signup{Customer: "acme", Code: "ann", At: at(time.March, 1)})
	fatalIf(t, err)
	for _, tc := range []struct {
		paid time.Time
		hold time.Duration
	}{{at(time.March, 2), cfg.Payouts.Hold}, {at(time.June, 2), time.Hour}} {
		res, err := p.Record(ctx, invoice(affiliate.EventID("in_"+tc.paid.Format("0102")), "acme", tc.paid, "100"))
		fatalIf(t, err)
		if len(res.Entries) != 1 {
			t.Fatalf("payment of %s: %d entries, want 1", tc.paid, len(res.Entries))
		}
		if e := res.Entries[0]; !e.AvailableAt.Equal(e.At.Add(tc.hold)) {
			t.Errorf("payment of %s: available at %s, want %s after %s", tc.paid, e.AvailableAt, tc.hold, e.At)
		}
	}
}

// Months are the program's: a close of a month in another location is
// refused, and Month gives one in the program's.
func TestLocation(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	cfg := config(memstore.New(), &clock{at(time.March, 1)})
	cfg.Location = berlin
	p, err := program.New(cfg)
	fatalIf(t, err)
	jan := p.Month(2026, time.January)
	if jan.Location != berlin {
		t.Errorf("Month's location = %v, want Europe/Berlin", jan.Location)
	}
	if _, err := p.CloseMonth(context.Background(), affiliate.Period{Year: 2026, Month: time.January}); !errors.Is(err, affiliate.ErrInvalid) {
		t.Errorf("CloseMonth of a UTC month: %v, want ErrInvalid", err)
	}
	if _, err := p.CloseMonth(context.Background(), jan); err != nil {
		t.Errorf("CloseMonth of Month(2026, January): %v", err)
	}
}

// The Stripe example's program with a hold of 2562047h (the longest
// time.Duration) used to build, and then every sqlstore write of an
// entry failed: the hold's end is past what a store can date. New
// refuses it now, before anything is stored.
func TestStripeExampleHugeHoldRefused(t *testing.T) {
	store := memstore.New()
	_, err := program.New(program.Config{
		Store: store,
		Terms: []commission.TermsVersion{{Version: "2026-01", Rule: rules.Percent{Name: "lifetime_30", Rate: affiliate.MustPercent("30")}, Hold: 2562047 * time.Hour}},
	})
	var fe *affiliate.FieldError
	if !errors.As(err, &fe) || fe.Field != "Config.Terms[0].Hold" || !errors.Is(err, affiliate.ErrInvalid) {
		t.Fatalf("New = %v; want a *FieldError for Config.Terms[0].Hold", err)
	}
}
