//! Sales reports in, royalty statements out.
//!
//! **Ingest** is idempotent per store and month: the `sales_reports` row
//! for `(store, month)` is the receipt, written in the same transaction as
//! the lines, so a report is recorded completely once and a re-sent report
//! (a retried upload, a re-run job) changes nothing.
//!
//! **Statements** follow `domain::royalty`: for each cover track, the units
//! sold in the month are its own track sales plus one per whole-album
//! sale; each unit earns the statutory rate of the month's year (the
//! larger of per-track and per-minute × minutes rounded up). A
//! composition's royalty is the exact sum over its cover tracks, in
//! hundredths of a cent; each publisher's line is that times their share,
//! rounded once to the cent. Amounts are never rounded per track or per
//! unit, so a line is off by at most half a cent.

use std::collections::{BTreeMap, HashMap};

use rusqlite::{Connection, OptionalExtension, params};
use time::Date;

use super::albums::fetch_album;
use super::{catalog, check, tracks};
use crate::domain::royalty::{self, HundredthsOfCent};
use crate::domain::statement::SalesMonth;
use crate::store::{
    AlbumStatus, IngestOutcome, Result, SalesReport, Statement, StatementLine, StoreError,
};

/// Records a store's month, unless it already is.
pub(super) fn ingest_sales(conn: &Connection, report: &SalesReport) -> Result<IngestOutcome> {
    check::not_blank("/store", &report.store)?;
    // Sales of a year with no statutory rate could never be accounted: its
    // statement is refused. Refuse them here, before anything is kept.
    known_rate(report.month)?;
    let already = conn
        .prepare_cached("SELECT 1 FROM sales_reports WHERE store = ?1 AND month = ?2")?
        .exists(params![report.store, report.month])?;
    if already {
        return Ok(IngestOutcome::AlreadyIngested);
    }
    conn.prepare_cached("INSERT INTO sales_reports (store, month) VALUES (?1, ?2)")?
        .execute(params![report.store, report.month])?;
    let mut live = HashMap::new();
    let mut insert = conn.prepare_cached(
        "INSERT INTO sales (store, month, album_id, track_number, format, units)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let mut units = 0u64;
    for (i, line) in report.lines.iter().enumerate() {
        let track_count = match live.get(&line.album_id) {
            Some(count) => *count,
            None => {
                let count = live_track_count(conn, line.album_id)?.map_err(|reason| {
                    StoreError::invalid(format!("/lines/{i}/album_id"), reason)
                })?;
                live.insert(line.album_id, count);
                count
            }
        };
        if let Some(number) = line.track_number
            && !(1..=track_count).contains(&number)
        {
            return Err(StoreError::invalid(
                format!("/lines/{i}/track_number"),
                "the album has no such track",
            ));
        }
        insert.execute(params![
            report.store,
            report.month,
            line.album_id,
            line.track_number,
            line.format,
            line.units
        ])?;
        units += u64::from(line.units);
    }
    Ok(IngestOutcome::Ingested {
        lines: report.lines.len(),
        units,
    })
}

/// The number of tracks of a live album, or (inside) why it cannot have
/// sales.
fn live_track_count(conn: &Connection, album_id: i64) -> Result<Result<u32, &'static str>> {
    let found: Option<(AlbumStatus, u32)> = conn
        .prepare_cached(
            "SELECT status, (SELECT count(*) FROM tracks WHERE album_id = a.id)
             FROM albums a WHERE id = ?1",
        )?
        .query_row([album_id], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    Ok(match found {
        None => Err("no such album"),
        Some((AlbumStatus::Live, count)) => Ok(count),
        Some(_) => Err("the album is not on sale"),
    })
}

/// The statutory rate of `month`'s year, or a 422 on `/month`.
fn known_rate(month: SalesMonth) -> Result<royalty::Rate> {
    royalty::rate_for(month.year()).ok_or_else(|| {
        StoreError::invalid(
            "/month",
            format!("no statutory rate is known for {}", month.year()),
        )
    })
}

/// An album's royalties for a month.
pub(super) fn statement(
    conn: &Connection,
    album_id: i64,
    month: SalesMonth,
    today: Date,
) -> Result<Statement> {
    fetch_album(conn, album_id)?;
    let rate = known_rate(month)?;
    // Units per track number; `None` is whole-album sales.
    let sold: HashMap<Option<u32>, u64> = conn
        .prepare_cached(
            "SELECT track_number, sum(units) FROM sales
             WHERE album_id = ?1 AND month = ?2 GROUP BY track_number",
        )?
        .query_map(params![album_id, month], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let whole_albums = sold.get(&None).copied().unwrap_or(0);
    // Per composition: units, and the exact royalty in hundredths of a cent.
    let mut owed: BTreeMap<i64, (u64, HundredthsOfCent)> = BTreeMap::new();
    for track in tracks::list_tracks(conn, album_id)? {
        let Some(composition_id) = track.cover_of else {
            continue;
        };
        let units = sold.get(&Some(track.number)).copied().unwrap_or(0) + whole_albums;
        let entry = owed.entry(composition_id).or_default();
        entry.0 += units;
        entry.1 += units * royalty::per_unit(rate, track.duration_s);
    }
    let mut lines = Vec::new();
    for (composition_id, (units, exact)) in owed {
        if units == 0 {
            continue;
        }
        let mut publishers = catalog::get_composition(conn, composition_id)?.publishers;
        publishers.sort_by(|a, b| a.name.cmp(&b.name));
        for publisher in publishers {
            lines.push(StatementLine {
                publisher: publisher.name,
                composition_id,
                units,
                // `exact` is already units × per-unit, summed over tracks:
                // one "unit" of it, rounded once.
                amount_cents: royalty::line_cents(1, exact, u64::from(publisher.share_bp)),
            });
        }
    }
    Ok(Statement {
        album_id,
        month,
        total_cents: lines.iter().map(|line| line.amount_cents).sum(),
        lines,
        due_date: month.due_date(),
        late: month.is_late(today),
    })
}
