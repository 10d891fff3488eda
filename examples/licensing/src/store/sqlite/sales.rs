//! Sales reports in, royalty statements out.
//!
//! **Ingest** is idempotent per store and month: the `sales_reports` row
//! for `(store, month)` is the receipt, written in the same transaction as
//! the lines, so a report is recorded completely once and a re-sent report
//! (a retried upload, a re-run job) changes nothing. Which lines are
//! acceptable is `store::rules`, among them that no album passes
//! `domain::limits::MAX_ALBUM_UNITS`: the store's write transaction
//! (`BEGIN IMMEDIATE`) keeps other writers out between reading an album's
//! units and adding to them.
//!
//! The same transaction adds the report's units to the kept totals
//! (`store::totals`), after the receipt: a replay adds nothing there
//! either.
//!
//! **Statements** are `store::accounting`'s arithmetic over the units this
//! module reads from the kept per-track totals (one row per track, however
//! many lines the month has).

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use rusqlite::{Connection, OptionalExtension, params};
use time::Date;

use super::album_rows::fetch_album;
use super::{catalog, tracks};
use crate::domain::statement::SalesMonth;
use crate::store::totals::Additions;
use crate::store::{
    AlbumStatus, IngestOutcome, Result, SalesReport, Statement, accounting, check, rules,
};

/// Records a store's month, unless it already is.
pub(super) fn ingest_sales(conn: &Connection, report: &SalesReport) -> Result<IngestOutcome> {
    check::not_blank("/store", &report.store)?;
    // Sales of a year with no statutory rate could never be accounted: its
    // statement is refused. Refuse them here, before anything is kept.
    rules::known_rate(report.month)?;
    let already = conn
        .prepare_cached("SELECT 1 FROM sales_reports WHERE store = ?1 AND month = ?2")?
        .exists(params![report.store, report.month])?;
    if already {
        return Ok(IngestOutcome::AlreadyIngested);
    }
    conn.prepare_cached("INSERT INTO sales_reports (store, month) VALUES (?1, ?2)")?
        .execute(params![report.store, report.month])?;
    let mut albums: HashMap<i64, Option<ForSale>> = HashMap::new();
    let mut insert = conn.prepare_cached(
        "INSERT INTO sales (store, month, album_id, track_number, format, units)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, line) in report.lines.iter().enumerate() {
        let album = match albums.entry(line.album_id) {
            Entry::Occupied(found) => found.into_mut(),
            Entry::Vacant(slot) => slot.insert(album_for_sale(conn, line.album_id)?),
        };
        rules::check_sale_line(i, line, album.map(|a| (a.status, a.tracks)))?;
        if let Some(album) = album {
            // Within the write transaction, so no other report can add
            // to the album between this sum and the commit.
            album.sold = rules::add_album_units(i, line.album_id, album.sold, line.units)?;
        }
        insert.execute(params![
            report.store,
            report.month,
            line.album_id,
            line.track_number,
            line.format,
            line.units
        ])?;
    }
    keep_totals(conn, report)?;
    Ok(IngestOutcome::Ingested {
        lines: report.lines.len(),
        units: rules::report_units(&report.lines)?,
    })
}

/// Adds the report's units to the kept totals (`store::totals`).
fn keep_totals(conn: &Connection, report: &SalesReport) -> Result<()> {
    let additions = Additions::of(&report.lines);
    let mut albums = conn.prepare_cached(
        "INSERT INTO album_sales (album_id, units) VALUES (?1, ?2)
         ON CONFLICT (album_id) DO UPDATE SET units = units + excluded.units",
    )?;
    for (album_id, units) in additions.albums {
        albums.execute(params![album_id, units])?;
    }
    let mut tracks = conn.prepare_cached(
        "INSERT INTO album_month_sales (album_id, month, track, units) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (album_id, month, track) DO UPDATE SET units = units + excluded.units",
    )?;
    for ((album_id, track), units) in additions.tracks {
        tracks.execute(params![album_id, report.month, track, units])?;
    }
    Ok(())
}

/// What a sales line needs to know of its album.
#[derive(Clone, Copy)]
struct ForSale {
    status: AlbumStatus,
    /// How many tracks it has.
    tracks: u32,
    /// Units it has sold so far (this report's lines added as they pass).
    sold: u64,
}

/// An album's status, number of tracks and units sold, if it exists.
fn album_for_sale(conn: &Connection, album_id: i64) -> Result<Option<ForSale>> {
    Ok(conn
        .prepare_cached(
            "SELECT status, (SELECT count(*) FROM tracks WHERE album_id = a.id),
                    coalesce((SELECT units FROM album_sales WHERE album_id = a.id), 0)
             FROM albums a WHERE id = ?1",
        )?
        .query_row([album_id], |row| {
            Ok(ForSale {
                status: row.get(0)?,
                tracks: row.get(1)?,
                sold: row.get(2)?,
            })
        })
        .optional()?)
}

/// An album's royalties for a month.
pub(super) fn statement(
    conn: &Connection,
    album_id: i64,
    month: SalesMonth,
    today: Date,
) -> Result<Statement> {
    fetch_album(conn, album_id)?;
    let rate = rules::known_rate(month)?;
    // Units per track number; `None` is whole-album sales.
    let sold: HashMap<Option<u32>, u64> = conn
        .prepare_cached(
            "SELECT nullif(track, 0), units FROM album_month_sales
             WHERE album_id = ?1 AND month = ?2",
        )?
        .query_map(params![album_id, month], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let owed = accounting::owed(rate, &sold, &tracks::list_tracks(conn, album_id)?)?;
    let mut lines = Vec::new();
    for (composition_id, (units, exact)) in owed {
        let publishers = catalog::get_composition(conn, composition_id)?.publishers;
        lines.extend(accounting::lines(composition_id, units, exact, publishers)?);
    }
    accounting::statement(album_id, month, today, lines)
}
