//! The catalogue import against a real SQLite database: idempotent,
//! edits update in place, removals are reported, bad input names its
//! place and writes nothing.

mod common;

use band_site::{Catalogue, load_catalogue};
use common::{TempDir, dump, options};
use licensing::store::DATABASE_FILE;

/// The example catalogue's text with `from` replaced by `to` (once).
fn edited(from: &str, to: &str) -> String {
    let text = band_site::catalogue::EXAMPLE;
    assert!(text.contains(from), "the example has {from:?}");
    text.replacen(from, to, 1)
}

/// Writes `text` as a catalogue beside the example's covers.
fn write_catalogue(dir: &TempDir, text: &str) -> std::path::PathBuf {
    let covers = dir.path().join("covers");
    std::fs::create_dir_all(&covers).unwrap();
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/covers")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), covers.join(entry.file_name())).unwrap();
    }
    let path = dir.path().join("catalogue.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn with_catalogue(data: &TempDir, catalogue: &std::path::Path) -> band_site::Options {
    band_site::Options {
        catalogue: Some(catalogue.to_owned()),
        ..options(data.path())
    }
}

/// A site started once on a copy of the example catalogue, whose text the
/// test then edits and restarts with.
struct Site {
    data: TempDir,
    _files: TempDir,
    catalogue: std::path::PathBuf,
}

impl Site {
    fn started(label: &str) -> Self {
        let data = TempDir::new(label);
        let files = TempDir::new(&format!("{label}-files"));
        let catalogue = write_catalogue(&files, band_site::catalogue::EXAMPLE);
        band_site::start(&with_catalogue(&data, &catalogue)).unwrap();
        Self {
            data,
            _files: files,
            catalogue,
        }
    }

    fn db(&self) -> std::path::PathBuf {
        self.data.path().join(DATABASE_FILE)
    }

    /// Starts again, with `text` as the catalogue if given.
    fn restart(&self, text: Option<&str>) -> Result<band_site::Started, String> {
        if let Some(text) = text {
            std::fs::write(&self.catalogue, text).unwrap();
        }
        band_site::start(&with_catalogue(&self.data, &self.catalogue))
    }
}

#[test]
fn importing_twice_changes_nothing() {
    let data = TempDir::new("twice");
    let first = band_site::start(&options(data.path())).unwrap();
    assert!(first.report.created_artist);
    assert_eq!(first.report.albums_created, 4);
    assert_eq!(first.report.sales_written, 3);
    assert!(first.report.removals.is_empty());
    let db = data.path().join(DATABASE_FILE);
    let before = dump(&db);
    assert_eq!(before["albums"].len(), 4);
    assert_eq!(before["tracks"].len(), 25);
    drop(first);

    let second = band_site::start(&options(data.path())).unwrap();
    assert!(!second.report.changed(), "{:?}", second.report);
    assert_eq!(second.report.albums_unchanged, 4);
    assert_eq!(second.report.new_token, None);
    assert_eq!(dump(&db), before, "the second import wrote something");
}

