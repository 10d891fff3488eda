//! Mechanical royalties under the compulsory license (17 U.S.C. §115).
//!
//! Per unit, the statutory rate is the **larger** of the per-track rate and
//! the per-minute rate times the playing time in minutes **rounded up**,
//! for the year of the sale. Money is integers throughout: rates are in
//! hundredths of a cent, shares in hundredths of a percent, and a line's
//! amount is exact until it is rounded, once, to the cent.

/// A rate in hundredths of a cent (`1240` is 12.40¢).
pub type HundredthsOfCent = u64;

/// One year's statutory rates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    /// Per track, in hundredths of a cent.
    pub per_track: HundredthsOfCent,
    /// Per minute or fraction of a minute, in hundredths of a cent.
    pub per_minute: HundredthsOfCent,
}

/// The rates for physical copies and permanent downloads, by year.
const RATES: &[(i32, i32, Rate)] = &[
    (
        2006,
        2022,
        Rate {
            per_track: 910,
            per_minute: 175,
        },
    ),
    (
        2023,
        2023,
        Rate {
            per_track: 1200,
            per_minute: 231,
        },
    ),
    (
        2024,
        2024,
        Rate {
            per_track: 1240,
            per_minute: 239,
        },
    ),
    (
        2025,
        2025,
        Rate {
            per_track: 1270,
            per_minute: 245,
        },
    ),
    (
        2026,
        2026,
        Rate {
            per_track: 1310,
            per_minute: 252,
        },
    ),
];

/// The rate in force in `year`, if the table knows it.
pub fn rate_for(year: i32) -> Option<Rate> {
    RATES
        .iter()
        .find(|(from, to, _)| (*from..=*to).contains(&year))
        .map(|(_, _, rate)| *rate)
}

/// The years the table covers.
pub fn known_years() -> std::ops::RangeInclusive<i32> {
    RATES[0].0..=RATES[RATES.len() - 1].1
}

/// The royalty per unit of a track lasting `duration_s` seconds sold in
/// `year`, in hundredths of a cent.
pub fn per_unit(rate: Rate, duration_s: u32) -> HundredthsOfCent {
    let minutes = u64::from(duration_s.div_ceil(60));
    // Cannot overflow: the assertion below bounds it for every rate in
    // the table and every `u32` of seconds.
    rate.per_track.max(rate.per_minute * minutes)
}

/// The largest [`per_unit`] of any year in the table, for a track of
/// `duration_s` seconds (a compile-time bound for `domain::limits`).
pub const fn max_per_unit(duration_s: u32) -> HundredthsOfCent {
    let minutes = duration_s.div_ceil(60) as u64;
    let mut max = 0;
    let mut i = 0;
    while i < RATES.len() {
        let rate = RATES[i].2;
        let per_minute = rate.per_minute * minutes;
        let larger = if rate.per_track > per_minute {
            rate.per_track
        } else {
            per_minute
        };
        if larger > max {
            max = larger;
        }
        i += 1;
    }
    max
}

// `per_unit` of the longest `u32` duration at the highest rate fits in 64
// bits (with room: about 2³⁴).
const _: () = assert!(max_per_unit(u32::MAX) < 1 << 40);

/// A publisher's share, in hundredths of a percent (`10_000` is 100%).
pub type ShareBasisPoints = u64;

/// The amount of one statement line, in cents: `units` copies at
/// `per_unit`, times the publisher's `share`, rounded half up once; or
/// `None` when the amount does not fit in 64 bits of cents: never a
/// wrapped or clamped amount. (`domain::limits` caps the inputs so that a
/// statement's lines always fit.)
pub fn checked_line_cents(
    units: u64,
    per_unit: HundredthsOfCent,
    share: ShareBasisPoints,
) -> Option<u64> {
    // Exact value in units of (hundredths of a cent × basis points):
    // a cent is 100 hundredths of a cent, and 100% is 10,000 basis points.
    let exact = u128::from(units)
        .checked_mul(u128::from(per_unit))?
        .checked_mul(u128::from(share))?;
    let per_cent = 100u128 * 10_000;
    let cents = exact.checked_add(per_cent / 2)? / per_cent;
    u64::try_from(cents).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_follows_the_reference() {
        assert_eq!(
            rate_for(2006),
            Some(Rate {
                per_track: 910,
                per_minute: 175
            })
        );
        assert_eq!(
            rate_for(2022),
            Some(Rate {
                per_track: 910,
                per_minute: 175
            })
        );
        assert_eq!(rate_for(2023).unwrap().per_track, 1200);
        assert_eq!(rate_for(2026).unwrap().per_minute, 252);
        assert_eq!(rate_for(2005), None);
        assert_eq!(rate_for(2027), None);
    }

    #[test]
    fn the_larger_of_per_track_and_per_minute_rounded_up() {
        #[rustfmt::skip]
        let cases = [
            // (year, seconds, hundredths of a cent)
            (2024, 210, 1240), // 3:30 → 4 min × 2.39¢ = 9.56¢ < 12.40¢
            (2024, 300, 1240), // 5:00 → 5 × 2.39 = 11.95¢ < 12.40¢
            (2024, 301, 1434), // 5:01 → 6 × 2.39 = 14.34¢
            (2025, 301, 1470), // 6 × 2.45 = 14.70¢
            (2026, 301, 1512), // 6 × 2.52 = 15.12¢
            (2026, 360, 1512), // 6:00 exactly is 6 minutes
            (2026, 361, 1764), // 6:01 → 7 × 2.52 = 17.64¢
            (2022, 600, 1750), // 10:00 → 10 × 1.75¢
            (2025, 0, 1270),
        ];
        for (year, seconds, expected) in cases {
            assert_eq!(
                per_unit(rate_for(year).unwrap(), seconds),
                expected,
                "{year} {seconds}s"
            );
        }
    }

    #[test]
    fn lines_round_once_half_up() {
        // 1000 units × 14.34¢ × 100% = $143.40
        assert_eq!(checked_line_cents(1000, 1434, 10_000), Some(14_340));
        // 3 units × 12.40¢ × 50% = 18.6¢ → 19¢
        assert_eq!(checked_line_cents(3, 1240, 5_000), Some(19));
        // 1 unit × 12.70¢ × 33.33% = 4.232991¢ → 4¢
        assert_eq!(checked_line_cents(1, 1270, 3_333), Some(4));
        // Half a cent rounds up: 1 × 1.00¢ × 50% = 0.5¢ → 1¢
        assert_eq!(checked_line_cents(1, 100, 5_000), Some(1));
        assert_eq!(checked_line_cents(0, 1512, 10_000), Some(0));
        // Too large: `None`, never a wrapped or clamped amount.
        assert_eq!(checked_line_cents(u64::MAX, u64::MAX, 10_000), None);
        assert_eq!(checked_line_cents(u64::MAX, 10_000, 10_000), None);
        // At the boundary: u64::MAX units at 1.00¢ is the largest amount
        // that fits; at 1.01¢ it does not.
        assert_eq!(checked_line_cents(u64::MAX, 100, 10_000), Some(u64::MAX));
        assert_eq!(checked_line_cents(u64::MAX, 101, 10_000), None);
    }
}
