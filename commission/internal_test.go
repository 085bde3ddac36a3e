package commission

import (
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/affiliatetest"
	"github.com/openaffiliate/affiliate/rules"
)

func TestKeep(t *testing.T) {
	tests := []struct {
		x, total, refunded int64
		mode               affiliate.RoundingMode
		want               int64
	}{
		{1000, 100, 0, affiliate.HalfEven, 1000},
		{1000, 100, 100, affiliate.HalfEven, 0},
		{1000, 100, 150, affiliate.HalfEven, 0},
		{1000, 100, 50, affiliate.HalfEven, 500},
		{1, 100, 50, affiliate.HalfEven, 0},   // 0.5 to even
		{3, 100, 50, affiliate.HalfEven, 2},   // 1.5 to even
		{1, 100, 50, affiliate.HalfUp, 1},     // 0.5 away from zero
		{-1, 100, 50, affiliate.HalfUp, -1},   // symmetric
		{999, 1000, 1, affiliate.Down, 998},   // 998.001
		{-999, 1000, 1, affiliate.Down, -998}, // toward zero
		{9223372036854775807, 9223372036854775807, 1, affiliate.HalfEven, 9223372036854775806},
	}
	for _, tt := range tests {
		if got := keep(tt.x, tt.total, tt.refunded, tt.mode); got != tt.want {
			t.Errorf("keep(%d, %d, %d, %v) = %d, want %d", tt.x, tt.total, tt.refunded, tt.mode, got, tt.want)
		}
	}
}

// keep never leaves [0, x], and a refund split in parts keeps what one
// refund of the sum keeps: the ledger does not depend on how a refund was
// split.
func TestKeepProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		total := rapid.Int64Range(1, 1<<40).Draw(t, "total")
		x := rapid.Int64Range(0, 1<<40).Draw(t, "x")
		r := rapid.Int64Range(0, total).Draw(t, "refunded")
		mode := affiliate.RoundingMode(rapid.IntRange(0, 2).Draw(t, "mode"))
		k := keep(x, total, r, mode)
		if k < 0 || k > x {
			t.Fatalf("keep(%d, %d, %d) = %d outside [0, x]", x, total, r, k)
		}
		if r == total && k != 0 {
			t.Fatalf("a full refund keeps %d", k)
		}
	})
}

func TestPeriodKey(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	rapid.Check(t, func(t *rapid.T) {
		at := time.Unix(rapid.Int64Range(-70000000000, 300000000000).Draw(t, "unix"), 0)
		for _, loc := range []*time.Location{time.UTC, paris} {
			if got, want := periodKey(at, loc), affiliate.PeriodOf(at, loc).String(); got != want {
				t.Fatalf("periodKey(%v) = %q, want %q", at, got, want)
			}
		}
	})
}

// TestEventHash: every field of a payment or a refund (lines,
// conversion included) is in the hash, one instant hashes alike in any
// zone, and a payment and a refund with one ID hash apart.
func TestEventHash(t *testing.T) {
	hash := func(ev affiliate.Event) string {
		t.Helper()
		h, err := eventHash(ev)
		if err != nil {
			t.Fatalf("eventHash(%T): %v", ev, err)
		}
		return h
	}
	for _, zero := range []affiliate.Event{affiliate.Payment{}, affiliate.Refund{}} {
		base := hash(zero)
		for _, v := range affiliatetest.FieldVariants(zero) {
			if hash(v.Value.(affiliate.Event)) == base {
				t.Errorf("%T.%s is outside the hash", zero, v.Path)
			}
		}
	}
	p := affiliate.Payment{ID: "p1", Customer: "c1", PaidAt: time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC), Currency: "EUR"}
	same := p
	same.PaidAt = p.PaidAt.In(time.FixedZone("X", -5*3600))
	if hash(same) != hash(p) {
		t.Error("the same instant in another zone hashes differently")
	}
	if hash(affiliate.Refund{ID: "p1"}) == hash(affiliate.Payment{ID: "p1"}) {
		t.Error("a refund and a payment with one ID hash alike")
	}
}

