package report

// Notes on rates over 100%. The funnel counts the events of the range,
// not cohorts, so a step can count more than the one before it; each note
// names the ways that happens.
const (
	NoteMoreSignupsThanTouches     = "more signups than touches: some customers who signed up in the range touched before it, shared a browser, or were bound without a recorded touch (a lead, by hand)"
	NoteMoreConversionsThanSignups = "more conversions than signups: some customers who first paid in the range signed up before it"
)

// funnel sets the dashboard's rates from its counts, and a note for each
// rate over 100%.
func (d *Dashboard) funnel() {
	d.TouchToSignup = Ratio{Num: d.Signups, Den: d.Touches}
	d.SignupToPaid = Ratio{Num: d.Conversions, Den: d.Signups}
	d.Notes = nil
	if d.TouchToSignup.Over() {
		d.Notes = append(d.Notes, NoteMoreSignupsThanTouches)
	}
	if d.SignupToPaid.Over() {
		d.Notes = append(d.Notes, NoteMoreConversionsThanSignups)
	}
}
