-- 0007_payee_profiles: payee profiles, one row per version (PostgreSQL).
-- A change appends a version; UPDATE, DELETE and TRUNCATE are refused,
-- so a payout file can be traced to the details it was written from. The
-- primary key serves Profile (the highest version) and ProfileVersions,
-- and makes two concurrent puts of one version collide.
CREATE TABLE affiliate_payee_profiles (
    affiliate         TEXT COLLATE "C" NOT NULL REFERENCES affiliate_affiliates (id),
    version           INTEGER NOT NULL CHECK (version > 0),
    method            TEXT NOT NULL,
    currency          TEXT NOT NULL,
    account_holder    TEXT NOT NULL,
    iban              TEXT NOT NULL,
    bic               TEXT NOT NULL,
    email             TEXT NOT NULL,
    wise_recipient_id TEXT NOT NULL,
    other_details     TEXT NOT NULL,
    tax_form          TEXT NOT NULL,
    vat_number        TEXT NOT NULL,
    updated_ns        BIGINT NOT NULL,
    PRIMARY KEY (affiliate, version)
);
CREATE TRIGGER affiliate_payee_profiles_append_only BEFORE UPDATE OR DELETE ON affiliate_payee_profiles
    FOR EACH ROW EXECUTE FUNCTION affiliate_append_only();
CREATE TRIGGER affiliate_payee_profiles_no_truncate BEFORE TRUNCATE ON affiliate_payee_profiles
    FOR EACH STATEMENT EXECUTE FUNCTION affiliate_append_only();
