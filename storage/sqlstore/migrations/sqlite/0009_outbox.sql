-- 0009_outbox: the outbox (SQLite). See migrations/postgres/0009_outbox.sql;
-- SQLite's writers are serial, the head row keeps both dialects alike.
CREATE TABLE affiliate_outbox (
    seq       INTEGER PRIMARY KEY CHECK (seq > 0),
    id        TEXT NOT NULL UNIQUE,
    type      TEXT NOT NULL,
    at_ns     INTEGER NOT NULL,
    program   TEXT NOT NULL,
    affiliate TEXT NOT NULL,
    payload   TEXT NOT NULL
) STRICT;
CREATE TRIGGER affiliate_outbox_no_update BEFORE UPDATE ON affiliate_outbox
BEGIN SELECT RAISE(ABORT, 'affiliate_outbox is append-only: UPDATE refused'); END;
CREATE TRIGGER affiliate_outbox_no_delete BEFORE DELETE ON affiliate_outbox
BEGIN SELECT RAISE(ABORT, 'affiliate_outbox is append-only: DELETE refused'); END;
CREATE TABLE affiliate_outbox_head (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    seq INTEGER NOT NULL
) STRICT;
CREATE TABLE affiliate_outbox_consumers (
    name   TEXT PRIMARY KEY,
    cursor INTEGER NOT NULL
) STRICT;
