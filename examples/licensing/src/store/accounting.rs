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
) -> Result<Vec<StatementLine>> {
    publishers.sort_by(|a, b| a.name.cmp(&b.name));
    publishers
        .into_iter()
        .map(|publisher| {
            // `exact` is already units × per-unit, summed over tracks: one
            // "unit" of it, rounded once.
            let amount_cents = royalty::checked_line_cents(1, exact, u64::from(publisher.share_bp))
                .ok_or_else(overflow)?;
            Ok(StatementLine {
                publisher: publisher.name,
                composition_id,
                units,
                amount_cents,
            })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn cover(number: u32, duration_s: u32, composition: i64) -> Track {
        Track {
            album_id: 1,
            number,
            title: format!("T{number}"),
            duration_s,
            isrc: None,
            preview_url: None,
            is_cover: true,
            cover_of: Some(composition),
            lyrics_changed: false,
            license_status: None,
        }
    }

    #[test]
    fn whole_albums_count_for_every_cover_and_each_composition_once() {
        let rate = royalty::rate_for(2024).unwrap();
        let sold = HashMap::from([(None, 2), (Some(1), 3)]);
        // Two covers of composition 7 (3:00 and 5:01); 9 sells only in albums.
        let tracks = [cover(1, 180, 7), cover(2, 301, 7), cover(3, 200, 9)];
        let nothing = owed(rate, &HashMap::new(), &tracks).unwrap();
        assert!(nothing.is_empty(), "nothing sold, nothing owed");
        let due = owed(rate, &sold, &tracks).unwrap();
        // Track 1: 5 units × 12.40¢; track 2: 2 units × 14.34¢ (6 minutes).
        assert_eq!(due[&7], (7, 5 * 1240 + 2 * 1434));
        assert_eq!(due[&9], (2, 2 * 1240));
    }

    #[test]
    fn totals_too_large_are_errors_not_wrapped() {
        let rate = royalty::rate_for(2024).unwrap();
        let sold = HashMap::from([(Some(1), u64::MAX / 1000)]);
        assert!(matches!(
            owed(rate, &sold, &[cover(1, 180, 7)]),
            Err(StoreError::Internal(_))
        ));
        let sold = HashMap::from([(None, 1), (Some(1), u64::MAX)]);
        assert!(owed(rate, &sold, &[cover(1, 180, 7)]).is_err());
        let line = |amount_cents| StatementLine {
            publisher: "P".into(),
            composition_id: 7,
            units: 1,
            amount_cents,
        };
        let month = SalesMonth::parse("2024-05").unwrap();
        let today = time::macros::date!(2024 - 06 - 01);
        assert!(statement(1, month, today, vec![line(u64::MAX), line(1)]).is_err());
        let fine = statement(1, month, today, vec![line(2), line(3)]).unwrap();
        assert_eq!(fine.total_cents, 5);
    }

    #[test]
    fn publishers_are_listed_by_name_each_rounded_once() {
        let publishers = vec![
            Publisher {
                name: "B".into(),
                share_bp: 4_000,
            },
            Publisher {
                name: "A".into(),
                share_bp: 6_000,
            },
        ];
        // 272.46¢ exactly: 60% = 163.476 → 163, 40% = 108.984 → 109.
        let lines = lines(7, 19, 27_246, publishers).unwrap();
        let amounts: Vec<_> = lines
            .iter()
            .map(|l| (l.publisher.as_str(), l.amount_cents))
            .collect();
        assert_eq!(amounts, [("A", 163), ("B", 109)]);
    }
}
