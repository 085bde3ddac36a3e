package attribution

import (
	"context"
	"crypto/rand"
	"errors"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// DefaultWindow is how long a touch counts, and a cookie lives, when
// Config.Window is zero: 90 days.
const DefaultWindow = 90 * 24 * time.Hour

// DefaultTouchDedupe is how long after a visitor's touch for an affiliate
// a repeated one is not stored again, when Config.TouchDedupe is zero:
// 30 minutes, a browsing session.
const DefaultTouchDedupe = 30 * time.Minute

// Store is what a Tracker needs from storage: exactly the methods it
// calls. memstore.Store and sqlstore.Store implement it and LeadStore.
type Store interface {
	storage.Affiliates
	storage.Touches
	storage.Bindings
}

// LeadStore is the optional part of a Store: New turns the lead features
// on when Config.Store implements it too, as io/fs does with ReadFileFS.
// Without it SubmitLead, RefuseLead and ConvertLead return ErrNoLeadStore,
// and Bind leaves leads out.
type LeadStore interface {
	storage.Leads
	storage.LeadFinder
}

// Config configures a Tracker. The zero value of every optional field is
// the documented default.
type Config struct {
	// Store keeps affiliates, touches and bindings, and leads when it
	// implements LeadStore too. Required.
	Store Store
	// Directory is the host's customer list; nil skips the "already a
	// customer" halves of the checks.
	Directory Directory

	// Window is how long before a signup a touch counts, and how long the
	// cookie lives. Zero means DefaultWindow (90 days).
	Window time.Duration
	// Policy orders the candidates: precedence and model. The zero value
	// is a typed code, then a lead, then a touch, first-click.
	Policy Policy
	// BindingTTL makes bindings time-boxed: each expires BindingTTL after
	// the signup. Zero means permanent.
	BindingTTL time.Duration
	// TouchDedupe is how long after a visitor's touch for an affiliate
	// (by the same source) RecordTouch returns that touch again instead of
	// storing a new one, so reloading a referral link writes one row. Zero
	// means DefaultTouchDedupe (30 minutes); negative stores every touch.
	TouchDedupe time.Duration

	// Checks run on every candidate binding after BaseChecks, which always
	// run. Hosts add their own here (IP, device fingerprint, disposable
	// e-mail).
	Checks []Check
	// LeadChecks judge submitted leads; nil means DefaultLeadChecks.
	LeadChecks []ProspectCheck
	// PartnerChecks judge partner applications; nil means
	// DefaultPartnerChecks.
	PartnerChecks []ProspectCheck
	// FreeMail decides which e-mail domains are free-mail ones; nil means
	// IsFreeMail (the bundled list).
	FreeMail func(domain string) bool
	// HoldSameDomain binds a customer at the affiliate's own company
	// e-mail domain and holds the binding for review, where the
	// self-referral check would refuse it (SelfReferral.HoldSameDomain).
	HoldSameDomain bool

	// Observer hears about every stored touch, lead decision, binding and
	// conversion; nil means nobody listens.
	Observer Observer
	// Now is the clock for touches, signups and leads given without a
	// time; nil means time.Now.
	Now func() time.Time
	// NewID returns a fresh, unique ID for touches, visitors and leads the
	// caller did not name; nil means 26 random base32 characters after a
	// prefix ("t_", "v_", "l_").
	NewID func(prefix string) string
}

// Tracker is the shell of the package: it loads what storage knows, calls
// the pure core (Decide, EvaluateProspect) and writes the result in one
// call. It is safe for concurrent use.
type Tracker struct {
	cfg           Config
	leads         LeadStore // nil: Config.Store has no lead methods
	policy        Policy
	window        time.Duration
	dedupe        time.Duration // < 0: store every touch
	checks        []Check
	leadChecks    []ProspectCheck
	partnerChecks []ProspectCheck
}

// New returns a Tracker for cfg, or a *affiliate.FieldError naming the
// first field that is missing or out of range.
func New(cfg Config) (*Tracker, error) {
	switch {
	case cfg.Store == nil:
		return nil, &affiliate.FieldError{Field: "Config.Store", Reason: "missing"}
	case affiliate.CheckDuration("", cfg.Window) != nil:
		return nil, affiliate.CheckDuration("Config.Window", cfg.Window)
	case affiliate.CheckDuration("", cfg.BindingTTL) != nil:
		return nil, affiliate.CheckDuration("Config.BindingTTL", cfg.BindingTTL)
	case cfg.TouchDedupe > affiliate.MaxDuration:
		return nil, affiliate.CheckDuration("Config.TouchDedupe", cfg.TouchDedupe)
	}
	if err := cfg.Policy.Validate(); err != nil {
		return nil, err
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.NewID == nil {
		cfg.NewID = func(prefix string) string { return prefix + rand.Text() }
	}
	t := &Tracker{
		cfg:    cfg,
		policy: Policy{Precedence: cfg.Policy.precedence(), Model: cfg.Policy.Model, ByTime: cfg.Policy.ByTime},
		window: cfg.Window,
		dedupe: cfg.TouchDedupe,
	}
	if t.window == 0 {
		t.window = DefaultWindow
	}
	if t.dedupe == 0 {
		t.dedupe = DefaultTouchDedupe
	}
	t.checks = append(baseChecks(SelfReferral{FreeMail: cfg.FreeMail, HoldSameDomain: cfg.HoldSameDomain}), cfg.Checks...)
	t.leadChecks = cfg.LeadChecks
	t.leads, _ = cfg.Store.(LeadStore)
	if t.leadChecks == nil && t.leads != nil {
		t.leadChecks = DefaultLeadChecks(t.leads, cfg.Directory, cfg.FreeMail)
	}
	t.partnerChecks = cfg.PartnerChecks
	if t.partnerChecks == nil {
		t.partnerChecks = DefaultPartnerChecks(cfg.FreeMail)
	}
	return t, nil
}

// Window returns the attribution window in force.
func (t *Tracker) Window() time.Duration { return t.window }

// Policy returns the precedence and model in force.
func (t *Tracker) Policy() Policy {
	return Policy{Precedence: append([]Source(nil), t.policy.Precedence...), Model: t.policy.Model, ByTime: t.policy.ByTime}
}

func (t *Tracker) observe(ctx context.Context, e Event) {
	if t.cfg.Observer != nil {
		t.cfg.Observer.Observe(ctx, e)
	}
}

// ResolveCode returns the active affiliate that owns code. A malformed code
// gets a *affiliate.FieldError; an unknown one, or one whose affiliate is
// suspended, a *CodeError (ErrUnknownCode, ErrAffiliateInactive). A signup
// form can call it to tell the customer at once that a code is wrong.
func (t *Tracker) ResolveCode(ctx context.Context, code string) (affiliate.Affiliate, error) {
	if err := affiliate.ValidateCode(code); err != nil {
		return affiliate.Affiliate{}, err
	}
	a, err := t.cfg.Store.AffiliateByCode(ctx, code)
	if errors.Is(err, affiliate.ErrNotFound) {
		return affiliate.Affiliate{}, &CodeError{Code: code, Err: ErrUnknownCode}
	}
	if err != nil {
		return affiliate.Affiliate{}, err
	}
	if a.Status != affiliate.StatusActive {
		return affiliate.Affiliate{}, &CodeError{Code: code, Affiliate: a.ID, Err: ErrAffiliateInactive}
	}
	return a, nil
}

// TouchInput is one click on a referral link, or one use of a code, to
// record.
type TouchInput struct {
	// ID names the touch; empty means Config.NewID("t_").
	ID affiliate.TouchID
	// Visitor is the browser's visitor ID. Required.
	Visitor affiliate.VisitorID
	// Code is the affiliate code or link slug. Required.
	Code string
	// Source is affiliate.TouchLink (the default when empty) or
	// affiliate.TouchCode.
	Source affiliate.TouchSource
	// At is when it happened; zero means Config.Now.
	At time.Time
	// The request's context, optional; each at most 2,048 bytes.
	LandingURL, Referrer, IP, UserAgent string
}

// RecordTouch resolves the code to its active affiliate, stores the touch
// and returns it. A repeat of the visitor's touch for the same affiliate
// and source within Config.TouchDedupe before it is not stored: the
// earlier touch is returned, and nobody is notified. Bad input gets a
// *affiliate.FieldError; an unknown code or a suspended affiliate a
// *CodeError; and in each case nothing is stored and nobody is notified.
func (t *Tracker) RecordTouch(ctx context.Context, in TouchInput) (affiliate.Touch, error) {
	if err := affiliate.ValidateID("TouchInput.Visitor", in.Visitor); err != nil {
		return affiliate.Touch{}, err
	}
	if in.Source == "" {
		in.Source = affiliate.TouchLink
	}
	if in.ID == "" {
		in.ID = affiliate.TouchID(t.cfg.NewID("t_"))
	}
	if in.At.IsZero() {
		in.At = t.cfg.Now()
	}
	touch := affiliate.Touch{
		ID: in.ID, Visitor: in.Visitor, Code: affiliate.NormalizeCode(in.Code), Source: in.Source, At: in.At,
		LandingURL: in.LandingURL, Referrer: in.Referrer, IP: in.IP, UserAgent: in.UserAgent,
	}
	// Validate everything but the affiliate before the lookup, so bad
	// input fails the same way whether or not the code is known.
	probe := touch
	probe.Affiliate = "probe"
	if err := probe.Validate(); err != nil {
		return affiliate.Touch{}, err
	}
	a, err := t.ResolveCode(ctx, in.Code)
	if err != nil {
		return affiliate.Touch{}, err
	}
	touch.Affiliate = a.ID
	if earlier, ok, err := t.recentTouch(ctx, touch); err != nil || ok {
		return earlier, err
	}
	if err := t.cfg.Store.AddTouch(ctx, touch); err != nil {
		return affiliate.Touch{}, err
	}
	t.observe(ctx, Event{Kind: TouchRecorded, Touch: touch})
	return touch, nil
}
