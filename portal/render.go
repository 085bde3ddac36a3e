package portal

import (
	"bytes"
	"embed"
	"encoding/json"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/report"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pages holds one template set per page: the layout and the page's
// "content". html/template escapes every value by its context.
var pages = func() map[string]*template.Template {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		if n == "templates/layout.html" {
			continue
		}
		t := template.New("layout").Funcs(template.FuncMap{
			"add": func(a, b int) int { return a + b },
			"figures": func(l Locale, d report.Dashboard) any {
				return struct {
					L Locale
					D report.Dashboard
				}{l, d}
			},
			"chart": func(l Locale, c *Chart) any {
				return struct {
					L Locale
					C *Chart
				}{l, c}
			},
		})
		out[n[len("templates/"):len(n)-len(".html")]] = template.Must(t.ParseFS(templateFS, "templates/layout.html", n))
	}
	return out
}()

// notices are the messages a page shows after a write redirected to it
// with ?done=KEY: fixed texts, so that a link cannot put words of its
// own on the portal's pages.
var notices = map[string]string{
	"paid":     "The payout is marked paid.",
	"refused":  "The lead is refused; its partner sees why.",
	"approved": "The entry is approved.",
	"rejected": "The entry is rejected.",
}

// page is what every template gets: the locale and location to format
// with, the form token, the navigation, and the page's own Data.
type page struct {
	Title    string
	Prefix   string
	L        Locale
	Loc      *time.Location
	CSRF     string
	Who      affiliate.AffiliateID
	Manager  bool
	Review   bool
	Notice   string
	Error    string
	Data     any
	Managing bool // a manager page: the manager's navigation
}

func (h *Handler) newPage(r *http.Request, title, subject string, data any) page {
	l := acceptLanguage(r)
	if h.cfg.Locale != nil {
		l = LookupLocale(h.cfg.Locale(r))
	}
	p := page{Title: title, Prefix: h.cfg.Prefix, L: l, Loc: h.loc, CSRF: h.csrf(subject), Data: data, Review: h.cfg.Reviewer != nil,
		Notice: notices[r.URL.Query().Get("done")]}
	if a, ok := h.cfg.Affiliate(r); ok {
		p.Who = a
	}
	if h.cfg.Manager != nil {
		_, p.Manager = h.cfg.Manager(r)
	}
	return p
}

// render writes the page, or a 500 when the template fails (rendered to
// a buffer first, so a failure never sends half a page).
func (h *Handler) render(w http.ResponseWriter, r *http.Request, name string, code int, p page) {
	var b bytes.Buffer
	if err := pages[name].ExecuteTemplate(&b, "layout", p); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	_, _ = b.WriteTo(w)
}

// fail writes err as a page (or JSON, for the API) with its status; a
// 500 goes to Config.OnError and shows nothing of the error.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	code, msg := status(err)
	if code == http.StatusInternalServerError && h.cfg.OnError != nil {
		h.cfg.OnError(r, err)
	}
	if strings.HasPrefix(r.URL.Path, h.cfg.Prefix+"/api/") {
		writeJSON(w, code, map[string]string{"error": msg})
		return
	}
	p := page{Title: http.StatusText(code), Prefix: h.cfg.Prefix, L: acceptLanguage(r), Loc: h.loc, Error: msg}
	var b bytes.Buffer
	if pages["error"].ExecuteTemplate(&b, "layout", p) != nil {
		http.Error(w, msg, code)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	_, _ = b.WriteTo(w)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		code, b = http.StatusInternalServerError, []byte(`{"error":"Internal error."}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_, _ = w.Write(append(b, '\n'))
}
