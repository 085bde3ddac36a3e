-- 0005_tier_close_hash: tier closes leave the idempotency key space of the
-- engine's commits (SQLite). See migrations/postgres/0005_tier_close_hash.sql.
-- SQLite cannot drop a column that holds a foreign key, so the table is
-- rebuilt under its own name: the snapshots' foreign key, deferred for the
-- transaction, finds each parent row again as it is inserted.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE affiliate_tier_closes_0005 (
    program  TEXT NOT NULL,
    period   TEXT NOT NULL,
    revision INTEGER NOT NULL,
    as_of_ns INTEGER NOT NULL,
    hash     TEXT NOT NULL
) STRICT;
INSERT INTO affiliate_tier_closes_0005 (program, period, revision, as_of_ns, hash)
SELECT c.program, c.period, c.revision, c.as_of_ns, k.hash
FROM affiliate_tier_closes c JOIN affiliate_idempotency_keys k ON k.key = c.key;
DROP TABLE affiliate_tier_closes;

CREATE TABLE affiliate_tier_closes (
    program  TEXT NOT NULL,
    period   TEXT NOT NULL,
    revision INTEGER NOT NULL CHECK (revision > 0),
    as_of_ns INTEGER NOT NULL,
    hash     TEXT NOT NULL,
    PRIMARY KEY (program, period, revision)
) STRICT;
INSERT INTO affiliate_tier_closes (program, period, revision, as_of_ns, hash)
SELECT program, period, revision, as_of_ns, hash FROM affiliate_tier_closes_0005;
DROP TABLE affiliate_tier_closes_0005;

CREATE TRIGGER affiliate_tier_closes_no_update BEFORE UPDATE ON affiliate_tier_closes
BEGIN SELECT RAISE(ABORT, 'affiliate_tier_closes is append-only: UPDATE refused'); END;
CREATE TRIGGER affiliate_tier_closes_no_delete BEFORE DELETE ON affiliate_tier_closes
BEGIN SELECT RAISE(ABORT, 'affiliate_tier_closes is append-only: DELETE refused'); END;
