-- 0007_payee_profiles: payee profiles, one row per version (SQLite). See
-- migrations/postgres/0007_payee_profiles.sql.
CREATE TABLE affiliate_payee_profiles (
    affiliate         TEXT NOT NULL REFERENCES affiliate_affiliates (id),
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
    updated_ns        INTEGER NOT NULL,
    PRIMARY KEY (affiliate, version)
) STRICT;
CREATE TRIGGER affiliate_payee_profiles_no_update BEFORE UPDATE ON affiliate_payee_profiles
BEGIN SELECT RAISE(ABORT, 'affiliate_payee_profiles is append-only: UPDATE refused'); END;
CREATE TRIGGER affiliate_payee_profiles_no_delete BEFORE DELETE ON affiliate_payee_profiles
BEGIN SELECT RAISE(ABORT, 'affiliate_payee_profiles is append-only: DELETE refused'); END;
