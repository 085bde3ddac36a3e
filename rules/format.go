package rules

import (
	"strconv"
)

func itoa(i int) string { return strconv.Itoa(i) }

func quote(s string) string { return strconv.Quote(s) }

func nameOr(name, def string) string {
	if name == "" {
		return def
	}
	return name
}
