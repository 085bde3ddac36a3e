-- 0010_open_entries_by_store: the store, not a trigger, keeps
-- affiliate_open_entries (PostgreSQL). An entry's open row is written by
-- the same statement that appends the entry (a data-modifying CTE), one
-- statement per chunk instead of a PL/pgSQL call per row. The foreign keys
-- on the hot path guarded only what the store writes in the same
-- transaction (the key it has just claimed, the entry it has just
-- appended), so they go: each cost an index probe per entry row. Existing
-- open rows stay as they are.
DROP TRIGGER affiliate_entries_open ON affiliate_entries;
DROP FUNCTION affiliate_open_entry();
ALTER TABLE affiliate_entries DROP CONSTRAINT IF EXISTS affiliate_entries_idem_key_fkey;
ALTER TABLE affiliate_open_entries DROP CONSTRAINT IF EXISTS affiliate_open_entries_entry_fkey;
