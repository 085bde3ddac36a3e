package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/openaffiliate/affiliate"
)

// The headers of the Standard Webhooks specification.
const (
	HeaderID        = "webhook-id"
	HeaderTimestamp = "webhook-timestamp"
	HeaderSignature = "webhook-signature"
)

// secretPrefix marks a secret in the specification's text form.
const secretPrefix = "whsec_"

// Errors of the verifier and of secrets. Each matches affiliate.ErrInvalid:
// the request or the configuration is wrong, and sending it again as it
// is will not help.
var (
	ErrBadSecret    = fmt.Errorf("%w: webhook secret is not whsec_ followed by base64", affiliate.ErrInvalid)
	ErrMissing      = fmt.Errorf("%w: webhook header missing or malformed", affiliate.ErrInvalid)
	ErrTimestamp    = fmt.Errorf("%w: webhook timestamp outside the tolerance", affiliate.ErrInvalid)
	ErrNoValidMatch = fmt.Errorf("%w: no webhook signature matches", affiliate.ErrInvalid)
)

// Secret is a signing key: the bytes behind "whsec_<base64>".
type Secret []byte

// ParseSecret reads a secret in its text form, "whsec_" and the standard
// base64 of the key. The prefix may be left off. Returns ErrBadSecret
// for anything else, or for a key shorter than 24 bytes (the
// specification asks for 24 to 64).
func ParseSecret(s string) (Secret, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(s, secretPrefix))
	if err != nil || len(b) < 24 {
		return nil, ErrBadSecret
	}
	return b, nil
}

// String returns the secret's text form.
func (s Secret) String() string { return secretPrefix + base64.StdEncoding.EncodeToString(s) }

// Sign returns the signature of one message under s: "v1," and the
// base64 of HMAC-SHA256 over "id.timestamp.body", the timestamp in Unix
// seconds.
func (s Secret) Sign(id string, at time.Time, body []byte) string {
	mac := hmac.New(sha256.New, s)
	mac.Write([]byte(id))
	mac.Write([]byte{'.'})
	mac.Write([]byte(strconv.FormatInt(at.Unix(), 10)))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// SignHeaders sets the three headers of a message on h, signed with every
// secret (space-separated), so a receiver that knows any one of them
// verifies it: that is how a secret is rotated.
func SignHeaders(h http.Header, secrets []Secret, id string, at time.Time, body []byte) {
	sigs := make([]string, len(secrets))
	for i, s := range secrets {
		sigs[i] = s.Sign(id, at, body)
	}
	h.Set(HeaderID, id)
	h.Set(HeaderTimestamp, strconv.FormatInt(at.Unix(), 10))
	h.Set(HeaderSignature, strings.Join(sigs, " "))
}

// DefaultTolerance is how far a message's timestamp may be from the
// receiver's clock when Verifier.Tolerance is 0.
const DefaultTolerance = 5 * time.Minute

// Verifier checks messages for a receiver. Secrets are the keys it
// accepts (during a rotation, the old and the new).
type Verifier struct {
	Secrets []Secret
	// Tolerance bounds |now - timestamp|, against replays; 0 means
	// DefaultTolerance.
	Tolerance time.Duration
	// Now is the receiver's clock; nil means time.Now.
	Now func() time.Time
}

// Verify checks the headers of a message with body. It returns nil when
// one of the signatures is a v1 signature under one of the secrets and
// the timestamp is within the tolerance; ErrMissing, ErrTimestamp or
// ErrNoValidMatch otherwise (each matches affiliate.ErrInvalid).
func (v Verifier) Verify(h http.Header, body []byte) error {
	id, ts, sigs := h.Get(HeaderID), h.Get(HeaderTimestamp), h.Get(HeaderSignature)
	if id == "" || ts == "" || sigs == "" {
		return ErrMissing
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: timestamp %q", ErrMissing, ts)
	}
	at := time.Unix(sec, 0)
	now, tol := time.Now, v.Tolerance
	if v.Now != nil {
		now = v.Now
	}
	if tol == 0 {
		tol = DefaultTolerance
	}
	if d := now().Sub(at); d > tol || d < -tol {
		return ErrTimestamp
	}
	for _, s := range v.Secrets {
		want := s.Sign(id, at, body)
		for _, got := range strings.Fields(sigs) {
			if hmac.Equal([]byte(got), []byte(want)) {
				return nil
			}
		}
	}
	return ErrNoValidMatch
}