func genSummary(t *rapid.T) summary {
	str := rapid.StringMatching(`[a-z0-9/-]{0,12}`)
	tm := rapid.Custom(func(t *rapid.T) time.Time {
		if rapid.Bool().Draw(t, "zero") {
			return time.Time{}
		}
		// Years 1 to 9999: the engine refuses events outside them.
		return time.Unix(rapid.Int64Range(-62135596800, 253402300799).Draw(t, "sec"), rapid.Int64Range(0, 999999999).Draw(t, "ns")).UTC()
	})
	cur := rapid.SampledFrom([]affiliate.Currency{"EUR", "JPY", "KWD"})
	var s summary
	s.HistoryDepth = rapid.IntRange(0, 5).Draw(t, "depth")
	s.Pinned = str.Draw(t, "pinned")
	s.BoundTo = affiliate.AffiliateID(str.Draw(t, "boundTo"))
	s.Count = rapid.IntRange(0, 1<<30).Draw(t, "count")
	s.PaidCount = rapid.IntRange(0, 1<<30).Draw(t, "paid")
	s.HasLast = rapid.Bool().Draw(t, "hasLast")
	s.LastAt = tm.Draw(t, "lastAt")
	s.LastID = affiliate.EventID(str.Draw(t, "lastID"))
	s.FirstPaidAt = tm.Draw(t, "first")
	s.BoundCount = rapid.IntRange(0, 1<<30).Draw(t, "bound")
	s.LastBoundPeriod = str.Draw(t, "period")
	for range rapid.IntRange(0, 3).Draw(t, "earlier") {
		c := cur.Draw(t, "cur")
		p := affiliate.Payment{ID: affiliate.EventID(str.Draw(t, "id")), Customer: affiliate.CustomerID(str.Draw(t, "cust")), PaidAt: tm.Draw(t, "paidAt"), Currency: c, Country: str.Draw(t, "country")}
		if rapid.Bool().Draw(t, "conv") {
			p.Conversion = affiliate.Conversion{To: "USD", Rate: affiliate.MustRate("1.0837")}
		}
		for range rapid.IntRange(1, 3).Draw(t, "lines") {
			p.Lines = append(p.Lines, affiliate.Line{Kind: affiliate.LineAddOn, Amount: affiliate.MustMoney(rapid.Int64Range(-1<<62, 1<<62).Draw(t, "minor"), c), Plan: str.Draw(t, "plan"), SKU: str.Draw(t, "sku"), Description: str.Draw(t, "d")})
		}
		e := earlierPayment{Payment: p}
		for range rapid.IntRange(0, 2).Draw(t, "refunds") {
			e.Refunds = append(e.Refunds, refundFact{ID: affiliate.EventID(str.Draw(t, "rid")), At: tm.Draw(t, "rat"), Full: rapid.Bool().Draw(t, "full"), Amount: rapid.Int64().Draw(t, "ramount")})
		}
		s.Earlier = append(s.Earlier, e)
	}
	for range rapid.IntRange(0, 3).Draw(t, "used") {
		s.Used = append(s.Used, capUse{Key: rules.CapKey{Cap: str.Draw(t, "cap"), Beneficiary: affiliate.AffiliateID(str.Draw(t, "ben")), Period: str.Draw(t, "p"), Currency: cur.Draw(t, "c")}, Minor: rapid.Int64().Draw(t, "m")})
	}
	for range rapid.IntRange(0, 2).Draw(t, "parked") {
		r := affiliate.Refund{ID: affiliate.EventID(str.Draw(t, "id")), Payment: affiliate.EventID(str.Draw(t, "pay")), Customer: affiliate.CustomerID(str.Draw(t, "c")), RefundedAt: tm.Draw(t, "at"), Kind: affiliate.KindChargeback}
		if rapid.Bool().Draw(t, "full") {
			r.Full = true
		} else {
			r.Amount = affiliate.MustMoney(rapid.Int64Range(-1<<62, 1<<62).Draw(t, "amount"), cur.Draw(t, "c"))
		}
		s.Parked = append(s.Parked, r)
	}
	if rapid.Bool().Draw(t, "bound") {
		b := affiliate.Binding{Customer: "c", Affiliate: affiliate.AffiliateID(str.Draw(t, "aff")), Source: affiliate.BindByLink, BoundAt: tm.Draw(t, "boundAt")}
		s.Binding, _ = json.Marshal(b)
		for range rapid.IntRange(0, 2).Draw(t, "paidUnder") {
			b.Affiliate = affiliate.AffiliateID(str.Draw(t, "was"))
			s.PaidUnder = append(s.PaidUnder, b)
		}
	}
	for range rapid.IntRange(0, 2).Draw(t, "rebound") {
		if s.Rebound == nil {
			s.Rebound = map[affiliate.EventID]affiliate.AffiliateID{}
		}
		s.Rebound[affiliate.EventID(str.Draw(t, "id"))] = affiliate.AffiliateID(str.Draw(t, "to"))
	}
	for range rapid.IntRange(0, 2).Draw(t, "reinstated") {
		s.Reinstated = append(s.Reinstated, affiliate.EventID(str.Draw(t, "cb")))
	}
	return s
}

func TestSummaryCodecRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := genSummary(t)
		got, err := decodeSummary(appendSummary(nil, &s))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, s) {
			t.Fatalf("round trip:\n got %+v\nwant %+v", got, s)
		}
	})
}

// FuzzDecodeSummary feeds the decoder arbitrary bytes, as a store might
// hand back: it must never panic, and what it accepts must survive an
// encode and a decode unchanged. (Bytes are not compared: JSON, and an
// overlong varint, have more than one spelling of a value.)
func FuzzDecodeSummary(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{1})
	f.Add([]byte{2, 0})
	f.Add([]byte{3})
	for _, s := range []summary{{}, {Count: 3, HasLast: true, LastAt: time.Unix(1e9, 5).UTC(), LastID: "p3", Pinned: "v2",
		Binding: json.RawMessage(`{"Affiliate":"a"}`), Rebound: map[affiliate.EventID]affiliate.AffiliateID{"p1": "a"},
		Used: []capUse{{Key: rules.CapKey{Cap: "c", Currency: "EUR"}, Minor: 5}}, Reinstated: []affiliate.EventID{"cb"}}} {
		f.Add(appendSummary(nil, &s))
		s.Format = stateFormatJSON
		data, err := json.Marshal(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := decodeSummary(data)
		if err != nil {
			if !errors.Is(err, ErrCorruptState) {
				t.Fatalf("error %v does not match ErrCorruptState", err)
			}
			return
		}
		if len(data) == 0 {
			return
		}
		s.stale = false // a format-1 summary is rebuilt, then written anew
		again, err := decodeSummary(appendSummary(nil, &s))
		if err != nil {
			t.Fatalf("re-decoding what decoded: %v", err)
		}
		if !reflect.DeepEqual(again, s) {
			t.Fatalf("decode, encode, decode changed the summary:\n%+v\n%+v", s, again)
		}
	})
}

// TestSummaryReadsJSON: a summary stored as JSON (format 2: earlier
// versions, SQL stores) decodes to what was stored, and is written back
// in the binary format.
func TestSummaryReadsJSON(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := genSummary(t)
		s.Format = stateFormatJSON
		data, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeSummary(data)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, s) {
			t.Fatalf("JSON summary:\n got %+v\nwant %+v", got, s)
		}
		if again := appendSummary(nil, &got); again[0] != stateFormat {
			t.Fatalf("re-encoded as format %d", again[0])
		}
	})
}

// TestSummaryRefusesTruncation: every proper prefix of an encoded summary,
// and the summary with a byte added, is refused with ErrCorruptState.
func TestSummaryRefusesTruncation(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := genSummary(t)
		data := appendSummary(nil, &s)
		for n := 1; n < len(data); n++ {
			if _, err := decodeSummary(data[:n]); !errors.Is(err, ErrCorruptState) {
				t.Fatalf("prefix of %d of %d bytes: error %v, want ErrCorruptState", n, len(data), err)
			}
		}
		if _, err := decodeSummary(append(data, 0)); !errors.Is(err, ErrCorruptState) {
			t.Fatalf("a trailing byte: error %v, want ErrCorruptState", err)
		}
	})
}

// TestEntryIDs: a commit's entry IDs are "<prefix>/<n>", the first
// sharedIDs cut from one string, the later ones made apart.
func TestEntryIDs(t *testing.T) {
	for _, prefix := range []string{"p", "pay-000000001", fitPrefix(strings.Repeat("x", 300))} {
		b := batch{prefix: prefix}
		for n := 1; n <= sharedIDs+3; n++ {
			if got, want := b.entryID(n), affiliate.EntryID(prefix+"/"+strconv.Itoa(n)); got != want {
				t.Errorf("entryID(%d) with prefix %q = %q, want %q", n, prefix, got, want)
			}
		}
	}
}
