package sqlstore_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// BenchmarkReadBatch reads what a RecordBatch round of size events reads:
// customers with a state and a binding, and event IDs not logged yet.
// On PostgreSQL 700 keys are padded to 1,024.
func BenchmarkReadBatch(b *testing.B) {
	for _, d := range dialects() {
		b.Run(d.name, func(b *testing.B) {
			s, db := d.open(b)
			benchEngine(b, s, db) // binds every customer
			versions := make(map[affiliate.CustomerID]int64)
			commits := make([]storage.Commit, benchCustomers)
			for k := range commits {
				commits[k] = benchCommit(k, versions)
			}
			if _, err := s.CommitBatch(context.Background(), commits); err != nil {
				b.Fatal(err)
			}
			db.SetMaxOpenConns(1)
			for _, size := range []int{100, 700, 1000} {
				b.Run(fmt.Sprintf("size=%d", size), func(b *testing.B) {
					customers := make([]affiliate.CustomerID, size)
					events := make([]affiliate.EventID, size)
					k := benchCustomers
					b.ReportAllocs()
					for b.Loop() {
						for i := range size {
							customers[i] = benchCustomer(k)
							events[i] = benchEvent(k).ID
							k++
						}
						f, err := s.ReadBatch(context.Background(), storage.BatchQuery{Customers: customers, Events: events})
						if err != nil || len(f.States) != size || len(f.Bindings) != size || len(f.Events) != 0 {
							b.Fatalf("ReadBatch: %d states, %d bindings, %d events, %v; want %d, %d, 0", len(f.States), len(f.Bindings), len(f.Events), err, size, size)
						}
					}
				})
			}
		})
	}
}
