package affiliate_test

import (
	"fmt"
	"time"

	"github.com/openaffiliate/affiliate"
)

// Configuration is checked against what every store keeps: a hold of
// 2562047h (the longest time.Duration) would date entries past the year
// 2262, which no store can write.
func ExampleCheckDuration() {
	fmt.Println(affiliate.CheckDuration("Config.Terms[0].Hold", 30*24*time.Hour))
	fmt.Println(affiliate.CheckDuration("Config.Terms[0].Hold", 2562047*time.Hour))
	// Output:
	// <nil>
	// affiliate: invalid Config.Terms[0].Hold: 2562047h0m0s is longer than the 50 years (438000h) a store can date
}

// Text partners type and managers read is refused when it holds control
// or bidirectional formatting characters, on every store alike.
func ExampleValidateDisplayText() {
	fmt.Println(affiliate.ValidateDisplayText("Lead.Company", "Société Générale"))
	fmt.Println(affiliate.ValidateDisplayText("Lead.Company", "Acme \u202egnp.exe"))
	// Output:
	// <nil>
	// affiliate: invalid Lead.Company: contains the bidirectional formatting character U+202E
}
