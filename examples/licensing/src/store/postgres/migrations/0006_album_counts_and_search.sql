-- Album counts kept beside the albums, per artist and status (and for
-- every artist, artist 0), so a listing's total reads a row or two
-- instead of counting an index range; kept by a trigger, so every write,
-- bulk loads included, keeps them. (Every album insert updates the row of
-- artist 0 for its status: concurrent creates queue on it for the length
-- of their transactions.)
CREATE TABLE album_counts (
    artist_id BIGINT NOT NULL,
    status    TEXT NOT NULL,
    albums    BIGINT NOT NULL CHECK (albums >= 0),
    PRIMARY KEY (artist_id, status)
);
INSERT INTO album_counts (artist_id, status, albums)
    SELECT artist_id, status, count(*) FROM albums GROUP BY artist_id, status;
INSERT INTO album_counts (artist_id, status, albums)
    SELECT 0, status, count(*) FROM albums GROUP BY status;

-- Per statement, from its transition tables, as the sales totals are
-- kept (0003): one upsert per (artist, status) however many rows a
-- statement writes (a bulk COPY of a million albums updates two rows,
-- once), in key order. An update counts only the rows whose artist or
-- status changed, so renaming an album writes no count. (A count goes
-- down by an UPDATE: an upsert checks the row it would insert, and a
-- negative one fails the CHECK before the conflict is seen.)
CREATE FUNCTION albums_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO album_counts (artist_id, status, albums)
            SELECT artist_id, status, count(*) FROM new_rows GROUP BY 1, 2
            UNION ALL SELECT 0, status, count(*) FROM new_rows GROUP BY 2
            ORDER BY 1, 2
        ON CONFLICT (artist_id, status) DO UPDATE SET albums = album_counts.albums + EXCLUDED.albums;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE album_counts c SET albums = c.albums - gone.albums
        FROM (SELECT artist_id, status, count(*) AS albums FROM old_rows GROUP BY 1, 2
              UNION ALL SELECT 0, status, count(*) FROM old_rows GROUP BY 2) gone
        WHERE c.artist_id = gone.artist_id AND c.status = gone.status;
    ELSE
        UPDATE album_counts c SET albums = c.albums - gone.albums
        FROM (SELECT o.artist_id, o.status, count(*) AS albums
              FROM old_rows o JOIN new_rows n USING (id)
              WHERE (o.artist_id, o.status) IS DISTINCT FROM (n.artist_id, n.status)
              GROUP BY 1, 2
              UNION ALL
              SELECT 0, o.status, count(*)
              FROM old_rows o JOIN new_rows n USING (id)
              WHERE o.status IS DISTINCT FROM n.status
              GROUP BY 2) gone
        WHERE c.artist_id = gone.artist_id AND c.status = gone.status;
        INSERT INTO album_counts (artist_id, status, albums)
            SELECT n.artist_id, n.status, count(*)
            FROM old_rows o JOIN new_rows n USING (id)
            WHERE (o.artist_id, o.status) IS DISTINCT FROM (n.artist_id, n.status)
            GROUP BY 1, 2
            UNION ALL
            SELECT 0, n.status, count(*)
            FROM old_rows o JOIN new_rows n USING (id)
            WHERE o.status IS DISTINCT FROM n.status
            GROUP BY 2
            ORDER BY 1, 2
        ON CONFLICT (artist_id, status) DO UPDATE SET albums = album_counts.albums + EXCLUDED.albums;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER album_counted AFTER INSERT ON albums
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION albums_counted();
CREATE TRIGGER album_uncounted AFTER DELETE ON albums
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION albums_counted();
-- (A trigger with transition tables cannot name columns, `UPDATE OF`: it
-- runs after every update of albums and finds the rows that moved.)
CREATE TRIGGER album_recounted AFTER UPDATE ON albums
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION albums_counted();

-- Trigram indexes over album and track titles, in the `lower(title
-- COLLATE "C")` form the listings search (`LIKE '%q%'`), so a search
-- reads its hits instead of every album. pg_trgm ships with PostgreSQL
-- (contrib) and is a trusted extension: a database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX albums_title_trigrams ON albums USING gin (lower(title COLLATE "C") gin_trgm_ops);
CREATE INDEX tracks_title_trigrams ON tracks USING gin (lower(title COLLATE "C") gin_trgm_ops);
