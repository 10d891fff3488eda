//! Royalty statements from an album's sales, the same arithmetic for every
//! engine: an engine reads the month's units per track and the album's
//! tracks and publishers; this module turns them into the statement with
//! `domain::royalty`.
//!
//! For each cover track, the units sold in the month are its own track
//! sales plus one per whole-album sale; each unit earns the statutory rate
//! of the month's year (the larger of per-track and per-minute × minutes
//! rounded up). A composition's royalty is the exact sum over its cover
//! tracks, in hundredths of a cent; each publisher's line is that times
//! their share, rounded once to the cent. Amounts are never rounded per
//! track or per unit, so a line is off by at most half a cent.
//!
//! Every sum and product is checked: a total too large to count is an
//! error, never a wrapped number on a statement.

use std::collections::{BTreeMap, HashMap};

use time::Date;

use crate::domain::royalty::{self, HundredthsOfCent};
use crate::domain::statement::SalesMonth;
use crate::store::{Publisher, Result, Statement, StatementLine, StoreError, Track};

/// Units and the exact royalty, per composition, in composition order.
pub(crate) type Owed = BTreeMap<i64, (u64, HundredthsOfCent)>;

fn overflow() -> StoreError {
    StoreError::Internal("a royalty total does not fit in 64 bits".into())
}

/// What each covered composition is owed for a month, from the units sold
/// per track number (`None`: whole albums) and the album's tracks.
pub(crate) fn owed(
    rate: royalty::Rate,
    sold: &HashMap<Option<u32>, u64>,
    tracks: &[Track],
) -> Result<Owed> {
    let whole_albums = sold.get(&None).copied().unwrap_or(0);
    let mut owed = Owed::new();
    for track in tracks {
        let Some(composition_id) = track.cover_of else {
            continue;
        };
        let units = sold
            .get(&Some(track.number))
            .copied()
            .unwrap_or(0)
            .checked_add(whole_albums)
            .ok_or_else(overflow)?;
        let royalty = units
            .checked_mul(royalty::per_unit(rate, track.duration_s))
            .ok_or_else(overflow)?;
        let entry = owed.entry(composition_id).or_default();
        entry.0 = entry.0.checked_add(units).ok_or_else(overflow)?;
        entry.1 = entry.1.checked_add(royalty).ok_or_else(overflow)?;
    }
    owed.retain(|_, (units, _)| *units > 0);
    Ok(owed)
}

/// A composition's lines, one per publisher by name.
pub(crate) fn lines(
    composition_id: i64,
    units: u64,
    exact: HundredthsOfCent,
    mut publishers: Vec<Publisher>,
) -> Vec<StatementLine> {
    publishers.sort_by(|a, b| a.name.cmp(&b.name));
    publishers
        .into_iter()
        .map(|publisher| StatementLine {
            publisher: publisher.name,
            composition_id,
            units,
            // `exact` is already units × per-unit, summed over tracks: one
            // "unit" of it, rounded once.
            amount_cents: royalty::line_cents(1, exact, u64::from(publisher.share_bp)),
        })
        .collect()
}

/// The statement of these lines.
pub(crate) fn statement(
    album_id: i64,
    month: SalesMonth,
    today: Date,
    lines: Vec<StatementLine>,
) -> Result<Statement> {
    let total_cents = lines.iter().try_fold(0u64, |sum, line| {
        sum.checked_add(line.amount_cents).ok_or_else(overflow)
    })?;
    Ok(Statement {
        album_id,
        month,
        total_cents,
        lines,
        due_date: month.due_date(),
        late: month.is_late(today),
    })
}
