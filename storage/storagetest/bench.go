package storagetest

import (
	"strconv"
	"testing"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
)

type benchSuite struct {
	name string
	run  func(b *testing.B, newStore func(*testing.B) Store)
}

// RunBenchmarks measures the hot calls of the store newStore returns:
// commits, bindings, tier closes and the reads behind payouts and
// reports.
func RunBenchmarks(b *testing.B, newStore func(*testing.B) Store) {
	for _, s := range benchSuites() {
		b.Run(s.name, func(b *testing.B) { s.run(b, newStore) })
	}
}

func benchSuites() []benchSuite {
	return []benchSuite{
		{"Ledger", benchLedger},
		{"Commit", benchEvents},
		{"Attribution", benchAttribution},
		{"Tiers", benchTiers},
	}
}

func benchLedger(b *testing.B, newStore func(*testing.B) Store) {
	b.Run("CommitEntries", func(b *testing.B) {
		l := newStore(b)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			key := "k" + strconv.Itoa(i)
			e := entry(key+"/0", affiliate.AffiliateID("aff-"+strconv.Itoa(i%1000)), affiliate.CustomerID("cus-"+strconv.Itoa(i%10000)), affiliate.EventID(key), eur(600), t0)
			if _, err := write(l, ledgerWrite{Key: key, Hash: "h", Entries: []affiliate.Entry{e}}); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("CommitReplay", func(b *testing.B) {
		l := newStore(b)
		batch := ledgerWrite{Key: "replayed", Hash: "h", Entries: []affiliate.Entry{entry("replayed/0", "aff", "cus", "ev", eur(600), t0)}}
		mustWrite(b, l, batch)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := write(l, batch); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("EntriesByBeneficiary", func(b *testing.B) {
		// 10,000 entries over 100 beneficiaries: a read returns 100.
		l := newStore(b)
		for i := range 100 {
			es := make([]affiliate.Entry, 100)
			for j := range es {
				id := strconv.Itoa(i*100 + j)
				es[j] = entry("e"+id, affiliate.AffiliateID("aff-"+strconv.Itoa(j)), "cus-"+affiliate.CustomerID(id), affiliate.EventID("ev"+id), eur(600), t0)
			}
			mustWrite(b, l, ledgerWrite{Key: "seed" + strconv.Itoa(i), Hash: "h", Entries: es})
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := l.Entries(ctxT(), storage.EntryQuery{Beneficiary: "aff-7"}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func benchEvents(b *testing.B, newStore func(*testing.B) Store) {
	s := newStore(b)
	b.ReportAllocs()
	versions := map[affiliate.CustomerID]int64{}
	i := 0
	for b.Loop() {
		c := affiliate.CustomerID("cus-" + strconv.Itoa(i%1000))
		versions[c]++
		id := affiliate.EventID("p" + strconv.Itoa(i))
		if _, err := s.Commit(ctxT(), paymentCommit("event:"+string(id), id, c, versions[c], entry(string(id)+"/0", "aff", c, id, eur(600), t0))); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
