package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DefaultTolerance is how far a signature's timestamp may be from now:
// Stripe's own libraries use five minutes.
const DefaultTolerance = 5 * time.Minute

// maxSignatureHeader bounds the header we parse; Stripe's is under 300
// bytes even with several v1 signatures during a secret rotation.
const maxSignatureHeader = 4096

// Signature errors. All of them match ErrSignature, so a handler can
// answer 400 on errors.Is(err, ErrSignature); the typed form is
// *SignatureError.
var (
	ErrSignature = errors.New("stripe: webhook signature not verified")
	// ErrNoSignatureHeader: the request has no Stripe-Signature header.
	ErrNoSignatureHeader = fmt.Errorf("%w: no Stripe-Signature header", ErrSignature)
	// ErrMalformedHeader: the header is not "t=<unix time>,v1=<hex>,…".
	ErrMalformedHeader = fmt.Errorf("%w: malformed Stripe-Signature header", ErrSignature)
	// ErrNoMatchingSignature: no v1 signature matches any of our secrets.
	ErrNoMatchingSignature = fmt.Errorf("%w: no v1 signature matches", ErrSignature)
	// ErrOutsideTolerance: the signed timestamp is too far from now, so
	// the request may be a replay of an old one.
	ErrOutsideTolerance = fmt.Errorf("%w: timestamp outside the tolerance window", ErrSignature)
)

// SignatureError says why a Stripe-Signature header was refused.
type SignatureError struct {
	Reason    string
	Timestamp time.Time // the signed time, when the header had one
	Err       error     // one of the Err… sentinels above
}

func (e *SignatureError) Error() string { return e.Err.Error() + ": " + e.Reason }

// Unwrap returns the sentinel.
func (e *SignatureError) Unwrap() error { return e.Err }

// SignatureHeader is a parsed Stripe-Signature header.
type SignatureHeader struct {
	Timestamp time.Time
	// V1 holds every v1 signature. Stripe sends several while an
	// endpoint's secret is being rolled, one per active secret.
	V1 [][]byte
}

// ParseSignatureHeader parses "t=1700000000,v1=5257a8…,v1=…,v0=…". It
// needs exactly one t, a non-negative Unix time in seconds, and at least
// one v1 of 64 hex digits; other schemes (v0, Stripe's test scheme) are
// ignored, and so are v1 values that are not 64 hex digits, as Stripe's
// libraries do, so that a header with one bad and one good v1 still
// verifies.
func ParseSignatureHeader(h string) (SignatureHeader, error) {
	if h == "" {
		return SignatureHeader{}, &SignatureError{Reason: "the header is empty", Err: ErrNoSignatureHeader}
	}
	if len(h) > maxSignatureHeader {
		return SignatureHeader{}, &SignatureError{Reason: fmt.Sprintf("the header is longer than %d bytes", maxSignatureHeader), Err: ErrMalformedHeader}
	}
	var out SignatureHeader
	seenT := false
	for item := range strings.SplitSeq(h, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(item), "=")
		if !ok {
			return SignatureHeader{}, &SignatureError{Reason: fmt.Sprintf("%q is not key=value", item), Err: ErrMalformedHeader}
		}
		switch k {
		case "t":
			if seenT {
				return SignatureHeader{}, &SignatureError{Reason: "more than one timestamp", Err: ErrMalformedHeader}
			}
			secs, err := strconv.ParseInt(v, 10, 64)
			if err != nil || secs < 0 || v[0] == '+' {
				return SignatureHeader{}, &SignatureError{Reason: fmt.Sprintf("timestamp %q is not a Unix time", v), Err: ErrMalformedHeader}
			}
			out.Timestamp = time.Unix(secs, 0).UTC()
			seenT = true
		case "v1":
			sig, err := hex.DecodeString(v)
			if err == nil && len(sig) == sha256.Size {
				out.V1 = append(out.V1, sig)
			}
		}
	}
	if !seenT {
		return SignatureHeader{}, &SignatureError{Reason: "no timestamp (t=)", Err: ErrMalformedHeader}
	}
	if len(out.V1) == 0 {
		return SignatureHeader{}, &SignatureError{Reason: "no v1 signature", Timestamp: out.Timestamp, Err: ErrNoMatchingSignature}
	}
	return out, nil
}

// VerifySignature checks a Stripe-Signature header against the raw
// request body: some v1 signature must be the HMAC-SHA256, under one of
// secrets, of "<t>.<payload>", and t must lie within tolerance of now, in
// either direction (a timestamp from the future is as suspect as an old
// one). tolerance ≤ 0 means DefaultTolerance. Several secrets let an
// endpoint accept both while its secret is rolled.
//
// It returns nil or a *SignatureError matching ErrSignature. The payload
// must be the body exactly as received: re-encoded JSON never verifies.
func VerifySignature(payload []byte, header string, secrets []string, now time.Time, tolerance time.Duration) error {
	h, err := ParseSignatureHeader(header)
	if err != nil {
		return err
	}
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	if d := now.Sub(h.Timestamp); d > tolerance || d < -tolerance {
		return &SignatureError{
			Reason:    fmt.Sprintf("signed at %s, %s from now (%s), beyond the %s tolerance", h.Timestamp.Format(time.RFC3339), d.Round(time.Second), now.UTC().Format(time.RFC3339), tolerance),
			Timestamp: h.Timestamp,
			Err:       ErrOutsideTolerance,
		}
	}
	for _, secret := range secrets {
		want := computeSignature(h.Timestamp, payload, secret)
		for _, got := range h.V1 {
			if hmac.Equal(got, want) {
				return nil
			}
		}
	}
	return &SignatureError{Reason: fmt.Sprintf("none of %d v1 signatures matches our %d secret(s)", len(h.V1), len(secrets)), Timestamp: h.Timestamp, Err: ErrNoMatchingSignature}
}

// SignatureFor returns the Stripe-Signature header Stripe would send for
// payload signed with secret at t. Tests and the demo in main use it to
// sign the fixtures.
func SignatureFor(payload []byte, secret string, t time.Time) string {
	return fmt.Sprintf("t=%d,v1=%s", t.Unix(), hex.EncodeToString(computeSignature(t, payload, secret)))
}

func computeSignature(t time.Time, payload []byte, secret string) []byte {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(t.Unix(), 10)))
	mac.Write([]byte("."))
	mac.Write(payload)
	return mac.Sum(nil)
}
