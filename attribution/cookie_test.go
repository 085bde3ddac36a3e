package attribution_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/attribution"
)

var (
	oldKey = attribution.Key{ID: "k1", Secret: []byte("an-older-secret-of-thirty-two-bytes!!")}
	newKey = attribution.Key{ID: "k2", Secret: []byte("the-current-secret-of-32-bytes-or-more")}
	ref    = attribution.Referral{Affiliate: "ann", Visitor: "v_1", Touch: "t_1", At: t0}
)

func codec(tb testing.TB, now time.Time, keys ...attribution.Key) *attribution.Codec {
	tb.Helper()
	c, err := attribution.NewCodec(attribution.CodecConfig{Keys: keys, Now: func() time.Time { return now }})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func TestCookieRoundTripAndRotation(t *testing.T) {
	old := codec(t, t0, oldKey)
	v, err := old.Encode(ref)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(v, "v1.k1.") {
		t.Fatalf("value %q does not name its version and key", v)
	}
	if got, err := old.Decode(v); err != nil || got != ref {
		t.Fatalf("Decode = %+v, %v; want %+v", got, err, ref)
	}
	// After rotation the new key signs and the old one still verifies.
	rotated := codec(t, t0.Add(day), newKey, oldKey)
	if got, err := rotated.Decode(v); err != nil || got != ref {
		t.Fatalf("rotated Decode(old cookie) = %+v, %v", got, err)
	}
	v2, _ := rotated.Encode(ref)
	if !strings.HasPrefix(v2, "v1.k2.") {
		t.Fatalf("rotated codec signed with %q, want k2", v2)
	}
	// Once the old key is retired its cookies are refused, typed.
	retired := codec(t, t0.Add(day), newKey)
	var ce *attribution.CookieError
	if _, err := retired.Decode(v); !errors.Is(err, attribution.ErrCookieUnknownKey) || !errors.As(err, &ce) || ce.KeyID != "k1" {
		t.Fatalf("retired Decode(old cookie) = %v, want ErrCookieUnknownKey naming k1", err)
	}
}

func TestCookieRefusals(t *testing.T) {
	c := codec(t, t0.Add(day), newKey, oldKey)
	good, _ := c.Encode(ref)
	parts := strings.Split(good, ".")
	otherSig, _ := codec(t, t0, attribution.Key{ID: "k2", Secret: []byte("a-forger-who-guessed-the-key-id-only")}).Encode(ref)
	flip := func(s string, i int) string {
		b := []byte(s)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		return string(b)
	}
	cases := []struct {
		name  string
		value string
		want  error
	}{
		{"Empty", "", attribution.ErrCookieMalformed},
		{"Garbage", "hello", attribution.ErrCookieMalformed},
		{"WrongVersion", "v2" + good[2:], attribution.ErrCookieMalformed},
		{"MissingPart", parts[0] + "." + parts[1] + "." + parts[3], attribution.ErrCookieMalformed},
		{"ExtraPart", parts[0] + "." + parts[1] + "." + parts[2] + ".x." + parts[3], attribution.ErrCookieMalformed},
		{"BadKeyID", "v1.k@y." + parts[2] + "." + parts[3], attribution.ErrCookieMalformed},
		{"UnknownKey", "v1.k9." + parts[2] + "." + parts[3], attribution.ErrCookieUnknownKey},
		{"ShortSignature", parts[0] + "." + parts[1] + "." + parts[2] + ".AAAA", attribution.ErrCookieMalformed},
		{"SignatureNotBase64", parts[0] + "." + parts[1] + "." + parts[2] + "." + strings.Repeat("*", 43), attribution.ErrCookieMalformed},
		{"TamperedPayload", parts[0] + "." + parts[1] + "." + flip(parts[2], 3) + "." + parts[3], attribution.ErrCookieTampered},
		{"TamperedSignature", parts[0] + "." + parts[1] + "." + parts[2] + "." + flip(parts[3], 5), attribution.ErrCookieTampered},
		{"OtherSecret", otherSig, attribution.ErrCookieTampered},
		{"KeySwapped", "v1.k1." + parts[2] + "." + parts[3], attribution.ErrCookieTampered},
		{"Oversized", good + strings.Repeat("A", attribution.MaxCookieLen), attribution.ErrCookieOversized},
		{"Expired", mustEncode(t, c, attribution.Referral{Affiliate: "ann", Visitor: "v", At: t0.Add(day - attribution.DefaultWindow)}), attribution.ErrCookieExpired},
		{"FromTheFuture", mustEncode(t, c, attribution.Referral{Affiliate: "ann", Visitor: "v", At: t0.Add(day + attribution.MaxClockSkew + time.Nanosecond)}), attribution.ErrCookieFuture},
		{"FromTheFarFuture", mustEncode(t, c, attribution.Referral{Affiliate: "ann", Visitor: "v", At: t0.Add(50 * 365 * day)}), attribution.ErrCookieFuture},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := c.Decode(tc.value)
			if !errors.Is(err, tc.want) || !errors.Is(err, affiliate.ErrInvalid) {
				t.Fatalf("Decode = %+v, %v; want %v", got, err, tc.want)
			}
			var ce *attribution.CookieError
			if !errors.As(err, &ce) {
				t.Fatalf("Decode error %T is not a *CookieError", err)
			}
			if got != (attribution.Referral{}) {
				t.Fatalf("a refused cookie returned %+v", got)
			}
		})
	}
	// One nanosecond before the window ends the cookie is still good.
	live := mustEncode(t, c, attribution.Referral{Affiliate: "ann", Visitor: "v", At: t0.Add(day - attribution.DefaultWindow + time.Nanosecond)})
	if _, err := c.Decode(live); err != nil {
		t.Fatalf("cookie inside the window: %v", err)
	}
	// A clock a little ahead on the server that set it is tolerated.
	skewed := mustEncode(t, c, attribution.Referral{Affiliate: "ann", Visitor: "v", At: t0.Add(day + attribution.MaxClockSkew)})
	if _, err := c.Decode(skewed); err != nil {
		t.Fatalf("cookie MaxClockSkew ahead: %v", err)
	}
}

