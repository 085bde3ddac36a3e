package main

import (
	"bufio"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// The site without a browser: the demo sign-in, then Ann's dashboard and
// the manager's payout runs, over the quickstart's data.
func TestSite(t *testing.T) {
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
	for _, tc := range []struct {
		user, lang, page string
		want             []string
	}{
		{"ann", "en-US", "/portal/", []string{`data-figure="earned-EUR">€420.00<`, `data-figure="paid-EUR">€290.00<`, "https://shop.example/?ref=ann"}},
		{"ben", "de-DE", "/portal/referrals", []string{"i•••@g•••.com", "120,00\u00a0€"}},
		{"manager", "en-GB", "/portal/manage/payouts?month=2026-03", []string{"Mark paid", "€130.00", "Balances carried to the next run: 1."}},
	} {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar}
		if _, err := c.PostForm(srv.URL+"/login", url.Values{"user": {tc.user}, "lang": {tc.lang}}); err != nil {
			t.Fatal(err)
		}
		res, err := c.Get(srv.URL + tc.page)
		if err != nil {
			t.Fatal(err)
		}
		var body strings.Builder
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			body.WriteString(sc.Text() + "\n")
		}
		res.Body.Close()
		for _, w := range tc.want {
			if !strings.Contains(body.String(), w) {
				t.Errorf("%s's %s lacks %q:\n%s", tc.user, tc.page, w, body.String())
			}
		}
	}
}
