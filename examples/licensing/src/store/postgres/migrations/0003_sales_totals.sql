-- Sales totals kept beside the lines (`sales`), so an album page and a
-- statement read one row per album or per track, not every line ever
-- sold. Ingest adds to them in the transaction that records the lines
-- (see `store::totals`); existing lines are summed into them here.
CREATE TABLE album_sales (
    album_id BIGINT PRIMARY KEY REFERENCES albums (id),
    units    BIGINT NOT NULL CHECK (units >= 0)
);

-- Per album, month and track; track 0 is whole-album sales (tracks are
-- numbered from 1, and a key column cannot be NULL).
CREATE TABLE album_month_sales (
    album_id BIGINT NOT NULL REFERENCES albums (id),
    month    TEXT NOT NULL,
    track    BIGINT NOT NULL CHECK (track >= 0),
    units    BIGINT NOT NULL CHECK (units >= 0),
    PRIMARY KEY (album_id, month, track)
);

INSERT INTO album_sales (album_id, units)
    SELECT album_id, sum(units)::bigint FROM sales GROUP BY album_id;
INSERT INTO album_month_sales (album_id, month, track, units)
    SELECT album_id, month, coalesce(track_number, 0), sum(units)::bigint
    FROM sales GROUP BY album_id, month, coalesce(track_number, 0);

CREATE TRIGGER album_sales_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON album_sales
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_changed();
CREATE TRIGGER album_month_sales_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON album_month_sales
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_changed();
