package attribution

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
)

// Referral is what the referral cookie carries: the affiliate, the touch
// that set it, when that touch happened, and the visitor. Under
// first-click the touch is the visitor's first; under last-click, the
// latest.
type Referral struct {
	Affiliate affiliate.AffiliateID
	Visitor   affiliate.VisitorID
	Touch     affiliate.TouchID // may be empty when the host set the cookie itself
	At        time.Time
}

func (r Referral) validate(field string) error {
	if err := affiliate.ValidateID(field+".Affiliate", r.Affiliate); err != nil {
		return err
	}
	if err := affiliate.ValidateID(field+".Visitor", r.Visitor); err != nil {
		return err
	}
	if r.Touch != "" {
		if err := affiliate.ValidateID(field+".Touch", r.Touch); err != nil {
			return err
		}
	}
	if r.At.IsZero() {
		return &affiliate.FieldError{Field: field + ".At", Reason: "zero time"}
	}
	return nil
}

// Key is one cookie-signing key. ID names it inside every cookie it signs,
// so a key can be retired while cookies signed by it are still around.
type Key struct {
	ID     string // 1–32 bytes of letters, digits, '-' and '_'
	Secret []byte // at least 32 bytes of randomness
}

// MinSecretLen is the shortest secret a Key may have, in bytes: the
// HMAC-SHA256 block of security the cookie relies on.
const MinSecretLen = 32

// MaxCookieLen is the longest cookie value Decode reads, in bytes. The
// longest value Encode writes (three IDs of affiliate.MaxIDLen bytes) is
// about 1,150 bytes, well under the 4,096 bytes browsers keep per cookie.
const MaxCookieLen = 2048

// MaxClockSkew is how far ahead of the codec's clock a cookie's touch may
// be dated, for servers whose clocks differ a little.
const MaxClockSkew = time.Minute

// cookieVersion starts every value, so the format can change without a
// cookie of one format being read as another.
const cookieVersion = "v1"

// CodecConfig configures a Codec.
type CodecConfig struct {
	// Keys verify cookies; Keys[0] signs them. Rotate by putting a new key
	// first and keeping the old ones until their cookies have expired.
	// Required.
	Keys []Key
	// Window is how long a cookie is valid after its touch; zero means
	// DefaultWindow.
	Window time.Duration
	// Now is the clock expiry is judged by; nil means time.Now.
	Now func() time.Time
}

// Codec signs and verifies referral cookie values with HMAC-SHA256. It is
// safe for concurrent use.
type Codec struct {
	signer Key
	keys   map[string][]byte
	window time.Duration
	now    func() time.Time
}

// NewCodec returns a codec for cfg, or a *affiliate.FieldError when a key
// is malformed, too short or listed twice, or the window is negative.
func NewCodec(cfg CodecConfig) (*Codec, error) {
	if len(cfg.Keys) == 0 {
		return nil, &affiliate.FieldError{Field: "CodecConfig.Keys", Reason: "missing: at least one key signs the cookies"}
	}
	if cfg.Window < 0 {
		return nil, &affiliate.FieldError{Field: "CodecConfig.Window", Reason: "negative"}
	}
	c := &Codec{keys: make(map[string][]byte, len(cfg.Keys)), window: cmp.Or(cfg.Window, DefaultWindow), now: cfg.Now}
	if c.now == nil {
		c.now = time.Now
	}
	for i, k := range cfg.Keys {
		field := fmt.Sprintf("CodecConfig.Keys[%d]", i)
		if !validKeyID(k.ID) {
			return nil, &affiliate.FieldError{Field: field + ".ID", Reason: "must be 1–32 bytes of letters, digits, '-' and '_'"}
		}
		if _, dup := c.keys[k.ID]; dup {
			return nil, &affiliate.FieldError{Field: field + ".ID", Reason: fmt.Sprintf("%q is listed twice", k.ID)}
		}
		if len(k.Secret) < MinSecretLen {
			return nil, &affiliate.FieldError{Field: field + ".Secret", Reason: "shorter than 32 bytes"}
		}
		secret := append([]byte(nil), k.Secret...) // the caller may reuse its slice
		c.keys[k.ID] = secret
		if i == 0 {
			c.signer = Key{ID: k.ID, Secret: secret}
		}
	}
	return c, nil
}

func validKeyID(id string) bool {
	if id == "" || len(id) > 32 {
		return false
	}
	for i := 0; i < len(id); i++ {
		b := id[i]
		if !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '_') {
			return false
		}
	}
	return true
}

// Window returns how long a cookie stays valid after its touch.
func (c *Codec) Window() time.Duration { return c.window }

