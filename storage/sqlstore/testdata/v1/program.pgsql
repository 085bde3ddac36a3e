--
-- PostgreSQL database dump
--

\restrict TcawzNSjREv5tMGYm3GVVISNi42BwdJuRKTjjcaOphBnPoaFJvscs15dMwfA6FL

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: affiliate_v1_fixture; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA affiliate_v1_fixture;


--
-- Name: affiliate_append_only(); Type: FUNCTION; Schema: affiliate_v1_fixture; Owner: -
--

CREATE FUNCTION affiliate_v1_fixture.affiliate_append_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$;


--
-- Name: affiliate_open_entry(); Type: FUNCTION; Schema: affiliate_v1_fixture; Owner: -
--

CREATE FUNCTION affiliate_v1_fixture.affiliate_open_entry() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO affiliate_open_entries (entry, beneficiary, available_ns, currency, amount_minor)
    VALUES (NEW.id, NEW.beneficiary, NEW.available_ns, NEW.currency, NEW.amount_minor);
    RETURN NULL;
END
$$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: affiliate_affiliates; Type: TABLE; Schema: affiliate_v1_fixture; Owner: -
--

CREATE TABLE affiliate_v1_fixture.affiliate_affiliates (
    id text NOT NULL COLLATE pg_catalog."C",
    parent text COLLATE pg_catalog."C",
    status text NOT NULL,
    name text NOT NULL,
    email text NOT NULL,
    codes text NOT NULL,
    payout_method_on_file boolean NOT NULL,
    created_ns bigint NOT NULL
);


--
-- Name: affiliate_aggregates; Type: TABLE; Schema: affiliate_v1_fixture; Owner: -
--

CREATE TABLE affiliate_v1_fixture.affiliate_aggregates (
    affiliate text NOT NULL COLLATE pg_catalog."C",
    metric text NOT NULL COLLATE pg_catalog."C",
    period text NOT NULL COLLATE pg_catalog."C",
    currency text NOT NULL COLLATE pg_catalog."C",
    shard smallint NOT NULL,
    amount_minor bigint NOT NULL,
    count bigint NOT NULL,
    CONSTRAINT affiliate_aggregates_shard_check CHECK (((shard >= 0) AND (shard < 16)))
);


--
-- Name: affiliate_bindings; Type: TABLE; Schema: affiliate_v1_fixture; Owner: -
--

CREATE TABLE affiliate_v1_fixture.affiliate_bindings (
    customer text NOT NULL COLLATE pg_catalog."C",
    affiliate text NOT NULL COLLATE pg_catalog."C",
    source text NOT NULL,
    touch text NOT NULL,
    lead text NOT NULL,
    code text NOT NULL,
    touched_ns bigint NOT NULL,
    bound_ns bigint NOT NULL,
    expires_ns bigint NOT NULL
);


--
-- Name: affiliate_codes; Type: TABLE; Schema: affiliate_v1_fixture; Owner: -
--

CREATE TABLE affiliate_v1_fixture.affiliate_codes (
    code text NOT NULL COLLATE pg_catalog."C",
    affiliate text NOT NULL COLLATE pg_catalog."C"
);


--
-- Name: affiliate_customer_states; Type: TABLE; Schema: affiliate_v1_fixture; Owner: -
--

CREATE TABLE affiliate_v1_fixture.affiliate_customer_states (
    customer text NOT NULL COLLATE pg_catalog."C",
    version bigint NOT NULL,
    data bytea,
    CONSTRAINT affiliate_customer_states_version_check CHECK ((version > 0))
);


--
-- Name: affiliate_entries; Type: TABLE; Schema: affiliate_v1_fixture; Owner: -
--

CREATE TABLE affiliate_v1_fixture.affiliate_entries (
    id text NOT NULL COLLATE pg_catalog."C",
    idem_key text NOT NULL COLLATE pg_catalog."C",
    key_pos integer NOT NULL,
    beneficiary text NOT NULL COLLATE pg_catalog."C",
    event text NOT NULL COLLATE pg_catalog."C",
    payment text NOT NULL COLLATE pg_catalog."C",
    customer text NOT NULL COLLATE pg_catalog."C",
    kind text NOT NULL,
    base_minor bigint NOT NULL,
    base_currency text NOT NULL,
    base_lines text NOT NULL,
    rate text NOT NULL,
    amount_minor bigint NOT NULL,
    currency text NOT NULL COLLATE pg_catalog."C",
    rule text NOT NULL,
    terms text NOT NULL,
    tier text NOT NULL,
    chain text NOT NULL,
    at_ns bigint NOT NULL,
    available_ns bigint NOT NULL,
    corrects text NOT NULL COLLATE pg_catalog."C",
    explanation text NOT NULL
);


--
-- Name: affiliate_events; Type: TABLE; Schema: affiliate_v1_fixture; Owner: -
--

CREATE TABLE affiliate_v1_fixture.affiliate_events (
    id text NOT NULL COLLATE pg_catalog."C",
    customer text NOT NULL COLLATE pg_catalog."C",
    payment text NOT NULL COLLATE pg_catalog."C",
    time_ns bigint NOT NULL,
    hash text NOT NULL,
    affiliate text NOT NULL COLLATE pg_catalog."C",
    body text NOT NULL
);


--
-- Name: affiliate_idempotency_keys; Type: TABLE; Schema: affiliate_v1_fixture; Owner: -
--

CREATE TABLE affiliate_v1_fixture.affiliate_idempotency_keys (
    key text NOT NULL COLLATE pg_catalog."C",
    hash text NOT NULL
);


--
-- Name: affiliate_lead_keys; Type: TABLE; Schema: affiliate_v1_fixture; Owner: -
--

CREATE TABLE affiliate_v1_fixture.affiliate_lead_keys (
    key text NOT NULL COLLATE pg_catalog."C",
    lead text NOT NULL COLLATE pg_catalog."C",
    submitted_ns bigint NOT NULL,
    holds boolean NOT NULL
);


--
-- Name: affiliate_leads; Type: TABLE; Schema: affiliate_v1_fixture; Owner: -
--

CREATE TABLE affiliate_v1_fixture.affiliate_leads (
    id text NOT NULL COLLATE pg_catalog."C",
    affiliate text NOT NULL COLLATE pg_catalog."C",
    company text NOT NULL,
    email text NOT NULL,
    website text NOT NULL,
    linkedin text NOT NULL,
    freelancer boolean NOT NULL,
    status text NOT NULL,
    reasons text NOT NULL,
    submitted_ns bigint NOT NULL,
    decided_ns bigint NOT NULL,
    customer text NOT NULL,
    converted_ns bigint NOT NULL
);


--
-- Name: affiliate_open_entries; Type: TABLE; Schema: affiliate_v1_fixture; Owner: -
--

CREATE TABLE affiliate_v1_fixture.affiliate_open_entries (
    entry text NOT NULL COLLATE pg_catalog."C",
    beneficiary text NOT NULL COLLATE pg_catalog."C",
    available_ns bigint NOT NULL,
    currency text NOT NULL COLLATE pg_catalog."C",
    amount_minor bigint NOT NULL
);


--
-- Name: affiliate_payout_carried; Type: TABLE; Schema: affiliate_v1_fixture; Owner: -
--

CREATE TABLE affiliate_v1_fixture.affiliate_payout_carried (
    program text NOT NULL COLLATE pg_catalog."C",
    period text NOT NULL COLLATE pg_catalog."C",
    pos integer NOT NULL,
    affiliate text NOT NULL COLLATE pg_catalog."C",
    amount_minor bigint NOT NULL,
    currency text NOT NULL COLLATE pg_catalog."C",
    reason text NOT NULL,
    note text NOT NULL
);


--
-- Name: affiliate_payout_entries; Type: TABLE; Schema: affiliate_v1_fixture; Owner: -
--

CREATE TABLE affiliate_v1_fixture.affiliate_payout_entries (
    payout text NOT NULL COLLATE pg_catalog."C",
    entry text NOT NULL COLLATE pg_catalog."C",
    live boolean NOT NULL
);


--
-- Name: affiliate_payout_runs; Type: TABLE; Schema: affiliate_v1_fixture; Owner: -
--

CREATE TABLE affiliate_v1_fixture.affiliate_payout_runs (
    program text NOT NULL COLLATE pg_catalog."C",
    period text NOT NULL COLLATE pg_catalog."C",
    hash text NOT NULL,
    as_of_ns bigint NOT NULL,
    carried_nil boolean NOT NULL
);


--
-- Name: affiliate_payout_sums; Type: TABLE; Schema: affiliate_v1_fixture; Owner: -
--

CREATE TABLE affiliate_v1_fixture.affiliate_payout_sums (
    affiliate text NOT NULL COLLATE pg_catalog."C",
    currency text NOT NULL COLLATE pg_catalog."C",
    in_payout bigint NOT NULL,
    paid bigint NOT NULL
);


--
-- Name: affiliate_payouts; Type: TABLE; Schema: affiliate_v1_fixture; Owner: -
--

CREATE TABLE affiliate_v1_fixture.affiliate_payouts (
    id text NOT NULL COLLATE pg_catalog."C",
    program text NOT NULL COLLATE pg_catalog."C",
    run_period text NOT NULL COLLATE pg_catalog."C",
    pos integer NOT NULL,
    affiliate text NOT NULL COLLATE pg_catalog."C",
    period_year integer NOT NULL,
    period_month integer NOT NULL,
    period_loc text NOT NULL,
    amount_minor bigint NOT NULL,
    currency text NOT NULL COLLATE pg_catalog."C",
    entries text NOT NULL,
    status text NOT NULL,
    created_ns bigint NOT NULL,
    reference text NOT NULL,
    settled_ns bigint NOT NULL,
    note text NOT NULL,
    CONSTRAINT affiliate_payouts_status_check CHECK ((status = ANY (ARRAY['created'::text, 'paid'::text, 'failed'::text, 'cancelled'::text])))
);


--
-- Name: affiliate_schema_migrations; Type: TABLE; Schema: affiliate_v1_fixture; Owner: -
--

CREATE TABLE affiliate_v1_fixture.affiliate_schema_migrations (
    version integer NOT NULL,
    name text NOT NULL,
    applied_ns bigint NOT NULL
);


--
-- Name: affiliate_tier_closes; Type: TABLE; Schema: affiliate_v1_fixture; Owner: -
--

CREATE TABLE affiliate_v1_fixture.affiliate_tier_closes (
    program text NOT NULL COLLATE pg_catalog."C",
    period text NOT NULL COLLATE pg_catalog."C",
    revision bigint NOT NULL,
    as_of_ns bigint NOT NULL,
    key text NOT NULL COLLATE pg_catalog."C",
    CONSTRAINT affiliate_tier_closes_revision_check CHECK ((revision > 0))
);


--
-- Name: affiliate_tier_snapshots; Type: TABLE; Schema: affiliate_v1_fixture; Owner: -
--

CREATE TABLE affiliate_v1_fixture.affiliate_tier_snapshots (
    program text NOT NULL COLLATE pg_catalog."C",
    period text NOT NULL COLLATE pg_catalog."C",
    affiliate text NOT NULL COLLATE pg_catalog."C",
    revision bigint NOT NULL,
    metric text NOT NULL,
    amount_minor bigint NOT NULL,
    currency text NOT NULL,
    count bigint NOT NULL,
    reached text NOT NULL,
    tier text NOT NULL,
    held_from text NOT NULL,
    applied text NOT NULL
);


--
-- Name: affiliate_touches; Type: TABLE; Schema: affiliate_v1_fixture; Owner: -
--

CREATE TABLE affiliate_v1_fixture.affiliate_touches (
    id text NOT NULL COLLATE pg_catalog."C",
    visitor text NOT NULL COLLATE pg_catalog."C",
    affiliate text NOT NULL COLLATE pg_catalog."C",
    code text NOT NULL,
    source text NOT NULL,
    at_ns bigint NOT NULL,
    landing_url text NOT NULL,
    referrer text NOT NULL,
    ip text NOT NULL,
    user_agent text NOT NULL
);


--
-- Data for Name: affiliate_affiliates; Type: TABLE DATA; Schema: affiliate_v1_fixture; Owner: -
--

