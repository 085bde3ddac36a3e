-- 0009_outbox: the outbox behind storage.Outbox (PostgreSQL). Each write
-- appends its events in its own transaction, last, after upserting the one
-- row of affiliate_outbox_head (absent: no event yet): its lock, held until commit, makes seq
-- follow commit order, so a reader never sees seq n+1 before n. id is
-- derived from the write and unique, so a replayed write that slipped
-- past its key could not notify twice. The log is append-only.
CREATE TABLE affiliate_outbox (
    seq       BIGINT PRIMARY KEY CHECK (seq > 0),
    id        TEXT COLLATE "C" NOT NULL UNIQUE,
    type      TEXT NOT NULL,
    at_ns     BIGINT NOT NULL,
    program   TEXT NOT NULL,
    affiliate TEXT COLLATE "C" NOT NULL,
    payload   TEXT NOT NULL
);
CREATE TRIGGER affiliate_outbox_append_only BEFORE UPDATE OR DELETE ON affiliate_outbox
    FOR EACH ROW EXECUTE FUNCTION affiliate_append_only();
CREATE TRIGGER affiliate_outbox_no_truncate BEFORE TRUNCATE ON affiliate_outbox
    FOR EACH STATEMENT EXECUTE FUNCTION affiliate_append_only();
CREATE TABLE affiliate_outbox_head (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    seq BIGINT NOT NULL
);
-- Consumers' acknowledged cursors.
CREATE TABLE affiliate_outbox_consumers (
    name   TEXT COLLATE "C" PRIMARY KEY,
    cursor BIGINT NOT NULL
);
