package memstore

// tierTables holds tier snapshots. (Owned by the tiers work.)
type tierTables struct{}

func (t *tierTables) init() {}
