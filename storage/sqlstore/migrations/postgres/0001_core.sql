-- 0001_core: affiliates, the ledger, the event log, customer states,
-- aggregates and bindings (PostgreSQL).
--
-- Conventions (see the package doc):
--   * every table is prefixed affiliate_ so that it sits beside the host's;
--   * IDs and keys are TEXT COLLATE "C", so that comparisons and ORDER BY
--     are bytewise, as Go's string comparison (and memstore) order them;
--   * amounts are BIGINT minor units plus a currency code, never a float;
--   * times are BIGINT nanoseconds since the Unix epoch (exact, and the
--     same on both dialects); the zero time.Time is -9223372036854775808;
--   * list columns hold a JSON array, or JSON null for a nil slice.

-- Affiliates. The primary key serves Affiliate(id) and ListAffiliates:
--   SELECT ... FROM affiliate_affiliates WHERE id > $1 ORDER BY id LIMIT $2
CREATE TABLE affiliate_affiliates (
    id                    TEXT COLLATE "C" PRIMARY KEY,
    parent                TEXT COLLATE "C" REFERENCES affiliate_affiliates (id), -- NULL: top level
    status                TEXT NOT NULL,
    name                  TEXT NOT NULL,
    email                 TEXT NOT NULL,
    codes                 TEXT NOT NULL, -- the codes as given, in order (JSON)
    payout_method_on_file BOOLEAN NOT NULL,
    created_ns            BIGINT NOT NULL
);

-- Serves the parent-cycle walk and the sub-affiliate lookups:
--   WITH RECURSIVE ... JOIN affiliate_affiliates a ON a.parent = ...
CREATE INDEX affiliate_affiliates_by_parent ON affiliate_affiliates (parent) WHERE parent IS NOT NULL;

-- Normalised codes. The primary key is the invariant "a code belongs to at
-- most one affiliate" and serves AffiliateByCode:
--   SELECT ... FROM affiliate_codes c JOIN affiliate_affiliates a ON a.id = c.affiliate WHERE c.code = $1
CREATE TABLE affiliate_codes (
    code      TEXT COLLATE "C" PRIMARY KEY,
    affiliate TEXT COLLATE "C" NOT NULL REFERENCES affiliate_affiliates (id)
);

-- Serves PutAffiliate's replace: DELETE FROM affiliate_codes WHERE affiliate = $1
CREATE INDEX affiliate_codes_by_affiliate ON affiliate_codes (affiliate);

-- Idempotency keys, shared by Ledger.Append and Events.Commit. The primary
-- key is the invariant "one key, one payload"; a write claims its key
-- first (INSERT ... ON CONFLICT (key) DO NOTHING), so of two concurrent
-- writes with one key the second waits for the first and then replays.
CREATE TABLE affiliate_idempotency_keys (
    key  TEXT COLLATE "C" PRIMARY KEY,
    hash TEXT NOT NULL
);

-- The append-only ledger. The primary key is the invariant "entry IDs are
-- unique"; (idem_key, key_pos) gives a replay its entries in the order
-- they were appended:
--   SELECT ... FROM affiliate_entries WHERE idem_key = $1 ORDER BY key_pos
CREATE TABLE affiliate_entries (
    id            TEXT COLLATE "C" PRIMARY KEY,
    idem_key      TEXT COLLATE "C" NOT NULL REFERENCES affiliate_idempotency_keys (key),
    key_pos       INTEGER NOT NULL,
    beneficiary   TEXT COLLATE "C" NOT NULL,
    event         TEXT COLLATE "C" NOT NULL,
    payment       TEXT COLLATE "C" NOT NULL,
    customer      TEXT COLLATE "C" NOT NULL,
    kind          TEXT NOT NULL,
    base_minor    BIGINT NOT NULL,
    base_currency TEXT NOT NULL, -- '' when the entry has no base
    base_lines    TEXT NOT NULL,
    rate          TEXT NOT NULL, -- exact decimal, affiliate.Rate.String()
    amount_minor  BIGINT NOT NULL,
    currency      TEXT COLLATE "C" NOT NULL,
    rule          TEXT NOT NULL,
    terms         TEXT NOT NULL,
    tier          TEXT NOT NULL,
    chain         TEXT NOT NULL,
    at_ns         BIGINT NOT NULL,
    available_ns  BIGINT NOT NULL,
    corrects      TEXT COLLATE "C" NOT NULL,
    explanation   TEXT NOT NULL,
    UNIQUE (idem_key, key_pos)
);

