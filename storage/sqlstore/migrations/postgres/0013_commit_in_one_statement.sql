-- 0013_commit_in_one_statement: the error a commit made as one statement
-- raises when a part of it wrote less than it should (a key seen before, a
-- state at another version, an event or entry already stored, an
-- aggregate that would overflow). The error rolls the statement back, and
-- the store makes the commit again statement by statement, which finds
-- the replay or the error to report. VOLATILE, so it runs only when
-- reached, never while the statement is planned.
CREATE FUNCTION affiliate_refuse_commit() RETURNS integer LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    RAISE EXCEPTION 'affiliate: commit refused, made again statement by statement'
        USING ERRCODE = 'AF001';
END
$$;
