package portal

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
)

// The CSV downloads write amounts as plain decimals ("-240.00", the
// currency in a column of its own) so that spreadsheets read them as
// numbers in any locale, and times in RFC 3339 in the program's
// location. A text cell that a spreadsheet would run as a formula gets a
// leading apostrophe.

// statementCSV serves /statements/2026-01.csv: the month's statement,
// a summary row per figure, then a row per line.
func (h *Handler) statementCSV(w http.ResponseWriter, r *http.Request) {
	a, ok := h.who(w, r)
	if !ok {
		return
	}
	month, isCSV := strings.CutSuffix(r.PathValue("month"), ".csv")
	if !isCSV {
		http.NotFound(w, r)
		return
	}
	period, err := h.month(month)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	st, _, err := h.statement(r.Context(), a, period, r.URL.Query().Get("currency"))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rows := [][]string{{"date", "kind", "reference", "amount", "currency", "effect", "explanation"}}
	for _, f := range []struct {
		name string
		m    affiliate.Money
	}{{"opening balance", st.Opening}, {"earned", st.EarnedTotal}, {"reversed", st.Reversed}, {"paid", st.Paid}, {"closing balance", st.Closing}} {
		rows = append(rows, []string{"", f.name, "", f.m.AmountString(), string(st.Currency), "", ""})
	}
	for _, l := range st.Lines {
		rows = append(rows, []string{h.csvTime(l.At), l.Kind, cell(l.Ref), l.Amount.AmountString(), string(l.Amount.Currency()),
			l.Effect.AmountString(), cell(l.Explanation)})
	}
	writeCSV(w, "statement-"+string(a)+"-"+period.String()+"-"+string(st.Currency)+".csv", rows)
}

// payoutsCSV serves the payout history.
func (h *Handler) payoutsCSV(w http.ResponseWriter, r *http.Request) {
	a, ok := h.who(w, r)
	if !ok {
		return
	}
	all, err := h.payouts(r.Context(), a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rows := [][]string{{"period", "payout", "amount", "currency", "status", "entries", "created", "settled", "reference"}}
	for _, p := range all {
		rows = append(rows, []string{p.Period.String(), cell(string(p.ID)), p.Amount.AmountString(), string(p.Amount.Currency()),
			string(p.Status), strconv.Itoa(len(p.Entries)), h.csvTime(p.CreatedAt), h.csvTime(p.SettledAt), cell(p.Reference)})
	}
	writeCSV(w, "payouts-"+string(a)+".csv", rows)
}

func (h *Handler) csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(h.loc).Format(time.RFC3339)
}

// cell defuses text a spreadsheet would take for a formula.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func writeCSV(w http.ResponseWriter, name string, rows [][]string) {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	_ = cw.WriteAll(rows) // a bytes.Buffer does not fail
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+strings.NewReplacer(`"`, "", "\\", "").Replace(name)+`"`)
	_, _ = b.WriteTo(w)
}
