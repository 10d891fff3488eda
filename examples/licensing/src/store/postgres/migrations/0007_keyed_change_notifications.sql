-- Change notifications that name the albums they change, so an instance's
-- read cache forgets those albums' pages and keeps the rest
-- (`shared_cache`). Migration 2 notified an empty payload ("anything
-- changed") for every statement on every table; the tables whose rows
-- belong to one album (albums, tracks, licenses, sales and the kept
-- totals) now notify `album ` and the ids their statement touched, read
-- from its transition tables (one notification per statement, however
-- many rows; identical ones in a transaction are folded). Past a hundred
-- albums (a bulk load) the payload is empty again: everything, which is
-- cheaper to forget than to name. TRUNCATE has no rows to name: empty.
-- The other tables keep migration 2's empty payload, except
-- `sales_reports`, which no cached read uses and which is only written
-- beside the `sales` lines that notify.

-- Notifies the albums `ids` (distinct), or everything past a hundred.
CREATE FUNCTION licensing_albums_notify(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF ids IS NULL THEN
        RETURN;
    ELSIF cardinality(ids) > 100 THEN
        PERFORM pg_notify('licensing_changes', '');
    ELSE
        PERFORM pg_notify('licensing_changes', 'album ' || array_to_string(ids, ','));
    END IF;
END
$$;

-- For `albums`, whose rows are albums (`id`).
CREATE FUNCTION licensing_albums_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM licensing_albums_notify((SELECT array_agg(DISTINCT id) FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM licensing_albums_notify((SELECT array_agg(DISTINCT id) FROM old_rows));
    ELSE
        PERFORM licensing_albums_notify((SELECT array_agg(DISTINCT id) FROM
            (SELECT id FROM old_rows UNION ALL SELECT id FROM new_rows) AS changed));
    END IF;
    RETURN NULL;
END
$$;

-- For the tables whose rows name their album (`album_id`).
CREATE FUNCTION licensing_album_rows_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM licensing_albums_notify((SELECT array_agg(DISTINCT album_id) FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM licensing_albums_notify((SELECT array_agg(DISTINCT album_id) FROM old_rows));
    ELSE
        PERFORM licensing_albums_notify((SELECT array_agg(DISTINCT album_id) FROM
            (SELECT album_id FROM old_rows UNION ALL SELECT album_id FROM new_rows) AS changed));
    END IF;
    RETURN NULL;
END
$$;

DROP TRIGGER albums_changed ON albums;
DROP TRIGGER tracks_changed ON tracks;
DROP TRIGGER licenses_changed ON licenses;
DROP TRIGGER sales_changed ON sales;
DROP TRIGGER album_sales_changed ON album_sales;
DROP TRIGGER album_month_sales_changed ON album_month_sales;
DROP TRIGGER sales_reports_changed ON sales_reports;

CREATE TRIGGER albums_inserted AFTER INSERT ON albums REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_albums_changed();
CREATE TRIGGER albums_updated AFTER UPDATE ON albums
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_albums_changed();
CREATE TRIGGER albums_deleted AFTER DELETE ON albums REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_albums_changed();
CREATE TRIGGER albums_truncated AFTER TRUNCATE ON albums
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_changed();

CREATE TRIGGER tracks_inserted AFTER INSERT ON tracks REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_album_rows_changed();
CREATE TRIGGER tracks_updated AFTER UPDATE ON tracks
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_album_rows_changed();
CREATE TRIGGER tracks_deleted AFTER DELETE ON tracks REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_album_rows_changed();
CREATE TRIGGER tracks_truncated AFTER TRUNCATE ON tracks
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_changed();

CREATE TRIGGER licenses_inserted AFTER INSERT ON licenses REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_album_rows_changed();
CREATE TRIGGER licenses_updated AFTER UPDATE ON licenses
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_album_rows_changed();
CREATE TRIGGER licenses_deleted AFTER DELETE ON licenses REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_album_rows_changed();
CREATE TRIGGER licenses_truncated AFTER TRUNCATE ON licenses
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_changed();

CREATE TRIGGER sales_inserted AFTER INSERT ON sales REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_album_rows_changed();
CREATE TRIGGER sales_updated AFTER UPDATE ON sales
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_album_rows_changed();
CREATE TRIGGER sales_deleted AFTER DELETE ON sales REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_album_rows_changed();
CREATE TRIGGER sales_truncated AFTER TRUNCATE ON sales
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_changed();

CREATE TRIGGER album_sales_inserted AFTER INSERT ON album_sales REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_album_rows_changed();
CREATE TRIGGER album_sales_updated AFTER UPDATE ON album_sales
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_album_rows_changed();
CREATE TRIGGER album_sales_deleted AFTER DELETE ON album_sales REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_album_rows_changed();
CREATE TRIGGER album_sales_truncated AFTER TRUNCATE ON album_sales
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_changed();

CREATE TRIGGER album_month_sales_inserted AFTER INSERT ON album_month_sales
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_album_rows_changed();
CREATE TRIGGER album_month_sales_updated AFTER UPDATE ON album_month_sales
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_album_rows_changed();
CREATE TRIGGER album_month_sales_deleted AFTER DELETE ON album_month_sales
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_album_rows_changed();
CREATE TRIGGER album_month_sales_truncated AFTER TRUNCATE ON album_month_sales
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_changed();
