//! Sales totals kept beside the lines: what an ingest adds to them, and
//! what a verification (`licensing check`) found.
//!
//! Each engine keeps two tables next to `sales`: `album_sales`, units per
//! album to date (the album page's `units_sold`), and
//! `album_month_sales`, units per album, month and track (track 0: the
//! whole album), which is what a statement reads. They are written in the
//! transaction that records the lines, after the `(store, month)` receipt
//! is claimed, so a replayed report adds to neither, and reads cost one
//! row per album or per track instead of one per line ever sold.
//!
//! SQLite adds [`Additions`] from Rust, one upsert per album and per
//! track for the whole report. PostgreSQL adds them in a trigger on
//! `sales` (its migration 0003), so that an instance of the previous
//! release, running beside this one during a rolling deploy, keeps them
//! as well; the sums are the same. The recomputation that checks them is
//! each engine's SQL.

use std::collections::BTreeMap;

use crate::store::SaleLine;

/// The `album_month_sales.track` of a line: its track, or 0 for the
/// whole album.
pub(crate) fn track_key(track_number: Option<u32>) -> u32 {
    track_number.unwrap_or(0)
}

/// What one report adds to the kept totals, keyed in ascending order (so
/// an engine that locks rows as it writes them always locks in the same
/// order).
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Additions {
    /// Units per album.
    pub(crate) albums: BTreeMap<i64, u64>,
    /// Units per album and track (`track_key`), for the report's month.
    pub(crate) tracks: BTreeMap<(i64, u32), u64>,
}

impl Additions {
    /// The sums of `lines`. Every line makes a row, even of 0 units, as
    /// a recomputation (`GROUP BY` over the lines) would.
    pub(crate) fn of(lines: &[SaleLine]) -> Self {
        let mut additions = Self::default();
        for line in lines {
            let units = u64::from(line.units);
            *additions.albums.entry(line.album_id).or_default() += units;
            *additions
                .tracks
                .entry((line.album_id, track_key(line.track_number)))
                .or_default() += units;
        }
        additions
    }
}

/// What a verification of the kept totals against the lines found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TotalsCheck {
    /// Albums with a kept total.
    pub albums: u64,
    /// Album, month and track rows kept.
    pub months: u64,
    /// Each difference, described (the first few hundred at most): a
    /// kept row that a recomputation from the lines does not give, or a
    /// recomputed one that is not kept.
    pub mismatches: Vec<String>,
}

/// How many differences a check lists before it stops looking.
pub(crate) const MAX_REPORTED: usize = 200;

impl TotalsCheck {
    /// Whether the kept totals equal the recomputation.
    pub fn is_sound(&self) -> bool {
        self.mismatches.is_empty()
    }
}

/// One difference in words: `side` is `kept` (a kept row the lines do
/// not give) or `lines` (what the lines give, not kept).
pub(crate) fn describe(side: &str, what: &str, units: i64) -> String {
    if side == "kept" {
        format!("{what}: {units} units kept, which the lines do not sum to")
    } else {
        format!("{what}: the lines sum to {units} units, which is not kept")
    }
}

/// One kept album count that differs from a recount: `side` is `kept`
/// for a count kept that the albums do not add up to, else the recount
/// that is not kept. Artist 0 is every artist.
pub(crate) fn describe_count(side: &str, artist: i64, status: &str, albums: i64) -> String {
    let whose = if artist == 0 {
        "every artist".to_owned()
    } else {
        format!("artist {artist}")
    };
    if side == "kept" {
        format!("{whose}, {status}: {albums} albums kept, which is not how many there are")
    } else {
        format!("{whose}, {status}: {albums} albums, which is not the count kept")
    }
}

/// The kept composition count, when a recount (`counted`) differs from it.
pub(crate) fn describe_composition_count(kept: i64, counted: i64) -> Option<String> {
    (kept != counted)
        .then(|| format!("compositions: {kept} kept, which is not how many there are ({counted})"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::SaleFormat;

    fn line(album_id: i64, track_number: Option<u32>, units: u32) -> SaleLine {
        SaleLine {
            album_id,
            track_number,
            format: SaleFormat::Download,
            units,
        }
    }

    #[test]
    fn additions_sum_per_album_and_per_track() {
        let additions = Additions::of(&[
            line(2, Some(1), 3),
            line(1, None, 5),
            line(2, Some(1), 4),
            line(2, None, 0),
        ]);
        assert_eq!(
            additions.albums.into_iter().collect::<Vec<_>>(),
            [(1, 5), (2, 7)]
        );
        assert_eq!(
            additions.tracks.into_iter().collect::<Vec<_>>(),
            [((1, 0), 5), ((2, 0), 0), ((2, 1), 7)]
        );
    }
}
