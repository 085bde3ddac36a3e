-- 0011_balance_watermark: open balances read as sums, and payout runs
-- that settle by watermark (PostgreSQL).
--
-- Every entry gets a store-wide sequence number when it is appended: an
-- identity column, so no statement that appends entries names it. The
-- existing entries are numbered by the ALTER itself. The watermark of a
-- balance read is the highest number it sees:
--   SELECT COALESCE(MAX(seq), 0) FROM affiliate_entries
-- which the unique index answers from its last page.
ALTER TABLE affiliate_entries ADD COLUMN seq BIGINT GENERATED ALWAYS AS IDENTITY;
CREATE UNIQUE INDEX affiliate_entries_by_seq ON affiliate_entries (seq);

-- Open rows carry the entry's time and number, so that the balance read
-- and the claim by watermark need no join to the ledger.
ALTER TABLE affiliate_open_entries ADD COLUMN at_ns BIGINT, ADD COLUMN seq BIGINT;
UPDATE affiliate_open_entries o SET at_ns = e.at_ns, seq = e.seq FROM affiliate_entries e WHERE e.id = o.entry;
ALTER TABLE affiliate_open_entries ALTER COLUMN at_ns SET NOT NULL, ALTER COLUMN seq SET NOT NULL;

-- Replaces (beneficiary, available_ns): the same leading column serves
-- one affiliate's reads, and the order serves OpenBalances and the claim:
--   SELECT beneficiary, currency, SUM(amount_minor), count(*) FROM affiliate_open_entries
--   WHERE at_ns < $1 AND available_ns <= $2 [AND beneficiary = $3] GROUP BY beneficiary, currency
--   ... JOIN affiliate_open_entries o ON o.beneficiary = p.beneficiary AND o.currency = p.currency
--   WHERE o.at_ns < $4 AND o.available_ns <= $5 AND o.seq <= $6
DROP INDEX affiliate_open_entries_by_beneficiary;
CREATE INDEX affiliate_open_entries_by_beneficiary ON affiliate_open_entries (beneficiary, currency, at_ns)
    INCLUDE (available_ns, seq, amount_minor);

-- The watermark a run was planned from (PayoutRun.Through); 0 for a run
-- whose payouts all list their entries.
ALTER TABLE affiliate_payout_runs ADD COLUMN through_seq BIGINT NOT NULL DEFAULT 0;

-- A run's claims no longer check their foreign keys: each guarded only
-- what the run itself has just written or read in its transaction (the
-- payout it inserted, an entry it found in the ledger or among the open
-- rows, which are never deleted from the ledger), and each cost a
-- FOR KEY SHARE lock on the payout's and the entry's rows per claim,
-- 20,000 for a run of 10,000 entries: two thirds of the claim's time.
ALTER TABLE affiliate_payout_entries DROP CONSTRAINT IF EXISTS affiliate_payout_entries_payout_fkey,
    DROP CONSTRAINT IF EXISTS affiliate_payout_entries_entry_fkey;
