//! The schema, as an ordered list of migrations applied at start-up.
//!
//! `PRAGMA user_version` records how many migrations a database has had;
//! opening applies the rest in one `BEGIN IMMEDIATE` transaction with the
//! version bump, so a crash leaves the database at its old version.
//! Migrations are append-only: a released one is never edited, a change
//! is a new entry.
//!
//! Constraints the business relies on are in the schema too (`CHECK`s on
//! states and ranges, foreign keys, the `(store, month)` key that makes
//! sales ingestion idempotent), so a bug in the Rust cannot store what
//! the rules forbid.

use rusqlite::{Connection, TransactionBehavior};

use crate::store::{Result, StoreError};

/// Migration `i` takes a database from `user_version = i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: the initial schema.
    r"
    CREATE TABLE artists (
        id       INTEGER PRIMARY KEY,
        name     TEXT NOT NULL CHECK (name <> ''),
        bio      TEXT NOT NULL DEFAULT '',
        email    TEXT NOT NULL,
        bandcamp TEXT,
        spotify  TEXT,
        website  TEXT
    ) STRICT;

    -- Tokens are stored only as SHA-256 digests.
    CREATE TABLE accounts (
        id           INTEGER PRIMARY KEY,
        name         TEXT NOT NULL,
        role         TEXT NOT NULL CHECK (role IN ('artist', 'admin')),
        artist_id    INTEGER REFERENCES artists (id),
        token_sha256 BLOB NOT NULL UNIQUE CHECK (length(token_sha256) = 32),
        CHECK ((role = 'admin') = (artist_id IS NULL))
    ) STRICT;

    CREATE TABLE compositions (
        id       INTEGER PRIMARY KEY,
        title    TEXT NOT NULL CHECK (title <> ''),
        iswc     TEXT UNIQUE,
        released INTEGER NOT NULL CHECK (released IN (0, 1))
    ) STRICT;

    CREATE TABLE composition_writers (
        composition_id INTEGER NOT NULL REFERENCES compositions (id),
        position       INTEGER NOT NULL,
        name           TEXT NOT NULL,
        PRIMARY KEY (composition_id, position)
    ) STRICT, WITHOUT ROWID;

    -- Shares in hundredths of a percent; the 10,000 total is checked on insert.
    CREATE TABLE publishers (
        composition_id INTEGER NOT NULL REFERENCES compositions (id),
        name           TEXT NOT NULL,
        share_bp       INTEGER NOT NULL CHECK (share_bp BETWEEN 1 AND 10000),
        PRIMARY KEY (composition_id, name)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE albums (
        id            INTEGER PRIMARY KEY,
        artist_id     INTEGER NOT NULL REFERENCES artists (id),
        title         TEXT NOT NULL CHECK (title <> ''),
        release_date  TEXT,
        upc           TEXT,
        price_cents   INTEGER NOT NULL CHECK (price_cents >= 0),
        cover_art_url TEXT,
        bandcamp_url  TEXT,
        spotify_url   TEXT,
        status        TEXT NOT NULL DEFAULT 'draft'
                      CHECK (status IN ('draft', 'submitted', 'live')),
        version       INTEGER NOT NULL DEFAULT 1
    ) STRICT;
    CREATE INDEX albums_by_artist ON albums (artist_id);

    -- A track is its position on its album: numbers run 1..n without gaps.
    CREATE TABLE tracks (
        album_id       INTEGER NOT NULL REFERENCES albums (id) ON DELETE CASCADE,
        number         INTEGER NOT NULL CHECK (number >= 1),
        title          TEXT NOT NULL CHECK (title <> ''),
        duration_s     INTEGER NOT NULL CHECK (duration_s >= 1),
        isrc           TEXT,
        preview_url    TEXT,
        is_cover       INTEGER NOT NULL CHECK (is_cover IN (0, 1)),
        cover_of       INTEGER REFERENCES compositions (id),
        lyrics_changed INTEGER NOT NULL CHECK (lyrics_changed IN (0, 1)),
        PRIMARY KEY (album_id, number),
        CHECK (cover_of IS NULL OR is_cover = 1)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE licenses (
        id             INTEGER PRIMARY KEY,
        album_id       INTEGER NOT NULL,
        track_number   INTEGER NOT NULL,
        composition_id INTEGER NOT NULL REFERENCES compositions (id),
        route          TEXT NOT NULL CHECK (route IN ('noi', 'blanket')),
        status         TEXT NOT NULL
                       CHECK (status IN ('pending', 'notice_sent', 'active', 'needs_negotiation')),
        rate_year      INTEGER,
        notice_date    TEXT,
        UNIQUE (album_id, track_number),
        FOREIGN KEY (album_id, track_number) REFERENCES tracks (album_id, number)
            ON DELETE CASCADE
    ) STRICT;

    -- One row per store and month: the key that makes ingestion idempotent.
    CREATE TABLE sales_reports (
        store TEXT NOT NULL CHECK (store <> ''),
        month TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
        PRIMARY KEY (store, month)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE sales (
        id           INTEGER PRIMARY KEY,
        store        TEXT NOT NULL,
        month        TEXT NOT NULL,
        album_id     INTEGER NOT NULL REFERENCES albums (id),
        track_number INTEGER,
        format       TEXT NOT NULL CHECK (format IN ('physical', 'download')),
        units        INTEGER NOT NULL CHECK (units >= 0),
        FOREIGN KEY (store, month) REFERENCES sales_reports (store, month)
    ) STRICT;
    CREATE INDEX sales_by_album_month ON sales (album_id, month);
    ",
    // 2: sales totals kept beside the lines (`sales`), so an album page
    // and a statement read one row per album or per track, not every
    // line. Existing lines are summed into them here.
    r"
    CREATE TABLE album_sales (
        album_id INTEGER PRIMARY KEY REFERENCES albums (id),
        units    INTEGER NOT NULL CHECK (units >= 0)
    ) STRICT;

    -- Per album, month and track; track 0 is whole-album sales (tracks
    -- are numbered from 1, and a key column cannot be NULL).
    CREATE TABLE album_month_sales (
        album_id INTEGER NOT NULL REFERENCES albums (id),
        month    TEXT NOT NULL,
        track    INTEGER NOT NULL CHECK (track >= 0),
        units    INTEGER NOT NULL CHECK (units >= 0),
        PRIMARY KEY (album_id, month, track)
    ) STRICT, WITHOUT ROWID;

    INSERT INTO album_sales (album_id, units)
        SELECT album_id, sum(units) FROM sales GROUP BY album_id;
    INSERT INTO album_month_sales (album_id, month, track, units)
        SELECT album_id, month, coalesce(track_number, 0), sum(units)
        FROM sales GROUP BY album_id, month, coalesce(track_number, 0);
    ",
    // 3: an index for each listing's filter and order (`albums::arms`):
    // live albums, one artist's, and all (admins), each by title and by
    // release date, so a page reads its rows in order and a count reads
    // one index range. Each holds the id after the sort key (the order's
    // tie-break) and then what the arm filters on (the artist, or the
    // status), so neither reads the table: at 100k albums, a deep page
    // that looked rows up took 374 ms, covered 30.
    r"
    CREATE INDEX albums_live_by_title
        ON albums (status, title COLLATE NOCASE, id, artist_id);
    CREATE INDEX albums_live_by_date
        ON albums (status, release_date IS NULL, release_date, id, artist_id);
    CREATE INDEX albums_by_artist_title
        ON albums (artist_id, title COLLATE NOCASE, id, status);
    CREATE INDEX albums_by_artist_date
        ON albums (artist_id, release_date IS NULL, release_date, id, status);
    CREATE INDEX albums_by_title ON albums (title COLLATE NOCASE, id);
    DROP INDEX albums_by_artist;
    ",
    // 4: album counts kept beside the albums, per artist and status (and
    // for every artist, artist 0), so a listing's total reads a row or
    // two instead of counting an index range (55 ms at 1M albums); and
    // `album_search`, a trigram index over album and track titles, one
    // row per title (rowid: the album id × 2^20, plus the track's number
    // for a track; track numbers stay below 2^20, the detour of
    // `tracks::shift` included), so a search (`?q=`, a substring, as
    // `LIKE '%q%'` was) reads its hits instead of every album. It holds the titles
    // with ASCII letters lowercased (`lower`) and matches case-sensitively,
    // so case folds as `LIKE` and PostgreSQL's search fold it: ASCII only.
    // Both are kept by triggers, so every write, the bulk ones included,
    // keeps them.
    r"
    CREATE TABLE album_counts (
        artist_id INTEGER NOT NULL,
        status    TEXT NOT NULL,
        albums    INTEGER NOT NULL CHECK (albums >= 0),
        PRIMARY KEY (artist_id, status)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO album_counts (artist_id, status, albums)
        SELECT artist_id, status, count(*) FROM albums GROUP BY artist_id, status;
    INSERT INTO album_counts (artist_id, status, albums)
        SELECT 0, status, count(*) FROM albums GROUP BY status;

    CREATE TRIGGER album_counted AFTER INSERT ON albums BEGIN
        INSERT INTO album_counts (artist_id, status, albums) VALUES (NEW.artist_id, NEW.status, 1)
            ON CONFLICT (artist_id, status) DO UPDATE SET albums = albums + 1;
        INSERT INTO album_counts (artist_id, status, albums) VALUES (0, NEW.status, 1)
            ON CONFLICT (artist_id, status) DO UPDATE SET albums = albums + 1;
    END;
    CREATE TRIGGER album_uncounted AFTER DELETE ON albums BEGIN
        UPDATE album_counts SET albums = albums - 1
            WHERE artist_id IN (OLD.artist_id, 0) AND status = OLD.status;
    END;
    CREATE TRIGGER album_recounted AFTER UPDATE OF artist_id, status ON albums
        WHEN OLD.artist_id IS NOT NEW.artist_id OR OLD.status IS NOT NEW.status
    BEGIN
        UPDATE album_counts SET albums = albums - 1
            WHERE artist_id IN (OLD.artist_id, 0) AND status = OLD.status;
        INSERT INTO album_counts (artist_id, status, albums) VALUES (NEW.artist_id, NEW.status, 1)
            ON CONFLICT (artist_id, status) DO UPDATE SET albums = albums + 1;
        INSERT INTO album_counts (artist_id, status, albums) VALUES (0, NEW.status, 1)
            ON CONFLICT (artist_id, status) DO UPDATE SET albums = albums + 1;
    END;

    CREATE VIRTUAL TABLE album_search USING fts5(title, tokenize = 'trigram case_sensitive 1');
    INSERT INTO album_search (rowid, title) SELECT id << 20, lower(title) FROM albums;
    INSERT INTO album_search (rowid, title)
        SELECT (album_id << 20) + number, lower(title) FROM tracks;

    CREATE TRIGGER album_searchable AFTER INSERT ON albums BEGIN
        INSERT INTO album_search (rowid, title) VALUES (NEW.id << 20, lower(NEW.title));
    END;
    CREATE TRIGGER album_retitled AFTER UPDATE OF title ON albums
        WHEN OLD.title IS NOT NEW.title
    BEGIN
        UPDATE album_search SET title = lower(NEW.title) WHERE rowid = NEW.id << 20;
    END;
    CREATE TRIGGER album_unsearchable AFTER DELETE ON albums BEGIN
        DELETE FROM album_search
            WHERE rowid BETWEEN OLD.id << 20 AND (OLD.id << 20) + 1048575;
    END;
    CREATE TRIGGER track_searchable AFTER INSERT ON tracks BEGIN
        INSERT INTO album_search (rowid, title)
            VALUES ((NEW.album_id << 20) + NEW.number, lower(NEW.title));
    END;
    CREATE TRIGGER track_moved AFTER UPDATE OF album_id, number, title ON tracks BEGIN
        DELETE FROM album_search WHERE rowid = (OLD.album_id << 20) + OLD.number;
        INSERT INTO album_search (rowid, title)
            VALUES ((NEW.album_id << 20) + NEW.number, lower(NEW.title));
    END;
    CREATE TRIGGER track_unsearchable AFTER DELETE ON tracks BEGIN
        DELETE FROM album_search WHERE rowid = (OLD.album_id << 20) + OLD.number;
    END;
    ",
    // 5: composition search that does not read the catalogue
    // (`store::matching`, `catalog`): the normalized title and writers
    // beside each composition (written by the store in Rust, which
    // normalizes; rows older than this migration are filled in by
    // `catalog::fill_search_keys` in the same transaction), an index for
    // the exact title, one for the list's order, and an FTS5 word index
    // over both keys (word prefixes of three letters indexed too) that
    // triggers keep in step with the table.
    r"
    ALTER TABLE compositions ADD COLUMN title_key TEXT NOT NULL DEFAULT '';
    ALTER TABLE compositions ADD COLUMN writers_key TEXT NOT NULL DEFAULT '';
    CREATE INDEX compositions_by_key ON compositions (title_key);
    CREATE INDEX compositions_by_title ON compositions (title COLLATE NOCASE, id);
    CREATE VIRTUAL TABLE compositions_search USING fts5 (
        title_key, writers_key,
        content = 'compositions', content_rowid = 'id',
        tokenize = 'unicode61 remove_diacritics 0', prefix = '3'
    );
    CREATE TRIGGER compositions_search_insert AFTER INSERT ON compositions BEGIN
        INSERT INTO compositions_search (rowid, title_key, writers_key)
            VALUES (new.id, new.title_key, new.writers_key);
    END;
    CREATE TRIGGER compositions_search_delete AFTER DELETE ON compositions BEGIN
        INSERT INTO compositions_search (compositions_search, rowid, title_key, writers_key)
            VALUES ('delete', old.id, old.title_key, old.writers_key);
    END;
    CREATE TRIGGER compositions_search_update
        AFTER UPDATE OF title_key, writers_key ON compositions BEGIN
        INSERT INTO compositions_search (compositions_search, rowid, title_key, writers_key)
            VALUES ('delete', old.id, old.title_key, old.writers_key);
        INSERT INTO compositions_search (rowid, title_key, writers_key)
            VALUES (new.id, new.title_key, new.writers_key);
    END;
    ",
    // 6: the composition list's total without a search, kept by triggers
    // instead of counted on every page (`count(*)` reads every
    // composition); `licensing check` compares it with a recount.
    r"
    CREATE TABLE composition_count (
        one          INTEGER PRIMARY KEY CHECK (one = 1),
        compositions INTEGER NOT NULL CHECK (compositions >= 0)
    ) STRICT;
    INSERT INTO composition_count (one, compositions) SELECT 1, count(*) FROM compositions;
    CREATE TRIGGER composition_counted AFTER INSERT ON compositions BEGIN
        UPDATE composition_count SET compositions = compositions + 1;
    END;
    CREATE TRIGGER composition_uncounted AFTER DELETE ON compositions BEGIN
        UPDATE composition_count SET compositions = compositions - 1;
    END;
    ",
];

/// The migration (its index in [`MIGRATIONS`]) that added the search keys
/// a database older than it must have filled in.
const SEARCH_KEYS: usize = 5;

/// The schema version this build writes.
pub(super) const CURRENT_VERSION: usize = MIGRATIONS.len();

/// Brings the database up to [`CURRENT_VERSION`], every pending migration
/// and the version bump in one `BEGIN IMMEDIATE` transaction. `on_create`
/// runs in that transaction, after the migrations, when the database was
/// empty, so a new database is seeded completely or not at all. Returns
/// whether the database was created.
pub(super) fn migrate(
    conn: &mut Connection,
    on_create: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<()>,
) -> Result<bool> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: usize = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if version > CURRENT_VERSION {
        return Err(StoreError::Internal(format!(
            "the database is at schema version {version}, newer than this build's {CURRENT_VERSION}"
        )));
    }
    for migration in &MIGRATIONS[version..] {
        tx.execute_batch(migration)?;
    }
    if (1..SEARCH_KEYS).contains(&version) {
        super::catalog::fill_search_keys(&tx)?;
    }
    let created = version == 0;
    if created {
        on_create(&tx)?;
    }
    tx.pragma_update(None, "user_version", CURRENT_VERSION)?;
    tx.commit()?;
    Ok(created)
}
