package memstore_test

import (
	"context"
	"fmt"
	"time"

	"github.com/openaffiliate/affiliate"
	"github.com/openaffiliate/affiliate/storage"
	"github.com/openaffiliate/affiliate/storage/memstore"
)

// A payout run reads one sum per affiliate and currency and settles by
// the read's watermark: the entry appended after the read waits for the
// next run, and the store lists the entries the payout claimed.
func ExampleStore_OpenBalances() {
	ctx := context.Background()
	store := memstore.New()
	jan := affiliate.Period{Year: 2026, Month: time.January, Location: time.UTC}
	earn := func(id affiliate.EntryID, day int, amount string) {
		at := time.Date(2026, time.January, day, 12, 0, 0, 0, time.UTC)
		_, err := store.Commit(ctx, storage.Commit{Key: "k-" + string(id), Hash: "h",
			State: storage.CustomerState{Customer: affiliate.CustomerID("c-" + id), Version: 1},
			Entries: []affiliate.Entry{{ID: id, Beneficiary: "ann", Kind: affiliate.KindCommission,
				Amount: affiliate.MustParseMoney(amount, "EUR"), At: at, AvailableAt: at}}})
		if err != nil {
			fmt.Println(err)
		}
	}
	earn("e1", 3, "40.00")
	earn("e2", 9, "-5.00")

	read, _ := store.OpenBalances(ctx, storage.BalanceQuery{To: jan.End(), AvailableBy: jan.End()})
	fmt.Println(read.Through, read.Balances)
	earn("e3", 10, "3.00") // after the read: above its watermark

	b := read.Balances[0]
	res, err := store.CreatePayoutRun(ctx, affiliate.PayoutRun{Program: "p", Period: jan, Hash: "h", AsOf: jan.End(), Through: read.Through,
		Payouts: []affiliate.Payout{{ID: "po-1", Affiliate: b.Affiliate, Period: jan, Amount: b.Amount, Status: affiliate.PayoutCreated, CreatedAt: jan.End()}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Run.Payouts[0].Amount, res.Run.Payouts[0].Entries)
	after, _ := store.OpenBalances(ctx, storage.BalanceQuery{To: jan.End(), AvailableBy: jan.End()})
	fmt.Println(after.Balances)
	// Output:
	// 2 [{ann 35.00 EUR 2}]
	// 35.00 EUR [e1 e2]
	// [{ann 3.00 EUR 1}]
}
