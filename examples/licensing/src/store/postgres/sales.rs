//! Sales reports in, royalty statements out.
//!
//! **Ingest** is idempotent per store and month, and stays so with any
//! number of instances: the `sales_reports` row for `(store, month)` is the
//! receipt, claimed by `INSERT … ON CONFLICT DO NOTHING` in the same
//! transaction as the lines. Of two instances receiving the same month at
//! once, the second's insert waits on the first's uncommitted key, then
//! does nothing once the first commits (or claims the month itself if the
//! first rolled back): the month is counted once, with no read-then-write
//! window. The albums the lines name are locked (`FOR NO KEY UPDATE`, in
//! id order) before their units are summed, so two reports for one album
//! on two instances cannot together pass
//! `domain::limits::MAX_ALBUM_UNITS`. The lines go in with one `INSERT … SELECT FROM unnest(…)`, so a
//! ten-thousand-line month is one statement, not ten thousand round trips.
//!
//! The lines' insert adds their units to the kept totals
//! (`store::totals`) in the same transaction: a trigger does, so that a
//! previous release's instance ingesting during a rolling deploy keeps
//! them too (migration 0003). A replay inserts no line, so adds nothing.
//!
//! **Statements** are `store::accounting`'s arithmetic over the kept
//! per-track totals this module reads, as on SQLite: one row per track,
//! however many lines the month has.

use std::collections::HashMap;

use sqlx::{PgConnection, Row};
use time::Date;

use super::album_rows::fetch_album;
use super::row::{opt_u32_at, u32_at, u64_at};
use super::{catalog, tracks};
use crate::domain::statement::SalesMonth;
use crate::store::{
    AlbumStatus, IngestOutcome, Result, SaleLine, SalesReport, Statement, StoreError, accounting,
    check, rules,
};

/// Records a store's month, unless it already is.
pub(super) async fn ingest_sales(
    conn: &mut PgConnection,
    report: &SalesReport,
) -> Result<IngestOutcome> {
    check::not_blank("/store", &report.store)?;
    // Sales of a year with no statutory rate could never be accounted.
    rules::known_rate(report.month)?;
    let claimed = sqlx::query(
        "INSERT INTO sales_reports (store, month) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(&report.store)
    .bind(report.month)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if claimed == 0 {
        return Ok(IngestOutcome::AlreadyIngested);
    }
    let mut albums = albums_for_sale(conn, &report.lines).await?;
    for (i, line) in report.lines.iter().enumerate() {
        let album = albums.get_mut(&line.album_id);
        rules::check_sale_line(i, line, album.as_deref().map(|a| (a.status, a.tracks)))?;
        if let Some(album) = album {
            album.sold = rules::add_album_units(i, line.album_id, album.sold, line.units)?;
        }
    }
    let units = rules::report_units(&report.lines)?;
    let album_ids: Vec<i64> = report.lines.iter().map(|l| l.album_id).collect();
    let track_numbers: Vec<Option<i64>> = report
        .lines
        .iter()
        .map(|l| l.track_number.map(i64::from))
        .collect();
    let formats: Vec<&str> = report.lines.iter().map(|l| l.format.as_str()).collect();
    let line_units: Vec<i64> = report.lines.iter().map(|l| i64::from(l.units)).collect();
    sqlx::query(
        "INSERT INTO sales (store, month, album_id, track_number, format, units)
         SELECT $1, $2, l.album_id, l.track_number, l.format, l.units
         FROM unnest($3::bigint[], $4::bigint[], $5::text[], $6::bigint[])
              WITH ORDINALITY AS l (album_id, track_number, format, units, n)
         ORDER BY l.n",
    )
    .bind(&report.store)
    .bind(report.month)
    .bind(album_ids)
    .bind(track_numbers)
    .bind(formats)
    .bind(line_units)
    .execute(&mut *conn)
    .await?;
    Ok(IngestOutcome::Ingested {
        lines: report.lines.len(),
        units,
    })
}

/// What a sales line needs to know of its album.
struct ForSale {
    status: AlbumStatus,
    /// How many tracks it has.
    tracks: u32,
    /// Units it has sold so far (this report's lines added as they pass).
    sold: u64,
}

/// The albums the lines name that exist, locked for the rest of the
/// transaction (in id order, so two reports never wait on each other in a
/// circle), with the units each has sold: another report on another
/// instance waits for the lock, then sees these units once committed, so
/// the two cannot together pass `domain::limits::MAX_ALBUM_UNITS`.
async fn albums_for_sale(
    conn: &mut PgConnection,
    lines: &[SaleLine],
) -> Result<HashMap<i64, ForSale>> {
    let mut ids: Vec<i64> = lines.iter().map(|l| l.album_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut albums = HashMap::with_capacity(ids.len());
    for row in sqlx::query(
        "SELECT a.id, a.status, (SELECT count(*) FROM tracks t WHERE t.album_id = a.id)
         FROM albums a WHERE a.id = ANY($1) ORDER BY a.id FOR NO KEY UPDATE OF a",
    )
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await?
    {
        let album = ForSale {
            status: row.try_get(1)?,
            tracks: u32_at(&row, 2)?,
            sold: 0,
        };
        albums.insert(row.try_get(0)?, album);
    }
    // A statement of its own, after the locks: its snapshot includes what
    // a report that held them committed.
    for row in sqlx::query("SELECT album_id, units FROM album_sales WHERE album_id = ANY($1)")
        .bind(&ids)
        .fetch_all(&mut *conn)
        .await?
    {
        if let Some(album) = albums.get_mut(&row.try_get::<i64, _>(0)?) {
            album.sold = u64_at(&row, 1)?;
        }
    }
    Ok(albums)
}

/// An album's royalties for a month.
pub(super) async fn statement(
    conn: &mut PgConnection,
    album_id: i64,
    month: SalesMonth,
    today: Date,
) -> Result<Statement> {
    fetch_album(conn, album_id).await?;
    let rate = rules::known_rate(month)?;
    // Units per track number; `None` is whole-album sales.
    let sold: HashMap<Option<u32>, u64> = sqlx::query(
        "SELECT nullif(track, 0), units FROM album_month_sales
         WHERE album_id = $1 AND month = $2",
    )
    .bind(album_id)
    .bind(month)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|row| Ok((opt_u32_at(row, 0)?, u64_at(row, 1)?)))
    .collect::<Result<_>>()?;
    let tracks = tracks::list_tracks(conn, album_id).await?;
    let owed = accounting::owed(rate, &sold, &tracks)?;
    let ids: Vec<i64> = owed.keys().copied().collect();
    let mut compositions = catalog::get_compositions(conn, &ids).await?.into_iter();
    let mut lines = Vec::new();
    for (composition_id, (units, exact)) in owed {
        let composition = compositions
            .next()
            .filter(|c| c.id == composition_id)
            .ok_or(StoreError::NotFound("composition"))?;
        lines.extend(accounting::lines(
            composition_id,
            units,
            exact,
            composition.publishers,
        )?);
    }
    accounting::statement(album_id, month, today, lines)
}
