//! The resources: a moment in time, and a range between two moments.
//!
//! Every field of [`DateTime`] is computed from one `OffsetDateTime` by a
//! getter, so the fields cannot disagree with each other; only `name`, which
//! the client gives, is stored.

use pale::prelude::*;
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

/// A moment in time, in UTC.
#[derive(Resource, Clone, Debug)]
#[pale(name = "datetime", default_fields(year, month, day, isoformat))]
pub struct DateTime {
    /// The year.
    #[pale(getter = DateTime::year)]
    year: (),
    /// The month, from 1 (January) to 12.
    #[pale(getter = DateTime::month)]
    month: (),
    /// The day of the month, from 1.
    #[pale(getter = DateTime::day)]
    day: (),
    /// The hour, from 0 to 23.
    #[pale(getter = DateTime::hours)]
    hours: (),
    /// The minute, from 0 to 59.
    #[pale(getter = DateTime::minutes)]
    minutes: (),
    /// The second, from 0 to 59.
    #[pale(getter = DateTime::seconds)]
    seconds: (),
    /// The moment as an RFC 3339 timestamp.
    #[pale(getter = DateTime::isoformat)]
    isoformat: (),
    /// The date as Europeans write it: `DD.MM.YYYY`.
    #[pale(getter = DateTime::eurodate)]
    eurodate: (),
    /// A name the client gave the moment, if any.
    name: Option<String>,
    #[pale(skip)]
    at: OffsetDateTime,
}

impl DateTime {
    /// The years a `DateTime` can hold: those RFC 3339 and `DD.MM.YYYY`
    /// can write (and Python's `datetime` could).
    pub const YEARS: std::ops::RangeInclusive<i32> = 1..=9999;

    /// `at`, in UTC; `None` when its year is outside [`Self::YEARS`].
    pub fn new(at: OffsetDateTime) -> Option<Self> {
        let at = at.to_offset(time::UtcOffset::UTC);
        Self::YEARS.contains(&at.year()).then_some(Self {
            year: (),
            month: (),
            day: (),
            hours: (),
            minutes: (),
            seconds: (),
            isoformat: (),
            eurodate: (),
            name: None,
            at,
        })
    }

    /// Gives the moment a name.
    #[must_use]
    pub fn named(mut self, name: Option<String>) -> Self {
        self.name = name;
        self
    }

    /// The moment.
    pub fn at(&self) -> OffsetDateTime {
        self.at
    }

    fn year(&self) -> i32 {
        self.at.year()
    }

    fn month(&self) -> u8 {
        self.at.month().into()
    }

    fn day(&self) -> u8 {
        self.at.day()
    }

    fn hours(&self) -> u8 {
        self.at.hour()
    }

    fn minutes(&self) -> u8 {
        self.at.minute()
    }

    fn seconds(&self) -> u8 {
        self.at.second()
    }

    fn isoformat(&self) -> String {
        // `new` keeps the year within 1..=9999 and the offset at UTC, which
        // is all RFC 3339 formatting can fail on.
        self.at
            .format(&Rfc3339)
            .expect("a UTC moment in years 1..=9999 formats as RFC 3339")
    }

    fn eurodate(&self) -> String {
        format!("{:02}.{:02}.{:04}", self.day(), self.month(), self.year())
    }
}

/// Two moments, the first no later than the second.
#[derive(Resource, Clone, Debug)]
#[pale(name = "range")]
pub struct DateTimeRange {
    /// The time from `start` to `end`, in microseconds.
    #[pale(getter = DateTimeRange::duration_microseconds)]
    duration_microseconds: (),
    /// The earlier moment.
    #[pale(subfields(year, month, day, isoformat))]
    start: DateTime,
    /// The later moment.
    #[pale(subfields(*))]
    end: DateTime,
}

impl DateTimeRange {
    /// The range between `a` and `b`, in whichever order they come.
    pub fn between(a: DateTime, b: DateTime) -> Self {
        let (start, end) = if a.at <= b.at { (a, b) } else { (b, a) };
        Self {
            duration_microseconds: (),
            start,
            end,
        }
    }

    /// The earlier moment.
    pub fn start(&self) -> &DateTime {
        &self.start
    }

    /// The later moment.
    pub fn end(&self) -> &DateTime {
        &self.end
    }

    fn duration_microseconds(&self) -> i64 {
        let duration: Duration = self.end.at - self.start.at;
        // Years 1..=9999 are about 3.2e17 µs apart: far inside an i64.
        i64::try_from(duration.whole_microseconds()).unwrap_or(i64::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn computed_fields() {
        let moment = DateTime::new(datetime!(2015-03-07 04:05:06 UTC)).unwrap();
        assert_eq!(moment.isoformat(), "2015-03-07T04:05:06Z");
        assert_eq!(moment.eurodate(), "07.03.2015");
        assert_eq!(
            (moment.hours(), moment.minutes(), moment.seconds()),
            (4, 5, 6)
        );
    }

    #[test]
    fn years_outside_1_to_9999_are_refused() {
        assert!(DateTime::new(datetime!(0000-12-31 23:59:59 UTC)).is_none());
        assert!(DateTime::new(datetime!(0001-01-01 00:00:00 UTC)).is_some());
        assert!(DateTime::new(datetime!(9999-12-31 23:59:59 UTC)).is_some());
    }

    #[test]
    fn offsets_are_converted_to_utc() {
        let moment = DateTime::new(datetime!(2015-03-07 01:00 +02:00)).unwrap();
        assert_eq!(moment.isoformat(), "2015-03-06T23:00:00Z");
    }

    #[test]
    fn a_range_orders_its_ends() {
        let early = DateTime::new(datetime!(2015-01-01 0:00 UTC)).unwrap();
        let late = DateTime::new(datetime!(2015-01-01 0:00:01 UTC)).unwrap();
        let range = DateTimeRange::between(late, early);
        assert!(range.start().at() < range.end().at());
        assert_eq!(range.duration_microseconds(), 1_000_000);
    }
}
