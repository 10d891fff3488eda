-- An album's update is counted only when it moves the album (its artist
-- or status), and then per row. The per-statement trigger of 0006 ran
-- after every update of albums, two statements over the transition
-- tables to find no moved row when an album's title or price changed:
-- 0.2 ms of an album patch's 0.6. A trigger with transition tables
-- cannot be limited to columns (`UPDATE OF`) nor given a `WHEN`; a row
-- trigger can, and one whose `WHEN` is false costs no call. Moves are
-- one album at a time (a submission, a review); bulk loads insert, and
-- inserts and deletes stay counted per statement.
DROP TRIGGER album_recounted ON albums;

-- A moved album leaves its old (artist, status) and artist 0's old
-- status, and joins the new ones. The old rows exist (the album was
-- counted in them), so they go down by an UPDATE (an upsert would check
-- its negative row against the CHECK before it saw the conflict).
CREATE FUNCTION album_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE album_counts c SET albums = c.albums - 1
     WHERE (c.artist_id, c.status) IN ((OLD.artist_id, OLD.status), (0, OLD.status));
    INSERT INTO album_counts (artist_id, status, albums)
        VALUES (0, NEW.status, 1), (NEW.artist_id, NEW.status, 1)
    ON CONFLICT (artist_id, status) DO UPDATE SET albums = album_counts.albums + 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER album_recounted AFTER UPDATE OF artist_id, status ON albums
    FOR EACH ROW
    WHEN (OLD.artist_id IS DISTINCT FROM NEW.artist_id OR OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION album_moved();

-- albums_counted() now runs for inserts and deletes only.
CREATE OR REPLACE FUNCTION albums_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO album_counts (artist_id, status, albums)
            SELECT artist_id, status, count(*) FROM new_rows GROUP BY 1, 2
            UNION ALL SELECT 0, status, count(*) FROM new_rows GROUP BY 2
            ORDER BY 1, 2
        ON CONFLICT (artist_id, status) DO UPDATE SET albums = album_counts.albums + EXCLUDED.albums;
    ELSE
        UPDATE album_counts c SET albums = c.albums - gone.albums
        FROM (SELECT artist_id, status, count(*) AS albums FROM old_rows GROUP BY 1, 2
              UNION ALL SELECT 0, status, count(*) FROM old_rows GROUP BY 2) gone
        WHERE c.artist_id = gone.artist_id AND c.status = gone.status;
    END IF;
    RETURN NULL;
END;
$$;
