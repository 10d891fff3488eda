-- An index for each listing's filter and order (`albums::arms`): live
-- albums, one artist's, and all (admins), by title (the `lower(title
-- COLLATE "C")` key the listings sort on) and by release date, so a page
-- reads its rows in order (`Merge Append` for an artist's view of their
-- own and others' live albums) and a count reads one index range. The
-- `INCLUDE`d columns are what the filters read, so counts are index-only
-- scans (`lower(title)` alone would send them to the table for `title`).
CREATE INDEX albums_live_by_title
    ON albums (status, lower(title COLLATE "C"), id) INCLUDE (artist_id, title);
CREATE INDEX albums_live_by_date
    ON albums (status, (release_date IS NULL), release_date, id) INCLUDE (artist_id, title);
CREATE INDEX albums_by_artist_title
    ON albums (artist_id, lower(title COLLATE "C"), id) INCLUDE (status, title);
CREATE INDEX albums_by_artist_date
    ON albums (artist_id, (release_date IS NULL), release_date, id) INCLUDE (status, title);
CREATE INDEX albums_by_title ON albums (lower(title COLLATE "C"), id) INCLUDE (title);
-- (The page's arms select only the id and the sort key, which these hold,
-- so a deep page reads no table row it skips.)
DROP INDEX albums_by_artist;
