package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/portal"
	"github.com/openaffiliate/affiliate/report"
	"github.com/openaffiliate/affiliate/storage"
)

// The portal in headless Chromium, over the quickstart's data: Ann signs
// in, reads her figures (compared with report's), her statement (and
// downloads it), submits a lead the checks refuse and reads why; the
// manager marks a payout paid and approves a held entry. One browser,
// one tab per user, a screenshot of every page.
func TestBrowser(t *testing.T) {
	chromium := findChromium(t)
	d, err := newDemo()
	if err != nil {
		t.Fatal(err)
	}
	site, err := newSite(d, []byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(site)
	defer srv.Close()
	artifacts := os.Getenv("AFFILIATE_ARTIFACTS")
	if artifacts == "" {
		artifacts = t.TempDir()
	}
	artifacts = filepath.Join(artifacts, "portal")
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", artifacts)

	// Not t.TempDir: Chromium's helper processes may still write to the
	// profile while the test's cleanup removes it, which fails the test.
	profile, err := os.MkdirTemp("", "portal-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for range 20 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	downloads := filepath.Join(profile, "downloads")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, chromedp.ExecPath(chromium),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(profile),
		chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.WindowSize(1200, 900))
	defer cancelAlloc()
	annTab, cancelAnn := chromedp.NewContext(alloc)
	defer cancelAnn()
	shot := screenshots(t, artifacts)
	ann := d.p
	bg := context.Background()

	// Ann signs in, in German.
	do(t, annTab, "sign in as Ann",
		browser.SetDownloadBehavior(browser.SetDownloadBehaviorBehaviorAllow).WithDownloadPath(downloads),
		chromedp.Navigate(srv.URL+"/login"),
		chromedp.SetValue(`select[name=lang]`, "de-DE", chromedp.ByQuery),
		shot("login"),
		chromedp.Click(`button[value=ann]`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-figure=touches]`, chromedp.ByQuery),
		shot("dashboard"))
	de := portal.LookupLocale("de-DE")
	dash, err := ann.Dashboard(bg, "ann", report.Range{From: ann.Month(2025, time.May), To: ann.Month(2026, time.April)})
	if err != nil {
		t.Fatal(err)
	}
	eurFigures := dash.Currencies[0]
	want := map[string]string{
		"touches": de.Int(dash.Touches), "signups": de.Int(dash.Signups), "conversions": de.Int(dash.Conversions),
		"touch-to-signup": de.Ratio(dash.TouchToSignup), "signup-to-paid": de.Ratio(dash.SignupToPaid),
		"spent-EUR": de.Money(eurFigures.Spent), "earned-EUR": de.Money(eurFigures.Earned),
		"pending-EUR": de.Money(eurFigures.Pending), "available-EUR": de.Money(eurFigures.Available),
		"in-payout-EUR": de.Money(eurFigures.InPayout), "paid-EUR": de.Money(eurFigures.Paid),
	}
	got := figures(t, annTab)
	for k, v := range want {
		if got[k] != v {
			t.Errorf("dashboard figure %s = %q, want %q (report)", k, got[k], v)
		}
	}
	if got["tier"] != "Standard" || got["earned-EUR"] != "420,00\u00a0€" || got["tier-next"] != "Gold" || got["tier-needs"] != "1.000,00\u00a0€" {
		t.Errorf("dashboard: tier %q, earned %q, next %q needs %q; want Standard, 420,00 € (the quickstart's 230 + 60 + 130), Gold needs 1.000,00 €",
			got["tier"], got["earned-EUR"], got["tier-next"], got["tier-needs"])
	}

	// Referrals, statement (with its CSV), payouts.
	do(t, annTab, "referrals", chromedp.Navigate(srv.URL+"/portal/referrals"), chromedp.WaitVisible(`table`, chromedp.ByQuery), shot("referrals"))
	var referrals string
	do(t, annTab, "read referrals", chromedp.Text(`main`, &referrals, chromedp.ByQuery))
	if !strings.Contains(referrals, "o•••@a•••.io") || strings.Contains(referrals, "ops@acme.io") {
		t.Errorf("referrals do not show Acme's e-mail masked:\n%s", referrals)
	}
	feb := ann.Month(2026, time.February)
	do(t, annTab, "statement", chromedp.Navigate(srv.URL+"/portal/statements?month=2026-02"),
		chromedp.WaitVisible(`[data-figure=closing]`, chromedp.ByQuery), shot("statement"))
	st, err := ann.Statement(bg, "ann", feb)
	if err != nil {
		t.Fatal(err)
	}
	got = figures(t, annTab)
	for k, m := range map[string]affiliate.Money{"opening": st.Opening, "reversed": st.Reversed, "paid": st.Paid, "closing": st.Closing} {
		if got[k] != de.Money(m) {
			t.Errorf("statement %s = %q, want %q", k, got[k], de.Money(m))
		}
	}
	do(t, annTab, "download the statement", chromedp.Click(`a[data-download=statement]`, chromedp.ByQuery))
	csv := waitFile(t, filepath.Join(downloads, "statement-ann-2026-02-EUR.csv"))
	if !strings.HasPrefix(csv, "date,kind,reference,amount,currency,effect,explanation\n") || strings.Count(csv, "\n") != 5+1+len(st.Lines) {
		t.Errorf("the statement CSV has %d lines, want %d:\n%s", strings.Count(csv, "\n"), 6+len(st.Lines), csv)
	}
	do(t, annTab, "payouts", chromedp.Navigate(srv.URL+"/portal/payouts"), chromedp.WaitVisible(`table`, chromedp.ByQuery), shot("payouts"))

	// A lead the checks refuse, and its reasons.
	do(t, annTab, "submit a lead", chromedp.Navigate(srv.URL+"/portal/leads"),
		chromedp.WaitVisible(`input[name=company]`, chromedp.ByQuery), shot("leads"),
		chromedp.SendKeys(`input[name=company]`, "Freelance Fran", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=email]`, "fran@gmail.com", chromedp.ByQuery),
		chromedp.Click(`input[name=freelancer]`, chromedp.ByQuery),
		chromedp.Click(`form[method=post] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`ul.reasons`, chromedp.ByQuery), shot("lead"))
	var shown []string
	do(t, annTab, "read the reasons", chromedp.Evaluate(`[...document.querySelectorAll("ul.reasons li")].map(e => e.textContent)`, &shown))
	leads, err := d.store.Leads(bg, storage.LeadQuery{Affiliate: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(leads, func(l affiliate.Lead) bool { return l.Company == "Freelance Fran" })
	if i < 0 {
		t.Fatalf("the lead was not stored: %+v", leads)
	}
	last := leads[i]
	if last.Company != "Freelance Fran" || last.Status != affiliate.LeadRefused || !slices.Equal(shown, last.Reasons) || len(shown) < 3 {
		t.Errorf("the lead page shows %q; stored %s is %s with %q", shown, last.Company, last.Status, last.Reasons)
	}

	// The manager, in a second tab; signing in replaces Ann's cookie.
	mgrTab, cancelMgr := chromedp.NewContext(annTab)
	defer cancelMgr()
	do(t, mgrTab, "sign in as the manager", chromedp.Navigate(srv.URL+"/login"),
		chromedp.Click(`button[value=manager]`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-figure=touches]`, chromedp.ByQuery), shot("manager-program"),
		chromedp.Navigate(srv.URL+"/portal/manage/leads"), chromedp.WaitVisible(`table`, chromedp.ByQuery), shot("manager-leads"),
		chromedp.Navigate(srv.URL+"/portal/manage/payouts?month=2026-03"),
		chromedp.WaitVisible(`input[name=reference]`, chromedp.ByQuery), shot("manager-payouts"))
	do(t, mgrTab, "mark paid",
		chromedp.SendKeys(`input[name=reference]`, "sepa-2026-03-ann", chromedp.ByQuery),
		chromedp.Click(`tr[data-payout] form button`, chromedp.ByQuery),
		chromedp.WaitVisible(`.notice`, chromedp.ByQuery), shot("manager-paid"))
	run3, err := d.store.PayoutRun(bg, report.DefaultProgram, ann.Month(2026, time.March))
	if err != nil {
		t.Fatal(err)
	}
	paid := 0
	for _, po := range run3.Payouts {
		if po.Status == affiliate.PayoutPaid && po.Reference == "sepa-2026-03-ann" {
			paid++
		}
	}
	if paid != 1 {
		t.Errorf("after mark paid, March's payouts are %+v; want one paid with the reference", run3.Payouts)
	}
	do(t, mgrTab, "approve a held entry", chromedp.Navigate(srv.URL+"/portal/manage/review"),
		chromedp.WaitVisible(`tr[data-held]`, chromedp.ByQuery), shot("manager-review"),
		chromedp.Click(`tr[data-held] form button`, chromedp.ByQuery),
		chromedp.WaitVisible(`.notice`, chromedp.ByQuery), shot("manager-approved"))
	if held, err := portal.ProgramReviewer(d.p).Pending(context.Background()); err != nil || len(held) != 0 {
		t.Errorf("after approval, held entries %+v (%v); want none", held, err)
	}
}

