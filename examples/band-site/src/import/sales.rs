//! Sales months: recorded, corrected when the catalogue changes them, and
//! kept (reported) when it no longer lists them. The licensing store's kept
//! totals (per album; per album, month and track), which album pages and
//! statements read, are recomputed in the same transaction when any month
//! was written: a correction replaces a month's lines, which the store's
//! ingest (add only) never does.

use std::collections::HashMap;

use rusqlite::{Transaction, params};

use super::{ImportReport, Result};
use crate::catalogue::Catalogue;

/// One sales line as stored: album, track, format, units.
type LineRow = (i64, Option<u32>, String, u32);

pub(super) fn sales(
    tx: &Transaction<'_>,
    catalogue: &Catalogue,
    album_ids: &HashMap<&str, i64>,
    report: &mut ImportReport,
) -> Result<()> {
    for month in &catalogue.sales {
        let mut wanted: Vec<LineRow> = month
            .lines
            .iter()
            .map(|l| {
                (
                    album_ids[l.album.as_str()],
                    l.track,
                    l.format.as_str().to_owned(),
                    l.units,
                )
            })
            .collect();
        wanted.sort();
        let month_text = month.month.to_string();
        let exists = tx
            .prepare_cached("SELECT 1 FROM sales_reports WHERE store = ?1 AND month = ?2")?
            .exists(params![month.store, month_text])?;
        if exists {
            let mut stored: Vec<LineRow> = tx
                .prepare_cached(
                    "SELECT album_id, track_number, format, units FROM sales
                     WHERE store = ?1 AND month = ?2",
                )?
                .query_map(params![month.store, month_text], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            stored.sort();
            if stored == wanted {
                continue;
            }
            tx.execute(
                "DELETE FROM sales WHERE store = ?1 AND month = ?2",
                params![month.store, month_text],
            )?;
        } else {
            tx.execute(
                "INSERT INTO sales_reports (store, month) VALUES (?1, ?2)",
                params![month.store, month_text],
            )?;
        }
        for (album_id, track, format, units) in &wanted {
            tx.execute(
                "INSERT INTO sales (store, month, album_id, track_number, format, units)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![month.store, month_text, album_id, track, format, units],
            )?;
        }
        report.sales_written += 1;
    }
    if report.sales_written > 0 {
        keep_totals(tx)?;
    }
    let listed: Vec<(String, String)> = catalogue
        .sales
        .iter()
        .map(|m| (m.store.clone(), m.month.to_string()))
        .collect();
    let stored: Vec<(String, String)> = tx
        .prepare_cached("SELECT store, month FROM sales_reports ORDER BY month, store")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (store, month) in stored {
        if !listed.contains(&(store.clone(), month.clone())) {
            report.removals.push(format!(
                "sales of {store} {month} are no longer in the catalogue: kept (sales are history)"
            ));
        }
    }
    Ok(())
}

/// Recomputes the kept sales totals from every sales line, as the store's
/// migration first filled them (`licensing check` verifies the same).
fn keep_totals(tx: &Transaction<'_>) -> Result<()> {
    tx.execute_batch(
        "DELETE FROM album_sales;
         INSERT INTO album_sales (album_id, units)
             SELECT album_id, sum(units) FROM sales GROUP BY album_id;
         DELETE FROM album_month_sales;
         INSERT INTO album_month_sales (album_id, month, track, units)
             SELECT album_id, month, coalesce(track_number, 0), sum(units)
             FROM sales GROUP BY album_id, month, coalesce(track_number, 0);",
    )?;
    Ok(())
}
