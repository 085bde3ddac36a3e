package sqlstore_test

import (
	"context"
	"testing"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage/storagetest"
)

// TestQueryExecModes runs, on PostgreSQL, the paths that bind Go slices
// as array parameters in the two query modes of pgx that do not ask the
// server for a parameter's type: exec and simple_protocol, which a host
// behind a transaction pooler such as PgBouncer sets in its DSN. In them
// pgx types a parameter from its Go value alone, so a value it cannot
// type (a []any, say) fails there and nowhere else; the rest of the tests
// run in pgx's default mode, which asks the server. The paths: a batch's
// unnest inserts and reads (every table, with odd values), the outbox's
// append (a Bind), and payout runs' claims and the balances' watermark.
func TestQueryExecModes(t *testing.T) {
	admin(t)
	t.Parallel() // mostly the server's work, as TestConformance's
	ctx := context.Background()
	for _, mode := range []string{"exec", "simple_protocol"} {
		t.Run(mode, func(t *testing.T) {
			open := func(t *testing.T) releasable {
				s, _, release := openPooledSchema(t, mode)
				return releasable{s, release}
			}
			t.Run("EveryValue", func(t *testing.T) { checkBatchKeepsEveryValue(t, open(t).Store) })
			t.Run("Batch", func(t *testing.T) {
				storagetest.RunBatch(t, func(t *testing.T) storagetest.BatchStore { return open(t) })
			})
			t.Run("Balances", func(t *testing.T) {
				storagetest.RunBalances(t, func(t *testing.T) storagetest.BalanceStore { return open(t) })
			})
			t.Run("OutboxAppend", func(t *testing.T) {
				s := open(t)
				if err := s.PutAffiliate(ctx, affiliate.Affiliate{ID: "a", Status: affiliate.StatusActive}); err != nil {
					t.Fatal(err)
				}
				if _, err := s.Bind(ctx, affiliate.Binding{Customer: "c", Affiliate: "a", Source: affiliate.BindByCode, BoundAt: jan15}); err != nil {
					t.Fatal(err)
				}
				events, _, err := s.Read(ctx, 0, 10)
				if err != nil {
					t.Fatal(err)
				}
				if len(events) == 0 {
					t.Fatal("Bind appended no outbox event")
				}
			})
		})
	}
}
