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

-- (A count goes down by an UPDATE: an upsert checks the row it would
-- insert, and -1 fails the CHECK before the conflict is seen.)
CREATE FUNCTION albums_counted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE album_counts SET albums = albums - 1
        WHERE artist_id IN (OLD.artist_id, 0) AND status = OLD.status;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO album_counts (artist_id, status, albums)
        VALUES (NEW.artist_id, NEW.status, 1), (0, NEW.status, 1)
        ON CONFLICT (artist_id, status) DO UPDATE SET albums = album_counts.albums + 1;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER album_counted AFTER INSERT OR DELETE ON albums
    FOR EACH ROW EXECUTE FUNCTION albums_counted();
CREATE TRIGGER album_recounted AFTER UPDATE OF artist_id, status ON albums
    FOR EACH ROW WHEN (OLD.artist_id IS DISTINCT FROM NEW.artist_id
                       OR OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION albums_counted();

-- Trigram indexes over album and track titles, in the `lower(title
-- COLLATE "C")` form the listings search (`LIKE '%q%'`), so a search
-- reads its hits instead of every album. pg_trgm ships with PostgreSQL
-- (contrib) and is a trusted extension: a database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX albums_title_trigrams ON albums USING gin (lower(title COLLATE "C") gin_trgm_ops);
CREATE INDEX tracks_title_trigrams ON tracks USING gin (lower(title COLLATE "C") gin_trgm_ops);
