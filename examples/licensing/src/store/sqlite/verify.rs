//! `licensing check`'s question to SQLite: do the kept sales totals
//! (`store::totals`) equal a recomputation from the lines, and the kept
//! album and composition counts a recount?
//!
//! Each side is compared with `EXCEPT` both ways, in one read transaction
//! (one snapshot), so a difference is found without bringing either side
//! into memory.

use rusqlite::Connection;

use crate::store::Result;
use crate::store::totals::{
    MAX_REPORTED, TotalsCheck, describe, describe_composition_count, describe_count,
};

/// Per album: `(side, album, units)` rows where the kept total and the
/// lines' sum differ.
const ALBUMS: &str = "
    SELECT 'kept', album_id, units FROM (
        SELECT album_id, units FROM album_sales
        EXCEPT SELECT album_id, sum(units) FROM sales GROUP BY album_id)
    UNION ALL
    SELECT 'lines', album_id, units FROM (
        SELECT album_id, sum(units) AS units FROM sales GROUP BY album_id
        EXCEPT SELECT album_id, units FROM album_sales)
    LIMIT ?1";

/// Per album, month and track: as [`ALBUMS`], with the month and track.
const MONTHS: &str = "
    SELECT 'kept', album_id, month, track, units FROM (
        SELECT album_id, month, track, units FROM album_month_sales
        EXCEPT SELECT album_id, month, coalesce(track_number, 0), sum(units)
               FROM sales GROUP BY 1, 2, 3)
    UNION ALL
    SELECT 'lines', album_id, month, track, units FROM (
        SELECT album_id, month, coalesce(track_number, 0) AS track, sum(units) AS units
        FROM sales GROUP BY 1, 2, 3
        EXCEPT SELECT album_id, month, track, units FROM album_month_sales)
    LIMIT ?1";

/// Per artist (and artist 0, every artist) and status: `(side, artist,
/// status, albums)` rows where the kept album count (migration 4) and a
/// recount differ.
const COUNTS: &str = "
    WITH recount (artist_id, status, albums) AS (
        SELECT artist_id, status, count(*) FROM albums GROUP BY 1, 2
        UNION ALL SELECT 0, status, count(*) FROM albums GROUP BY 2)
    SELECT 'kept', * FROM (
        SELECT artist_id, status, albums FROM album_counts WHERE albums > 0
        EXCEPT SELECT * FROM recount)
    UNION ALL
    SELECT 'rows', * FROM (
        SELECT * FROM recount
        EXCEPT SELECT artist_id, status, albums FROM album_counts)
    LIMIT ?1";

/// Compares the kept totals with the lines, and the kept album and
/// composition counts with a recount.
pub(super) fn verify_totals(conn: &Connection) -> Result<TotalsCheck> {
    let limit = i64::try_from(MAX_REPORTED).unwrap_or(i64::MAX);
    let mut mismatches: Vec<String> = conn
        .prepare(ALBUMS)?
        .query_map([limit], |row| {
            let (side, album, units): (String, i64, i64) = (row.get(0)?, row.get(1)?, row.get(2)?);
            Ok(describe(&side, &format!("album {album}"), units))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let months: Vec<String> = conn
        .prepare(MONTHS)?
        .query_map([limit], |row| {
            let (side, album, month, track, units): (String, i64, String, i64, i64) = (
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
            );
            Ok(describe(
                &side,
                &format!("album {album}, {month}, track {track}"),
                units,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    mismatches.extend(months);
    let counts: Vec<String> = conn
        .prepare(COUNTS)?
        .query_map([limit], |row| {
            let (side, artist, status, albums): (String, i64, String, i64) =
                (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
            Ok(describe_count(&side, artist, &status, albums))
        })?
        .collect::<rusqlite::Result<_>>()?;
    mismatches.extend(counts);
    let (kept, counted): (i64, i64) = conn.query_row(
        "SELECT (SELECT compositions FROM composition_count), (SELECT count(*) FROM compositions)",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    mismatches.extend(describe_composition_count(kept, counted));
    mismatches.truncate(MAX_REPORTED);
    Ok(TotalsCheck {
        albums: conn.query_row("SELECT count(*) FROM album_sales", [], |r| r.get(0))?,
        months: conn.query_row("SELECT count(*) FROM album_month_sales", [], |r| r.get(0))?,
        mismatches,
    })
}
