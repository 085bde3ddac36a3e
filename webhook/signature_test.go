package webhook_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/webhook"
)

// specVector is the signing test vector of the Standard Webhooks
// reference libraries: standard-webhooks/standard-webhooks,
// libraries/go/webhook_test.go (TestWebhookSign), commit 449485ca.
var specVector = struct {
	secret, id string
	at         time.Time
	body       string
	signature  string
}{
	secret:    "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
	id:        "msg_p5jXN8AQM9LWM0D4loKWxJek",
	at:        time.Unix(1614265330, 0),
	body:      `{"test": 2432232314}`,
	signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
}

// independentSign follows the specification's text, sharing no code with
// the package: the key is the base64 after "whsec_", the signed content
// is "id.timestamp.body", the signature "v1," and base64 of HMAC-SHA256.
func independentSign(secret, id string, unix int64, body string) string {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		panic(err)
	}
	m := hmac.New(sha256.New, key)
	fmt.Fprintf(m, "%s.%d.%s", id, unix, body)
	return "v1," + base64.StdEncoding.EncodeToString(m.Sum(nil))
}

func TestSignMatchesSpecVector(t *testing.T) {
	v := specVector
	if got := independentSign(v.secret, v.id, v.at.Unix(), v.body); got != v.signature {
		t.Fatalf("the independent implementation signs %s; the spec's vector is %s", got, v.signature)
	}
	s, err := webhook.ParseSecret(v.secret)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Sign(v.id, v.at, []byte(v.body)); got != v.signature {
		t.Errorf("Sign = %s; want the spec's %s", got, v.signature)
	}
	if s.String() != v.secret {
		t.Errorf("String = %s; want %s", s, v.secret)
	}
	h := http.Header{}
	h.Set(webhook.HeaderID, v.id)
	h.Set(webhook.HeaderTimestamp, "1614265330")
	h.Set(webhook.HeaderSignature, v.signature)
	ver := webhook.Verifier{Secrets: []webhook.Secret{s}, Now: func() time.Time { return v.at.Add(time.Minute) }}
	if err := ver.Verify(h, []byte(v.body)); err != nil {
		t.Errorf("Verify of the spec's vector: %v", err)
	}
}

func TestSignAgreesWithIndependent(t *testing.T) {
	for i := range 50 {
		key := make([]byte, 24+i%40)
		for j := range key {
			key[j] = byte(i*31 + j*7)
		}
		secret := webhook.Secret(key)
		id, at, body := fmt.Sprintf("evt-%d", i), time.Unix(1700000000+int64(i)*977, 0), fmt.Sprintf(`{"v":1,"n":%d,"s":"é\n"}`, i)
		if got, want := secret.Sign(id, at, []byte(body)), independentSign(secret.String(), id, at.Unix(), body); got != want {
			t.Fatalf("case %d: Sign = %s; the independent implementation %s", i, got, want)
		}
	}
}

func TestParseSecret(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", true},
		{"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", true}, // the prefix is optional
		{"whsec_not base64!", false},
		{"whsec_c2hvcnQ=", false}, // "short": below 24 bytes
		{"", false},
	} {
		_, err := webhook.ParseSecret(tc.in)
		if tc.ok != (err == nil) {
			t.Errorf("ParseSecret(%q) = %v; want ok=%v", tc.in, err, tc.ok)
		}
		if err != nil && (!errors.Is(err, webhook.ErrBadSecret) || !errors.Is(err, affiliate.ErrInvalid)) {
			t.Errorf("ParseSecret(%q) = %v; want ErrBadSecret matching ErrInvalid", tc.in, err)
		}
	}
}

func TestVerify(t *testing.T) {
	oldKey, _ := webhook.ParseSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	newKey := webhook.Secret([]byte("a-new-secret-of-32-bytes-exactly"))
	other := webhook.Secret([]byte("a-secret-nobody-configured-here!"))
	now := time.Unix(1750000000, 0)
	body := []byte(`{"type":"entry.earned"}`)
	signed := func(secrets ...webhook.Secret) http.Header {
		h := http.Header{}
		webhook.SignHeaders(h, secrets, "evt-1", now, body)
		return h
	}
	for _, tc := range []struct {
		name    string
		h       http.Header
		body    []byte
		secrets []webhook.Secret
		clock   time.Time
		want    error
	}{
		{"valid", signed(oldKey), body, []webhook.Secret{oldKey}, now, nil},
		{"rotation: signed with both, receiver knows the new", signed(newKey, oldKey), body, []webhook.Secret{newKey}, now, nil},
		{"rotation: signed with the new, receiver knows both", signed(newKey), body, []webhook.Secret{oldKey, newKey}, now, nil},
		{"unknown secret", signed(other), body, []webhook.Secret{oldKey}, now, webhook.ErrNoValidMatch},
		{"body changed", signed(oldKey), []byte(`{"type":"entry.reversed"}`), []webhook.Secret{oldKey}, now, webhook.ErrNoValidMatch},
		{"too old", signed(oldKey), body, []webhook.Secret{oldKey}, now.Add(webhook.DefaultTolerance + time.Second), webhook.ErrTimestamp},
		{"too new", signed(oldKey), body, []webhook.Secret{oldKey}, now.Add(-webhook.DefaultTolerance - time.Second), webhook.ErrTimestamp},
		{"no id", without(signed(oldKey), webhook.HeaderID), body, []webhook.Secret{oldKey}, now, webhook.ErrMissing},
		{"no timestamp", without(signed(oldKey), webhook.HeaderTimestamp), body, []webhook.Secret{oldKey}, now, webhook.ErrMissing},
		{"no signature", without(signed(oldKey), webhook.HeaderSignature), body, []webhook.Secret{oldKey}, now, webhook.ErrMissing},
		{"timestamp not a number", with(signed(oldKey), webhook.HeaderTimestamp, "soon"), body, []webhook.Secret{oldKey}, now, webhook.ErrMissing},
		{"v2 signature of the same bytes", with(signed(oldKey), webhook.HeaderSignature, "v2,"+strings.TrimPrefix(signed(oldKey).Get(webhook.HeaderSignature), "v1,")), body, []webhook.Secret{oldKey}, now, webhook.ErrNoValidMatch},
	} {
		v := webhook.Verifier{Secrets: tc.secrets, Now: func() time.Time { return tc.clock }}
		err := v.Verify(tc.h, tc.body)
		if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
			t.Errorf("%s: Verify = %v; want %v", tc.name, err, tc.want)
		}
		if err != nil && !errors.Is(err, affiliate.ErrInvalid) {
			t.Errorf("%s: %v does not match ErrInvalid", tc.name, err)
		}
	}
}

func without(h http.Header, key string) http.Header { h.Del(key); return h }

func with(h http.Header, key, v string) http.Header { h.Set(key, v); return h }
