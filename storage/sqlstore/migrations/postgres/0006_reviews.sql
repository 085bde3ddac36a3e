-- 0006_reviews: the review trail (holds, approvals, rejections) behind
-- storage.Reviews (PostgreSQL). A batch is its key's rows, seq 0 first:
-- the primary key makes of concurrent appends with one key exactly one
-- write; the others replay or mismatch on the hash of row 0.
CREATE TABLE affiliate_reviews (
    key       TEXT COLLATE "C" NOT NULL,
    seq       INTEGER NOT NULL,
    hash      TEXT NOT NULL,
    action    TEXT NOT NULL,
    entry     TEXT COLLATE "C" NOT NULL,
    customer  TEXT COLLATE "C" NOT NULL,
    affiliate TEXT COLLATE "C" NOT NULL,
    reason    TEXT NOT NULL,
    actor     TEXT NOT NULL,
    at_ns     BIGINT NOT NULL,
    id        BIGSERIAL NOT NULL, -- append order, for records of one time
    PRIMARY KEY (key, seq)
);
-- Reviews(q) by entry, customer or affiliate.
CREATE INDEX affiliate_reviews_entry ON affiliate_reviews (entry) WHERE entry <> '';
CREATE INDEX affiliate_reviews_customer ON affiliate_reviews (customer);
CREATE INDEX affiliate_reviews_affiliate ON affiliate_reviews (affiliate);
CREATE TRIGGER affiliate_reviews_append_only BEFORE UPDATE OR DELETE ON affiliate_reviews
    FOR EACH ROW EXECUTE FUNCTION affiliate_append_only();
CREATE TRIGGER affiliate_reviews_no_truncate BEFORE TRUNCATE ON affiliate_reviews
    FOR EACH STATEMENT EXECUTE FUNCTION affiliate_append_only();
