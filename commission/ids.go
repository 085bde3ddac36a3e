package commission

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"

	"github.com/openaffiliate/affiliate"
)

// Entry IDs are deterministic, so the same events give byte-identical
// ledgers (I8): "<event ID>/<n>" for the n-th entry an event appended, and
// "<customer>/state-<version>/<n>" for a recompute or re-price, which has
// no event (version is the customer summary's version it wrote). An ID
// that would pass affiliate.MaxIDLen uses the hex SHA-256 of its prefix
// instead. Host event IDs of these shapes are refused
// (affiliate.ValidateEventID), so no event's entries can take the IDs of
// another's.

func eventPrefix(id affiliate.EventID) string { return fitPrefix(string(id)) }

func statePrefix(c affiliate.CustomerID, version int64) string {
	return fitPrefix(string(c) + affiliate.StateIDMarker + strconv.FormatInt(version, 10))
}

// suffixRoom is kept free for "/" and the entry number (up to 9 digits).
const suffixRoom = 10

func fitPrefix(p string) string {
	if len(p)+suffixRoom <= affiliate.MaxIDLen {
		return p
	}
	sum := sha256.Sum256([]byte(p))
	return affiliate.HashedIDPrefix + hex.EncodeToString(sum[:])
}

// sortBySequence puts the entries of one commit back in the order it
// appended them, from the numbers their IDs end in.
func sortBySequence(es []affiliate.Entry) {
	seq := func(e affiliate.Entry) int {
		s := string(e.ID)
		n, err := strconv.Atoi(s[strings.LastIndexByte(s, '/')+1:])
		if err != nil {
			return -1
		}
		return n
	}
	slices.SortStableFunc(es, func(a, b affiliate.Entry) int { return seq(a) - seq(b) })
}

func itoa(i int) string { return strconv.Itoa(i) }
