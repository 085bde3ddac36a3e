-- 0012_outbox_numbered_when_read: a write appends its outbox rows without a
-- number, and Read numbers the rows whose writes have committed before it
-- reads (PostgreSQL only). Numbering at the write took the one row of
-- affiliate_outbox_head and held its lock through the commit's WAL flush,
-- so every writer that notified waited for the one before it to reach
-- disk. Now only readers take that lock, once per Read that finds rows
-- to number.
--
-- A row is numbered after its transaction committed, in the order of the
-- transaction ids, then of its rows within the transaction, so seq still
-- never shows n+1 before n, a write's events stay consecutive, and a write
-- that began after another committed gets the later numbers.
ALTER TABLE affiliate_outbox ADD COLUMN xact xid8 NOT NULL DEFAULT pg_current_xact_id();
ALTER TABLE affiliate_outbox ADD COLUMN draft BIGINT GENERATED ALWAYS AS IDENTITY;
ALTER TABLE affiliate_outbox DROP CONSTRAINT affiliate_outbox_pkey;
ALTER TABLE affiliate_outbox ALTER COLUMN seq DROP NOT NULL;
CREATE UNIQUE INDEX affiliate_outbox_seq ON affiliate_outbox (seq);
CREATE INDEX affiliate_outbox_unnumbered ON affiliate_outbox (xact, draft) WHERE seq IS NULL;

-- Still append-only but for the numbering: an UPDATE may only give a row
-- without a number its number, and change nothing else.
CREATE FUNCTION affiliate_outbox_number_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.seq IS NULL AND NEW.seq IS NOT NULL
       AND (NEW.id, NEW.type, NEW.at_ns, NEW.program, NEW.affiliate, NEW.payload, NEW.xact, NEW.draft)
           IS NOT DISTINCT FROM (OLD.id, OLD.type, OLD.at_ns, OLD.program, OLD.affiliate, OLD.payload, OLD.xact, OLD.draft) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$;
DROP TRIGGER affiliate_outbox_append_only ON affiliate_outbox;
CREATE TRIGGER affiliate_outbox_append_only BEFORE DELETE ON affiliate_outbox
    FOR EACH ROW EXECUTE FUNCTION affiliate_append_only();
CREATE TRIGGER affiliate_outbox_number_only BEFORE UPDATE ON affiliate_outbox
    FOR EACH ROW EXECUTE FUNCTION affiliate_outbox_number_only();
