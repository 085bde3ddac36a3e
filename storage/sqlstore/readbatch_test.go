package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/sqlstore"
)

// trickyKeys are storable keys that JSON must escape or must not
// unescape; `\u0041` is absent while "A" is present.
var trickyKeys = []string{`q"uote`, `back\slash`, "new\nline", "\x01\x1f", "del\x7f", "é", "😀 emoji", "\u2028", `\"`, "A", "[1],", " "}

// keyPool is what a store's requests are made of: edge keys, present in
// the store and nowhere else in a request, and common keys, which repeat
// in big requests.
type keyPool struct {
	edgeCs, commonCs []affiliate.CustomerID
	edgeEs, commonEs []affiliate.EventID
}

// TestReadBatchKeys: ReadBatch returns what the one-by-one reads return,
// for a range of key counts (on PostgreSQL also one past the parameters a
// statement could take, read as one array), with keys present, absent,
// repeated, unstorable and of characters that JSON or an array literal
// escapes, on two stores with different data read at once (two goroutines
// a store, walking the counts both ways).
func TestReadBatchKeys(t *testing.T) {
	ctx := context.Background()
	for _, d := range dialects() {
		t.Run(d.name, func(t *testing.T) {
			const seeded = 40
			stores := make([]*sqlstore.Store, 2)
			dbs := make([]*sql.DB, 2)
			seededCs := make([][]affiliate.CustomerID, 2)
			seededEs := make([][]affiliate.EventID, 2)
			for i := range stores {
				stores[i], dbs[i] = d.open(t)
				for k := i * 1000; k < i*1000+seeded; k++ {
					seededCs[i] = append(seededCs[i], benchCustomer(k))
					seededEs[i] = append(seededEs[i], benchEvent(k).ID)
				}
				seedReadBatch(t, stores[i], i*1000, seeded)
			}
			bound := seedTricky(t, stores[0])
			var trickyCs []affiliate.CustomerID
			var trickyEs []affiliate.EventID
			for _, k := range trickyKeys {
				trickyCs = append(trickyCs, affiliate.CustomerID("c"+k))
				trickyEs = append(trickyEs, affiliate.EventID("ev"+k))
			}
			otherCs := []affiliate.CustomerID{`c\u0041`, "c-absent"}
			otherEs := []affiliate.EventID{`ev\u0041`, "ev-absent"}
			// Store 0's edge keys are the tricky ones, store 1's its own.
			pools := []keyPool{
				{trickyCs, slices.Concat(seededCs[0], seededCs[1], otherCs), trickyEs, slices.Concat(seededEs[0], seededEs[1], otherEs)},
				{seededCs[1], slices.Concat(seededCs[0], trickyCs, otherCs), seededEs[1], slices.Concat(seededEs[0], trickyEs, otherEs)},
			}
			wants := make([]storage.BatchFacts, 2)
			for i, s := range stores {
				wants[i] = readOneByOne(t, s, slices.Concat(pools[i].edgeCs, pools[i].commonCs, unstorableCs), slices.Concat(pools[i].edgeEs, pools[i].commonEs, unstorableEs))
			}
			if got, want := factCount(wants[0]), seeded*5/2+2*len(trickyKeys)+bound; got != want {
				t.Fatalf("fixture: store 0 has %d facts, want %d", got, want)
			}
			if got, want := factCount(wants[1]), seeded*5/2; got != want {
				t.Fatalf("fixture: store 1 has %d facts, want %d", got, want)
			}

			counts := []int{0, 1, 2, 3, 4, 100, 1000, 3001}
			orders := []bool{false, true}
			if d.name == "Postgres" {
				// Past the 32,000 parameters a statement of one
				// parameter a key could take.
				counts = append(counts, 40_000)
				// One connection, whose statements pgx caches by text;
				// the pooled schema gets its pool back.
				dbs[0].SetMaxOpenConns(1)
				t.Cleanup(func() { dbs[0].SetMaxOpenConns(0) })
			}
			var wg sync.WaitGroup
			for i, s := range stores {
				for _, reverse := range orders {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for j := range counts {
							if reverse {
								j = len(counts) - 1 - j
							}
							n := counts[j]
							cs, es := readBatchKeys(n, j, pools[i])
							got, err := s.ReadBatch(ctx, storage.BatchQuery{Customers: cs, Events: es})
							if err != nil {
								t.Errorf("store %d, %d keys: %v", i, n, err)
								return
							}
							if diff := cmp.Diff(filterFacts(wants[i], cs, es), got); diff != "" {
								t.Errorf("store %d, %d keys: ReadBatch (-one by one +batch):\n%s", i, n, diff)
								return
							}
						}
						if i == 0 && d.name == "Postgres" {
							checkPreparedTexts(t, dbs[0])
						}
					}()
				}
			}
			wg.Wait()
		})
	}
}

// checkPreparedTexts fails t unless the connection of db (PostgreSQL, one
// connection) holds exactly one statement reading customer states, the
// keys an array whatever their number.
func checkPreparedTexts(t *testing.T, db *sql.DB) {
	var n int
	err := db.QueryRow(`SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'SELECT customer, version, data, data IS NULL FROM affiliate_customer_states WHERE %'`).Scan(&n)
	if err != nil {
		t.Error(err)
	} else if n != 1 {
		t.Errorf("the connection holds %d statements of customer states, want 1", n)
	}
}

