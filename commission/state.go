package commission

import (
	"encoding/binary"
	"encoding/json"
	"unicode/utf8"

	"github.com/openaffiliate/affiliate"
)

// stateFormat is the version of the summary's encoding: JSON of summary.
// Format 1 was a hand-made varint encoding; a summary in it is read as
// stale (see decodeSummary).
const stateFormat = 2

// encodeSummary returns the stored form of s.
func encodeSummary(s *summary) []byte {
	s.Format = stateFormat
	data, err := json.Marshal(s)
	if err != nil {
		panic("commission: encoding a customer summary: " + err.Error()) // unreachable: plain values
	}
	return data
}

// decodeSummary reads what encodeSummary wrote. Empty data is the summary
// of a customer never committed. A format-1 summary keeps only its pinned
// terms version and comes back stale, to be rebuilt from the event log.
// Anything else it cannot read returns ErrCorruptState.
func decodeSummary(data []byte) (summary, error) {
	corrupt := func(reason string) (summary, error) {
		return summary{}, &affiliate.FieldError{Field: "CustomerState.Data", Reason: reason, Err: ErrCorruptState}
	}
	switch {
	case len(data) == 0:
		return summary{}, nil
	case data[0] == 1:
		// Format 1 opens with the history depth (a uvarint), then the
		// pinned version (a uvarint length and its bytes).
		rest := data[1:]
		if _, n := binary.Uvarint(rest); n > 0 {
			rest = rest[n:]
			if l, n := binary.Uvarint(rest); n > 0 && l <= uint64(len(rest)-n) && utf8.Valid(rest[n:n+int(l)]) {
				return summary{Pinned: string(rest[n : n+int(l)]), stale: true}, nil
			}
		}
		return corrupt("truncated format-1 summary")
	}
	var s summary
	if err := json.Unmarshal(data, &s); err != nil {
		return corrupt(err.Error())
	}
	if s.Format != stateFormat {
		return corrupt("unknown summary format")
	}
	return s, nil
}
