-- 0010_open_entries_by_store: the store, not a trigger, keeps
-- affiliate_open_entries (SQLite): one multi-row insert per chunk of
-- entries right after their append, instead of a trigger program per row.
-- The table is rebuilt without its foreign key to affiliate_entries (the
-- store writes both in one transaction; the check cost a probe per row)
-- and WITHOUT ROWID (its key is the entry ID, so a row is one b-tree
-- insert, not a rowid row plus a key index); its rows are carried over.
-- affiliate_entries keeps its foreign key: rebuilding the ledger would
-- need foreign_keys off, which a migration inside a transaction cannot
-- switch.
DROP TRIGGER affiliate_entries_open;
CREATE TABLE affiliate_open_entries_0010 (
    entry        TEXT PRIMARY KEY,
    beneficiary  TEXT NOT NULL,
    available_ns INTEGER NOT NULL,
    currency     TEXT NOT NULL,
    amount_minor INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO affiliate_open_entries_0010 (entry, beneficiary, available_ns, currency, amount_minor)
SELECT entry, beneficiary, available_ns, currency, amount_minor FROM affiliate_open_entries;
DROP TABLE affiliate_open_entries;
ALTER TABLE affiliate_open_entries_0010 RENAME TO affiliate_open_entries;
CREATE INDEX affiliate_open_entries_by_beneficiary ON affiliate_open_entries (beneficiary, available_ns, currency, amount_minor);
CREATE INDEX affiliate_open_entries_by_available ON affiliate_open_entries (available_ns, currency, amount_minor);
