-- 0002_attribution: touches and leads, and the indexes behind
-- Reports.Activity (PostgreSQL).

-- Touches are facts: added, never changed. The primary key serves Touch(id)
-- and is the invariant "a touch ID is stored once".
CREATE TABLE affiliate_touches (
    id          TEXT COLLATE "C" PRIMARY KEY,
    visitor     TEXT COLLATE "C" NOT NULL,
    affiliate   TEXT COLLATE "C" NOT NULL,
    code        TEXT NOT NULL,
    source      TEXT NOT NULL,
    at_ns       BIGINT NOT NULL,
    landing_url TEXT NOT NULL,
    referrer    TEXT NOT NULL,
    ip          TEXT NOT NULL,
    user_agent  TEXT NOT NULL
);
-- VisitorTouches: ... WHERE visitor = $1 ORDER BY at_ns, id
CREATE INDEX affiliate_touches_by_visitor ON affiliate_touches (visitor, at_ns, id);
-- Reports.Activity clicks of one affiliate (an index-only count):
--   SELECT count(*) FROM affiliate_touches WHERE affiliate = $1 AND at_ns >= $2 AND at_ns < $3
CREATE INDEX affiliate_touches_by_affiliate ON affiliate_touches (affiliate, at_ns);
-- Reports.Activity clicks of the program: ... WHERE at_ns >= $1 AND at_ns < $2
CREATE INDEX affiliate_touches_by_time ON affiliate_touches (at_ns);
CREATE TRIGGER affiliate_touches_append_only BEFORE UPDATE OR DELETE ON affiliate_touches
    FOR EACH ROW EXECUTE FUNCTION affiliate_append_only();
CREATE TRIGGER affiliate_touches_no_truncate BEFORE TRUNCATE ON affiliate_touches
    FOR EACH STATEMENT EXECUTE FUNCTION affiliate_append_only();

-- Reports.Activity signups of one affiliate and of the program:
--   SELECT count(*) FROM affiliate_bindings WHERE affiliate = $1 AND bound_ns >= $2 AND bound_ns < $3
CREATE INDEX affiliate_bindings_by_affiliate ON affiliate_bindings (affiliate, bound_ns);
CREATE INDEX affiliate_bindings_by_time ON affiliate_bindings (bound_ns);

-- Leads. The primary key serves Lead(id) and is the invariant "a lead ID
-- is stored once"; UpdateLead swaps the status with
--   UPDATE ... WHERE id = $1 AND status = $from AND affiliate = $2 AND submitted_ns = $3
CREATE TABLE affiliate_leads (
    id           TEXT COLLATE "C" PRIMARY KEY,
    affiliate    TEXT COLLATE "C" NOT NULL,
    company      TEXT NOT NULL,
    email        TEXT NOT NULL,
    website      TEXT NOT NULL,
    linkedin     TEXT NOT NULL,
    freelancer   BOOLEAN NOT NULL,
    status       TEXT NOT NULL,
    reasons      TEXT NOT NULL, -- JSON array, or null
    submitted_ns BIGINT NOT NULL,
    decided_ns   BIGINT NOT NULL,
    customer     TEXT NOT NULL,
    converted_ns BIGINT NOT NULL
);

-- The keys each lead is filed under. The partial unique index is the
-- invariant "no two leads that are not refused hold one key": AddLead
-- inserts with ON CONFLICT (key) WHERE holds DO NOTHING, so of two
-- concurrent submissions of one company exactly one holds it; refusing a
-- lead sets holds = false and so releases its keys.
CREATE TABLE affiliate_lead_keys (
    key          TEXT COLLATE "C" NOT NULL,
    lead         TEXT COLLATE "C" NOT NULL REFERENCES affiliate_leads (id),
    submitted_ns BIGINT NOT NULL,
    holds        BOOLEAN NOT NULL,
    PRIMARY KEY (key, lead)
);
CREATE UNIQUE INDEX affiliate_lead_keys_held ON affiliate_lead_keys (key) WHERE holds;
-- LeadsByKey: ... WHERE k.key = $1 ORDER BY k.submitted_ns, k.lead
CREATE INDEX affiliate_lead_keys_by_key ON affiliate_lead_keys (key, submitted_ns, lead);
-- UpdateLead releasing a refused lead's keys: UPDATE ... WHERE lead = $1
CREATE INDEX affiliate_lead_keys_by_lead ON affiliate_lead_keys (lead);
