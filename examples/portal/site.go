package main

import (
	"context"
	"html/template"
	"net/http"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/portal"
)

// newSite is the host: a demo sign-in (a cookie naming the user, which a
// real host replaces with its own sessions) and the portal under
// /portal/. reviewer may be nil: the demo program holds no entries.
func newSite(d *demo, secret []byte) (http.Handler, error) {
	user := func(r *http.Request) string {
		c, err := r.Cookie("demo_user")
		if err != nil {
			return ""
		}
		return c.Value
	}
	h, err := portal.New(portal.Config{
		Program: d.p, Secret: secret, Prefix: "/portal", LinkBase: "https://shop.example/",
		Now: func() time.Time { return d.now }, Reviewer: portal.ProgramReviewer(d.p),
		Affiliate: func(r *http.Request) (affiliate.AffiliateID, bool) {
			u := user(r)
			return affiliate.AffiliateID(u), u == "ann" || u == "ben"
		},
		Manager: func(r *http.Request) (string, bool) { return "manager", user(r) == "manager" },
		Locale: func(r *http.Request) string {
			if c, err := r.Cookie("demo_lang"); err == nil {
				return c.Value
			}
			return r.Header.Get("Accept-Language")
		},
		CustomerEmail: func(_ context.Context, c affiliate.CustomerID) string { return d.emails[c] },
	})
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/portal/", h)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/login", http.StatusSeeOther) })
	mux.HandleFunc("GET /login", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = login.Execute(w, nil)
	})
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		u := r.PostFormValue("user")
		http.SetCookie(w, &http.Cookie{Name: "demo_user", Value: u, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
		http.SetCookie(w, &http.Cookie{Name: "demo_lang", Value: r.PostFormValue("lang"), Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
		next := "/portal/"
		if u == "manager" {
			next = "/portal/manage/"
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
	})
	return mux, nil
}

var login = template.Must(template.New("login").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in</title>
<link rel="stylesheet" href="/portal/static/style.css"></head>
<body><main><h1>Sign in (demo)</h1>
<form method="post" action="/login">
<label>Language <select name="lang"><option>en-US</option><option>en-GB</option><option>de-DE</option><option>fr-FR</option><option>es-ES</option><option>nl-NL</option></select></label>
<button name="user" value="ann">Sign in as Ann</button>
<button name="user" value="ben">Sign in as Ben</button>
<button name="user" value="manager">Sign in as the program manager</button>
</form></main></body></html>`))
