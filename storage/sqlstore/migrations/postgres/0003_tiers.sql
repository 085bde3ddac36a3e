-- 0003_tiers: tier closes and their snapshots (PostgreSQL). Both are
-- append-only: a rerun adds a revision and new snapshots.

-- The primary key is the invariant "one run per revision": CommitTierClose
-- inserts revision n+1 with ON CONFLICT DO NOTHING, so of two concurrent
-- runs that read revision n at most one writes. It serves TierClose:
--   ... WHERE program = $1 AND period = $2 ORDER BY revision DESC LIMIT 1
CREATE TABLE affiliate_tier_closes (
    program  TEXT COLLATE "C" NOT NULL,
    period   TEXT COLLATE "C" NOT NULL,
    revision BIGINT NOT NULL CHECK (revision > 0),
    as_of_ns BIGINT NOT NULL,
    key      TEXT COLLATE "C" NOT NULL REFERENCES affiliate_idempotency_keys (key),
    PRIMARY KEY (program, period, revision)
);

-- The primary key serves TierSnapshots: the latest snapshot of each
-- affiliate as of a revision is one backward index probe,
--   ... WHERE program = $1 AND period = $2 [AND affiliate = $3] AND revision =
--       (SELECT MAX(revision) ... WHERE ... affiliate = s.affiliate AND revision <= $4)
--   ORDER BY affiliate
CREATE TABLE affiliate_tier_snapshots (
    program      TEXT COLLATE "C" NOT NULL,
    period       TEXT COLLATE "C" NOT NULL,
    affiliate    TEXT COLLATE "C" NOT NULL,
    revision     BIGINT NOT NULL,
    metric       TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    currency     TEXT NOT NULL, -- '' for a count metric
    count        BIGINT NOT NULL,
    reached      TEXT NOT NULL,
    tier         TEXT NOT NULL,
    held_from    TEXT NOT NULL,
    applied      TEXT NOT NULL,
    PRIMARY KEY (program, period, affiliate, revision),
    FOREIGN KEY (program, period, revision) REFERENCES affiliate_tier_closes (program, period, revision)
);

CREATE TRIGGER affiliate_tier_closes_append_only BEFORE UPDATE OR DELETE ON affiliate_tier_closes
    FOR EACH ROW EXECUTE FUNCTION affiliate_append_only();
CREATE TRIGGER affiliate_tier_snapshots_append_only BEFORE UPDATE OR DELETE ON affiliate_tier_snapshots
    FOR EACH ROW EXECUTE FUNCTION affiliate_append_only();
