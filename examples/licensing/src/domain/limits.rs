//! The ceilings that keep every count and every amount of money inside 64
//! bits, so that no sum or product can wrap: the caps below bound the
//! inputs, and the assertions at the bottom prove, when the crate
//! compiles, that the largest values they allow still fit.
//!
//! | what | cap | enforced by |
//! |---|---|---|
//! | units on one line of a sales report | 100,000,000 | the `record_sales` endpoint (422) |
//! | lines in one sales report | 10,000 | the `record_sales` endpoint (422) |
//! | units one album may sell, all stores and months together | [`MAX_ALBUM_UNITS`] (1,000,000,000) | the store, per report (422 on the line that crosses it; nothing of the report is kept) |
//! | a track's playing time | [`MAX_TRACK_SECONDS`] (86,400 s, a day) | the store and the track endpoints (422) |
//! | tracks on an album | [`MAX_TRACKS`] (999) | the store (409) |
//! | an album's price | `u32` cents (the API takes 0 to 100,000) | the type |
//!
//! The album cap is the one that matters: an album that has sold a
//! billion copies (more than ten times the best-selling album there has
//! been) refuses further sales reports, where it would otherwise turn
//! revenue and royalties into numbers that mean nothing. With it:
//!
//! - an album's gross revenue, units times price, is at most
//!   10⁹ × (2³² − 1) cents, under 2⁶⁴ ([`revenue_cents`]);
//! - a month's royalty for one composition on one album is at most
//!   [`MAX_TRACKS`] covers × [`MAX_ALBUM_UNITS`] units × the largest
//!   per-unit rate of a day-long track, under 2⁶⁴ hundredths of a cent, and
//!   so are the statement's lines and its total.
//!
//! The engines keep their checked sums all the same (SQLite's `sum()` and
//! PostgreSQL's `::bigint` raise rather than wrap; `store::accounting`
//! uses `checked_*`): data written before these caps existed is an error
//! there, never a wrapped number.

use crate::domain::royalty::{self, HundredthsOfCent};

/// The most units one album may sell, over all stores and months.
pub const MAX_ALBUM_UNITS: u64 = 1_000_000_000;

/// The longest a track may play, in seconds (a day).
pub const MAX_TRACK_SECONDS: u32 = 86_400;

/// The most tracks an album may have.
pub const MAX_TRACKS: u32 = 999;

/// An album's gross revenue, `units` at `price_cents` each, or `None` when
/// it does not fit in 64 bits of cents (only possible for more units than
/// [`MAX_ALBUM_UNITS`], which the store refuses to record).
pub fn revenue_cents(units: u64, price_cents: u32) -> Option<u64> {
    units.checked_mul(u64::from(price_cents))
}

/// The largest per-unit royalty of any year the table knows, for a track
/// of [`MAX_TRACK_SECONDS`].
const MAX_PER_UNIT: HundredthsOfCent = royalty::max_per_unit(MAX_TRACK_SECONDS);

// Revenue: the most units at the highest price a `u32` holds.
const _: () = assert!((MAX_ALBUM_UNITS as u128) * (u32::MAX as u128) <= u64::MAX as u128);
// A month's royalty for a composition, summed over every track of the
// album (each counts its own sales and every whole-album sale, and all of
// them are sales of the album, so under its cap), in hundredths of a cent.
const _: () = assert!(
    (MAX_TRACKS as u128) * (MAX_ALBUM_UNITS as u128) * (MAX_PER_UNIT as u128) <= u64::MAX as u128
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revenue_is_checked_never_wrapped() {
        assert_eq!(revenue_cents(3, 999), Some(2_997));
        assert_eq!(
            revenue_cents(MAX_ALBUM_UNITS, u32::MAX),
            Some(4_294_967_295_000_000_000)
        );
        assert_eq!(revenue_cents(u64::MAX / 2, 3), None);
    }

    #[test]
    fn the_largest_per_unit_rate_is_a_day_at_the_highest_per_minute_rate() {
        // 2026: 2.52¢ a minute, 1,440 minutes.
        assert_eq!(MAX_PER_UNIT, 252 * 1_440);
    }
}
