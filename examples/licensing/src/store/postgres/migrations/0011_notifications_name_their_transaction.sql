-- A change's notification names the transaction that made it: `album 3,17
-- in 8812` instead of `album 3,17`. An instance that has already forgotten
-- what one of its own writes changed (it does so as the write answers)
-- knows that write's transaction, and skips its notification instead of
-- forgetting again, which would drop the page the write has just kept:
-- an album patched twice in a row then reads its page from memory the
-- second time, as the first patch left it. Everything else is as before:
-- another instance's notification, or one naming a transaction this
-- instance does not know, forgets what it names. An instance of an
-- earlier release cannot read the new form and forgets everything for
-- it, which is never stale, only slower, while both releases run.
CREATE OR REPLACE FUNCTION licensing_albums_notify(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF ids IS NULL THEN
        RETURN;
    ELSIF cardinality(ids) > 100 THEN
        PERFORM pg_notify('licensing_changes', '');
    ELSE
        PERFORM pg_notify('licensing_changes',
            'album ' || array_to_string(ids, ',') || ' in ' || txid_current());
    END IF;
END
$$;
