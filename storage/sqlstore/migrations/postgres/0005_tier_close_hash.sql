-- 0005_tier_close_hash: tier closes leave the idempotency key space of the
-- engine's commits. A close is keyed by (program, period, revision) and
-- keeps its payload's hash itself; CommitTierClose compares it to tell a
-- rerun of a revision (a replay) from another run (a mismatch). Closes
-- written before keep their keys' hashes. The old keys stay in
-- affiliate_idempotency_keys: the true-up entries of earlier versions
-- are filed under them.
ALTER TABLE affiliate_tier_closes ADD COLUMN hash TEXT;
ALTER TABLE affiliate_tier_closes DISABLE TRIGGER affiliate_tier_closes_append_only;
UPDATE affiliate_tier_closes c SET hash = k.hash FROM affiliate_idempotency_keys k WHERE k.key = c.key;
ALTER TABLE affiliate_tier_closes ENABLE TRIGGER affiliate_tier_closes_append_only;
ALTER TABLE affiliate_tier_closes ALTER COLUMN hash SET NOT NULL;
ALTER TABLE affiliate_tier_closes DROP COLUMN key;
