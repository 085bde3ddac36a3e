-- 0004_payouts: payout runs, payouts, the claims that settle entries, and
-- the sums behind Reports.EarningsBalances (SQLite). See
-- migrations/postgres/0004_payouts.sql for the query each index serves.

CREATE TABLE affiliate_payout_runs (
    program  TEXT NOT NULL,
    period   TEXT NOT NULL,
    hash     TEXT NOT NULL,
    as_of_ns INTEGER NOT NULL,
    carried_nil INTEGER NOT NULL CHECK (carried_nil IN (0, 1)), -- Carried was nil, not empty
    PRIMARY KEY (program, period)
) STRICT;

CREATE TABLE affiliate_payouts (
    id           TEXT PRIMARY KEY,
    program      TEXT NOT NULL,
    run_period   TEXT NOT NULL,
    pos          INTEGER NOT NULL,
    affiliate    TEXT NOT NULL,
    period_year  INTEGER NOT NULL,
    period_month INTEGER NOT NULL,
    period_loc   TEXT NOT NULL,
    amount_minor INTEGER NOT NULL,
    currency     TEXT NOT NULL,
    entries      TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('created', 'paid', 'failed', 'cancelled')),
    created_ns   INTEGER NOT NULL,
    reference    TEXT NOT NULL,
    settled_ns   INTEGER NOT NULL,
    note         TEXT NOT NULL,
    UNIQUE (program, run_period, pos),
    FOREIGN KEY (program, run_period) REFERENCES affiliate_payout_runs (program, period)
) STRICT;
CREATE INDEX affiliate_payouts_by_affiliate ON affiliate_payouts (program, affiliate, run_period);

CREATE TABLE affiliate_payout_entries (
    payout TEXT NOT NULL REFERENCES affiliate_payouts (id),
    entry  TEXT NOT NULL REFERENCES affiliate_entries (id),
    live   INTEGER NOT NULL CHECK (live IN (0, 1)),
    PRIMARY KEY (payout, entry)
) STRICT;
CREATE UNIQUE INDEX affiliate_payout_entries_live ON affiliate_payout_entries (entry) WHERE live;

CREATE TABLE affiliate_payout_carried (
    program      TEXT NOT NULL,
    period       TEXT NOT NULL,
    pos          INTEGER NOT NULL,
    affiliate    TEXT NOT NULL,
    amount_minor INTEGER NOT NULL,
    currency     TEXT NOT NULL,
    reason       TEXT NOT NULL,
    note         TEXT NOT NULL,
    PRIMARY KEY (program, period, pos),
    FOREIGN KEY (program, period) REFERENCES affiliate_payout_runs (program, period)
) STRICT;
CREATE INDEX affiliate_payout_carried_by_affiliate ON affiliate_payout_carried (program, affiliate, period);

CREATE TABLE affiliate_payout_sums (
    affiliate TEXT NOT NULL,
    currency  TEXT NOT NULL,
    in_payout INTEGER NOT NULL,
    paid      INTEGER NOT NULL,
    PRIMARY KEY (affiliate, currency)
) STRICT;

CREATE TRIGGER affiliate_payout_runs_no_update BEFORE UPDATE ON affiliate_payout_runs
BEGIN SELECT RAISE(ABORT, 'affiliate_payout_runs is append-only: UPDATE refused'); END;
CREATE TRIGGER affiliate_payout_runs_no_delete BEFORE DELETE ON affiliate_payout_runs
BEGIN SELECT RAISE(ABORT, 'affiliate_payout_runs is append-only: DELETE refused'); END;
CREATE TRIGGER affiliate_payout_carried_no_update BEFORE UPDATE ON affiliate_payout_carried
BEGIN SELECT RAISE(ABORT, 'affiliate_payout_carried is append-only: UPDATE refused'); END;
CREATE TRIGGER affiliate_payout_carried_no_delete BEFORE DELETE ON affiliate_payout_carried
BEGIN SELECT RAISE(ABORT, 'affiliate_payout_carried is append-only: DELETE refused'); END;
