package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// FuzzParseSignatureHeader: any header either parses into a timestamp and
// at least one 32-byte v1 signature, or is refused with a
// *SignatureError; never a panic.
func FuzzParseSignatureHeader(f *testing.F) {
	sig := hex.EncodeToString(make([]byte, 32))
	for _, s := range []string{
		"t=1767261600,v1=" + sig,
		"t=1767261600,v1=" + sig + ",v1=" + sig + ",v0=" + sig,
		"t=,v1=", "t=1,t=2", "v1=" + sig, "=,=,", "t=-1,v1=" + sig, "t=+1,v1=" + sig, "t=99999999999999999999,v1=" + sig,
		"t=1767261600, v1=" + sig, "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		h, err := ParseSignatureHeader(header)
		if err != nil {
			var se *SignatureError
			if !errors.As(err, &se) {
				t.Fatalf("error %T %v is not a *SignatureError", err, err)
			}
			return
		}
		if len(h.V1) == 0 || h.Timestamp.Unix() < 0 {
			t.Fatalf("parsed %q into %+v", header, h)
		}
		for _, v := range h.V1 {
			if len(v) != 32 {
				t.Fatalf("a v1 of %d bytes", len(v))
			}
		}
	})
}

// FuzzWebhook posts arbitrary bodies, correctly signed, to a handler over
// a real engine: the handler must answer with one of its documented
// statuses, never 500 (the store is healthy) and never panic, and every
// library event the mapping makes must be valid.
func FuzzWebhook(f *testing.F) {
	files, err := filepath.Glob("testdata/*.json")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"id":"evt_1","type":"invoice.paid","data":{"object":{"id":"in_1","customer":"cus_ann_1","currency":"mga","total":1,"lines":{"data":[{"amount":1}]}}}}`))
	f.Add([]byte(`{"id":"evt_2","type":"charge.refunded","data":{"object":{"id":"ch_1","invoice":"in_1","amount_refunded":-5,"currency":"usd"},"previous_attributes":{"amount_refunded":9}}}`))
	_, eng, err := program(context.Background())
	if err != nil {
		f.Fatal(err)
	}
	links := &MemoryLinks{}
	h, err := NewHandler(HandlerConfig{Secrets: []string{testSecret}, Links: links, Engine: eng, Now: func() time.Time { return clock }})
	if err != nil {
		f.Fatal(err)
	}
	allowed := []int{200, 400, 409, 413, 422, 503}
	f.Fuzz(func(t *testing.T, body []byte) {
		if ev, err := ParseEvent(body); err == nil {
			out, err := (&Mapper{Links: links}).Map(context.Background(), ev)
			if err == nil && out.Event != nil {
				if verr := out.Event.Validate(); verr != nil {
					t.Fatalf("Map made an invalid event: %v", verr)
				}
			}
		}
		req := httptest.NewRequest(http.MethodPost, "/webhooks/stripe", bytes.NewReader(body))
		req.Header.Set("Stripe-Signature", SignatureFor(body, testSecret, clock))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if !slices.Contains(allowed, rec.Code) {
			t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
		}
	})
}
