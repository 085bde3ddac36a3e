package webhook_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage/memstore"
	"github.com/openaffiliate/affiliate/webhook"
)

// A host sends its store's outbox to an endpoint; the receiver verifies
// each message with the same secret.
func ExampleSender() {
	secret, _ := webhook.ParseSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := (webhook.Verifier{Secrets: []webhook.Secret{secret}}).Verify(r.Header, body); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		fmt.Println(r.Header.Get(webhook.HeaderID), string(body))
	}))
	defer receiver.Close()

	store := memstore.New()
	at := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	_, _ = store.Bind(context.Background(), affiliate.Binding{Customer: "cus-1", Affiliate: "ann", Source: affiliate.BindByCode, Code: "ANN", BoundAt: at})

	sender, err := webhook.NewSender(webhook.Config{Outbox: store, Consumer: "hooks", URL: receiver.URL, Secrets: []webhook.Secret{secret}})
	if err != nil {
		panic(err)
	}
	n, err := sender.Send(context.Background())
	fmt.Println(n, err)
	// Output:
	// bound:cus-1 {"type":"customer.bound","timestamp":"2026-03-02T09:00:00Z","affiliate":"ann","data":{"v":1,"customer":"cus-1","source":"code","code":"ANN"}}
	// 1 <nil>
}

func ExampleSecret_Sign() {
	secret, _ := webhook.ParseSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	fmt.Println(secret.Sign("msg_p5jXN8AQM9LWM0D4loKWxJek", time.Unix(1614265330, 0), []byte(`{"test": 2432232314}`)))
	// Output: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=
}
