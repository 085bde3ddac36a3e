-- 0003_tiers: tier closes and their snapshots (SQLite). See
-- migrations/postgres/0003_tiers.sql for the query each index serves.

CREATE TABLE affiliate_tier_closes (
    program  TEXT NOT NULL,
    period   TEXT NOT NULL,
    revision INTEGER NOT NULL CHECK (revision > 0),
    as_of_ns INTEGER NOT NULL,
    key      TEXT NOT NULL REFERENCES affiliate_idempotency_keys (key),
    PRIMARY KEY (program, period, revision)
) STRICT;

CREATE TABLE affiliate_tier_snapshots (
    program      TEXT NOT NULL,
    period       TEXT NOT NULL,
    affiliate    TEXT NOT NULL,
    revision     INTEGER NOT NULL,
    metric       TEXT NOT NULL,
    amount_minor INTEGER NOT NULL,
    currency     TEXT NOT NULL,
    count        INTEGER NOT NULL,
    reached      TEXT NOT NULL,
    tier         TEXT NOT NULL,
    held_from    TEXT NOT NULL,
    applied      TEXT NOT NULL,
    PRIMARY KEY (program, period, affiliate, revision),
    FOREIGN KEY (program, period, revision) REFERENCES affiliate_tier_closes (program, period, revision)
) STRICT;

CREATE TRIGGER affiliate_tier_closes_no_update BEFORE UPDATE ON affiliate_tier_closes
BEGIN SELECT RAISE(ABORT, 'affiliate_tier_closes is append-only: UPDATE refused'); END;
CREATE TRIGGER affiliate_tier_closes_no_delete BEFORE DELETE ON affiliate_tier_closes
BEGIN SELECT RAISE(ABORT, 'affiliate_tier_closes is append-only: DELETE refused'); END;
CREATE TRIGGER affiliate_tier_snapshots_no_update BEFORE UPDATE ON affiliate_tier_snapshots
BEGIN SELECT RAISE(ABORT, 'affiliate_tier_snapshots is append-only: UPDATE refused'); END;
CREATE TRIGGER affiliate_tier_snapshots_no_delete BEFORE DELETE ON affiliate_tier_snapshots
BEGIN SELECT RAISE(ABORT, 'affiliate_tier_snapshots is append-only: DELETE refused'); END;