func newFacts() storage.BatchFacts {
	return storage.BatchFacts{States: map[affiliate.CustomerID]storage.CustomerState{}, Events: map[affiliate.EventID]affiliate.EventRecord{},
		Bindings: map[affiliate.CustomerID]affiliate.Binding{}, Affiliates: map[affiliate.AffiliateID]affiliate.Affiliate{}}
}

func factCount(f storage.BatchFacts) int { return len(f.States) + len(f.Events) + len(f.Bindings) }

// seedTricky commits an event of customer "c"+k with ID "ev"+k for each
// of trickyKeys, and binds the customers that Bind accepts (no control
// characters); it returns how many it bound.
func seedTricky(t *testing.T, s *sqlstore.Store) (bound int) {
	t.Helper()
	ctx := context.Background()
	versions := make(map[affiliate.CustomerID]int64)
	var commits []storage.Commit
	for i, k := range trickyKeys {
		c := benchCommit(500+i, versions)
		cust, id := affiliate.CustomerID("c"+k), affiliate.EventID("ev"+k)
		ev := *c.Event
		p := *ev.Payment
		p.ID, p.Customer = id, cust
		ev.ID, ev.Customer, ev.Payment = id, cust, &p
		c.Key, c.State.Customer, c.Event = "event:"+string(id), cust, &ev
		c.Entries[0].ID, c.Entries[0].Event, c.Entries[0].Payment, c.Entries[0].Customer = affiliate.EntryID(fmt.Sprintf("tricky-%d/1", i)), id, id, cust
		commits = append(commits, c)
	}
	if _, err := s.CommitBatch(ctx, commits); err != nil {
		t.Fatal(err)
	}
	for _, k := range trickyKeys {
		_, err := s.Bind(ctx, affiliate.Binding{Customer: affiliate.CustomerID("c" + k), Affiliate: benchAffiliateID(0), Source: affiliate.BindByCode, BoundAt: jan15})
		switch {
		case err == nil:
			bound++
		case !errors.Is(err, affiliate.ErrInvalid):
			t.Fatal(err)
		}
	}
	return bound
}

