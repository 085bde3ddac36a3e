package storagetest

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

// outboxModel runs random binds and commits (new, replayed, conflicting)
// and checks after each step that the outbox holds exactly the events of
// the writes that succeeded, each once, numbered 1, 2, 3… in order.
func outboxModel(t *testing.T, newStore Factory[OutboxStore]) {
	rapid.Check(t, func(rt *rapid.T) {
		s := newStore(t)
		var want []string // the model: event IDs in commit order
		versions := map[affiliate.CustomerID]int64{}
		commits := map[string]bool{}
		rt.Repeat(map[string]func(*rapid.T){
			"bind": func(rt *rapid.T) {
				c := affiliate.CustomerID(fmt.Sprintf("cus-%d", rapid.IntRange(0, 4).Draw(rt, "customer")))
				_, err := s.Bind(ctxT(), bnd(c, rapid.SampledFrom([]affiliate.AffiliateID{"ann", "bob"}).Draw(rt, "affiliate")))
				if err == nil {
					want = append(want, "bound:"+string(c))
				}
			},
			"commit": func(rt *rapid.T) {
				c := affiliate.CustomerID(fmt.Sprintf("cus-%d", rapid.IntRange(0, 2).Draw(rt, "customer")))
				v := versions[c] + rapid.Int64Range(0, 1).Draw(rt, "version") // 0: stale, a conflict
				key := fmt.Sprintf("%s@%d", c, v)
				n := rapid.IntRange(0, 2).Draw(rt, "entries")
				var es []affiliate.Entry
				for i := range n {
					es = append(es, entry(fmt.Sprintf("%s/%d", key, i), "ann", c, affiliate.EventID(key), eur(int64(100+i)), t0))
				}
				_, err := s.Commit(ctxT(), storage.Commit{Key: key, Hash: fmt.Sprint(n), Entries: es, State: storage.CustomerState{Customer: c, Version: v}})
				if err == nil && !commits[key] {
					commits[key] = true
					versions[c] = v
					for _, e := range es {
						want = append(want, "entry:"+string(e.ID))
					}
				}
			},
			"": func(rt *rapid.T) {
				var c storage.Cursor
				var got []string
				for {
					evs, next, err := s.Read(ctxT(), c, 3)
					if err != nil {
						rt.Fatalf("Read(%d): %v", c, err)
					}
					if len(evs) == 0 {
						break
					}
					for _, e := range evs {
						if e.Seq != int64(len(got)+1) {
							rt.Fatalf("event %s has Seq %d; want %d", e.ID, e.Seq, len(got)+1)
						}
						got = append(got, e.ID)
					}
					c = next
				}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					rt.Fatalf("outbox holds %v; want %v", got, want)
				}
			},
		})
	})
}
