//! The calendar of accounting: sales are reported by month, and the
//! statement (and payment) for a month is due on the **20th of the month
//! after** it, as the compulsory license (17 U.S.C. §115) has monthly
//! statements fall due. A statement is
//! late once that day has passed.
//!
//! "Today" is always an argument, never read from the clock here, so that
//! lateness is a pure function and testable.

use std::fmt;
use std::str::FromStr;

use time::{Date, Month};

/// A calendar month of sales, written `YYYY-MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SalesMonth {
    year: i32,
    month: Month,
}

impl SalesMonth {
    /// The month `month` (1–12) of `year`, if both are sensible (years
    /// 1000–9999, so the text form is always four digits).
    pub fn new(year: i32, month: u8) -> Option<Self> {
        let month = Month::try_from(month).ok()?;
        (1000..=9999)
            .contains(&year)
            .then_some(Self { year, month })
    }

    /// Parses `YYYY-MM`.
    pub fn parse(text: &str) -> Result<Self, &'static str> {
        let shape = "a month looks like YYYY-MM";
        let (year, month) = text.split_once('-').ok_or(shape)?;
        if year.len() != 4 || month.len() != 2 {
            return Err(shape);
        }
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if !digits(year) || !digits(month) {
            return Err(shape);
        }
        let year = year.parse().map_err(|_| shape)?;
        let month = month.parse().map_err(|_| shape)?;
        Self::new(year, month).ok_or("the month must be between 01 and 12")
    }

    /// The month `date` falls in.
    pub fn of(date: Date) -> Self {
        Self {
            year: date.year(),
            month: date.month(),
        }
    }

    /// The year, which selects the statutory rate.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month of the year, 1–12.
    pub fn month(self) -> u8 {
        self.month as u8
    }

    /// The month after this one.
    pub fn next(self) -> Self {
        match self.month {
            Month::December => Self {
                year: self.year + 1,
                month: Month::January,
            },
            month => Self {
                year: self.year,
                month: month.next(),
            },
        }
    }

    /// The day the statement and payment for this month are due: the 20th
    /// of the next month.
    pub fn due_date(self) -> Date {
        let next = self.next();
        // The 20th exists in every month, and `new` bounds the year.
        Date::from_calendar_date(next.year, next.month, 20).unwrap_or(Date::MAX)
    }

    /// Whether a statement for this month is late on `today`: the due date
    /// has passed (paying *on* the 20th is on time).
    pub fn is_late(self, today: Date) -> bool {
        today > self.due_date()
    }
}

impl fmt::Display for SalesMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month as u8)
    }
}

impl FromStr for SalesMonth {
    type Err = &'static str;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

/// `YYYY-MM` as a typed argument: a malformed month is a 422 on the
/// argument's own pointer, like any other invalid value.
impl pale::Argument for SalesMonth {
    const SCHEMA: pale::argument::Schema = pale::argument::Schema::String {
        format: Some("year-month"),
        pattern: Some("^[1-9][0-9]{3}-(0[1-9]|1[0-2])$"),
    };

    fn cast(
        raw: &pale::argument::Raw,
        at: &pale::argument::Pointer<'_>,
        errors: &mut pale::argument::Errors,
    ) -> Option<Self> {
        let pale::argument::Raw::Text(text) = raw else {
            errors.invalid_type(at, "a month such as 2024-10", raw);
            return None;
        };
        Self::parse(text)
            .map_err(|reason| errors.push(at, "invalid_month", reason))
            .ok()
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn parses_and_renders_yyyy_mm() {
        assert_eq!(SalesMonth::parse("2025-03").unwrap().to_string(), "2025-03");
        assert_eq!(SalesMonth::parse("2025-12").unwrap().month(), 12);
        for bad in [
            "", "2025", "2025-3", "2025-13", "2025-00", "25-03", "2025/03", "+025-03",
        ] {
            assert!(SalesMonth::parse(bad).is_err(), "{bad}");
        }
    }

    /// The documented pattern is exactly what `parse` accepts: a client
    /// (or a fuzzer) that follows the document sends valid months only.
    #[test]
    fn the_documented_pattern_is_the_accepted_shape() {
        use pale::Argument as _;
        let pale::argument::Schema::String {
            pattern: Some(pattern),
            ..
        } = SalesMonth::SCHEMA
        else {
            panic!("SalesMonth documents no pattern");
        };
        let pattern = regex_lite::Regex::new(pattern).unwrap();
        for text in [
            "2025-03", "1000-01", "9999-12", "", "2025", "2025-3", "2025-13", "2025-00", "0999-01",
            "25-03", "2025/03", "+025-03",
        ] {
            assert_eq!(
                pattern.is_match(text),
                SalesMonth::parse(text).is_ok(),
                "{text}"
            );
        }
    }

    #[test]
    fn due_on_the_twentieth_of_the_next_month() {
        #[rustfmt::skip]
        let cases = [
            ("2024-01", date!(2024 - 02 - 20)),
            ("2024-12", date!(2025 - 01 - 20)), // across the year
            ("2026-02", date!(2026 - 03 - 20)),
        ];
        for (month, due) in cases {
            assert_eq!(SalesMonth::parse(month).unwrap().due_date(), due, "{month}");
        }
    }

    #[test]
    fn late_only_after_the_due_date() {
        let month = SalesMonth::parse("2025-06").unwrap();
        assert!(!month.is_late(date!(2025 - 07 - 19)));
        assert!(!month.is_late(date!(2025 - 07 - 20)));
        assert!(month.is_late(date!(2025 - 07 - 21)));
        assert_eq!(SalesMonth::of(date!(2025 - 06 - 30)), month);
    }
}