-- Entries(EntryQuery{Beneficiary: a, ...}): statements, balances, reports.
--   ... WHERE beneficiary = $1 [AND at_ns >= $2 AND at_ns < $3] ORDER BY at_ns, id
CREATE INDEX affiliate_entries_by_beneficiary ON affiliate_entries (beneficiary, at_ns, id);
-- Entries(EntryQuery{Customer: c}): the engine's per-customer history.
--   ... WHERE customer = $1 ORDER BY at_ns, id
CREATE INDEX affiliate_entries_by_customer ON affiliate_entries (customer, at_ns, id);
-- Entries(EntryQuery{Event: e}): what one event produced.
--   ... WHERE event = $1 ORDER BY at_ns, id
CREATE INDEX affiliate_entries_by_event ON affiliate_entries (event, at_ns, id);
-- Entries(EntryQuery{Payment: p}): what one payment and its refunds produced.
--   ... WHERE payment = $1 ORDER BY at_ns, id
CREATE INDEX affiliate_entries_by_payment ON affiliate_entries (payment, at_ns, id);
-- Reports.ProgramEarnings, an index-only range scan:
--   SELECT currency, SUM(amount_minor) ... WHERE at_ns >= $1 AND at_ns < $2 GROUP BY currency
-- and the order of program-wide reads (the payout run's unsettled entries),
-- which it serves without a sort:
--   ... ORDER BY e.at_ns, e.id
CREATE INDEX affiliate_entries_by_at ON affiliate_entries (at_ns, id) INCLUDE (currency, amount_minor);

-- Entries in no created or paid payout, kept by trigger as memstore keeps
-- its open index, so that a payout run reads what is left to settle and
-- not the whole history:
--   SELECT ... FROM affiliate_open_entries o JOIN affiliate_entries e ON e.id = o.entry
--   WHERE o.beneficiary = $1 AND o.available_ns <= $2 ORDER BY e.at_ns, e.id
CREATE TABLE affiliate_open_entries (
    entry        TEXT COLLATE "C" PRIMARY KEY REFERENCES affiliate_entries (id),
    beneficiary  TEXT COLLATE "C" NOT NULL,
    available_ns BIGINT NOT NULL,
    currency     TEXT COLLATE "C" NOT NULL,
    amount_minor BIGINT NOT NULL
);
-- Also covers Reports.EarningsBalances for one affiliate:
--   SELECT currency, SUM(...) FROM affiliate_open_entries WHERE beneficiary = $1 GROUP BY currency
CREATE INDEX affiliate_open_entries_by_beneficiary ON affiliate_open_entries (beneficiary, available_ns) INCLUDE (currency, amount_minor);
-- The program-wide payout run (... WHERE o.available_ns <= $1) and, as an
-- index-only scan, the program-wide Reports.EarningsBalances:
--   SELECT currency, SUM(...) FROM affiliate_open_entries GROUP BY currency
CREATE INDEX affiliate_open_entries_by_available ON affiliate_open_entries (available_ns) INCLUDE (currency, amount_minor);

CREATE FUNCTION affiliate_open_entry() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO affiliate_open_entries (entry, beneficiary, available_ns, currency, amount_minor)
    VALUES (NEW.id, NEW.beneficiary, NEW.available_ns, NEW.currency, NEW.amount_minor);
    RETURN NULL;
END
$$;
CREATE TRIGGER affiliate_entries_open AFTER INSERT ON affiliate_entries
    FOR EACH ROW EXECUTE FUNCTION affiliate_open_entry();

-- Append-only: the ledger, the event log and the idempotency keys refuse
-- UPDATE, DELETE and TRUNCATE. The code has no such statement; the
-- triggers stop anything else (a migration, a console session) too.
CREATE FUNCTION affiliate_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER affiliate_entries_append_only BEFORE UPDATE OR DELETE ON affiliate_entries
    FOR EACH ROW EXECUTE FUNCTION affiliate_append_only();
CREATE TRIGGER affiliate_entries_no_truncate BEFORE TRUNCATE ON affiliate_entries
    FOR EACH STATEMENT EXECUTE FUNCTION affiliate_append_only();
CREATE TRIGGER affiliate_idempotency_keys_append_only BEFORE UPDATE OR DELETE ON affiliate_idempotency_keys
    FOR EACH ROW EXECUTE FUNCTION affiliate_append_only();
CREATE TRIGGER affiliate_idempotency_keys_no_truncate BEFORE TRUNCATE ON affiliate_idempotency_keys
    FOR EACH STATEMENT EXECUTE FUNCTION affiliate_append_only();

-- The commission engine's event log. The primary key serves Event(id) and
-- is the invariant "an event is logged once".
CREATE TABLE affiliate_events (
    id        TEXT COLLATE "C" PRIMARY KEY,
    customer  TEXT COLLATE "C" NOT NULL,
    payment   TEXT COLLATE "C" NOT NULL, -- EventRecord.PaymentID()
    time_ns   BIGINT NOT NULL,
    hash      TEXT NOT NULL,
    affiliate TEXT COLLATE "C" NOT NULL,
    body      TEXT NOT NULL -- the payment or refund (JSON, exact amounts)
);
-- Events(EventQuery{Customer: c}): ... WHERE customer = $1 ORDER BY time_ns, id
CREATE INDEX affiliate_events_by_customer ON affiliate_events (customer, time_ns, id);
-- Events(EventQuery{Payment: p}): ... WHERE payment = $1 ORDER BY time_ns, id
CREATE INDEX affiliate_events_by_payment ON affiliate_events (payment, time_ns, id);
CREATE TRIGGER affiliate_events_append_only BEFORE UPDATE OR DELETE ON affiliate_events
    FOR EACH ROW EXECUTE FUNCTION affiliate_append_only();
CREATE TRIGGER affiliate_events_no_truncate BEFORE TRUNCATE ON affiliate_events
    FOR EACH STATEMENT EXECUTE FUNCTION affiliate_append_only();

-- The engine's per-customer state. Commit swaps it with
--   UPDATE ... SET version = $2, data = $3 WHERE customer = $1 AND version = $2 - 1
-- (or INSERT ... ON CONFLICT DO NOTHING for version 1): a concurrent
-- commit that got there first leaves no row to update, so exactly one of
-- two commits on one version wins.
CREATE TABLE affiliate_customer_states (
    customer TEXT COLLATE "C" PRIMARY KEY,
    version  BIGINT NOT NULL CHECK (version > 0),
    data     BYTEA
);

-- Running totals. The primary key serves AffiliateAggregates:
--   ... WHERE affiliate = $1 AND metric = $2 AND period >= $3 AND period <= $4
--   GROUP BY ... ORDER BY period, currency
CREATE TABLE affiliate_aggregates (
    affiliate    TEXT COLLATE "C" NOT NULL, -- '' is the program-wide bucket
    metric       TEXT COLLATE "C" NOT NULL,
    period       TEXT COLLATE "C" NOT NULL,
    currency     TEXT COLLATE "C" NOT NULL, -- '' for counts without an amount
    -- The program-wide bucket (affiliate '') is spread over 16 shards so
    -- that concurrent commits do not queue on one row lock; reads sum
    -- them. Other keys use shard 0.
    shard        SMALLINT NOT NULL CHECK (shard >= 0 AND shard < 16),
    amount_minor BIGINT NOT NULL,
    count        BIGINT NOT NULL,
    PRIMARY KEY (affiliate, metric, period, currency, shard)
);
-- PeriodAggregates (the tier close, the program dashboard):
--   ... WHERE period = $1 AND metric = $2 ORDER BY affiliate, currency
CREATE INDEX affiliate_aggregates_by_period ON affiliate_aggregates (period, metric, affiliate, currency, shard);

-- Bindings. The primary key is the invariant "one binding per customer":
-- Bind inserts with ON CONFLICT (customer) DO NOTHING and, when nothing
-- was inserted, returns the stored binding with ErrAlreadyBound.
CREATE TABLE affiliate_bindings (
    customer   TEXT COLLATE "C" PRIMARY KEY,
    affiliate  TEXT COLLATE "C" NOT NULL,
    source     TEXT NOT NULL,
    touch      TEXT NOT NULL,
    lead       TEXT NOT NULL,
    code       TEXT NOT NULL,
    touched_ns BIGINT NOT NULL,
    bound_ns   BIGINT NOT NULL,
    expires_ns BIGINT NOT NULL
);