func mustEncode(tb testing.TB, c *attribution.Codec, r attribution.Referral) string {
	tb.Helper()
	v, err := c.Encode(r)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

func TestCodecConfigAndEncodeErrors(t *testing.T) {
	for _, cfg := range []attribution.CodecConfig{
		{},
		{Keys: []attribution.Key{{ID: "k1", Secret: []byte("short")}}},
		{Keys: []attribution.Key{{ID: "", Secret: newKey.Secret}}},
		{Keys: []attribution.Key{{ID: "has.dot", Secret: newKey.Secret}}},
		{Keys: []attribution.Key{newKey, newKey}},
		{Keys: []attribution.Key{newKey}, Window: -time.Hour},
	} {
		if _, err := attribution.NewCodec(cfg); !errors.Is(err, affiliate.ErrInvalid) {
			t.Errorf("NewCodec(%+v) = %v, want ErrInvalid", cfg, err)
		}
	}
	c := codec(t, t0, newKey)
	for _, r := range []attribution.Referral{
		{},
		{Affiliate: "ann", Visitor: "v"},
		{Affiliate: "ann", At: t0},
		{Affiliate: "ann", Visitor: "v", At: time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)},
		{Affiliate: "ann", Visitor: "v\n", At: t0},
	} {
		if v, err := c.Encode(r); !errors.Is(err, affiliate.ErrInvalid) {
			t.Errorf("Encode(%+v) = %q, %v; want ErrInvalid", r, v, err)
		}
	}
	// The secret is copied: changing the caller's slice changes nothing.
	secret := []byte(string(newKey.Secret))
	c2 := codec(t, t0, attribution.Key{ID: "k2", Secret: secret})
	v := mustEncode(t, c2, ref)
	secret[0] ^= 0xff
	if _, err := c2.Decode(v); err != nil {
		t.Fatalf("the codec shares the caller's secret: %v", err)
	}
}

// TestCookieProperties: every valid referral survives a round trip, the
// longest IDs stay under MaxCookieLen, and no single-byte change to a value
// verifies.
func TestCookieProperties(t *testing.T) {
	c := codec(t, t0, newKey, oldKey)
	id := rapid.StringMatching(`[a-zA-Z0-9_:-]{1,255}`)
	rapid.Check(t, func(t *rapid.T) {
		r := attribution.Referral{
			Affiliate: affiliate.AffiliateID(id.Draw(t, "affiliate")),
			Visitor:   affiliate.VisitorID(id.Draw(t, "visitor")),
			Touch:     affiliate.TouchID(rapid.OneOf(rapid.Just(""), id).Draw(t, "touch")),
			At:        t0.Add(-time.Duration(rapid.Int64Range(0, int64(attribution.DefaultWindow)-1).Draw(t, "age"))),
		}
		v, err := c.Encode(r)
		if err != nil {
			t.Fatal(err)
		}
		if len(v) > attribution.MaxCookieLen {
			t.Fatalf("Encode wrote %d bytes, over MaxCookieLen", len(v))
		}
		got, err := c.Decode(v)
		if err != nil || got != r {
			t.Fatalf("Decode(Encode(r)) = %+v, %v; want %+v", got, err, r)
		}
		i := rapid.IntRange(0, len(v)-1).Draw(t, "position")
		b := rapid.Byte().Filter(func(b byte) bool { return b != v[i] }).Draw(t, "byte")
		mutated := v[:i] + string([]byte{b}) + v[i+1:]
		if got, err := c.Decode(mutated); err == nil {
			t.Fatalf("a value changed at byte %d verified: %+v", i, got)
		}
	})
}

// FuzzDecode feeds arbitrary values to the decoder: it must never panic,
// must refuse with a *CookieError, and whatever it accepts must re-encode
// to a value that decodes to the same referral.
func FuzzDecode(f *testing.F) {
	c := codec(f, t0, newKey, oldKey)
	for _, r := range []attribution.Referral{ref, {Affiliate: "a", Visitor: "v", At: t0.Add(-time.Hour)}} {
		f.Add(mustEncode(f, c, r))
		f.Add(mustEncode(f, codec(f, t0, oldKey), r))
	}
	f.Add("")
	f.Add("v1...")
	f.Add("v1.k2.AAAA.AAAA")
	f.Add("v1.k2." + strings.Repeat("A", 100) + "." + strings.Repeat("_", 43))
	f.Fuzz(func(t *testing.T, value string) {
		r, err := c.Decode(value)
		if err != nil {
			var ce *attribution.CookieError
			if !errors.As(err, &ce) || !errors.Is(err, affiliate.ErrInvalid) {
				t.Fatalf("Decode(%q) = %v: not a *CookieError matching ErrInvalid", value, err)
			}
			return
		}
		again, err := c.Decode(mustEncode(t, c, r))
		if err != nil || again != r {
			t.Fatalf("re-encoded %+v decodes to %+v, %v", r, again, err)
		}
	})
}