// findChromium returns Chromium's path, or skips the test outside CI
// (CI=true fails instead: CI installs it).
func findChromium(t *testing.T) string {
	for _, name := range []string{os.Getenv("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("Chromium is not installed, and CI must run the browser tests (.ci/run installs Debian's chromium)")
	}
	t.Skip("skipping the browser tests: Chromium is not installed (apt-get install chromium, or set CHROMIUM to its path)")
	return ""
}

func do(t *testing.T, ctx context.Context, step string, actions ...chromedp.Action) {
	t.Helper()
	if err := chromedp.Run(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", step, err)
	}
}

// screenshots returns an action that saves the page as NN-name.png.
func screenshots(t *testing.T, dir string) func(name string) chromedp.Action {
	n := 0
	return func(name string) chromedp.Action {
		return chromedp.ActionFunc(func(ctx context.Context) error {
			var png []byte
			if err := chromedp.FullScreenshot(&png, 100).Do(ctx); err != nil {
				return err
			}
			n++
			return os.WriteFile(filepath.Join(dir, fmt.Sprintf("%02d-%s.png", n, name)), png, 0o644)
		})
	}
}

// figures reads every [data-figure] of the page.
func figures(t *testing.T, ctx context.Context) map[string]string {
	t.Helper()
	out := map[string]string{}
	do(t, ctx, "read figures", chromedp.Evaluate(
		`Object.fromEntries([...document.querySelectorAll("[data-figure]")].map(e => [e.dataset.figure, e.textContent]))`, &out))
	return out
}

func waitFile(t *testing.T, path string) string {
	t.Helper()
	for range 100 {
		if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
			return string(b)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no download at %s", path)
	return ""
}
