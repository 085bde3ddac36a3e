-- 0001_core: affiliates, the ledger, the event log, customer states,
-- aggregates and bindings (SQLite).
--
-- The same schema as migrations/postgres/0001_core.sql; the comments there
-- name the query each index serves. Differences: tables are STRICT, so an
-- INTEGER column refuses a REAL value (SQLite turns an overflowing integer
-- sum into a float; STRICT makes that an error instead of a rounded
-- amount); TEXT compares bytewise (BINARY) by default; booleans are
-- INTEGER 0 or 1; BYTEA is BLOB; triggers RAISE(ABORT).

CREATE TABLE affiliate_affiliates (
    id                    TEXT PRIMARY KEY,
    parent                TEXT REFERENCES affiliate_affiliates (id),
    status                TEXT NOT NULL,
    name                  TEXT NOT NULL,
    email                 TEXT NOT NULL,
    codes                 TEXT NOT NULL,
    payout_method_on_file INTEGER NOT NULL CHECK (payout_method_on_file IN (0, 1)),
    created_ns            INTEGER NOT NULL
) STRICT;
CREATE INDEX affiliate_affiliates_by_parent ON affiliate_affiliates (parent) WHERE parent IS NOT NULL;

CREATE TABLE affiliate_codes (
    code      TEXT PRIMARY KEY,
    affiliate TEXT NOT NULL REFERENCES affiliate_affiliates (id)
) STRICT;
CREATE INDEX affiliate_codes_by_affiliate ON affiliate_codes (affiliate);

CREATE TABLE affiliate_idempotency_keys (
    key  TEXT PRIMARY KEY,
    hash TEXT NOT NULL
) STRICT;

CREATE TABLE affiliate_entries (
    id            TEXT PRIMARY KEY,
    idem_key      TEXT NOT NULL REFERENCES affiliate_idempotency_keys (key),
    key_pos       INTEGER NOT NULL,
    beneficiary   TEXT NOT NULL,
    event         TEXT NOT NULL,
    payment       TEXT NOT NULL,
    customer      TEXT NOT NULL,
    kind          TEXT NOT NULL,
    base_minor    INTEGER NOT NULL,
    base_currency TEXT NOT NULL,
    base_lines    TEXT NOT NULL,
    rate          TEXT NOT NULL,
    amount_minor  INTEGER NOT NULL,
    currency      TEXT NOT NULL,
    rule          TEXT NOT NULL,
    terms         TEXT NOT NULL,
    tier          TEXT NOT NULL,
    chain         TEXT NOT NULL,
    at_ns         INTEGER NOT NULL,
    available_ns  INTEGER NOT NULL,
    corrects      TEXT NOT NULL,
    explanation   TEXT NOT NULL,
    UNIQUE (idem_key, key_pos)
) STRICT;
CREATE INDEX affiliate_entries_by_beneficiary ON affiliate_entries (beneficiary, at_ns, id);
CREATE INDEX affiliate_entries_by_customer ON affiliate_entries (customer, at_ns, id);
CREATE INDEX affiliate_entries_by_event ON affiliate_entries (event, at_ns, id);
CREATE INDEX affiliate_entries_by_payment ON affiliate_entries (payment, at_ns, id);
CREATE INDEX affiliate_entries_by_at ON affiliate_entries (at_ns, id, currency, amount_minor);

CREATE TABLE affiliate_open_entries (
    entry        TEXT PRIMARY KEY REFERENCES affiliate_entries (id),
    beneficiary  TEXT NOT NULL,
    available_ns INTEGER NOT NULL,
    currency     TEXT NOT NULL,
    amount_minor INTEGER NOT NULL
) STRICT;
CREATE INDEX affiliate_open_entries_by_beneficiary ON affiliate_open_entries (beneficiary, available_ns, currency, amount_minor);
CREATE INDEX affiliate_open_entries_by_available ON affiliate_open_entries (available_ns, currency, amount_minor);

CREATE TRIGGER affiliate_entries_open AFTER INSERT ON affiliate_entries
BEGIN
    INSERT INTO affiliate_open_entries (entry, beneficiary, available_ns, currency, amount_minor)
    VALUES (NEW.id, NEW.beneficiary, NEW.available_ns, NEW.currency, NEW.amount_minor);
END;

CREATE TRIGGER affiliate_entries_no_update BEFORE UPDATE ON affiliate_entries
BEGIN SELECT RAISE(ABORT, 'affiliate_entries is append-only: UPDATE refused'); END;
CREATE TRIGGER affiliate_entries_no_delete BEFORE DELETE ON affiliate_entries
BEGIN SELECT RAISE(ABORT, 'affiliate_entries is append-only: DELETE refused'); END;
CREATE TRIGGER affiliate_idempotency_keys_no_update BEFORE UPDATE ON affiliate_idempotency_keys
BEGIN SELECT RAISE(ABORT, 'affiliate_idempotency_keys is append-only: UPDATE refused'); END;
CREATE TRIGGER affiliate_idempotency_keys_no_delete BEFORE DELETE ON affiliate_idempotency_keys
BEGIN SELECT RAISE(ABORT, 'affiliate_idempotency_keys is append-only: DELETE refused'); END;

CREATE TABLE affiliate_events (
    id        TEXT PRIMARY KEY,
    customer  TEXT NOT NULL,
    payment   TEXT NOT NULL,
    time_ns   INTEGER NOT NULL,
    hash      TEXT NOT NULL,
    affiliate TEXT NOT NULL,
    body      TEXT NOT NULL
) STRICT;
CREATE INDEX affiliate_events_by_customer ON affiliate_events (customer, time_ns, id);
CREATE INDEX affiliate_events_by_payment ON affiliate_events (payment, time_ns, id);
CREATE TRIGGER affiliate_events_no_update BEFORE UPDATE ON affiliate_events
BEGIN SELECT RAISE(ABORT, 'affiliate_events is append-only: UPDATE refused'); END;
CREATE TRIGGER affiliate_events_no_delete BEFORE DELETE ON affiliate_events
BEGIN SELECT RAISE(ABORT, 'affiliate_events is append-only: DELETE refused'); END;

CREATE TABLE affiliate_customer_states (
    customer TEXT PRIMARY KEY,
    version  INTEGER NOT NULL CHECK (version > 0),
    data     BLOB
) STRICT;

CREATE TABLE affiliate_aggregates (
    affiliate    TEXT NOT NULL,
    metric       TEXT NOT NULL,
    period       TEXT NOT NULL,
    currency     TEXT NOT NULL,
    shard        INTEGER NOT NULL CHECK (shard >= 0 AND shard < 16),
    amount_minor INTEGER NOT NULL,
    count        INTEGER NOT NULL,
    PRIMARY KEY (affiliate, metric, period, currency, shard)
) STRICT;
CREATE INDEX affiliate_aggregates_by_period ON affiliate_aggregates (period, metric, affiliate, currency, shard);

CREATE TABLE affiliate_bindings (
    customer   TEXT PRIMARY KEY,
    affiliate  TEXT NOT NULL,
    source     TEXT NOT NULL,
    touch      TEXT NOT NULL,
    lead       TEXT NOT NULL,
    code       TEXT NOT NULL,
    touched_ns INTEGER NOT NULL,
    bound_ns   INTEGER NOT NULL,
    expires_ns INTEGER NOT NULL
) STRICT;
