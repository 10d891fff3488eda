//! `licensing check`'s question to PostgreSQL: do the kept sales totals
//! (`store::totals`) equal a recomputation from the lines?
//!
//! As on SQLite, each side is compared with `EXCEPT` both ways, in one
//! read-only snapshot, so a difference is found without bringing either
//! side into memory.

use sqlx::{PgConnection, Row};

use super::row::u64_at;
use crate::store::Result;
use crate::store::totals::{
    MAX_REPORTED, TotalsCheck, describe, describe_composition_count, describe_count,
};

/// Per album: `(side, album, units)` rows where the kept total and the
/// lines' sum differ.
const ALBUMS: &str = "
    (SELECT 'kept', album_id, units FROM (
        SELECT album_id, units FROM album_sales
        EXCEPT SELECT album_id, sum(units)::bigint FROM sales GROUP BY album_id) k
    UNION ALL
    SELECT 'lines', album_id, units FROM (
        SELECT album_id, sum(units)::bigint AS units FROM sales GROUP BY album_id
        EXCEPT SELECT album_id, units FROM album_sales) l)
    LIMIT $1";

/// Per album, month and track: as [`ALBUMS`], with the month and track.
const MONTHS: &str = "
    (SELECT 'kept', album_id, month, track, units FROM (
        SELECT album_id, month, track, units FROM album_month_sales
        EXCEPT SELECT album_id, month, coalesce(track_number, 0), sum(units)::bigint
               FROM sales GROUP BY 1, 2, 3) k
    UNION ALL
    SELECT 'lines', album_id, month, track, units FROM (
        SELECT album_id, month, coalesce(track_number, 0) AS track, sum(units)::bigint AS units
        FROM sales GROUP BY 1, 2, 3
        EXCEPT SELECT album_id, month, track, units FROM album_month_sales) l)
    LIMIT $1";

/// Per artist (and artist 0, every artist) and status: `(side, artist,
/// status, albums)` rows where the kept album count (migration 0006) and
/// a recount differ.
const COUNTS: &str = "
    WITH recount (artist_id, status, albums) AS (
        SELECT artist_id, status, count(*) FROM albums GROUP BY 1, 2
        UNION ALL SELECT 0, status, count(*) FROM albums GROUP BY 2)
    SELECT * FROM (
    SELECT 'kept', k.* FROM (
        SELECT artist_id, status, albums FROM album_counts WHERE albums > 0
        EXCEPT SELECT * FROM recount) k
    UNION ALL
    SELECT 'rows', r.* FROM (
        SELECT * FROM recount
        EXCEPT SELECT artist_id, status, albums FROM album_counts) r) c
    LIMIT $1";

/// Compares the kept totals with the lines, and the kept album and
/// composition counts with a recount.
pub(super) async fn verify_totals(conn: &mut PgConnection) -> Result<TotalsCheck> {
    let limit = i64::try_from(MAX_REPORTED).unwrap_or(i64::MAX);
    let mut mismatches = Vec::new();
    for row in sqlx::query(ALBUMS)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?
    {
        let album: i64 = row.try_get(1)?;
        mismatches.push(describe(
            row.try_get(0)?,
            &format!("album {album}"),
            row.try_get(2)?,
        ));
    }
    for row in sqlx::query(MONTHS)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?
    {
        let (album, month, track): (i64, String, i64) =
            (row.try_get(1)?, row.try_get(2)?, row.try_get(3)?);
        mismatches.push(describe(
            row.try_get(0)?,
            &format!("album {album}, {month}, track {track}"),
            row.try_get(4)?,
        ));
    }
    for row in sqlx::query(COUNTS)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?
    {
        let (artist, status): (i64, String) = (row.try_get(1)?, row.try_get(2)?);
        mismatches.push(describe_count(
            row.try_get(0)?,
            artist,
            &status,
            row.try_get(3)?,
        ));
    }
    let (kept, counted): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT compositions FROM composition_count), (SELECT count(*) FROM compositions)",
    )
    .fetch_one(&mut *conn)
    .await?;
    mismatches.extend(describe_composition_count(kept, counted));
    mismatches.truncate(MAX_REPORTED);
    let counts = sqlx::query(
        "SELECT (SELECT count(*) FROM album_sales), (SELECT count(*) FROM album_month_sales)",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(TotalsCheck {
        albums: u64_at(&counts, 0)?,
        months: u64_at(&counts, 1)?,
        mismatches,
    })
}
