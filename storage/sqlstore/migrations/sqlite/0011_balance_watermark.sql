-- 0011_balance_watermark: open balances read as sums, and payout runs
-- that settle by watermark (SQLite).
--
-- An entry's sequence number is its rowid in affiliate_entries: SQLite
-- gives a new row the largest rowid plus one, writers are serial, and no
-- entry is ever deleted, so rowids run 1, 2, 3 ... in the order entries
-- were appended (VACUUM, renumbering a gapless sequence in its order,
-- leaves it as it is). The watermark of a balance read is
--   SELECT COALESCE(MAX(rowid), 0) FROM affiliate_entries
-- one step down the table's b-tree.
--
-- Open rows carry the entry's time and number, so that the balance read
-- and the claim by watermark need no join to the ledger. The table is
-- rebuilt (as in 0010) to add them as NOT NULL columns without defaults.
CREATE TABLE affiliate_open_entries_0011 (
    entry        TEXT PRIMARY KEY,
    beneficiary  TEXT NOT NULL,
    available_ns INTEGER NOT NULL,
    currency     TEXT NOT NULL,
    amount_minor INTEGER NOT NULL,
    at_ns        INTEGER NOT NULL,
    seq          INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO affiliate_open_entries_0011 (entry, beneficiary, available_ns, currency, amount_minor, at_ns, seq)
SELECT o.entry, o.beneficiary, o.available_ns, o.currency, o.amount_minor, e.at_ns, e.rowid
FROM affiliate_open_entries o JOIN affiliate_entries e ON e.id = o.entry;
DROP TABLE affiliate_open_entries;
ALTER TABLE affiliate_open_entries_0011 RENAME TO affiliate_open_entries;
-- Serves one affiliate's reads, OpenBalances and the claim by watermark
-- (see the PostgreSQL migration), covering every column they read.
CREATE INDEX affiliate_open_entries_by_beneficiary ON affiliate_open_entries (beneficiary, currency, at_ns, available_ns, seq, amount_minor);
CREATE INDEX affiliate_open_entries_by_available ON affiliate_open_entries (available_ns, currency, amount_minor);

-- The watermark a run was planned from (PayoutRun.Through); 0 for a run
-- whose payouts all list their entries.
ALTER TABLE affiliate_payout_runs ADD COLUMN through_seq INTEGER NOT NULL DEFAULT 0;
