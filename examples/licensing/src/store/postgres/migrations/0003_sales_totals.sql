-- Sales totals kept beside the lines (`sales`), so an album page and a
-- statement read one row per album or per track, not every line ever
-- sold (see `store::totals`). A trigger on `sales` adds each statement's
-- lines to them, in the transaction that inserts the lines, whoever
-- inserts them: an instance of this release, one of the previous release
-- still running during a rolling deploy (which knows nothing of the
-- totals), a bulk `COPY`. Lines are only ever inserted; an operator who
-- updates or deletes one must run `licensing check` (which then names
-- the difference). Existing lines are summed into the totals here.
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

-- Per statement, from its transition table: one upsert per table however
-- many lines, in key order (the albums are locked in that order already).
CREATE FUNCTION keep_sales_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO album_sales (album_id, units)
        SELECT album_id, sum(units)::bigint FROM new_lines
        GROUP BY album_id ORDER BY album_id
    ON CONFLICT (album_id) DO UPDATE SET units = album_sales.units + excluded.units;
    INSERT INTO album_month_sales (album_id, month, track, units)
        SELECT album_id, month, coalesce(track_number, 0), sum(units)::bigint FROM new_lines
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (album_id, month, track)
    DO UPDATE SET units = album_month_sales.units + excluded.units;
    RETURN NULL;
END
$$;

CREATE TRIGGER sales_keep_totals AFTER INSERT ON sales
    REFERENCING NEW TABLE AS new_lines
    FOR EACH STATEMENT EXECUTE FUNCTION keep_sales_totals();

CREATE TRIGGER album_sales_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON album_sales
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_changed();
CREATE TRIGGER album_month_sales_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON album_month_sales
    FOR EACH STATEMENT EXECUTE FUNCTION licensing_changed();
