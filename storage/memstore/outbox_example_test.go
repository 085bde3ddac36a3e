package memstore_test

import (
	"context"
	"fmt"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// Every change appends its events to the outbox in the same write; a
// consumer reads after its cursor and acknowledges what it handled.
func ExampleStore_Read() {
	ctx := context.Background()
	s := memstore.New()
	at := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	_, _ = s.Bind(ctx, affiliate.Binding{Customer: "cus-1", Affiliate: "ann", Source: affiliate.BindByCode, Code: "ANN", BoundAt: at})
	_, _ = s.Bind(ctx, affiliate.Binding{Customer: "cus-1", Affiliate: "bob", Source: affiliate.BindByCode, Code: "BOB", BoundAt: at}) // refused: no event

	cur, _ := s.Cursor(ctx, "mail")
	evs, next, _ := s.Read(ctx, cur, 10)
	for _, e := range evs {
		fmt.Println(e.Seq, e.ID, e.Type, e.Affiliate, string(e.Payload))
	}
	_ = s.Ack(ctx, "mail", next)
	cur, _ = s.Cursor(ctx, "mail")
	fmt.Println("mail is at", cur)
	// Output:
	// 1 bound:cus-1 customer.bound ann {"v":1,"customer":"cus-1","source":"code","code":"ANN"}
	// mail is at 1
}
