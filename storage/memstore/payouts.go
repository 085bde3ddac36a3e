package memstore

// payoutTables holds payouts and payout runs. (Owned by the payout work.)
type payoutTables struct{}

func (t *payoutTables) init() {}