INSERT INTO affiliate_v1_fixture.affiliate_affiliates VALUES ('ann', NULL, 'active', 'Ann', 'ann@callright.eu', '["ann"]', false, -9223372036854775808);
INSERT INTO affiliate_v1_fixture.affiliate_affiliates VALUES ('bob', 'ann', 'active', 'Bob', 'bob@salonsoft.de', '["bob","BOB-SALON"]', false, -9223372036854775808);
INSERT INTO affiliate_v1_fixture.affiliate_affiliates VALUES ('lena', NULL, 'active', 'Lena', 'lena@leadworks.eu', '["lena"]', false, -9223372036854775808);
INSERT INTO affiliate_v1_fixture.affiliate_affiliates VALUES ('dora', NULL, 'suspended', 'Dora', 'dora@kioskweb.it', '["dora"]', false, -9223372036854775808);


--
-- Data for Name: affiliate_aggregates; Type: TABLE DATA; Schema: affiliate_v1_fixture; Owner: -
--

INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'conversions', '2026-01', '', 2, 0, 1);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'paying_customers', '2026-01', '', 2, 0, 1);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'revenue', '2026-01', 'EUR', 2, 400000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'revenue_converted', '2026-01', 'EUR', 2, 400000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'conversions', '2026-01', '', 8, 0, 1);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'paying_customers', '2026-01', '', 8, 0, 1);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'revenue', '2026-01', 'USD', 8, 324000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'revenue_converted', '2026-01', 'EUR', 8, 291600, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('ann', 'conversions', '2026-01', '', 0, 0, 2);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('ann', 'earnings', '2026-01', 'USD', 0, 45000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('ann', 'paying_customers', '2026-01', '', 0, 0, 2);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('ann', 'revenue', '2026-01', 'USD', 0, 324000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('ann', 'earnings', '2026-02', 'EUR', 0, 83000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'conversions', '2026-01', '', 3, 0, 1);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'paying_customers', '2026-01', '', 3, 0, 1);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'revenue', '2026-01', 'EUR', 3, 100000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'revenue_converted', '2026-01', 'EUR', 3, 100000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('ann', 'earnings', '2026-02', 'USD', 0, 60000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('bob', 'conversions', '2026-01', '', 0, 0, 1);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('bob', 'earnings', '2026-01', 'EUR', 0, 15000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('bob', 'paying_customers', '2026-01', '', 0, 0, 1);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('bob', 'revenue', '2026-01', 'EUR', 0, 100000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('bob', 'revenue_converted', '2026-01', 'EUR', 0, 100000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'conversions', '2026-01', '', 1, 0, 1);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'paying_customers', '2026-01', '', 1, 0, 1);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'revenue', '2026-01', 'EUR', 1, 50000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'revenue_converted', '2026-01', 'EUR', 1, 50000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('dora', 'conversions', '2026-01', '', 0, 0, 1);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('dora', 'earnings', '2026-01', 'EUR', 0, 7500, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('dora', 'paying_customers', '2026-01', '', 0, 0, 1);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('dora', 'revenue', '2026-01', 'EUR', 0, 50000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('dora', 'revenue_converted', '2026-01', 'EUR', 0, 50000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'conversions', '2026-01', '', 11, 0, 1);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'paying_customers', '2026-01', '', 11, 0, 1);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'revenue', '2026-01', 'EUR', 11, 95200, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'revenue_converted', '2026-01', 'EUR', 11, 95200, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('lena', 'conversions', '2026-01', '', 0, 0, 1);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('lena', 'earnings', '2026-01', 'EUR', 0, 12000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('lena', 'paying_customers', '2026-01', '', 0, 0, 1);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('lena', 'revenue', '2026-01', 'EUR', 0, 95200, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('lena', 'revenue_converted', '2026-01', 'EUR', 0, 95200, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'paying_customers', '2026-02', '', 15, 0, 1);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'revenue', '2026-02', 'EUR', 15, 400000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'revenue_converted', '2026-02', 'EUR', 15, 400000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('ann', 'revenue', '2026-02', 'EUR', 0, 400000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'paying_customers', '2026-02', '', 1, 0, 1);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'revenue', '2026-02', 'USD', 1, 300000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'revenue_converted', '2026-02', 'EUR', 1, 276000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('ann', 'paying_customers', '2026-02', '', 0, 0, 2);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('ann', 'revenue', '2026-02', 'USD', 0, 300000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('ann', 'revenue_converted', '2026-02', 'EUR', 0, 676000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'paying_customers', '2026-02', '', 6, 0, 1);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'revenue', '2026-02', 'EUR', 6, 100000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'revenue_converted', '2026-02', 'EUR', 6, 100000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('bob', 'paying_customers', '2026-02', '', 0, 0, 1);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'paying_customers', '2026-02', '', 8, 0, 1);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'revenue', '2026-02', 'EUR', 8, 50000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'revenue_converted', '2026-02', 'EUR', 8, 50000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('dora', 'paying_customers', '2026-02', '', 0, 0, 1);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'paying_customers', '2026-02', '', 14, 0, 1);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('lena', 'earnings', '2026-02', 'EUR', 0, 12000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('lena', 'paying_customers', '2026-02', '', 0, 0, 1);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('lena', 'revenue', '2026-02', 'EUR', 0, 80000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('lena', 'revenue_converted', '2026-02', 'EUR', 0, 80000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'revenue', '2026-02', 'EUR', 12, -40000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'revenue_converted', '2026-02', 'EUR', 12, -40000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('bob', 'earnings', '2026-02', 'EUR', 0, 9000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('bob', 'revenue', '2026-02', 'EUR', 0, 60000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('bob', 'revenue_converted', '2026-02', 'EUR', 0, 60000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'revenue', '2026-02', 'EUR', 14, 30000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'revenue_converted', '2026-02', 'EUR', 14, 30000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('dora', 'earnings', '2026-02', 'EUR', 0, 0, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('dora', 'revenue', '2026-02', 'EUR', 0, 0, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('dora', 'revenue_converted', '2026-02', 'EUR', 0, 0, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'paying_customers', '2026-03', '', 12, 0, 1);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'revenue', '2026-03', 'EUR', 12, 400000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'revenue_converted', '2026-03', 'EUR', 12, 400000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('ann', 'revenue', '2026-03', 'EUR', 0, 400000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'paying_customers', '2026-03', '', 14, 0, 1);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'revenue', '2026-03', 'USD', 14, 250000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'revenue_converted', '2026-03', 'EUR', 14, 227500, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('ann', 'earnings', '2026-03', 'USD', 0, 37500, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('ann', 'paying_customers', '2026-03', '', 0, 0, 2);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('ann', 'revenue', '2026-03', 'USD', 0, 250000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('ann', 'revenue_converted', '2026-03', 'EUR', 0, 627500, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'paying_customers', '2026-03', '', 9, 0, 1);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'revenue', '2026-03', 'EUR', 9, 100000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'revenue_converted', '2026-03', 'EUR', 9, 100000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('ann', 'earnings', '2026-03', 'EUR', 0, 65000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('bob', 'earnings', '2026-03', 'EUR', 0, 15000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('bob', 'paying_customers', '2026-03', '', 0, 0, 1);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('bob', 'revenue', '2026-03', 'EUR', 0, 100000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('bob', 'revenue_converted', '2026-03', 'EUR', 0, 100000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'paying_customers', '2026-03', '', 11, 0, 1);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'revenue', '2026-03', 'EUR', 11, 50000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'revenue_converted', '2026-03', 'EUR', 11, 50000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('dora', 'paying_customers', '2026-03', '', 0, 0, 1);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('dora', 'revenue', '2026-03', 'EUR', 0, 50000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('dora', 'revenue_converted', '2026-03', 'EUR', 0, 50000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'paying_customers', '2026-03', '', 1, 0, 1);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'revenue', '2026-03', 'EUR', 1, 80000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'revenue_converted', '2026-03', 'EUR', 1, 80000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('lena', 'earnings', '2026-03', 'EUR', 0, 12000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('lena', 'paying_customers', '2026-03', '', 0, 0, 1);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('lena', 'revenue', '2026-03', 'EUR', 0, 80000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('lena', 'revenue_converted', '2026-03', 'EUR', 0, 80000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'revenue', '2026-01', 'EUR', 0, 350000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('', 'revenue_converted', '2026-01', 'EUR', 0, 350000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('ann', 'earnings', '2026-01', 'EUR', 0, 117500, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('ann', 'revenue', '2026-01', 'EUR', 0, 750000, 0);
INSERT INTO affiliate_v1_fixture.affiliate_aggregates VALUES ('ann', 'revenue_converted', '2026-01', 'EUR', 0, 1041600, 0);


--
-- Data for Name: affiliate_bindings; Type: TABLE DATA; Schema: affiliate_v1_fixture; Owner: -
--

INSERT INTO affiliate_v1_fixture.affiliate_bindings VALUES ('harbor', 'ann', 'link', 't_1', '', 'ann', 1766221200000000000, 1767603600000000000, -9223372036854775808);
INSERT INTO affiliate_v1_fixture.affiliate_bindings VALUES ('nyc', 'ann', 'link', 't_3', '', 'ann', 1767344400000000000, 1767690000000000000, -9223372036854775808);
INSERT INTO affiliate_v1_fixture.affiliate_bindings VALUES ('kiosk', 'dora', 'link', 't_4', '', 'dora', 1767517200000000000, 1767776400000000000, -9223372036854775808);
INSERT INTO affiliate_v1_fixture.affiliate_bindings VALUES ('salon', 'bob', 'code', '', '', 'bob-salon', 1767776400000000000, 1767776400000000000, -9223372036854775808);
INSERT INTO affiliate_v1_fixture.affiliate_bindings VALUES ('northwind', 'lena', 'lead', '', 'lead-northwind', '', 1767603600000000000, 1767949200000000000, -9223372036854775808);


--
-- Data for Name: affiliate_codes; Type: TABLE DATA; Schema: affiliate_v1_fixture; Owner: -
--

INSERT INTO affiliate_v1_fixture.affiliate_codes VALUES ('ann', 'ann');
INSERT INTO affiliate_v1_fixture.affiliate_codes VALUES ('bob', 'bob');
INSERT INTO affiliate_v1_fixture.affiliate_codes VALUES ('bob-salon', 'bob');
INSERT INTO affiliate_v1_fixture.affiliate_codes VALUES ('lena', 'lena');
INSERT INTO affiliate_v1_fixture.affiliate_codes VALUES ('dora', 'dora');


--
-- Data for Name: affiliate_customer_states; Type: TABLE DATA; Schema: affiliate_v1_fixture; Owner: -
--

INSERT INTO affiliate_v1_fixture.affiliate_customer_states VALUES ('walkin', 1, '\x01000001010101a09a9b960d0011696e5f77616c6b696e5f323032362d303101a09a9b960d000000000000');
INSERT INTO affiliate_v1_fixture.affiliate_customer_states VALUES ('nyc', 4, '\x01000003030101a082949b0d000e696e5f6e79635f323032362d303301a0e0a5960d000307323032362d3033000000');
INSERT INTO affiliate_v1_fixture.affiliate_customer_states VALUES ('salon', 4, '\x01000003030101a0d4b39b0d0010696e5f73616c6f6e5f323032362d303301a0b2c5960d000307323032362d3033000000');
INSERT INTO affiliate_v1_fixture.affiliate_customer_states VALUES ('kiosk', 4, '\x01000003030101a09abe9b0d0010696e5f6b696f736b5f323032362d303301a090fa960d000307323032362d3033000000');
INSERT INTO affiliate_v1_fixture.affiliate_customer_states VALUES ('northwind', 4, '\x01000003030101a0b2e89b0d0014696e5f6e6f72746877696e645f323032362d303301a090fa960d000307323032362d30330000011272655f6e6f72746877696e645f736574757012696e5f6e6f72746877696e645f7365747570096e6f72746877696e6401a0eae99a0d0006726566756e64010000');
INSERT INTO affiliate_v1_fixture.affiliate_customer_states VALUES ('harbor', 4, '\x01000004040101a0f6fe9a0d0011696e5f686172626f725f323032362d303301a0d490960d000407323032362d3033000000');


--
-- Data for Name: affiliate_entries; Type: TABLE DATA; Schema: affiliate_v1_fixture; Owner: -
--

INSERT INTO affiliate_v1_fixture.affiliate_entries VALUES ('in_harbor_2026-01/1', 'event:in_harbor_2026-01', 0, 'ann', 'in_harbor_2026-01', 'in_harbor_2026-01', 'harbor', 'commission', 400000, 'EUR', '["subscription"]', '0.15', 60000, 'EUR', 'own_clients', '2026-01', 'Standard', '["ann"]', 1768035600000000000, 1769245200000000000, '', 'tier "Standard": 15% of 4000.00 EUR (subscription)');
INSERT INTO affiliate_v1_fixture.affiliate_entries VALUES ('in_nyc_2026-01/1', 'event:in_nyc_2026-01', 0, 'ann', 'in_nyc_2026-01', 'in_nyc_2026-01', 'nyc', 'commission', 300000, 'USD', '["subscription","add_on"]', '0.15', 45000, 'USD', 'own_clients', '2026-01', 'Standard', '["ann"]', 1768208400000000000, 1769418000000000000, '', 'tier "Standard": 15% of 3000.00 USD (subscription, add_on)');
INSERT INTO affiliate_v1_fixture.affiliate_entries VALUES ('in_salon_2026-01/1', 'event:in_salon_2026-01', 0, 'bob', 'in_salon_2026-01', 'in_salon_2026-01', 'salon', 'commission', 100000, 'EUR', '["subscription"]', '0.15', 15000, 'EUR', 'own_clients', '2026-01', 'Standard', '["bob"]', 1768467600000000000, 1769677200000000000, '', 'tier "Standard": 15% of 1000.00 EUR (subscription)');
INSERT INTO affiliate_v1_fixture.affiliate_entries VALUES ('in_salon_2026-01/2', 'event:in_salon_2026-01', 1, 'ann', 'in_salon_2026-01', 'in_salon_2026-01', 'salon', 'sub_affiliate_bonus', 100000, 'EUR', '["subscription"]', '0.05', 5000, 'EUR', 'direct_sub_affiliate', '2026-01', 'Standard', '["bob","ann"]', 1768467600000000000, 1769677200000000000, '', 'tier "Standard" bonus: 5% of 1000.00 EUR (subscription) referred by bob');
INSERT INTO affiliate_v1_fixture.affiliate_entries VALUES ('in_kiosk_2026-01/1', 'event:in_kiosk_2026-01', 0, 'dora', 'in_kiosk_2026-01', 'in_kiosk_2026-01', 'kiosk', 'commission', 50000, 'EUR', '["subscription"]', '0.15', 7500, 'EUR', 'own_clients', '2026-01', 'Standard', '["dora"]', 1768899600000000000, 1770109200000000000, '', 'tier "Standard": 15% of 500.00 EUR (subscription)');
INSERT INTO affiliate_v1_fixture.affiliate_entries VALUES ('in_northwind_2026-01/1', 'event:in_northwind_2026-01', 0, 'lena', 'in_northwind_2026-01', 'in_northwind_2026-01', 'northwind', 'commission', 80000, 'EUR', '["subscription","discount"]', '0.15', 12000, 'EUR', 'own_clients', '2026-01', 'Standard', '["lena"]', 1768899600000000000, 1770109200000000000, '', 'tier "Standard": 15% of 800.00 EUR (subscription, discount)');
INSERT INTO affiliate_v1_fixture.affiliate_entries VALUES ('in_harbor_2026-02/1', 'event:in_harbor_2026-02', 0, 'ann', 'in_harbor_2026-02', 'in_harbor_2026-02', 'harbor', 'commission', 400000, 'EUR', '["subscription"]', '0.15', 60000, 'EUR', 'own_clients', '2026-01', 'Standard', '["ann"]', 1770714000000000000, 1771923600000000000, '', 'tier "Standard": 15% of 4000.00 EUR (subscription)');
INSERT INTO affiliate_v1_fixture.affiliate_entries VALUES ('in_nyc_2026-02/1', 'event:in_nyc_2026-02', 0, 'ann', 'in_nyc_2026-02', 'in_nyc_2026-02', 'nyc', 'commission', 300000, 'USD', '["subscription"]', '0.15', 45000, 'USD', 'own_clients', '2026-01', 'Standard', '["ann"]', 1770886800000000000, 1772096400000000000, '', 'tier "Standard": 15% of 3000.00 USD (subscription)');
INSERT INTO affiliate_v1_fixture.affiliate_entries VALUES ('in_salon_2026-02/1', 'event:in_salon_2026-02', 0, 'bob', 'in_salon_2026-02', 'in_salon_2026-02', 'salon', 'commission', 100000, 'EUR', '["subscription"]', '0.15', 15000, 'EUR', 'own_clients', '2026-01', 'Standard', '["bob"]', 1771146000000000000, 1772355600000000000, '', 'tier "Standard": 15% of 1000.00 EUR (subscription)');
INSERT INTO affiliate_v1_fixture.affiliate_entries VALUES ('in_salon_2026-02/2', 'event:in_salon_2026-02', 1, 'ann', 'in_salon_2026-02', 'in_salon_2026-02', 'salon', 'sub_affiliate_bonus', 100000, 'EUR', '["subscription"]', '0.05', 5000, 'EUR', 'direct_sub_affiliate', '2026-01', 'Standard', '["bob","ann"]', 1771146000000000000, 1772355600000000000, '', 'tier "Standard" bonus: 5% of 1000.00 EUR (subscription) referred by bob');
INSERT INTO affiliate_v1_fixture.affiliate_entries VALUES ('in_kiosk_2026-02/1', 'event:in_kiosk_2026-02', 0, 'dora', 'in_kiosk_2026-02', 'in_kiosk_2026-02', 'kiosk', 'commission', 50000, 'EUR', '["subscription"]', '0.15', 7500, 'EUR', 'own_clients', '2026-01', 'Standard', '["dora"]', 1770714000000000000, 1771923600000000000, '', 'tier "Standard": 15% of 500.00 EUR (subscription)');
INSERT INTO affiliate_v1_fixture.affiliate_entries VALUES ('in_northwind_2026-02/1', 'event:in_northwind_2026-02', 0, 'lena', 'in_northwind_2026-02', 'in_northwind_2026-02', 'northwind', 'commission', 80000, 'EUR', '["subscription"]', '0.15', 12000, 'EUR', 'own_clients', '2026-01', 'Standard', '["lena"]', 1771578000000000000, 1772787600000000000, '', 'tier "Standard": 15% of 800.00 EUR (subscription)');
INSERT INTO affiliate_v1_fixture.affiliate_entries VALUES ('re_salon_2026-02/1', 'event:re_salon_2026-02', 0, 'bob', 're_salon_2026-02', 'in_salon_2026-02', 'salon', 'reversal', -40000, 'EUR', '["subscription"]', '0.15', -6000, 'EUR', 'own_clients', '2026-01', 'Standard', '["bob"]', 1771750800000000000, 1771750800000000000, 'in_salon_2026-02/1', 'refunds took back 400.00 EUR of 1000.00 EUR paid: keeps 90.00 EUR of 150.00 EUR');
INSERT INTO affiliate_v1_fixture.affiliate_entries VALUES ('re_salon_2026-02/2', 'event:re_salon_2026-02', 1, 'ann', 're_salon_2026-02', 'in_salon_2026-02', 'salon', 'reversal', -40000, 'EUR', '["subscription"]', '0.05', -2000, 'EUR', 'direct_sub_affiliate', '2026-01', 'Standard', '["bob","ann"]', 1771750800000000000, 1771750800000000000, 'in_salon_2026-02/2', 'refunds took back 400.00 EUR of 1000.00 EUR paid: keeps 30.00 EUR of 50.00 EUR');
INSERT INTO affiliate_v1_fixture.affiliate_entries VALUES ('cb_kiosk_2026-02/1', 'event:cb_kiosk_2026-02', 0, 'dora', 'cb_kiosk_2026-02', 'in_kiosk_2026-02', 'kiosk', 'reversal', -50000, 'EUR', '["subscription"]', '0.15', -7500, 'EUR', 'own_clients', '2026-01', 'Standard', '["dora"]', 1772010000000000000, 1772010000000000000, 'in_kiosk_2026-02/1', 'refunds took back 500.00 EUR of 500.00 EUR paid: keeps 0.00 EUR of 75.00 EUR');
INSERT INTO affiliate_v1_fixture.affiliate_entries VALUES ('in_harbor_2026-03/1', 'event:in_harbor_2026-03', 0, 'ann', 'in_harbor_2026-03', 'in_harbor_2026-03', 'harbor', 'commission', 400000, 'EUR', '["subscription"]', '0.15', 60000, 'EUR', 'own_clients', '2026-01', 'Standard', '["ann"]', 1773133200000000000, 1774342800000000000, '', 'tier "Standard": 15% of 4000.00 EUR (subscription)');
INSERT INTO affiliate_v1_fixture.affiliate_entries VALUES ('in_nyc_2026-03/1', 'event:in_nyc_2026-03', 0, 'ann', 'in_nyc_2026-03', 'in_nyc_2026-03', 'nyc', 'commission', 300000, 'USD', '["subscription"]', '0.15', 45000, 'USD', 'own_clients', '2026-01', 'Standard', '["ann"]', 1773306000000000000, 1774515600000000000, '', 'tier "Standard": 15% of 3000.00 USD (subscription)');
INSERT INTO affiliate_v1_fixture.affiliate_entries VALUES ('in_nyc_2026-03/2', 'event:in_nyc_2026-03', 1, 'ann', 'in_nyc_2026-03', 'in_nyc_2026-03', 'nyc', 'reversal', -50000, 'USD', '["subscription"]', '0.15', -7500, 'USD', 'own_clients', '2026-01', 'Standard', '["ann"]', 1773478800000000000, 1773478800000000000, 'in_nyc_2026-03/1', 'refunds took back 500.00 USD of 3000.00 USD paid: keeps 375.00 USD of 450.00 USD');
INSERT INTO affiliate_v1_fixture.affiliate_entries VALUES ('in_salon_2026-03/1', 'event:in_salon_2026-03', 0, 'bob', 'in_salon_2026-03', 'in_salon_2026-03', 'salon', 'commission', 100000, 'EUR', '["subscription"]', '0.15', 15000, 'EUR', 'own_clients', '2026-01', 'Standard', '["bob"]', 1773565200000000000, 1774774800000000000, '', 'tier "Standard": 15% of 1000.00 EUR (subscription)');
INSERT INTO affiliate_v1_fixture.affiliate_entries VALUES ('in_salon_2026-03/2', 'event:in_salon_2026-03', 1, 'ann', 'in_salon_2026-03', 'in_salon_2026-03', 'salon', 'sub_affiliate_bonus', 100000, 'EUR', '["subscription"]', '0.05', 5000, 'EUR', 'direct_sub_affiliate', '2026-01', 'Standard', '["bob","ann"]', 1773565200000000000, 1774774800000000000, '', 'tier "Standard" bonus: 5% of 1000.00 EUR (subscription) referred by bob');
INSERT INTO affiliate_v1_fixture.affiliate_entries VALUES ('in_northwind_2026-03/1', 'event:in_northwind_2026-03', 0, 'lena', 'in_northwind_2026-03', 'in_northwind_2026-03', 'northwind', 'commission', 80000, 'EUR', '["subscription"]', '0.15', 12000, 'EUR', 'own_clients', '2026-01', 'Standard', '["lena"]', 1773997200000000000, 1775206800000000000, '', 'tier "Standard": 15% of 800.00 EUR (subscription)');
INSERT INTO affiliate_v1_fixture.affiliate_entries VALUES ('in_harbor_2026-01b/1', 'event:in_harbor_2026-01b', 0, 'ann', 'in_harbor_2026-01b', 'in_harbor_2026-01b', 'harbor', 'commission', 350000, 'EUR', '["add_on"]', '0.15', 52500, 'EUR', 'own_clients', '2026-01', 'Standard', '["ann"]', 1769590800000000000, 1770800400000000000, '', 'tier "Standard": 15% of 3500.00 EUR (add_on)');
INSERT INTO affiliate_v1_fixture.affiliate_entries VALUES ('tiers:default:2026-02:2:in_harbor_2026-02/1:adj', 'tiers:default:2026-02:2', 0, 'ann', 'tiers:default:2026-02:2', 'in_harbor_2026-02', 'harbor', 'adjustment', 0, 'EUR', '["subscription"]', '0.2', 20000, 'EUR', 'own_clients', '2026-01', 'Premium', '["ann"]', 1770714000000000000, 1775023200000000000, 'in_harbor_2026-02/1', 'tier true-up (close of 2026-02, run 2): commission on payment in_harbor_2026-02 at Premium 20%: 4000.00 EUR × 20% = 800.00 EUR, held 600.00 EUR, so +200.00 EUR; the tier of 2026-02 is the one 2026-01 decided: revenue 10416.00 EUR in 2026-01 reached Premium (threshold 10000.00 EUR)');
INSERT INTO affiliate_v1_fixture.affiliate_entries VALUES ('tiers:default:2026-02:2:in_nyc_2026-02/1:adj', 'tiers:default:2026-02:2', 1, 'ann', 'tiers:default:2026-02:2', 'in_nyc_2026-02', 'nyc', 'adjustment', 0, 'USD', '["subscription"]', '0.2', 15000, 'USD', 'own_clients', '2026-01', 'Premium', '["ann"]', 1770886800000000000, 1775023200000000000, 'in_nyc_2026-02/1', 'tier true-up (close of 2026-02, run 2): commission on payment in_nyc_2026-02 at Premium 20%: 3000.00 USD × 20% = 600.00 USD, held 450.00 USD, so +150.00 USD; the tier of 2026-02 is the one 2026-01 decided: revenue 10416.00 EUR in 2026-01 reached Premium (threshold 10000.00 EUR)');


--
-- Data for Name: affiliate_events; Type: TABLE DATA; Schema: affiliate_v1_fixture; Owner: -
--

INSERT INTO affiliate_v1_fixture.affiliate_events VALUES ('in_harbor_2026-01', 'harbor', 'in_harbor_2026-01', 1768035600000000000, '250879c485063f0b4b7a56ad8d999748eb0cd3026d36b7796a772f24cf8b6d67', 'ann', '{"payment":{"id":"in_harbor_2026-01","customer":"harbor","paid_at":"2026-01-10T09:00:00Z","currency":"EUR","lines":[{"kind":"subscription","amount":{"minor":"400000","currency":"EUR"}}]}}');
INSERT INTO affiliate_v1_fixture.affiliate_events VALUES ('in_walkin_2026-01', 'walkin', 'in_walkin_2026-01', 1768122000000000000, '636a007ec7718f692e35a951afdb788f235c331aa6f45d708974ee995755232d', '', '{"payment":{"id":"in_walkin_2026-01","customer":"walkin","paid_at":"2026-01-11T09:00:00Z","currency":"EUR","lines":[{"kind":"one_time","amount":{"minor":"9900","currency":"EUR"}}]}}');
INSERT INTO affiliate_v1_fixture.affiliate_events VALUES ('in_nyc_2026-01', 'nyc', 'in_nyc_2026-01', 1768208400000000000, 'ed87242f904b4707c3c70f0898dd27c0bd76681f2124fec8dee3c8116433343a', 'ann', '{"payment":{"id":"in_nyc_2026-01","customer":"nyc","paid_at":"2026-01-12T09:00:00Z","currency":"USD","lines":[{"kind":"subscription","amount":{"minor":"250000","currency":"USD"}},{"kind":"add_on","amount":{"minor":"50000","currency":"USD"}},{"kind":"tax","amount":{"minor":"24000","currency":"USD"}}],"conversion_to":"EUR","conversion_rate":"0.9"}}');
INSERT INTO affiliate_v1_fixture.affiliate_events VALUES ('in_salon_2026-01', 'salon', 'in_salon_2026-01', 1768467600000000000, '148810083f2251275f205e03a313538991114e1b1d9f126a2dea026b17f273a0', 'bob', '{"payment":{"id":"in_salon_2026-01","customer":"salon","paid_at":"2026-01-15T09:00:00Z","currency":"EUR","lines":[{"kind":"subscription","amount":{"minor":"100000","currency":"EUR"}}]}}');
INSERT INTO affiliate_v1_fixture.affiliate_events VALUES ('in_kiosk_2026-01', 'kiosk', 'in_kiosk_2026-01', 1768899600000000000, '04a0c542ee709ca38de12c0e8a61ebae4d7578faf664da0d13b62fb55dc9bee5', 'dora', '{"payment":{"id":"in_kiosk_2026-01","customer":"kiosk","paid_at":"2026-01-20T09:00:00Z","currency":"EUR","lines":[{"kind":"subscription","amount":{"minor":"50000","currency":"EUR"}}]}}');
INSERT INTO affiliate_v1_fixture.affiliate_events VALUES ('in_northwind_2026-01', 'northwind', 'in_northwind_2026-01', 1768899600000000000, 'eaf2c9d179fb10fb1b5ca7a6621f2d865041bc7c5ce22c005c1b16cecbd74186', 'lena', '{"payment":{"id":"in_northwind_2026-01","customer":"northwind","paid_at":"2026-01-20T09:00:00Z","currency":"EUR","lines":[{"kind":"subscription","amount":{"minor":"90000","currency":"EUR"}},{"kind":"discount","amount":{"minor":"10000","currency":"EUR"}},{"kind":"tax","amount":{"minor":"15200","currency":"EUR"}}]}}');
INSERT INTO affiliate_v1_fixture.affiliate_events VALUES ('in_harbor_2026-02', 'harbor', 'in_harbor_2026-02', 1770714000000000000, '6e98ab01d317e2727d4b6e7941a0561e0af9d3344d41f3d38ccd6d97110c1ffc', 'ann', '{"payment":{"id":"in_harbor_2026-02","customer":"harbor","paid_at":"2026-02-10T09:00:00Z","currency":"EUR","lines":[{"kind":"subscription","amount":{"minor":"400000","currency":"EUR"}}]}}');
INSERT INTO affiliate_v1_fixture.affiliate_events VALUES ('in_nyc_2026-02', 'nyc', 'in_nyc_2026-02', 1770886800000000000, '7f194056f57558fa1dd3fea69aeb1b5fbb5e9b909ac97653af7dfd93eb5a60be', 'ann', '{"payment":{"id":"in_nyc_2026-02","customer":"nyc","paid_at":"2026-02-12T09:00:00Z","currency":"USD","lines":[{"kind":"subscription","amount":{"minor":"300000","currency":"USD"}}],"conversion_to":"EUR","conversion_rate":"0.92"}}');
INSERT INTO affiliate_v1_fixture.affiliate_events VALUES ('in_salon_2026-02', 'salon', 'in_salon_2026-02', 1771146000000000000, 'dfc9ff1e8d6c413bad324c93f8eb89950f1fc7833527cda60c5afeea9cad7e9a', 'bob', '{"payment":{"id":"in_salon_2026-02","customer":"salon","paid_at":"2026-02-15T09:00:00Z","currency":"EUR","lines":[{"kind":"subscription","amount":{"minor":"100000","currency":"EUR"}}]}}');
INSERT INTO affiliate_v1_fixture.affiliate_events VALUES ('in_kiosk_2026-02', 'kiosk', 'in_kiosk_2026-02', 1770714000000000000, '947e821a993acf77e1d04a307420dee4f3ae6cdbfd49c1dc739d2b1aafab09ed', 'dora', '{"payment":{"id":"in_kiosk_2026-02","customer":"kiosk","paid_at":"2026-02-10T09:00:00Z","currency":"EUR","lines":[{"kind":"subscription","amount":{"minor":"50000","currency":"EUR"}}]}}');
INSERT INTO affiliate_v1_fixture.affiliate_events VALUES ('in_northwind_2026-02', 'northwind', 'in_northwind_2026-02', 1771578000000000000, '01b9cbf791026360af4c8c891da7083676adc1169cd9122fb8ae2e0f278c4d24', 'lena', '{"payment":{"id":"in_northwind_2026-02","customer":"northwind","paid_at":"2026-02-20T09:00:00Z","currency":"EUR","lines":[{"kind":"subscription","amount":{"minor":"80000","currency":"EUR"}}]}}');
INSERT INTO affiliate_v1_fixture.affiliate_events VALUES ('re_salon_2026-02', 'salon', 'in_salon_2026-02', 1771750800000000000, 'ec1eb115478508d49007832af3e8133819c8179531e844c631e8c5c6f598df71', 'bob', '{"refund":{"id":"re_salon_2026-02","payment":"in_salon_2026-02","customer":"salon","refunded_at":"2026-02-22T09:00:00Z","kind":"refund","full":false,"amount":{"minor":"40000","currency":"EUR"}}}');
INSERT INTO affiliate_v1_fixture.affiliate_events VALUES ('cb_kiosk_2026-02', 'kiosk', 'in_kiosk_2026-02', 1772010000000000000, 'e69f901ae7aeb16e6aef703b57a37a0814006db9bcf09db5209215ebdf35182b', 'dora', '{"refund":{"id":"cb_kiosk_2026-02","payment":"in_kiosk_2026-02","customer":"kiosk","refunded_at":"2026-02-25T09:00:00Z","kind":"chargeback","full":true,"amount":{"minor":"0"}}}');
INSERT INTO affiliate_v1_fixture.affiliate_events VALUES ('in_harbor_2026-03', 'harbor', 'in_harbor_2026-03', 1773133200000000000, '34072b5fc8f2da3d2c299fc7351b0a333b90b399d201342e0193c5e5ad9e6bc9', 'ann', '{"payment":{"id":"in_harbor_2026-03","customer":"harbor","paid_at":"2026-03-10T09:00:00Z","currency":"EUR","lines":[{"kind":"subscription","amount":{"minor":"400000","currency":"EUR"}}]}}');
INSERT INTO affiliate_v1_fixture.affiliate_events VALUES ('re_nyc_2026-03', 'nyc', 'in_nyc_2026-03', 1773478800000000000, '5fb427b9337c9d73e83a19d93f90d6782fb0b3c31941df878c77f3349b0057cf', '', '{"refund":{"id":"re_nyc_2026-03","payment":"in_nyc_2026-03","customer":"nyc","refunded_at":"2026-03-14T09:00:00Z","kind":"refund","full":false,"amount":{"minor":"50000","currency":"USD"}}}');
INSERT INTO affiliate_v1_fixture.affiliate_events VALUES ('in_nyc_2026-03', 'nyc', 'in_nyc_2026-03', 1773306000000000000, '688329fb0488551140de013ee21327af3a4d15ae8ce0806407773877a17457b8', 'ann', '{"payment":{"id":"in_nyc_2026-03","customer":"nyc","paid_at":"2026-03-12T09:00:00Z","currency":"USD","lines":[{"kind":"subscription","amount":{"minor":"300000","currency":"USD"}}],"conversion_to":"EUR","conversion_rate":"0.91"}}');
INSERT INTO affiliate_v1_fixture.affiliate_events VALUES ('re_northwind_setup', 'northwind', 'in_northwind_setup', 1772960400000000000, 'aca26f33bfccbf04efd7b4d747b118deb5724987570ca3fae8a924f0329c803f', '', '{"refund":{"id":"re_northwind_setup","payment":"in_northwind_setup","customer":"northwind","refunded_at":"2026-03-08T09:00:00Z","kind":"refund","full":true,"amount":{"minor":"0"}}}');
INSERT INTO affiliate_v1_fixture.affiliate_events VALUES ('in_salon_2026-03', 'salon', 'in_salon_2026-03', 1773565200000000000, 'b33fc2c0bbe017e26606fd7b9776c3da656ba20672b6afbaab40e924728e0704', 'bob', '{"payment":{"id":"in_salon_2026-03","customer":"salon","paid_at":"2026-03-15T09:00:00Z","currency":"EUR","lines":[{"kind":"subscription","amount":{"minor":"100000","currency":"EUR"}}]}}');
INSERT INTO affiliate_v1_fixture.affiliate_events VALUES ('in_kiosk_2026-03', 'kiosk', 'in_kiosk_2026-03', 1773651600000000000, '555006aa10d14752d87bf78c79d83b1a6fdba3178ff7e470f3ca45bea77378a7', 'dora', '{"payment":{"id":"in_kiosk_2026-03","customer":"kiosk","paid_at":"2026-03-16T09:00:00Z","currency":"EUR","lines":[{"kind":"subscription","amount":{"minor":"50000","currency":"EUR"}}]}}');
INSERT INTO affiliate_v1_fixture.affiliate_events VALUES ('in_northwind_2026-03', 'northwind', 'in_northwind_2026-03', 1773997200000000000, 'e992aa8d2dc9c2ee9a92880c1030d6d0388bb7dc40d391cc91877a071d200eed', 'lena', '{"payment":{"id":"in_northwind_2026-03","customer":"northwind","paid_at":"2026-03-20T09:00:00Z","currency":"EUR","lines":[{"kind":"subscription","amount":{"minor":"80000","currency":"EUR"}}]}}');
INSERT INTO affiliate_v1_fixture.affiliate_events VALUES ('in_harbor_2026-01b', 'harbor', 'in_harbor_2026-01b', 1769590800000000000, '6457f8b2271c17e8fed8c9a86eb0df38ddb8029ec41705fcfa84322c274ecb34', 'ann', '{"payment":{"id":"in_harbor_2026-01b","customer":"harbor","paid_at":"2026-01-28T09:00:00Z","currency":"EUR","lines":[{"kind":"add_on","amount":{"minor":"350000","currency":"EUR"}}]}}');


--
-- Data for Name: affiliate_idempotency_keys; Type: TABLE DATA; Schema: affiliate_v1_fixture; Owner: -
--

INSERT INTO affiliate_v1_fixture.affiliate_idempotency_keys VALUES ('event:in_harbor_2026-01', '250879c485063f0b4b7a56ad8d999748eb0cd3026d36b7796a772f24cf8b6d67');
INSERT INTO affiliate_v1_fixture.affiliate_idempotency_keys VALUES ('event:in_walkin_2026-01', '636a007ec7718f692e35a951afdb788f235c331aa6f45d708974ee995755232d');
INSERT INTO affiliate_v1_fixture.affiliate_idempotency_keys VALUES ('event:in_nyc_2026-01', 'ed87242f904b4707c3c70f0898dd27c0bd76681f2124fec8dee3c8116433343a');
INSERT INTO affiliate_v1_fixture.affiliate_idempotency_keys VALUES ('event:in_salon_2026-01', '148810083f2251275f205e03a313538991114e1b1d9f126a2dea026b17f273a0');
INSERT INTO affiliate_v1_fixture.affiliate_idempotency_keys VALUES ('event:in_kiosk_2026-01', '04a0c542ee709ca38de12c0e8a61ebae4d7578faf664da0d13b62fb55dc9bee5');
INSERT INTO affiliate_v1_fixture.affiliate_idempotency_keys VALUES ('event:in_northwind_2026-01', 'eaf2c9d179fb10fb1b5ca7a6621f2d865041bc7c5ce22c005c1b16cecbd74186');
INSERT INTO affiliate_v1_fixture.affiliate_idempotency_keys VALUES ('tiers:default:2026-01:1', '91e0053246038769458f657a2db7659af7c2cd1c094b355e29e3a8980ea79b31');
INSERT INTO affiliate_v1_fixture.affiliate_idempotency_keys VALUES ('event:in_harbor_2026-02', '6e98ab01d317e2727d4b6e7941a0561e0af9d3344d41f3d38ccd6d97110c1ffc');
INSERT INTO affiliate_v1_fixture.affiliate_idempotency_keys VALUES ('event:in_nyc_2026-02', '7f194056f57558fa1dd3fea69aeb1b5fbb5e9b909ac97653af7dfd93eb5a60be');
INSERT INTO affiliate_v1_fixture.affiliate_idempotency_keys VALUES ('event:in_salon_2026-02', 'dfc9ff1e8d6c413bad324c93f8eb89950f1fc7833527cda60c5afeea9cad7e9a');
INSERT INTO affiliate_v1_fixture.affiliate_idempotency_keys VALUES ('event:in_kiosk_2026-02', '947e821a993acf77e1d04a307420dee4f3ae6cdbfd49c1dc739d2b1aafab09ed');
INSERT INTO affiliate_v1_fixture.affiliate_idempotency_keys VALUES ('event:in_northwind_2026-02', '01b9cbf791026360af4c8c891da7083676adc1169cd9122fb8ae2e0f278c4d24');
INSERT INTO affiliate_v1_fixture.affiliate_idempotency_keys VALUES ('event:re_salon_2026-02', 'ec1eb115478508d49007832af3e8133819c8179531e844c631e8c5c6f598df71');
INSERT INTO affiliate_v1_fixture.affiliate_idempotency_keys VALUES ('event:cb_kiosk_2026-02', 'e69f901ae7aeb16e6aef703b57a37a0814006db9bcf09db5209215ebdf35182b');
INSERT INTO affiliate_v1_fixture.affiliate_idempotency_keys VALUES ('tiers:default:2026-02:1', 'f6b92d3e45ce4b136d30d046960d1d89c9d51b8de43337fd770c6d7dfbd8daa6');
INSERT INTO affiliate_v1_fixture.affiliate_idempotency_keys VALUES ('event:in_harbor_2026-03', '34072b5fc8f2da3d2c299fc7351b0a333b90b399d201342e0193c5e5ad9e6bc9');
INSERT INTO affiliate_v1_fixture.affiliate_idempotency_keys VALUES ('event:re_nyc_2026-03', '5fb427b9337c9d73e83a19d93f90d6782fb0b3c31941df878c77f3349b0057cf');
INSERT INTO affiliate_v1_fixture.affiliate_idempotency_keys VALUES ('event:in_nyc_2026-03', '688329fb0488551140de013ee21327af3a4d15ae8ce0806407773877a17457b8');
INSERT INTO affiliate_v1_fixture.affiliate_idempotency_keys VALUES ('event:re_northwind_setup', 'aca26f33bfccbf04efd7b4d747b118deb5724987570ca3fae8a924f0329c803f');
INSERT INTO affiliate_v1_fixture.affiliate_idempotency_keys VALUES ('event:in_salon_2026-03', 'b33fc2c0bbe017e26606fd7b9776c3da656ba20672b6afbaab40e924728e0704');
INSERT INTO affiliate_v1_fixture.affiliate_idempotency_keys VALUES ('event:in_kiosk_2026-03', '555006aa10d14752d87bf78c79d83b1a6fdba3178ff7e470f3ca45bea77378a7');
INSERT INTO affiliate_v1_fixture.affiliate_idempotency_keys VALUES ('event:in_northwind_2026-03', 'e992aa8d2dc9c2ee9a92880c1030d6d0388bb7dc40d391cc91877a071d200eed');
INSERT INTO affiliate_v1_fixture.affiliate_idempotency_keys VALUES ('event:in_harbor_2026-01b', '6457f8b2271c17e8fed8c9a86eb0df38ddb8029ec41705fcfa84322c274ecb34');
INSERT INTO affiliate_v1_fixture.affiliate_idempotency_keys VALUES ('tiers:default:2026-03:1', '26bbcea13430c3d73c7d63cb701e32d92983a0e02e6413147451922dd72d5cc5');
INSERT INTO affiliate_v1_fixture.affiliate_idempotency_keys VALUES ('tiers:default:2026-01:2', 'bfeedaeeb47aae71521b51cccae15973159d9a9a153a0d97d3e3fab03ffff330');
INSERT INTO affiliate_v1_fixture.affiliate_idempotency_keys VALUES ('tiers:default:2026-02:2', '4d557bb86966fc84a0c9e742aa0a1ab41d3b95fbe8f4eac095e254dc9395718d');


--
-- Data for Name: affiliate_lead_keys; Type: TABLE DATA; Schema: affiliate_v1_fixture; Owner: -
--

INSERT INTO affiliate_v1_fixture.affiliate_lead_keys VALUES ('northwind.de', 'lead-northwind', 1767603600000000000, true);


--
-- Data for Name: affiliate_leads; Type: TABLE DATA; Schema: affiliate_v1_fixture; Owner: -
--

INSERT INTO affiliate_v1_fixture.affiliate_leads VALUES ('lead-northwind', 'lena', 'Northwind GmbH', 'anna@northwind.de', 'https://northwind.de', 'https://www.linkedin.com/company/northwind-gmbh', false, 'converted', 'null', 1767603600000000000, 1767603600000000000, 'northwind', 1767949200000000000);


--
-- Data for Name: affiliate_open_entries; Type: TABLE DATA; Schema: affiliate_v1_fixture; Owner: -
--

INSERT INTO affiliate_v1_fixture.affiliate_open_entries VALUES ('in_kiosk_2026-01/1', 'dora', 1770109200000000000, 'EUR', 7500);
INSERT INTO affiliate_v1_fixture.affiliate_open_entries VALUES ('in_kiosk_2026-02/1', 'dora', 1771923600000000000, 'EUR', 7500);
INSERT INTO affiliate_v1_fixture.affiliate_open_entries VALUES ('cb_kiosk_2026-02/1', 'dora', 1772010000000000000, 'EUR', -7500);
INSERT INTO affiliate_v1_fixture.affiliate_open_entries VALUES ('in_northwind_2026-03/1', 'lena', 1775206800000000000, 'EUR', 12000);


--
-- Data for Name: affiliate_payout_carried; Type: TABLE DATA; Schema: affiliate_v1_fixture; Owner: -
--

INSERT INTO affiliate_v1_fixture.affiliate_payout_carried VALUES ('default', '2026-02', 0, 'bob', -6000, 'EUR', 'not_positive', 'balance -60.00 EUR is negative: it is carried and nets against later earnings');
INSERT INTO affiliate_v1_fixture.affiliate_payout_carried VALUES ('default', '2026-02', 1, 'dora', 7500, 'EUR', 'ineligible', 'not eligible: affiliate is suspended');
INSERT INTO affiliate_v1_fixture.affiliate_payout_carried VALUES ('default', '2026-03', 0, 'dora', 7500, 'EUR', 'ineligible', 'not eligible: affiliate is suspended');


--
-- Data for Name: affiliate_payout_entries; Type: TABLE DATA; Schema: affiliate_v1_fixture; Owner: -
--

INSERT INTO affiliate_v1_fixture.affiliate_payout_entries VALUES ('po_2026-01_3331ee4283a4204aef4ba2f3', 'in_harbor_2026-01/1', true);
INSERT INTO affiliate_v1_fixture.affiliate_payout_entries VALUES ('po_2026-01_3331ee4283a4204aef4ba2f3', 'in_salon_2026-01/2', true);
INSERT INTO affiliate_v1_fixture.affiliate_payout_entries VALUES ('po_2026-01_7529c66896fd3048a3739af9', 'in_nyc_2026-01/1', true);
INSERT INTO affiliate_v1_fixture.affiliate_payout_entries VALUES ('po_2026-01_e5fe1ef64f9e32cd4286db97', 'in_salon_2026-01/1', true);
INSERT INTO affiliate_v1_fixture.affiliate_payout_entries VALUES ('po_2026-02_db5278984cd498097cf1448e', 'in_harbor_2026-02/1', true);
INSERT INTO affiliate_v1_fixture.affiliate_payout_entries VALUES ('po_2026-02_db5278984cd498097cf1448e', 're_salon_2026-02/2', true);
INSERT INTO affiliate_v1_fixture.affiliate_payout_entries VALUES ('po_2026-02_71801d39bddba84a8c245166', 'in_nyc_2026-02/1', true);
INSERT INTO affiliate_v1_fixture.affiliate_payout_entries VALUES ('po_2026-02_af0dd2d6758fcb1a1ae8e01c', 'in_northwind_2026-01/1', true);
INSERT INTO affiliate_v1_fixture.affiliate_payout_entries VALUES ('po_2026-03_9cb7d001fd1e699995788e00', 'in_harbor_2026-01b/1', true);
INSERT INTO affiliate_v1_fixture.affiliate_payout_entries VALUES ('po_2026-03_9cb7d001fd1e699995788e00', 'tiers:default:2026-02:2:in_harbor_2026-02/1:adj', true);
INSERT INTO affiliate_v1_fixture.affiliate_payout_entries VALUES ('po_2026-03_9cb7d001fd1e699995788e00', 'in_salon_2026-02/2', true);
INSERT INTO affiliate_v1_fixture.affiliate_payout_entries VALUES ('po_2026-03_9cb7d001fd1e699995788e00', 'in_harbor_2026-03/1', true);
INSERT INTO affiliate_v1_fixture.affiliate_payout_entries VALUES ('po_2026-03_9cb7d001fd1e699995788e00', 'in_salon_2026-03/2', true);
INSERT INTO affiliate_v1_fixture.affiliate_payout_entries VALUES ('po_2026-03_fcbda2e443ce8b0503204a2a', 'tiers:default:2026-02:2:in_nyc_2026-02/1:adj', true);
INSERT INTO affiliate_v1_fixture.affiliate_payout_entries VALUES ('po_2026-03_fcbda2e443ce8b0503204a2a', 'in_nyc_2026-03/1', true);
INSERT INTO affiliate_v1_fixture.affiliate_payout_entries VALUES ('po_2026-03_fcbda2e443ce8b0503204a2a', 'in_nyc_2026-03/2', true);
INSERT INTO affiliate_v1_fixture.affiliate_payout_entries VALUES ('po_2026-03_6828e1ad3c5991ea46ce38a8', 'in_salon_2026-02/1', true);
INSERT INTO affiliate_v1_fixture.affiliate_payout_entries VALUES ('po_2026-03_6828e1ad3c5991ea46ce38a8', 're_salon_2026-02/1', true);
INSERT INTO affiliate_v1_fixture.affiliate_payout_entries VALUES ('po_2026-03_6828e1ad3c5991ea46ce38a8', 'in_salon_2026-03/1', true);
INSERT INTO affiliate_v1_fixture.affiliate_payout_entries VALUES ('po_2026-03_94b0afd7b1c33ca946267a5e', 'in_northwind_2026-02/1', true);


--
-- Data for Name: affiliate_payout_runs; Type: TABLE DATA; Schema: affiliate_v1_fixture; Owner: -
--

INSERT INTO affiliate_v1_fixture.affiliate_payout_runs VALUES ('default', '2026-01', '05713de18cc53349110d7efe1e71403c0c1e8b0e5af0adac2ce8dd3b3e68e73a', 1769925600000000000, true);
INSERT INTO affiliate_v1_fixture.affiliate_payout_runs VALUES ('default', '2026-02', 'f1063fe54e566fadc4334b0108563ff04d3e2d2c3c6aaae9997f51ed75fb8b8b', 1772344800000000000, false);
INSERT INTO affiliate_v1_fixture.affiliate_payout_runs VALUES ('default', '2026-03', '19616b710a066269c36ce443e89091594aa48e48f4b30046f1ef0344399ca89e', 1775023200000000000, false);


--
-- Data for Name: affiliate_payout_sums; Type: TABLE DATA; Schema: affiliate_v1_fixture; Owner: -
--

INSERT INTO affiliate_v1_fixture.affiliate_payout_sums VALUES ('bob', 'EUR', 24000, 15000);
INSERT INTO affiliate_v1_fixture.affiliate_payout_sums VALUES ('lena', 'EUR', 12000, 12000);
INSERT INTO affiliate_v1_fixture.affiliate_payout_sums VALUES ('ann', 'EUR', 0, 265500);
INSERT INTO affiliate_v1_fixture.affiliate_payout_sums VALUES ('ann', 'USD', 0, 142500);


--
-- Data for Name: affiliate_payouts; Type: TABLE DATA; Schema: affiliate_v1_fixture; Owner: -
--

INSERT INTO affiliate_v1_fixture.affiliate_payouts VALUES ('po_2026-01_3331ee4283a4204aef4ba2f3', 'default', '2026-01', 0, 'ann', 2026, 1, 'UTC', 65000, 'EUR', '["in_harbor_2026-01/1","in_salon_2026-01/2"]', 'paid', 1769925600000000000, 'sepa-2026-01-po_2026-01_3331ee4283a4204aef4ba2f3', 1770098400000000000, '');
INSERT INTO affiliate_v1_fixture.affiliate_payouts VALUES ('po_2026-01_7529c66896fd3048a3739af9', 'default', '2026-01', 1, 'ann', 2026, 1, 'UTC', 45000, 'USD', '["in_nyc_2026-01/1"]', 'paid', 1769925600000000000, 'sepa-2026-01-po_2026-01_7529c66896fd3048a3739af9', 1770098400000000000, '');
INSERT INTO affiliate_v1_fixture.affiliate_payouts VALUES ('po_2026-01_e5fe1ef64f9e32cd4286db97', 'default', '2026-01', 2, 'bob', 2026, 1, 'UTC', 15000, 'EUR', '["in_salon_2026-01/1"]', 'paid', 1769925600000000000, 'sepa-2026-01-po_2026-01_e5fe1ef64f9e32cd4286db97', 1770098400000000000, '');
INSERT INTO affiliate_v1_fixture.affiliate_payouts VALUES ('po_2026-02_db5278984cd498097cf1448e', 'default', '2026-02', 0, 'ann', 2026, 2, 'UTC', 58000, 'EUR', '["in_harbor_2026-02/1","re_salon_2026-02/2"]', 'paid', 1772344800000000000, 'sepa-2026-02-po_2026-02_db5278984cd498097cf1448e', 1772517600000000000, '');
INSERT INTO affiliate_v1_fixture.affiliate_payouts VALUES ('po_2026-02_71801d39bddba84a8c245166', 'default', '2026-02', 1, 'ann', 2026, 2, 'UTC', 45000, 'USD', '["in_nyc_2026-02/1"]', 'paid', 1772344800000000000, 'sepa-2026-02-po_2026-02_71801d39bddba84a8c245166', 1772517600000000000, '');
INSERT INTO affiliate_v1_fixture.affiliate_payouts VALUES ('po_2026-02_af0dd2d6758fcb1a1ae8e01c', 'default', '2026-02', 2, 'lena', 2026, 2, 'UTC', 12000, 'EUR', '["in_northwind_2026-01/1"]', 'paid', 1772344800000000000, 'sepa-2026-02-po_2026-02_af0dd2d6758fcb1a1ae8e01c', 1772517600000000000, '');
INSERT INTO affiliate_v1_fixture.affiliate_payouts VALUES ('po_2026-03_6828e1ad3c5991ea46ce38a8', 'default', '2026-03', 2, 'bob', 2026, 3, 'UTC', 24000, 'EUR', '["in_salon_2026-02/1","re_salon_2026-02/1","in_salon_2026-03/1"]', 'created', 1775023200000000000, '', -9223372036854775808, '');
INSERT INTO affiliate_v1_fixture.affiliate_payouts VALUES ('po_2026-03_94b0afd7b1c33ca946267a5e', 'default', '2026-03', 3, 'lena', 2026, 3, 'UTC', 12000, 'EUR', '["in_northwind_2026-02/1"]', 'created', 1775023200000000000, '', -9223372036854775808, '');
INSERT INTO affiliate_v1_fixture.affiliate_payouts VALUES ('po_2026-03_9cb7d001fd1e699995788e00', 'default', '2026-03', 0, 'ann', 2026, 3, 'UTC', 142500, 'EUR', '["in_harbor_2026-01b/1","tiers:default:2026-02:2:in_harbor_2026-02/1:adj","in_salon_2026-02/2","in_harbor_2026-03/1","in_salon_2026-03/2"]', 'paid', 1775023200000000000, 'sepa-2026-03-po_2026-03_9cb7d001fd1e699995788e00', 1775196000000000000, '');
INSERT INTO affiliate_v1_fixture.affiliate_payouts VALUES ('po_2026-03_fcbda2e443ce8b0503204a2a', 'default', '2026-03', 1, 'ann', 2026, 3, 'UTC', 52500, 'USD', '["tiers:default:2026-02:2:in_nyc_2026-02/1:adj","in_nyc_2026-03/1","in_nyc_2026-03/2"]', 'paid', 1775023200000000000, 'sepa-2026-03-po_2026-03_fcbda2e443ce8b0503204a2a', 1775196000000000000, '');


--
-- Data for Name: affiliate_schema_migrations; Type: TABLE DATA; Schema: affiliate_v1_fixture; Owner: -
--

INSERT INTO affiliate_v1_fixture.affiliate_schema_migrations VALUES (1, '0001_core', 1796303016235496364);
INSERT INTO affiliate_v1_fixture.affiliate_schema_migrations VALUES (2, '0002_attribution', 1796303016252837438);
INSERT INTO affiliate_v1_fixture.affiliate_schema_migrations VALUES (3, '0003_tiers', 1796303016267145534);
INSERT INTO affiliate_v1_fixture.affiliate_schema_migrations VALUES (4, '0004_payouts', 1796303016288521346);


--
-- Data for Name: affiliate_tier_closes; Type: TABLE DATA; Schema: affiliate_v1_fixture; Owner: -
--

INSERT INTO affiliate_v1_fixture.affiliate_tier_closes VALUES ('default', '2026-01', 1, 1769925600000000000, 'tiers:default:2026-01:1');
INSERT INTO affiliate_v1_fixture.affiliate_tier_closes VALUES ('default', '2026-02', 1, 1772344800000000000, 'tiers:default:2026-02:1');
INSERT INTO affiliate_v1_fixture.affiliate_tier_closes VALUES ('default', '2026-03', 1, 1775023200000000000, 'tiers:default:2026-03:1');
INSERT INTO affiliate_v1_fixture.affiliate_tier_closes VALUES ('default', '2026-01', 2, 1775023200000000000, 'tiers:default:2026-01:2');
INSERT INTO affiliate_v1_fixture.affiliate_tier_closes VALUES ('default', '2026-02', 2, 1775023200000000000, 'tiers:default:2026-02:2');


--
-- Data for Name: affiliate_tier_snapshots; Type: TABLE DATA; Schema: affiliate_v1_fixture; Owner: -
--

INSERT INTO affiliate_v1_fixture.affiliate_tier_snapshots VALUES ('default', '2026-01', 'ann', 1, 'revenue_converted', 691600, 'EUR', 0, 'Standard', 'Standard', '', 'Standard');
INSERT INTO affiliate_v1_fixture.affiliate_tier_snapshots VALUES ('default', '2026-01', 'bob', 1, 'revenue_converted', 100000, 'EUR', 0, 'Standard', 'Standard', '', 'Standard');
INSERT INTO affiliate_v1_fixture.affiliate_tier_snapshots VALUES ('default', '2026-01', 'dora', 1, 'revenue_converted', 50000, 'EUR', 0, 'Standard', 'Standard', '', 'Standard');
INSERT INTO affiliate_v1_fixture.affiliate_tier_snapshots VALUES ('default', '2026-01', 'lena', 1, 'revenue_converted', 95200, 'EUR', 0, 'Standard', 'Standard', '', 'Standard');
INSERT INTO affiliate_v1_fixture.affiliate_tier_snapshots VALUES ('default', '2026-02', 'ann', 1, 'revenue_converted', 676000, 'EUR', 0, 'Standard', 'Standard', '', 'Standard');
INSERT INTO affiliate_v1_fixture.affiliate_tier_snapshots VALUES ('default', '2026-02', 'bob', 1, 'revenue_converted', 60000, 'EUR', 0, 'Standard', 'Standard', '', 'Standard');
INSERT INTO affiliate_v1_fixture.affiliate_tier_snapshots VALUES ('default', '2026-02', 'dora', 1, 'revenue_converted', 0, 'EUR', 0, 'Standard', 'Standard', '', 'Standard');
INSERT INTO affiliate_v1_fixture.affiliate_tier_snapshots VALUES ('default', '2026-02', 'lena', 1, 'revenue_converted', 80000, 'EUR', 0, 'Standard', 'Standard', '', 'Standard');
INSERT INTO affiliate_v1_fixture.affiliate_tier_snapshots VALUES ('default', '2026-03', 'ann', 1, 'revenue_converted', 627500, 'EUR', 0, 'Standard', 'Standard', '', 'Standard');
INSERT INTO affiliate_v1_fixture.affiliate_tier_snapshots VALUES ('default', '2026-03', 'bob', 1, 'revenue_converted', 100000, 'EUR', 0, 'Standard', 'Standard', '', 'Standard');
INSERT INTO affiliate_v1_fixture.affiliate_tier_snapshots VALUES ('default', '2026-03', 'dora', 1, 'revenue_converted', 50000, 'EUR', 0, 'Standard', 'Standard', '', 'Standard');
INSERT INTO affiliate_v1_fixture.affiliate_tier_snapshots VALUES ('default', '2026-03', 'lena', 1, 'revenue_converted', 80000, 'EUR', 0, 'Standard', 'Standard', '', 'Standard');
INSERT INTO affiliate_v1_fixture.affiliate_tier_snapshots VALUES ('default', '2026-01', 'ann', 2, 'revenue_converted', 1041600, 'EUR', 0, 'Premium', 'Premium', '', 'Standard');
INSERT INTO affiliate_v1_fixture.affiliate_tier_snapshots VALUES ('default', '2026-02', 'ann', 2, 'revenue_converted', 676000, 'EUR', 0, 'Standard', 'Standard', '', 'Premium');


--
-- Data for Name: affiliate_touches; Type: TABLE DATA; Schema: affiliate_v1_fixture; Owner: -
--

INSERT INTO affiliate_v1_fixture.affiliate_touches VALUES ('t_1', 'v-harbor', 'ann', 'ann', 'link', 1766221200000000000, '', '', '', '');
INSERT INTO affiliate_v1_fixture.affiliate_touches VALUES ('t_2', 'v-harbor', 'bob', 'bob', 'link', 1767430800000000000, '', '', '', '');
INSERT INTO affiliate_v1_fixture.affiliate_touches VALUES ('t_3', 'v-nyc', 'ann', 'ann', 'link', 1767344400000000000, '', '', '', '');
INSERT INTO affiliate_v1_fixture.affiliate_touches VALUES ('t_4', 'v-kiosk', 'dora', 'dora', 'link', 1767517200000000000, '', '', '', '');
INSERT INTO affiliate_v1_fixture.affiliate_touches VALUES ('t_5', 'v-salon', 'dora', 'dora', 'link', 1767517200000000000, '', '', '', '');


--
-- Name: affiliate_affiliates affiliate_affiliates_pkey; Type: CONSTRAINT; Schema: affiliate_v1_fixture; Owner: -
--

ALTER TABLE ONLY affiliate_v1_fixture.affiliate_affiliates
    ADD CONSTRAINT affiliate_affiliates_pkey PRIMARY KEY (id);


--
-- Name: affiliate_aggregates affiliate_aggregates_pkey; Type: CONSTRAINT; Schema: affiliate_v1_fixture; Owner: -
--

ALTER TABLE ONLY affiliate_v1_fixture.affiliate_aggregates
    ADD CONSTRAINT affiliate_aggregates_pkey PRIMARY KEY (affiliate, metric, period, currency, shard);


--
-- Name: affiliate_bindings affiliate_bindings_pkey; Type: CONSTRAINT; Schema: affiliate_v1_fixture; Owner: -
--

ALTER TABLE ONLY affiliate_v1_fixture.affiliate_bindings
    ADD CONSTRAINT affiliate_bindings_pkey PRIMARY KEY (customer);


--
-- Name: affiliate_codes affiliate_codes_pkey; Type: CONSTRAINT; Schema: affiliate_v1_fixture; Owner: -
--

ALTER TABLE ONLY affiliate_v1_fixture.affiliate_codes
    ADD CONSTRAINT affiliate_codes_pkey PRIMARY KEY (code);


--
-- Name: affiliate_customer_states affiliate_customer_states_pkey; Type: CONSTRAINT; Schema: affiliate_v1_fixture; Owner: -
--

ALTER TABLE ONLY affiliate_v1_fixture.affiliate_customer_states
    ADD CONSTRAINT affiliate_customer_states_pkey PRIMARY KEY (customer);


--
-- Name: affiliate_entries affiliate_entries_idem_key_key_pos_key; Type: CONSTRAINT; Schema: affiliate_v1_fixture; Owner: -
--

ALTER TABLE ONLY affiliate_v1_fixture.affiliate_entries
    ADD CONSTRAINT affiliate_entries_idem_key_key_pos_key UNIQUE (idem_key, key_pos);


--
-- Name: affiliate_entries affiliate_entries_pkey; Type: CONSTRAINT; Schema: affiliate_v1_fixture; Owner: -
--

ALTER TABLE ONLY affiliate_v1_fixture.affiliate_entries
    ADD CONSTRAINT affiliate_entries_pkey PRIMARY KEY (id);


--
-- Name: affiliate_events affiliate_events_pkey; Type: CONSTRAINT; Schema: affiliate_v1_fixture; Owner: -
--

ALTER TABLE ONLY affiliate_v1_fixture.affiliate_events
    ADD CONSTRAINT affiliate_events_pkey PRIMARY KEY (id);


--
-- Name: affiliate_idempotency_keys affiliate_idempotency_keys_pkey; Type: CONSTRAINT; Schema: affiliate_v1_fixture; Owner: -
--

ALTER TABLE ONLY affiliate_v1_fixture.affiliate_idempotency_keys
    ADD CONSTRAINT affiliate_idempotency_keys_pkey PRIMARY KEY (key);


--
-- Name: affiliate_lead_keys affiliate_lead_keys_pkey; Type: CONSTRAINT; Schema: affiliate_v1_fixture; Owner: -
--

ALTER TABLE ONLY affiliate_v1_fixture.affiliate_lead_keys
    ADD CONSTRAINT affiliate_lead_keys_pkey PRIMARY KEY (key, lead);


--
-- Name: affiliate_leads affiliate_leads_pkey; Type: CONSTRAINT; Schema: affiliate_v1_fixture; Owner: -
--

ALTER TABLE ONLY affiliate_v1_fixture.affiliate_leads
    ADD CONSTRAINT affiliate_leads_pkey PRIMARY KEY (id);


--
-- Name: affiliate_open_entries affiliate_open_entries_pkey; Type: CONSTRAINT; Schema: affiliate_v1_fixture; Owner: -
--

ALTER TABLE ONLY affiliate_v1_fixture.affiliate_open_entries
    ADD CONSTRAINT affiliate_open_entries_pkey PRIMARY KEY (entry);


--
-- Name: affiliate_payout_carried affiliate_payout_carried_pkey; Type: CONSTRAINT; Schema: affiliate_v1_fixture; Owner: -
--

ALTER TABLE ONLY affiliate_v1_fixture.affiliate_payout_carried
    ADD CONSTRAINT affiliate_payout_carried_pkey PRIMARY KEY (program, period, pos);


--
-- Name: affiliate_payout_entries affiliate_payout_entries_pkey; Type: CONSTRAINT; Schema: affiliate_v1_fixture; Owner: -
--

ALTER TABLE ONLY affiliate_v1_fixture.affiliate_payout_entries
    ADD CONSTRAINT affiliate_payout_entries_pkey PRIMARY KEY (payout, entry);


--
-- Name: affiliate_payout_runs affiliate_payout_runs_pkey; Type: CONSTRAINT; Schema: affiliate_v1_fixture; Owner: -
--

ALTER TABLE ONLY affiliate_v1_fixture.affiliate_payout_runs
    ADD CONSTRAINT affiliate_payout_runs_pkey PRIMARY KEY (program, period);


--
-- Name: affiliate_payout_sums affiliate_payout_sums_pkey; Type: CONSTRAINT; Schema: affiliate_v1_fixture; Owner: -
--

ALTER TABLE ONLY affiliate_v1_fixture.affiliate_payout_sums
    ADD CONSTRAINT affiliate_payout_sums_pkey PRIMARY KEY (affiliate, currency);


--
-- Name: affiliate_payouts affiliate_payouts_pkey; Type: CONSTRAINT; Schema: affiliate_v1_fixture; Owner: -
--

ALTER TABLE ONLY affiliate_v1_fixture.affiliate_payouts
    ADD CONSTRAINT affiliate_payouts_pkey PRIMARY KEY (id);


--
-- Name: affiliate_payouts affiliate_payouts_program_run_period_pos_key; Type: CONSTRAINT; Schema: affiliate_v1_fixture; Owner: -
--

ALTER TABLE ONLY affiliate_v1_fixture.affiliate_payouts
    ADD CONSTRAINT affiliate_payouts_program_run_period_pos_key UNIQUE (program, run_period, pos);


--
-- Name: affiliate_schema_migrations affiliate_schema_migrations_pkey; Type: CONSTRAINT; Schema: affiliate_v1_fixture; Owner: -
--

ALTER TABLE ONLY affiliate_v1_fixture.affiliate_schema_migrations
    ADD CONSTRAINT affiliate_schema_migrations_pkey PRIMARY KEY (version);


--
-- Name: affiliate_tier_closes affiliate_tier_closes_pkey; Type: CONSTRAINT; Schema: affiliate_v1_fixture; Owner: -
--

ALTER TABLE ONLY affiliate_v1_fixture.affiliate_tier_closes
    ADD CONSTRAINT affiliate_tier_closes_pkey PRIMARY KEY (program, period, revision);


--
-- Name: affiliate_tier_snapshots affiliate_tier_snapshots_pkey; Type: CONSTRAINT; Schema: affiliate_v1_fixture; Owner: -
--

ALTER TABLE ONLY affiliate_v1_fixture.affiliate_tier_snapshots
    ADD CONSTRAINT affiliate_tier_snapshots_pkey PRIMARY KEY (program, period, affiliate, revision);


--
-- Name: affiliate_touches affiliate_touches_pkey; Type: CONSTRAINT; Schema: affiliate_v1_fixture; Owner: -
--

ALTER TABLE ONLY affiliate_v1_fixture.affiliate_touches
    ADD CONSTRAINT affiliate_touches_pkey PRIMARY KEY (id);


--
-- Name: affiliate_affiliates_by_parent; Type: INDEX; Schema: affiliate_v1_fixture; Owner: -
--

CREATE INDEX affiliate_affiliates_by_parent ON affiliate_v1_fixture.affiliate_affiliates USING btree (parent) WHERE (parent IS NOT NULL);


--
-- Name: affiliate_aggregates_by_period; Type: INDEX; Schema: affiliate_v1_fixture; Owner: -
--

CREATE INDEX affiliate_aggregates_by_period ON affiliate_v1_fixture.affiliate_aggregates USING btree (period, metric, affiliate, currency, shard);


--
-- Name: affiliate_bindings_by_affiliate; Type: INDEX; Schema: affiliate_v1_fixture; Owner: -
--

CREATE INDEX affiliate_bindings_by_affiliate ON affiliate_v1_fixture.affiliate_bindings USING btree (affiliate, bound_ns);


--
-- Name: affiliate_bindings_by_time; Type: INDEX; Schema: affiliate_v1_fixture; Owner: -
--

CREATE INDEX affiliate_bindings_by_time ON affiliate_v1_fixture.affiliate_bindings USING btree (bound_ns);


--
-- Name: affiliate_codes_by_affiliate; Type: INDEX; Schema: affiliate_v1_fixture; Owner: -
--

CREATE INDEX affiliate_codes_by_affiliate ON affiliate_v1_fixture.affiliate_codes USING btree (affiliate);


--
-- Name: affiliate_entries_by_at; Type: INDEX; Schema: affiliate_v1_fixture; Owner: -
--

CREATE INDEX affiliate_entries_by_at ON affiliate_v1_fixture.affiliate_entries USING btree (at_ns, id) INCLUDE (currency, amount_minor);


--
-- Name: affiliate_entries_by_beneficiary; Type: INDEX; Schema: affiliate_v1_fixture; Owner: -
--

CREATE INDEX affiliate_entries_by_beneficiary ON affiliate_v1_fixture.affiliate_entries USING btree (beneficiary, at_ns, id);


--
-- Name: affiliate_entries_by_customer; Type: INDEX; Schema: affiliate_v1_fixture; Owner: -
--

CREATE INDEX affiliate_entries_by_customer ON affiliate_v1_fixture.affiliate_entries USING btree (customer, at_ns, id);


--
-- Name: affiliate_entries_by_event; Type: INDEX; Schema: affiliate_v1_fixture; Owner: -
--

CREATE INDEX affiliate_entries_by_event ON affiliate_v1_fixture.affiliate_entries USING btree (event, at_ns, id);


--
-- Name: affiliate_entries_by_payment; Type: INDEX; Schema: affiliate_v1_fixture; Owner: -
--

CREATE INDEX affiliate_entries_by_payment ON affiliate_v1_fixture.affiliate_entries USING btree (payment, at_ns, id);


--
-- Name: affiliate_events_by_customer; Type: INDEX; Schema: affiliate_v1_fixture; Owner: -
--

CREATE INDEX affiliate_events_by_customer ON affiliate_v1_fixture.affiliate_events USING btree (customer, time_ns, id);


--
-- Name: affiliate_events_by_payment; Type: INDEX; Schema: affiliate_v1_fixture; Owner: -
--

CREATE INDEX affiliate_events_by_payment ON affiliate_v1_fixture.affiliate_events USING btree (payment, time_ns, id);


--
-- Name: affiliate_lead_keys_by_key; Type: INDEX; Schema: affiliate_v1_fixture; Owner: -
--

CREATE INDEX affiliate_lead_keys_by_key ON affiliate_v1_fixture.affiliate_lead_keys USING btree (key, submitted_ns, lead);


--
-- Name: affiliate_lead_keys_by_lead; Type: INDEX; Schema: affiliate_v1_fixture; Owner: -
--

CREATE INDEX affiliate_lead_keys_by_lead ON affiliate_v1_fixture.affiliate_lead_keys USING btree (lead);


--
-- Name: affiliate_lead_keys_held; Type: INDEX; Schema: affiliate_v1_fixture; Owner: -
--

CREATE UNIQUE INDEX affiliate_lead_keys_held ON affiliate_v1_fixture.affiliate_lead_keys USING btree (key) WHERE holds;


--
-- Name: affiliate_open_entries_by_available; Type: INDEX; Schema: affiliate_v1_fixture; Owner: -
--

CREATE INDEX affiliate_open_entries_by_available ON affiliate_v1_fixture.affiliate_open_entries USING btree (available_ns) INCLUDE (currency, amount_minor);


--
-- Name: affiliate_open_entries_by_beneficiary; Type: INDEX; Schema: affiliate_v1_fixture; Owner: -
--

CREATE INDEX affiliate_open_entries_by_beneficiary ON affiliate_v1_fixture.affiliate_open_entries USING btree (beneficiary, available_ns) INCLUDE (currency, amount_minor);


--
-- Name: affiliate_payout_carried_by_affiliate; Type: INDEX; Schema: affiliate_v1_fixture; Owner: -
--

CREATE INDEX affiliate_payout_carried_by_affiliate ON affiliate_v1_fixture.affiliate_payout_carried USING btree (program, affiliate, period);


--
-- Name: affiliate_payout_entries_live; Type: INDEX; Schema: affiliate_v1_fixture; Owner: -
--

CREATE UNIQUE INDEX affiliate_payout_entries_live ON affiliate_v1_fixture.affiliate_payout_entries USING btree (entry) WHERE live;


--
-- Name: affiliate_payouts_by_affiliate; Type: INDEX; Schema: affiliate_v1_fixture; Owner: -
--

CREATE INDEX affiliate_payouts_by_affiliate ON affiliate_v1_fixture.affiliate_payouts USING btree (program, affiliate, run_period);


--
-- Name: affiliate_touches_by_affiliate; Type: INDEX; Schema: affiliate_v1_fixture; Owner: -
--

CREATE INDEX affiliate_touches_by_affiliate ON affiliate_v1_fixture.affiliate_touches USING btree (affiliate, at_ns);


--
-- Name: affiliate_touches_by_time; Type: INDEX; Schema: affiliate_v1_fixture; Owner: -
--

CREATE INDEX affiliate_touches_by_time ON affiliate_v1_fixture.affiliate_touches USING btree (at_ns);


--
-- Name: affiliate_touches_by_visitor; Type: INDEX; Schema: affiliate_v1_fixture; Owner: -
--

CREATE INDEX affiliate_touches_by_visitor ON affiliate_v1_fixture.affiliate_touches USING btree (visitor, at_ns, id);


--
-- Name: affiliate_entries affiliate_entries_append_only; Type: TRIGGER; Schema: affiliate_v1_fixture; Owner: -
--

CREATE TRIGGER affiliate_entries_append_only BEFORE DELETE OR UPDATE ON affiliate_v1_fixture.affiliate_entries FOR EACH ROW EXECUTE FUNCTION affiliate_v1_fixture.affiliate_append_only();


--
-- Name: affiliate_entries affiliate_entries_no_truncate; Type: TRIGGER; Schema: affiliate_v1_fixture; Owner: -
--

CREATE TRIGGER affiliate_entries_no_truncate BEFORE TRUNCATE ON affiliate_v1_fixture.affiliate_entries FOR EACH STATEMENT EXECUTE FUNCTION affiliate_v1_fixture.affiliate_append_only();


--
-- Name: affiliate_entries affiliate_entries_open; Type: TRIGGER; Schema: affiliate_v1_fixture; Owner: -
--

CREATE TRIGGER affiliate_entries_open AFTER INSERT ON affiliate_v1_fixture.affiliate_entries FOR EACH ROW EXECUTE FUNCTION affiliate_v1_fixture.affiliate_open_entry();


--
-- Name: affiliate_events affiliate_events_append_only; Type: TRIGGER; Schema: affiliate_v1_fixture; Owner: -
--

CREATE TRIGGER affiliate_events_append_only BEFORE DELETE OR UPDATE ON affiliate_v1_fixture.affiliate_events FOR EACH ROW EXECUTE FUNCTION affiliate_v1_fixture.affiliate_append_only();


--
-- Name: affiliate_events affiliate_events_no_truncate; Type: TRIGGER; Schema: affiliate_v1_fixture; Owner: -
--

CREATE TRIGGER affiliate_events_no_truncate BEFORE TRUNCATE ON affiliate_v1_fixture.affiliate_events FOR EACH STATEMENT EXECUTE FUNCTION affiliate_v1_fixture.affiliate_append_only();


--
-- Name: affiliate_idempotency_keys affiliate_idempotency_keys_append_only; Type: TRIGGER; Schema: affiliate_v1_fixture; Owner: -
--

CREATE TRIGGER affiliate_idempotency_keys_append_only BEFORE DELETE OR UPDATE ON affiliate_v1_fixture.affiliate_idempotency_keys FOR EACH ROW EXECUTE FUNCTION affiliate_v1_fixture.affiliate_append_only();


--
-- Name: affiliate_idempotency_keys affiliate_idempotency_keys_no_truncate; Type: TRIGGER; Schema: affiliate_v1_fixture; Owner: -
--

CREATE TRIGGER affiliate_idempotency_keys_no_truncate BEFORE TRUNCATE ON affiliate_v1_fixture.affiliate_idempotency_keys FOR EACH STATEMENT EXECUTE FUNCTION affiliate_v1_fixture.affiliate_append_only();


--
-- Name: affiliate_payout_carried affiliate_payout_carried_append_only; Type: TRIGGER; Schema: affiliate_v1_fixture; Owner: -
--

CREATE TRIGGER affiliate_payout_carried_append_only BEFORE DELETE OR UPDATE ON affiliate_v1_fixture.affiliate_payout_carried FOR EACH ROW EXECUTE FUNCTION affiliate_v1_fixture.affiliate_append_only();


--
-- Name: affiliate_payout_runs affiliate_payout_runs_append_only; Type: TRIGGER; Schema: affiliate_v1_fixture; Owner: -
--

CREATE TRIGGER affiliate_payout_runs_append_only BEFORE DELETE OR UPDATE ON affiliate_v1_fixture.affiliate_payout_runs FOR EACH ROW EXECUTE FUNCTION affiliate_v1_fixture.affiliate_append_only();


--
-- Name: affiliate_tier_closes affiliate_tier_closes_append_only; Type: TRIGGER; Schema: affiliate_v1_fixture; Owner: -
--

CREATE TRIGGER affiliate_tier_closes_append_only BEFORE DELETE OR UPDATE ON affiliate_v1_fixture.affiliate_tier_closes FOR EACH ROW EXECUTE FUNCTION affiliate_v1_fixture.affiliate_append_only();


--
-- Name: affiliate_tier_snapshots affiliate_tier_snapshots_append_only; Type: TRIGGER; Schema: affiliate_v1_fixture; Owner: -
--

CREATE TRIGGER affiliate_tier_snapshots_append_only BEFORE DELETE OR UPDATE ON affiliate_v1_fixture.affiliate_tier_snapshots FOR EACH ROW EXECUTE FUNCTION affiliate_v1_fixture.affiliate_append_only();


--
-- Name: affiliate_touches affiliate_touches_append_only; Type: TRIGGER; Schema: affiliate_v1_fixture; Owner: -
--

CREATE TRIGGER affiliate_touches_append_only BEFORE DELETE OR UPDATE ON affiliate_v1_fixture.affiliate_touches FOR EACH ROW EXECUTE FUNCTION affiliate_v1_fixture.affiliate_append_only();


--
-- Name: affiliate_touches affiliate_touches_no_truncate; Type: TRIGGER; Schema: affiliate_v1_fixture; Owner: -
--

CREATE TRIGGER affiliate_touches_no_truncate BEFORE TRUNCATE ON affiliate_v1_fixture.affiliate_touches FOR EACH STATEMENT EXECUTE FUNCTION affiliate_v1_fixture.affiliate_append_only();


--
-- Name: affiliate_affiliates affiliate_affiliates_parent_fkey; Type: FK CONSTRAINT; Schema: affiliate_v1_fixture; Owner: -
--

ALTER TABLE ONLY affiliate_v1_fixture.affiliate_affiliates
    ADD CONSTRAINT affiliate_affiliates_parent_fkey FOREIGN KEY (parent) REFERENCES affiliate_v1_fixture.affiliate_affiliates(id);


--
-- Name: affiliate_codes affiliate_codes_affiliate_fkey; Type: FK CONSTRAINT; Schema: affiliate_v1_fixture; Owner: -
--

ALTER TABLE ONLY affiliate_v1_fixture.affiliate_codes
    ADD CONSTRAINT affiliate_codes_affiliate_fkey FOREIGN KEY (affiliate) REFERENCES affiliate_v1_fixture.affiliate_affiliates(id);


--
-- Name: affiliate_entries affiliate_entries_idem_key_fkey; Type: FK CONSTRAINT; Schema: affiliate_v1_fixture; Owner: -
--

ALTER TABLE ONLY affiliate_v1_fixture.affiliate_entries
    ADD CONSTRAINT affiliate_entries_idem_key_fkey FOREIGN KEY (idem_key) REFERENCES affiliate_v1_fixture.affiliate_idempotency_keys(key);


--
-- Name: affiliate_lead_keys affiliate_lead_keys_lead_fkey; Type: FK CONSTRAINT; Schema: affiliate_v1_fixture; Owner: -
--

ALTER TABLE ONLY affiliate_v1_fixture.affiliate_lead_keys
    ADD CONSTRAINT affiliate_lead_keys_lead_fkey FOREIGN KEY (lead) REFERENCES affiliate_v1_fixture.affiliate_leads(id);


--
-- Name: affiliate_open_entries affiliate_open_entries_entry_fkey; Type: FK CONSTRAINT; Schema: affiliate_v1_fixture; Owner: -
--

ALTER TABLE ONLY affiliate_v1_fixture.affiliate_open_entries
    ADD CONSTRAINT affiliate_open_entries_entry_fkey FOREIGN KEY (entry) REFERENCES affiliate_v1_fixture.affiliate_entries(id);


--
-- Name: affiliate_payout_carried affiliate_payout_carried_program_period_fkey; Type: FK CONSTRAINT; Schema: affiliate_v1_fixture; Owner: -
--

ALTER TABLE ONLY affiliate_v1_fixture.affiliate_payout_carried
    ADD CONSTRAINT affiliate_payout_carried_program_period_fkey FOREIGN KEY (program, period) REFERENCES affiliate_v1_fixture.affiliate_payout_runs(program, period);


--
-- Name: affiliate_payout_entries affiliate_payout_entries_entry_fkey; Type: FK CONSTRAINT; Schema: affiliate_v1_fixture; Owner: -
--

ALTER TABLE ONLY affiliate_v1_fixture.affiliate_payout_entries
    ADD CONSTRAINT affiliate_payout_entries_entry_fkey FOREIGN KEY (entry) REFERENCES affiliate_v1_fixture.affiliate_entries(id);


--
-- Name: affiliate_payout_entries affiliate_payout_entries_payout_fkey; Type: FK CONSTRAINT; Schema: affiliate_v1_fixture; Owner: -
--

ALTER TABLE ONLY affiliate_v1_fixture.affiliate_payout_entries
    ADD CONSTRAINT affiliate_payout_entries_payout_fkey FOREIGN KEY (payout) REFERENCES affiliate_v1_fixture.affiliate_payouts(id);


--
-- Name: affiliate_payouts affiliate_payouts_program_run_period_fkey; Type: FK CONSTRAINT; Schema: affiliate_v1_fixture; Owner: -
--

ALTER TABLE ONLY affiliate_v1_fixture.affiliate_payouts
    ADD CONSTRAINT affiliate_payouts_program_run_period_fkey FOREIGN KEY (program, run_period) REFERENCES affiliate_v1_fixture.affiliate_payout_runs(program, period);


--
-- Name: affiliate_tier_closes affiliate_tier_closes_key_fkey; Type: FK CONSTRAINT; Schema: affiliate_v1_fixture; Owner: -
--

ALTER TABLE ONLY affiliate_v1_fixture.affiliate_tier_closes
    ADD CONSTRAINT affiliate_tier_closes_key_fkey FOREIGN KEY (key) REFERENCES affiliate_v1_fixture.affiliate_idempotency_keys(key);


--
-- Name: affiliate_tier_snapshots affiliate_tier_snapshots_program_period_revision_fkey; Type: FK CONSTRAINT; Schema: affiliate_v1_fixture; Owner: -
--

ALTER TABLE ONLY affiliate_v1_fixture.affiliate_tier_snapshots
    ADD CONSTRAINT affiliate_tier_snapshots_program_period_revision_fkey FOREIGN KEY (program, period, revision) REFERENCES affiliate_v1_fixture.affiliate_tier_closes(program, period, revision);


--
-- PostgreSQL database dump complete
--

\unrestrict TcawzNSjREv5tMGYm3GVVISNi42BwdJuRKTjjcaOphBnPoaFJvscs15dMwfA6FL

