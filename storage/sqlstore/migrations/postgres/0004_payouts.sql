-- 0004_payouts: payout runs, payouts, the claims that settle entries, and
-- the sums behind Reports.EarningsBalances (PostgreSQL).

-- One run per (program, period). CreatePayoutRun claims the key first
-- (INSERT ... ON CONFLICT DO NOTHING), so of concurrent calls with one key
-- exactly one writes and the others replay or mismatch. The primary key
-- serves PayoutRun and the period ranges of AffiliateRuns and PayoutTotals:
--   ... WHERE program = $1 AND period >= $2 AND period <= $3 ORDER BY period
CREATE TABLE affiliate_payout_runs (
    program  TEXT COLLATE "C" NOT NULL,
    period   TEXT COLLATE "C" NOT NULL,
    hash     TEXT NOT NULL,
    as_of_ns BIGINT NOT NULL,
    carried_nil BOOLEAN NOT NULL, -- Carried was nil, not empty
    PRIMARY KEY (program, period)
);

-- Payouts. Status moves once, from created, with
--   UPDATE ... WHERE id = $1 AND status = 'created'
-- so a payout is never paid twice. The primary key serves Payout(id).
CREATE TABLE affiliate_payouts (
    id           TEXT COLLATE "C" PRIMARY KEY,
    program      TEXT COLLATE "C" NOT NULL,
    run_period   TEXT COLLATE "C" NOT NULL,
    pos          INTEGER NOT NULL, -- position in the run
    affiliate    TEXT COLLATE "C" NOT NULL,
    period_year  INTEGER NOT NULL,
    period_month INTEGER NOT NULL,
    period_loc   TEXT NOT NULL, -- IANA name; '' for nil (UTC)
    amount_minor BIGINT NOT NULL,
    currency     TEXT COLLATE "C" NOT NULL,
    entries      TEXT NOT NULL, -- JSON array of entry IDs, in order
    status       TEXT NOT NULL CHECK (status IN ('created', 'paid', 'failed', 'cancelled')),
    created_ns   BIGINT NOT NULL,
    reference    TEXT NOT NULL,
    settled_ns   BIGINT NOT NULL,
    note         TEXT NOT NULL,
    UNIQUE (program, run_period, pos),
    FOREIGN KEY (program, run_period) REFERENCES affiliate_payout_runs (program, period)
);
-- AffiliateRuns, one affiliate's payouts over a period range:
--   ... WHERE program = $1 AND affiliate = $2 AND run_period >= $3 AND run_period <= $4
CREATE INDEX affiliate_payouts_by_affiliate ON affiliate_payouts (program, affiliate, run_period);
-- PayoutTotals over a period range; the UNIQUE (program, run_period, pos)
-- index above serves it:
--   SELECT run_period, currency, status, SUM(amount_minor), count(*) ... WHERE program = $1
--   AND run_period >= $2 AND run_period <= $3 GROUP BY run_period, currency, status

-- The claim of each entry by each payout. The partial unique index is the
-- invariant "each entry is in at most one payout that is created or paid":
-- a claim inserts with live = true, and a failed or cancelled payout sets
-- live = false, releasing its entries (which go back to
-- affiliate_open_entries).
CREATE TABLE affiliate_payout_entries (
    payout TEXT COLLATE "C" NOT NULL REFERENCES affiliate_payouts (id),
    entry  TEXT COLLATE "C" NOT NULL REFERENCES affiliate_entries (id),
    live   BOOLEAN NOT NULL,
    PRIMARY KEY (payout, entry)
);
-- Also serves the claim check of CreatePayoutRun:
--   ... LEFT JOIN affiliate_payout_entries pe ON pe.entry = e.id AND pe.live
CREATE UNIQUE INDEX affiliate_payout_entries_live ON affiliate_payout_entries (entry) WHERE live;

-- The balances a run carried. The primary key serves PayoutRun; the index
-- serves AffiliateRuns: ... WHERE program = $1 AND affiliate = $2 AND period >= $3 AND period <= $4
CREATE TABLE affiliate_payout_carried (
    program      TEXT COLLATE "C" NOT NULL,
    period       TEXT COLLATE "C" NOT NULL,
    pos          INTEGER NOT NULL,
    affiliate    TEXT COLLATE "C" NOT NULL,
    amount_minor BIGINT NOT NULL,
    currency     TEXT COLLATE "C" NOT NULL,
    reason       TEXT NOT NULL,
    note         TEXT NOT NULL,
    PRIMARY KEY (program, period, pos),
    FOREIGN KEY (program, period) REFERENCES affiliate_payout_runs (program, period)
);
CREATE INDEX affiliate_payout_carried_by_affiliate ON affiliate_payout_carried (program, affiliate, period);

-- Minor units in created (in_payout) and paid payouts, per affiliate and
-- currency, kept by CreatePayoutRun and SettlePayout; a row exists once
-- the affiliate had a payout in the currency. Serves EarningsBalances:
--   ... WHERE affiliate = $1 (the primary key), or every row for the program
CREATE TABLE affiliate_payout_sums (
    affiliate TEXT COLLATE "C" NOT NULL,
    currency  TEXT COLLATE "C" NOT NULL,
    in_payout BIGINT NOT NULL,
    paid      BIGINT NOT NULL,
    PRIMARY KEY (affiliate, currency)
);

CREATE TRIGGER affiliate_payout_runs_append_only BEFORE UPDATE OR DELETE ON affiliate_payout_runs
    FOR EACH ROW EXECUTE FUNCTION affiliate_append_only();
CREATE TRIGGER affiliate_payout_carried_append_only BEFORE UPDATE OR DELETE ON affiliate_payout_carried
    FOR EACH ROW EXECUTE FUNCTION affiliate_append_only();
