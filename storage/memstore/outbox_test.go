package memstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// TestEntryEventsAreCommitEvents pins that the entry events memstore
// derives again on Read (it keeps only the entry) are the events
// storage.CommitEvents makes of the commit, byte for byte.
func TestEntryEventsAreCommitEvents(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	c := batchCommit("k1", "h", "c1", 1, "p1", 2000, "e1", "e2", "e3")
	c.Entries[0].Tier = "premium"
	c.Entries[0].Rule = `a "quoted" <rule> & more`
	c.Entries[1].Kind = affiliate.KindReversal
	c.Entries[1].Amount = eur(-150)
	c.Entries[1].Corrects = "e0"
	c.Entries[1].At = time.Date(2026, 2, 1, 0, 30, 0, 123, berlin)
	c.Entries[2].Kind = affiliate.KindAdjustment
	c.Entries[2].Event, c.Entries[2].Payment = "", ""
	c.Entries[2].Customer = "ünïcode"
	s := memstore.New()
	if _, err := s.Bind(context.Background(), affiliate.Binding{Customer: "c1", Affiliate: "aff", Source: affiliate.BindByCode, BoundAt: t0, Code: "X"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Commit(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	got, _, err := s.Read(context.Background(), 1, storage.MaxOutboxRead)
	if err != nil {
		t.Fatal(err)
	}
	want := storage.CommitEvents(c)
	for i := range want {
		want[i].Seq = int64(i + 2)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("Read (-CommitEvents +got):\n%s", diff)
	}
}

// TestBoundEventsAreBindEvents pins that the customer.bound events
// memstore derives from its binding rows are storage.BindEvents of the
// bindings as bound, byte for byte, also after rebinds rewrote a row.
func TestBoundEventsAreBindEvents(t *testing.T) {
	ctx := context.Background()
	tokyo := time.FixedZone("Tokyo", 9*3600)
	b1 := affiliate.Binding{Customer: "c1", Affiliate: "aff", Source: affiliate.BindByCode, BoundAt: t0.In(tokyo), Code: "X", Lead: "l1"}
	b2 := affiliate.Binding{Customer: "c2", Affiliate: "aff", Source: affiliate.BindByCode, BoundAt: t0.Add(time.Second), Code: "Y"}
	s := memstore.New()
	var want []affiliate.OutboxEvent
	for _, b := range []affiliate.Binding{b1, b2} {
		if _, err := s.Bind(ctx, b); err != nil {
			t.Fatal(err)
		}
		want = append(want, storage.BindEvents(b)...)
	}
	from := b1.Affiliate
	for i, to := range []affiliate.AffiliateID{"other", "third"} {
		moved := affiliate.Binding{Customer: "c1", Affiliate: to, Source: affiliate.BindByCode, BoundAt: t0.Add(time.Duration(i+2) * time.Second), Code: "Z"}
		if _, err := s.Rebind(ctx, from, moved); err != nil {
			t.Fatal(err)
		}
		want = append(want, storage.RebindEvents(from, moved, i)...)
		from = to
	}
	for i := range want {
		want[i].Seq = int64(i + 1)
	}
	got, _, err := s.Read(ctx, 0, storage.MaxOutboxRead)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("Read (-BindEvents and RebindEvents +got):\n%s", diff)
	}
}
