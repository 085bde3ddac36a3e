package program_test

import "github.com/openaffiliate/affiliate"

// per is the month s ("2026-01"), with no location (UTC).
func per(s string) affiliate.Period {
	p, err := affiliate.ParsePeriod(s, nil)
	if err != nil {
		panic(err)
	}
	return p
}
