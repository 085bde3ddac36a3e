-- 0002_attribution: touches and leads, and the indexes behind
-- Reports.Activity (SQLite). See migrations/postgres/0002_attribution.sql
-- for the query each index serves.

CREATE TABLE affiliate_touches (
    id          TEXT PRIMARY KEY,
    visitor     TEXT NOT NULL,
    affiliate   TEXT NOT NULL,
    code        TEXT NOT NULL,
    source      TEXT NOT NULL,
    at_ns       INTEGER NOT NULL,
    landing_url TEXT NOT NULL,
    referrer    TEXT NOT NULL,
    ip          TEXT NOT NULL,
    user_agent  TEXT NOT NULL
) STRICT;
CREATE INDEX affiliate_touches_by_visitor ON affiliate_touches (visitor, at_ns, id);
CREATE INDEX affiliate_touches_by_affiliate ON affiliate_touches (affiliate, at_ns);
CREATE INDEX affiliate_touches_by_time ON affiliate_touches (at_ns);
CREATE TRIGGER affiliate_touches_no_update BEFORE UPDATE ON affiliate_touches
BEGIN SELECT RAISE(ABORT, 'affiliate_touches is append-only: UPDATE refused'); END;
CREATE TRIGGER affiliate_touches_no_delete BEFORE DELETE ON affiliate_touches
BEGIN SELECT RAISE(ABORT, 'affiliate_touches is append-only: DELETE refused'); END;

CREATE INDEX affiliate_bindings_by_affiliate ON affiliate_bindings (affiliate, bound_ns);
CREATE INDEX affiliate_bindings_by_time ON affiliate_bindings (bound_ns);

CREATE TABLE affiliate_leads (
    id           TEXT PRIMARY KEY,
    affiliate    TEXT NOT NULL,
    company      TEXT NOT NULL,
    email        TEXT NOT NULL,
    website      TEXT NOT NULL,
    linkedin     TEXT NOT NULL,
    freelancer   INTEGER NOT NULL CHECK (freelancer IN (0, 1)),
    status       TEXT NOT NULL,
    reasons      TEXT NOT NULL,
    submitted_ns INTEGER NOT NULL,
    decided_ns   INTEGER NOT NULL,
    customer     TEXT NOT NULL,
    converted_ns INTEGER NOT NULL
) STRICT;

CREATE TABLE affiliate_lead_keys (
    key          TEXT NOT NULL,
    lead         TEXT NOT NULL REFERENCES affiliate_leads (id),
    submitted_ns INTEGER NOT NULL,
    holds        INTEGER NOT NULL CHECK (holds IN (0, 1)),
    PRIMARY KEY (key, lead)
) STRICT;
CREATE UNIQUE INDEX affiliate_lead_keys_held ON affiliate_lead_keys (key) WHERE holds;
CREATE INDEX affiliate_lead_keys_by_key ON affiliate_lead_keys (key, submitted_ns, lead);
CREATE INDEX affiliate_lead_keys_by_lead ON affiliate_lead_keys (lead);
