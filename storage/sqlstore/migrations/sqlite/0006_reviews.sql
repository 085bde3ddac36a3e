-- 0006_reviews: the review trail (SQLite). See
-- migrations/postgres/0006_reviews.sql.
CREATE TABLE affiliate_reviews (
    key       TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    hash      TEXT NOT NULL,
    action    TEXT NOT NULL,
    entry     TEXT NOT NULL,
    customer  TEXT NOT NULL,
    affiliate TEXT NOT NULL,
    reason    TEXT NOT NULL,
    actor     TEXT NOT NULL,
    at_ns     INTEGER NOT NULL,
    PRIMARY KEY (key, seq)
) STRICT; -- the rowid is the append order, for records of one time
CREATE INDEX affiliate_reviews_entry ON affiliate_reviews (entry) WHERE entry <> '';
CREATE INDEX affiliate_reviews_customer ON affiliate_reviews (customer);
CREATE INDEX affiliate_reviews_affiliate ON affiliate_reviews (affiliate);
CREATE TRIGGER affiliate_reviews_no_update BEFORE UPDATE ON affiliate_reviews
BEGIN SELECT RAISE(ABORT, 'affiliate_reviews is append-only: UPDATE refused'); END;
CREATE TRIGGER affiliate_reviews_no_delete BEFORE DELETE ON affiliate_reviews
BEGIN SELECT RAISE(ABORT, 'affiliate_reviews is append-only: DELETE refused'); END;
