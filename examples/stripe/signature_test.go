package main

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestVerifySignature(t *testing.T) {
	payload := []byte(`{"id":"evt_1","object":"event","type":"invoice.paid","data":{"object":{}}}`)
	signedAt := time.Date(2026, time.January, 1, 10, 0, 0, 0, time.UTC)
	good := SignatureFor(payload, "whsec_a", signedAt)
	goodV1 := strings.TrimPrefix(good[strings.Index(good, ",")+1:], "v1=")
	other := SignatureFor(payload, "whsec_b", signedAt)
	otherV1 := strings.TrimPrefix(other[strings.Index(other, ",")+1:], "v1=")
	ts := fmt.Sprint(signedAt.Unix())

	for _, tc := range []struct {
		name    string
		payload []byte
		header  string
		secrets []string
		now     time.Time
		want    error // nil: verified
	}{
		{"valid", payload, good, []string{"whsec_a"}, signedAt, nil},
		{"valid at the edge of the tolerance", payload, good, []string{"whsec_a"}, signedAt.Add(DefaultTolerance), nil},
		{"several v1, one matches (Stripe rolling the secret)", payload, "t=" + ts + ",v1=" + otherV1 + ",v1=" + goodV1, []string{"whsec_a"}, signedAt, nil},
		{"two secrets of ours while rolling", payload, other, []string{"whsec_a", "whsec_b"}, signedAt, nil},
		{"v0 and unknown schemes ignored", payload, "t=" + ts + ",v0=abc,v9=zz,v1=" + goodV1, []string{"whsec_a"}, signedAt, nil},
		{"spaces around items", payload, "t=" + ts + ", v1=" + goodV1, []string{"whsec_a"}, signedAt, nil},
		{"a malformed v1 beside a good one", payload, "t=" + ts + ",v1=nothex,v1=" + goodV1, []string{"whsec_a"}, signedAt, nil},
		{"wrong secret", payload, good, []string{"whsec_b"}, signedAt, ErrNoMatchingSignature},
		{"tampered body", append([]byte(nil), append(payload, ' ')...), good, []string{"whsec_a"}, signedAt, ErrNoMatchingSignature},
		{"tampered timestamp", payload, "t=" + fmt.Sprint(signedAt.Unix()+1) + ",v1=" + goodV1, []string{"whsec_a"}, signedAt, ErrNoMatchingSignature},
		{"too old (a replayed request)", payload, good, []string{"whsec_a"}, signedAt.Add(DefaultTolerance + time.Second), ErrOutsideTolerance},
		{"from the future", payload, good, []string{"whsec_a"}, signedAt.Add(-DefaultTolerance - time.Second), ErrOutsideTolerance},
		{"no header", payload, "", []string{"whsec_a"}, signedAt, ErrNoSignatureHeader},
		{"no timestamp", payload, "v1=" + goodV1, []string{"whsec_a"}, signedAt, ErrMalformedHeader},
		{"two timestamps", payload, "t=1,t=2,v1=" + goodV1, []string{"whsec_a"}, signedAt, ErrMalformedHeader},
		{"timestamp not a number", payload, "t=yesterday,v1=" + goodV1, []string{"whsec_a"}, signedAt, ErrMalformedHeader},
		{"negative timestamp", payload, "t=-5,v1=" + goodV1, []string{"whsec_a"}, signedAt, ErrMalformedHeader},
		{"signed timestamp", payload, "t=+" + ts + ",v1=" + goodV1, []string{"whsec_a"}, signedAt, ErrMalformedHeader},
		{"item without =", payload, "t=" + ts + ",v1", []string{"whsec_a"}, signedAt, ErrMalformedHeader},
		{"no v1", payload, "t=" + ts + ",v0=" + goodV1, []string{"whsec_a"}, signedAt, ErrNoMatchingSignature},
		{"v1 of the wrong length", payload, "t=" + ts + ",v1=" + goodV1[:62], []string{"whsec_a"}, signedAt, ErrNoMatchingSignature},
		{"oversized header", payload, "t=" + ts + strings.Repeat(",v1="+goodV1, 100), []string{"whsec_a"}, signedAt, ErrMalformedHeader},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := VerifySignature(tc.payload, tc.header, tc.secrets, tc.now, 0)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("VerifySignature = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, tc.want) || !errors.Is(err, ErrSignature) {
				t.Fatalf("VerifySignature = %v, want %v (and ErrSignature)", err, tc.want)
			}
			var se *SignatureError
			if !errors.As(err, &se) || se.Reason == "" {
				t.Fatalf("VerifySignature = %#v, want a *SignatureError with a reason", err)
			}
		})
	}
}

func TestVerifySignatureTolerance(t *testing.T) {
	payload := []byte(`{}`)
	signedAt := time.Unix(1_767_261_600, 0)
	h := SignatureFor(payload, "s", signedAt)
	if err := VerifySignature(payload, h, []string{"s"}, signedAt.Add(time.Hour), 2*time.Hour); err != nil {
		t.Errorf("within a 2h tolerance: %v", err)
	}
	err := VerifySignature(payload, h, []string{"s"}, signedAt.Add(3*time.Hour), 2*time.Hour)
	var se *SignatureError
	if !errors.As(err, &se) || !se.Timestamp.Equal(signedAt) {
		t.Fatalf("3h late = %v, want a *SignatureError carrying the signed time", err)
	}
	if !strings.Contains(err.Error(), "signed at 2026-01-01T10:00:00Z, 3h0m0s from now") {
		t.Errorf("the error does not say when it was signed: %v", err)
	}
}

func TestParseSignatureHeader(t *testing.T) {
	h, err := ParseSignatureHeader("t=1767261600,v1=" + strings.Repeat("ab", 32) + ",v1=" + strings.Repeat("cd", 32) + ",v0=ff")
	if err != nil {
		t.Fatal(err)
	}
	if !h.Timestamp.Equal(time.Unix(1767261600, 0)) || len(h.V1) != 2 || h.V1[0][0] != 0xab || h.V1[1][0] != 0xcd {
		t.Errorf("parsed %+v", h)
	}
}