#[test]
fn an_edited_title_updates_the_album_and_its_version() {
    let site = Site::started("edit");
    let db = site.db();
    let before = dump(&db);

    let text = edited(
        "title = \"River Hymns\"",
        "title = \"River Hymns (Deluxe)\"",
    )
    .replacen(
        "title = \"Amazing Grace\"",
        "title = \"Amazing Grace (Live)\"",
        1,
    );
    let started = site.restart(Some(&text)).unwrap();
    assert_eq!(started.report.albums_updated, 1);
    assert_eq!(started.report.albums_unchanged, 3);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let (id, version): (i64, i64) = conn
        .query_row(
            "SELECT id, version FROM albums WHERE title = 'River Hymns (Deluxe)'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(version, 2, "one import, one version");
    let track: String = conn
        .query_row(
            "SELECT title FROM tracks WHERE album_id = ?1 AND number = 2",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(track, "Amazing Grace (Live)");
    // Same ids, same number of rows: an update, not a new album.
    let after = dump(&db);
    for table in [
        "albums",
        "tracks",
        "licenses",
        "compositions",
        "sales",
        "accounts",
    ] {
        assert_eq!(after[table].len(), before[table].len(), "{table}");
    }
    assert!(
        after["albums"]
            .iter()
            .any(|r| r.starts_with(&format!("Integer({id})")))
    );
}

#[test]
fn removals_are_reported() {
    let site = Site::started("removal");

    // Drop the last album (no sales name it) and the last track of the
    // first album.
    let text = band_site::catalogue::EXAMPLE;
    let night = text.find("[[albums]]\nid = \"night-ferry-blues\"").unwrap();
    let sales = text.find("# Sales, one table").unwrap();
    let mut text = format!("{}{}", &text[..night], &text[sales..]);
    let road_salt = "[[albums.tracks]]\ntitle = \"Road Salt\"\nduration = \"2:54\"\nisrc = \"US-LP7-23-00007\"\n";
    assert!(text.contains(road_salt));
    text = text.replacen(road_salt, "", 1);
    // The night-ferry sales go too: sales must name catalogue albums.
    let itunes = text.find("[[sales]]\nstore = \"itunes\"").unwrap();
    text.truncate(itunes);

    let started = site.restart(Some(&text)).unwrap();
    let removals = &started.report.removals;
    assert_eq!(removals.len(), 3, "{removals:#?}");
    assert!(
        removals
            .iter()
            .any(|r| r.contains("track 7 \"Road Salt\"") && r.contains("deleted"))
    );
    assert!(
        removals
            .iter()
            .any(|r| r.contains("album `night-ferry-blues`") && r.contains("kept"))
    );
    assert!(
        removals
            .iter()
            .any(|r| r.contains("itunes 2026-04") && r.contains("kept"))
    );
    let conn = rusqlite::Connection::open(site.db()).unwrap();
    let albums: i64 = conn
        .query_row("SELECT count(*) FROM albums", [], |r| r.get(0))
        .unwrap();
    let tracks: i64 = conn
        .query_row("SELECT count(*) FROM tracks", [], |r| r.get(0))
        .unwrap();
    assert_eq!((albums, tracks), (4, 24));
    // Reported again on the next start, and nothing else happens.
    let again = site.restart(None).unwrap();
    assert_eq!(
        again.report.removals.len(),
        2,
        "{:#?}",
        again.report.removals
    );
    assert!(!again.report.changed());
}

#[test]
fn bad_catalogues_name_the_file_line_and_field() {
    let cases: &[(&str, &str, &str, &str)] = &[
        // (replace, with, expected place, expected words)
        (
            "duration = \"4:12\"",
            "duration = \"4:72\"",
            ":43:12: `albums[0].tracks[0].duration`",
            "minutes and seconds",
        ),
        (
            "price = \"9.00\"",
            "price = \"nine\"",
            ":36:9: `albums[0].price`",
            "a price in dollars",
        ),
        (
            "title = \"Old Roads Home\"",
            "titel = \"Old Roads Home\"",
            ":33:1: `titel`",
            "unknown field `titel`",
        ),
        (
            "isrc = \"US-LP7-23-00001\"",
            "isrc = \"US-LP7\"",
            ":44:8: `albums[0].tracks[0].isrc`",
            "ISRC",
        ),
        (
            "released = 2023-04-21",
            "released = \"last spring\"",
            ":34:12: `released`",
            "expected",
        ),
        (
            "id = \"parlour-songs\"",
            "id = \"old-roads-home\"",
            ":84:6: `albums[1].id`",
            "already used",
        ),
        (
            "cover = \"covers/old-roads-home.svg\"",
            "cover = \"../secret.svg\"",
            ":37:9: `albums[0].cover`",
            "path beside the catalogue",
        ),
        (
            "{ album = \"river-hymns\", format = \"download\", units = 48 }",
            "{ album = \"river-hymn\", format = \"download\", units = 48 }",
            "`sales[0].lines[0].album`",
            "no album has the id `river-hymn`",
        ),
        ("units = 48", "units = -1", "`units`", "expected u32"),
        (
            "writers = [\"Stephen Foster\"] }",
            "writers = [] }",
            "`albums[0].tracks[1].cover_of.writers`",
            "must name the song's writers",
        ),
    ];
    let dir = TempDir::new("bad");
    for (from, to, place, words) in cases {
        let path = write_catalogue(&dir, &edited(from, to));
        let error = Catalogue::read(&path).unwrap_err().to_string();
        let file = path.display().to_string();
        assert!(error.starts_with(&file), "{error}");
        assert!(error.contains(place), "{from} → {error}");
        assert!(error.contains(words), "{from} → {error}");
    }
}

#[test]
fn a_bad_catalogue_writes_nothing() {
    let site = Site::started("nothing");
    let db = site.db();
    let before = dump(&db);
    // A good edit and a bad one in the same file: neither lands.
    let text = edited("title = \"Parlour Songs\"", "title = \"Renamed\"").replacen(
        "units = 48",
        "units = -1",
        1,
    );
    let error = site
        .restart(Some(&text))
        .err()
        .expect("a bad catalogue fails");
    assert!(error.contains("catalogue.toml:"), "{error}");
    assert_eq!(dump(&db), before);
}

#[test]
fn a_missing_cover_file_is_an_error() {
    let files = TempDir::new("cover-files");
    let path = write_catalogue(
        &files,
        &edited("covers/river-hymns.svg", "covers/missing.svg"),
    );
    let error = load_catalogue(Some(&path)).expect_err("an error");
    assert!(error.contains("covers/missing.svg"), "{error}");
}

#[test]
fn license_states_and_album_status_follow_the_catalogue() {
    let data = TempDir::new("licenses");
    let files = TempDir::new("licenses-files");
    let submitted = edited(
        "id = \"night-ferry-blues\"",
        "id = \"night-ferry-blues\"\nstatus = \"submitted\"",
    )
    .replacen(
        "writers = [\"Traditional\"] }\n\n[[albums.tracks]]\ntitle = \"Night Ferry\"",
        "writers = [\"Traditional\"], lyrics_changed = true, license = \"needs_negotiation\" }\n\n[[albums.tracks]]\ntitle = \"Night Ferry\"",
        1,
    );
    // Sales are only for live albums.
    let itunes = submitted.find("[[sales]]\nstore = \"itunes\"").unwrap();
    let catalogue = write_catalogue(&files, &submitted[..itunes]);
    band_site::start(&with_catalogue(&data, &catalogue)).unwrap();
    let conn = rusqlite::Connection::open(data.path().join(DATABASE_FILE)).unwrap();
    let license = |conn: &rusqlite::Connection| -> (String, String, Option<i64>, i64) {
        conn.query_row(
            "SELECT a.status, l.status, l.rate_year, t.lyrics_changed
             FROM albums a JOIN licenses l ON l.album_id = a.id
             JOIN tracks t ON t.album_id = a.id AND t.number = l.track_number
             WHERE a.title = 'Night Ferry Blues' AND l.track_number = 5",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap()
    };
    assert_eq!(
        license(&conn),
        ("submitted".into(), "needs_negotiation".into(), None, 1)
    );

    // Licensed and released: live, the license active at the release year's rate.
    let live = write_catalogue(&files, band_site::catalogue::EXAMPLE);
    let started = band_site::start(&with_catalogue(&data, &live)).unwrap();
    assert_eq!(started.report.albums_updated, 1);
    assert_eq!(
        license(&conn),
        ("live".into(), "active".into(), Some(2026), 0)
    );

    // A live album cannot claim an unlicensed cover.
    let text = edited(
        "cover_of = { title = \"Danny Boy\", writers = [\"Frederic Weatherly\"] }",
        "cover_of = { title = \"Danny Boy\", writers = [\"Frederic Weatherly\"], license = \"pending\" }",
    );
    let bad = write_catalogue(&files, &text);
    let error = Catalogue::read(&bad).unwrap_err();
    assert_eq!(
        error.field.as_deref(),
        Some("albums[1].tracks[4].cover_of.license")
    );
    assert!(error.message.contains("status = \"submitted\""), "{error}");
}

#[test]
fn a_corrected_sales_month_corrects_the_kept_totals() {
    let site = Site::started("totals");
    let units = |label: &str| -> i64 {
        let conn = rusqlite::Connection::open(site.db()).unwrap();
        let sql = "SELECT s.units FROM album_sales s JOIN albums a ON a.id = s.album_id \
                   WHERE a.title = 'River Hymns'";
        conn.query_row(sql, [], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{label}: {e}"))
    };
    // 48 + 12 + 31, from the catalogue's three months.
    assert_eq!(units("imported"), 91);
    let text = edited(
        "{ album = \"river-hymns\", format = \"download\", units = 48 }",
        "{ album = \"river-hymns\", format = \"download\", units = 50 }",
    );
    let started = site.restart(Some(&text)).unwrap();
    assert_eq!(started.report.sales_written, 1);
    drop(started);
    assert_eq!(units("corrected"), 93);
    // Every kept total equals the sum of its lines.
    let conn = rusqlite::Connection::open(site.db()).unwrap();
    let differences: i64 = conn
        .query_row(
            "SELECT count(*) FROM (
                 SELECT album_id, month, coalesce(track_number, 0), sum(units) FROM sales
                 GROUP BY album_id, month, coalesce(track_number, 0)
                 EXCEPT SELECT album_id, month, track, units FROM album_month_sales)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(differences, 0);
}