// Encode returns the signed cookie value for r:
//
//	v1.<key ID>.<payload, base64url>.<HMAC-SHA256 of everything before it, base64url>
//
// The payload is binary: the touch time in Unix nanoseconds (varint), then
// the affiliate, visitor and touch IDs, each length-prefixed (uvarint).
// Returns a *affiliate.FieldError when r is not a valid referral or its
// time cannot be represented (before 1678 or after 2262).
func (c *Codec) Encode(r Referral) (string, error) {
	if err := r.validate("Referral"); err != nil {
		return "", err
	}
	nanos := r.At.UnixNano()
	if !time.Unix(0, nanos).Equal(r.At) {
		return "", &affiliate.FieldError{Field: "Referral.At", Reason: "outside the years 1678–2262"}
	}
	payload := make([]byte, 0, binary.MaxVarintLen64+3*(binary.MaxVarintLen16+affiliate.MaxIDLen))
	payload = binary.AppendVarint(payload, nanos)
	for _, s := range []string{string(r.Affiliate), string(r.Visitor), string(r.Touch)} {
		payload = binary.AppendUvarint(payload, uint64(len(s)))
		payload = append(payload, s...)
	}
	signed := cookieVersion + "." + c.signer.ID + "." + base64.RawURLEncoding.EncodeToString(payload)
	return signed + "." + base64.RawURLEncoding.EncodeToString(mac(c.signer.Secret, signed)), nil
}

func mac(secret []byte, signed string) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(signed))
	return h.Sum(nil)
}

// Decode verifies value and returns the referral it carries. It never
// panics; a value it refuses gets a *CookieError that unwraps to
// ErrCookieOversized (longer than MaxCookieLen), ErrCookieMalformed (not
// the format Encode writes), ErrCookieUnknownKey (signed with a key not in
// the codec), ErrCookieTampered (the signature does not verify),
// ErrCookieExpired (its touch is a window or more ago) or ErrCookieFuture
// (its touch is more than MaxClockSkew ahead of now: a touch recorded with
// a wrong clock, or a leaked key, would otherwise outlive the window). The
// payload is parsed only after the signature verifies.
func (c *Codec) Decode(value string) (Referral, error) {
	if len(value) > MaxCookieLen {
		return Referral{}, &CookieError{Err: ErrCookieOversized, Detail: fmt.Sprintf("%d bytes", len(value))}
	}
	dot := strings.LastIndexByte(value, '.')
	if dot < 0 {
		return Referral{}, &CookieError{Err: ErrCookieMalformed, Detail: "no signature"}
	}
	signed, sig64 := value[:dot], value[dot+1:]
	version, rest, ok1 := strings.Cut(signed, ".")
	kid, payload64, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || version != cookieVersion || strings.Contains(payload64, ".") {
		return Referral{}, &CookieError{Err: ErrCookieMalformed, Detail: "not v1.<key>.<payload>.<signature>"}
	}
	secret, ok := c.keys[kid]
	if !ok {
		if !validKeyID(kid) {
			return Referral{}, &CookieError{Err: ErrCookieMalformed, Detail: "bad key ID"}
		}
		return Referral{}, &CookieError{Err: ErrCookieUnknownKey, KeyID: kid}
	}
	sig, err := base64.RawURLEncoding.Strict().DecodeString(sig64)
	if err != nil || len(sig) != sha256.Size {
		return Referral{}, &CookieError{Err: ErrCookieMalformed, KeyID: kid, Detail: "bad signature encoding"}
	}
	if !hmac.Equal(sig, mac(secret, signed)) {
		return Referral{}, &CookieError{Err: ErrCookieTampered, KeyID: kid}
	}
	r, err := parsePayload(payload64)
	if err != nil {
		return Referral{}, &CookieError{Err: ErrCookieMalformed, KeyID: kid, Detail: err.Error()}
	}
	now := c.now()
	if !now.Before(r.At.Add(c.window)) {
		return Referral{}, &CookieError{Err: ErrCookieExpired, KeyID: kid, Detail: "touched at " + r.At.Format(time.RFC3339)}
	}
	if r.At.After(now.Add(MaxClockSkew)) {
		return Referral{}, &CookieError{Err: ErrCookieFuture, KeyID: kid, Detail: "touched at " + r.At.Format(time.RFC3339)}
	}
	return r, nil
}

func parsePayload(payload64 string) (Referral, error) {
	p, err := base64.RawURLEncoding.Strict().DecodeString(payload64)
	if err != nil {
		return Referral{}, fmt.Errorf("bad payload encoding")
	}
	nanos, n := binary.Varint(p)
	if n <= 0 {
		return Referral{}, fmt.Errorf("bad time")
	}
	p = p[n:]
	var ids [3]string
	for i := range ids {
		l, n := binary.Uvarint(p)
		if n <= 0 || l > uint64(len(p)-n) {
			return Referral{}, fmt.Errorf("bad ID length")
		}
		ids[i] = string(p[n : n+int(l)])
		p = p[n+int(l):]
	}
	if len(p) != 0 {
		return Referral{}, fmt.Errorf("trailing bytes")
	}
	r := Referral{Affiliate: affiliate.AffiliateID(ids[0]), Visitor: affiliate.VisitorID(ids[1]), Touch: affiliate.TouchID(ids[2]), At: time.Unix(0, nanos).UTC()}
	if err := r.validate("Referral"); err != nil {
		return Referral{}, err
	}
	return r, nil
}