// seedReadBatch commits events first..first+n-1 (states with data, empty
// data and none) and binds every other customer.
func seedReadBatch(t *testing.T, s *sqlstore.Store, first, n int) {
	t.Helper()
	ctx := context.Background()
	// A chain of three: ReadBatch reads the bound affiliate and its
	// parent, not the grandparent.
	for _, a := range []affiliate.Affiliate{
		{ID: "aff-grandparent", Status: affiliate.StatusActive},
		{ID: "aff-parent", Parent: "aff-grandparent", Status: affiliate.StatusActive, Codes: []string{fmt.Sprint("PARENT", first)}},
		{ID: benchAffiliateID(0), Parent: "aff-parent", Status: affiliate.StatusActive},
	} {
		if err := s.PutAffiliate(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	versions := make(map[affiliate.CustomerID]int64)
	commits := make([]storage.Commit, n)
	for i := range commits {
		commits[i] = benchCommit(first+i, versions)
		switch i % 3 {
		case 1:
			commits[i].State.Data = []byte{}
		case 2:
			commits[i].State.Data = nil
		}
	}
	if _, err := s.CommitBatch(ctx, commits); err != nil {
		t.Fatal(err)
	}
	for k := first; k < first+n; k += 2 {
		if _, err := s.Bind(ctx, affiliate.Binding{Customer: benchCustomer(k), Affiliate: benchAffiliateID(0), Source: affiliate.BindByCode, BoundAt: jan15}); err != nil {
			t.Fatal(err)
		}
	}
}

// readOneByOne reads each key with CustomerState, Event and Binding, and
// each bound affiliate and its parent with Affiliate.
func readOneByOne(t *testing.T, s *sqlstore.Store, customers []affiliate.CustomerID, events []affiliate.EventID) storage.BatchFacts {
	t.Helper()
	ctx := context.Background()
	f := newFacts()
	for _, c := range customers {
		if st, err := s.CustomerState(ctx, c); err != nil {
			t.Fatal(err)
		} else if st.Version > 0 {
			f.States[c] = st
		}
		bd, err := s.Binding(ctx, c)
		if errors.Is(err, affiliate.ErrNotFound) {
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		f.Bindings[c] = bd
		for id, level := bd.Affiliate, 0; id != "" && level < 2; level++ {
			a, err := s.Affiliate(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			f.Affiliates[id] = a
			id = a.Parent
		}
	}
	for _, id := range events {
		if rec, err := s.Event(ctx, id); err == nil {
			f.Events[id] = rec
		} else if !errors.Is(err, affiliate.ErrNotFound) {
			t.Fatal(err)
		}
	}
	return f
}

// Unstorable keys, which ReadBatch drops before it chunks.
var (
	unstorableCs = []affiliate.CustomerID{"", "\xff"}
	unstorableEs = []affiliate.EventID{"", "\xff"}
)

// readBatchKeys returns n storable customers and n events for call j,
// then the unstorable keys: edge keys at both ends of the list, the first
// repeated third; common keys at every fifth other
// place; absent keys of this call elsewhere. Keys are taken from the pool
// rotated by j.
func readBatchKeys(n, j int, p keyPool) ([]affiliate.CustomerID, []affiliate.EventID) {
	cs := make([]affiliate.CustomerID, n)
	es := make([]affiliate.EventID, n)
	for i := range n {
		if i%5 == 0 {
			cs[i] = p.commonCs[(i/5+j)%len(p.commonCs)]
			es[i] = p.commonEs[(i/5+2*j)%len(p.commonEs)]
			continue
		}
		cs[i] = affiliate.CustomerID(fmt.Sprintf("c-none-%d-%d", j, i))
		es[i] = affiliate.EventID(fmt.Sprintf("ev-none-%d-%d", j, i))
	}
	edges := []int{0, 1, n - 2, n - 1}
	e := j
	for _, i := range edges {
		if i >= 0 && i < n {
			cs[i] = p.edgeCs[e%len(p.edgeCs)]
			es[i] = p.edgeEs[e%len(p.edgeEs)]
			e++
		}
	}
	if n > 3 {
		cs[2], es[2] = cs[0], es[0]
	}
	return append(cs, unstorableCs...), append(es, unstorableEs...)
}

// filterFacts is the part of all that the keys ask for.
func filterFacts(all storage.BatchFacts, customers []affiliate.CustomerID, events []affiliate.EventID) storage.BatchFacts {
	f := newFacts()
	for _, c := range customers {
		if st, ok := all.States[c]; ok {
			f.States[c] = st
		}
		if bd, ok := all.Bindings[c]; ok {
			f.Bindings[c] = bd
			a := all.Affiliates[bd.Affiliate]
			f.Affiliates[a.ID] = a
			if a.Parent != "" {
				f.Affiliates[a.Parent] = all.Affiliates[a.Parent]
			}
		}
	}
	for _, id := range events {
		if rec, ok := all.Events[id]; ok {
			f.Events[id] = rec
		}
	}
	return f
}

// TestReadBatchAffiliatesAlong: ReadBatch brings the bound affiliates and
// their parents but for those the query names as known (a known
// affiliate's parent is not asked for either), and a bound affiliate
// without a parent alone, on the batch read and, on PostgreSQL, on the
// one-customer read.
func TestReadBatchAffiliatesAlong(t *testing.T) {
	ctx := context.Background()
	for _, d := range dialects() {
		t.Run(d.name, func(t *testing.T) {
			s, _ := d.open(t)
			for _, a := range []affiliate.Affiliate{
				{ID: "pat", Status: affiliate.StatusActive},
				{ID: "ann", Parent: "pat", Status: affiliate.StatusActive},
				{ID: "bob", Status: affiliate.StatusActive, Codes: []string{"BOB"}},
			} {
				if err := s.PutAffiliate(ctx, a); err != nil {
					t.Fatal(err)
				}
			}
			for c, a := range map[affiliate.CustomerID]affiliate.AffiliateID{"c1": "ann", "c2": "bob", "c3": "never-stored"} {
				if _, err := s.Bind(ctx, affiliate.Binding{Customer: c, Affiliate: a, Source: affiliate.BindByCode, BoundAt: jan15}); err != nil {
					t.Fatal(err)
				}
			}
			all := []affiliate.CustomerID{"c1", "c2", "c3"}
			for _, tc := range []struct {
				customers []affiliate.CustomerID
				known     []affiliate.AffiliateID
				want      []affiliate.AffiliateID
			}{
				{all, nil, []affiliate.AffiliateID{"ann", "bob", "pat"}},
				{all, []affiliate.AffiliateID{"ann"}, []affiliate.AffiliateID{"bob"}},
				{all, []affiliate.AffiliateID{"pat", "bob"}, []affiliate.AffiliateID{"ann"}},
				{[]affiliate.CustomerID{"c2"}, nil, []affiliate.AffiliateID{"bob"}},
				{[]affiliate.CustomerID{"c1"}, nil, []affiliate.AffiliateID{"ann", "pat"}},
			} {
				f, err := s.ReadBatch(ctx, storage.BatchQuery{Customers: tc.customers, Events: []affiliate.EventID{"ev-1"}, KnownAffiliates: tc.known})
				if err != nil {
					t.Fatal(err)
				}
				got := slices.Sorted(maps.Keys(f.Affiliates))
				if !slices.Equal(got, tc.want) {
					t.Errorf("ReadBatch(%v, known %v) read along %v; want %v", tc.customers, tc.known, got, tc.want)
				}
				for id, a := range f.Affiliates {
					if alone, err := s.Affiliate(ctx, id); err != nil || !cmp.Equal(alone, a) {
						t.Errorf("ReadBatch(%v) read %q along as %+v; Affiliate reads %+v, %v", tc.customers, id, a, alone, err)
					}
				}
			}
		})
	}
}
