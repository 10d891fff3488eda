//! The time endpoints: the current time, a parsed date, and a range from
//! now.

use http::{HeaderName, HeaderValue};
use pale::prelude::*;
use pale::{FieldError, Fields, WithHeaders};
use time::{Date, Duration, Month, OffsetDateTime};

use crate::TimeApp;
use crate::datetime::{DateTime, DateTimeRange};

/// The header the after-response hook of `current_time` adds.
pub const AFTER_RESPONSE: HeaderName = HeaderName::from_static("after-response");

/// The current time, in UTC, with every field.
///
/// The Python Pale ran an after-response handler here that set
/// `After-Response: OK`; the same hook is a `WithHeaders` reply.
#[derive(Endpoint)]
#[pale(GET "/time/current", name = "current_time", cors = "*", envelope = "time")]
pub struct CurrentTime {}

impl Handler<TimeApp> for CurrentTime {
    type Output = WithHeaders<Fields<DateTime>>;

    async fn handle(self, _: &Context<TimeApp>) -> Result<Self::Output, ApiError> {
        let now = DateTime::new(OffsetDateTime::now_utc())
            .ok_or_else(|| ApiError::internal("the clock is outside years 1..=9999"))?;
        Ok(WithHeaders::new(Fields::all(now))
            .header(AFTER_RESPONSE, HeaderValue::from_static("OK")))
    }
}

/// Parse a date from its parts.
///
/// The default fields, plus `hours`, `minutes` and `seconds` when
/// `include_time` is set, plus `name` when one is given.
#[derive(Endpoint)]
#[pale(POST "/time/parse", name = "parse_time", cache = "max-age=3", envelope = "time")]
pub struct ParseTime {
    /// The year.
    #[pale(default = 2015, range = 1..=9999)]
    pub year: i32,
    /// The month, from 1 (January) to 12.
    #[pale(range = 1..=12)]
    pub month: u8,
    /// The day of the month (the 1st when not given).
    #[pale(range = 1..=31)]
    pub day: Option<u8>,
    /// A name for the date.
    #[pale(len = 3..=20)]
    pub name: Option<String>,
    /// Also render the time of day (midnight).
    #[pale(default = false)]
    pub include_time: bool,
}

impl Handler<TimeApp> for ParseTime {
    type Output = Fields<DateTime>;

    async fn handle(self, _: &Context<TimeApp>) -> Result<Self::Output, ApiError> {
        let month = Month::try_from(self.month).map_err(|_| field_error("/month", "month"))?;
        let day = self.day.unwrap_or(1);
        let date = Date::from_calendar_date(self.year, month, day).map_err(|_| {
            ApiError::unprocessable(vec![FieldError::new(
                "/day",
                "out_of_range",
                format!("{month} {} has no day {day}", self.year),
            )])
        })?;
        let moment = DateTime::new(date.midnight().assume_utc())
            .ok_or_else(|| field_error("/year", "year"))?
            .named(self.name.clone());
        let mut extra: Vec<&str> = Vec::new();
        if self.include_time {
            extra.extend(["hours", "minutes", "seconds"]);
        }
        if self.name.is_some() {
            extra.push("name");
        }
        Ok(Fields::defaults_and(moment, &extra))
    }
}

/// A range from now to `duration` milliseconds from now.
///
/// A negative duration reaches into the past: `start` is always the earlier
/// moment.
#[derive(Endpoint)]
#[pale(GET "/time/range", name = "time_range_now_plus_duration", envelope = "range")]
pub struct TimeRange {
    /// Milliseconds from now; negative for the past.
    pub duration: i64,
}

impl Handler<TimeApp> for TimeRange {
    type Output = DateTimeRange;

    async fn handle(self, _: &Context<TimeApp>) -> Result<Self::Output, ApiError> {
        let now = OffsetDateTime::now_utc();
        let then = now
            .checked_add(Duration::milliseconds(self.duration))
            .and_then(DateTime::new)
            .ok_or_else(|| field_error("/duration", "duration"))?;
        let now = DateTime::new(now)
            .ok_or_else(|| ApiError::internal("the clock is outside years 1..=9999"))?;
        Ok(DateTimeRange::between(now, then))
    }
}

/// A 422 for an argument that leads outside the years a date can have.
fn field_error(pointer: &str, what: &str) -> ApiError {
    ApiError::unprocessable(vec![FieldError::new(
        pointer,
        "out_of_range",
        format!("the {what} leads outside the years 1 to 9999"),
    )])
}
