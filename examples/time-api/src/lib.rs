//! The time API: a port of the Python Pale's example app, and Pale's
//! conformance example. Every route here is exercised end to end, over real
//! sockets, by this crate's tests.
//!
//! | route | name | what it does |
//! |---|---|---|
//! | `GET /api/time/current` | `current_time` | the time now, every field; CORS `*`; `After-Response: OK` |
//! | `POST /api/time/parse` | `parse_time` | a date from `year`, `month`, `day`; `Cache-Control: max-age=3` |
//! | `GET /api/time/range` | `time_range_now_plus_duration` | now and `duration` ms from now, in order |
//! | `GET /api/arg_test/{arg_a}/{arg_b}` | `arg_test` | the two path parameters, echoed |
//! | `GET /api/resource` | `get_resource` | a schema-less document |
//! | `PATCH /api/resource` | `patch_resource` | an RFC 7396 merge patch of it |
//! | `PUT /api/resource` | `put_resource` | replace it (an object) |
//! | `POST /api/resource/reset` | `reset_resource` | restore `{"key": "value"}` |
//! | `POST /api/blank` | `resource_blank` | 204, no body; CORS `*` |
//!
//! # The document is bounded
//!
//! Nobody logs in, so anyone may write the document: it is held to 64 KiB
//! as compact JSON ([`bounds::MAX_DOCUMENT_BYTES`]) and 4,096 keys and
//! list items ([`bounds::MAX_DOCUMENT_ENTRIES`]); nesting is bounded at 32
//! levels by the decoders. A `PATCH` or `PUT` that would pass a bound is
//! a `413` problem (`document_too_large`) whose `detail` names the bound,
//! and the document is left as it was. Under a flood of 200 merge patches
//! of 0.9 MB each the release binary stays under 12 MB resident, where it
//! grew past 300 MB without the bounds ([`bounds`] has the measurement and
//! the command).
//!
//! # The document takes no `If-Match`
//!
//! Every writable resource in Pale's examples requires `If-Match` unless
//! it declares otherwise, and this one declares otherwise: the document
//! has no version and no owner, anyone may replace it, and each write
//! holds one lock from reading it to storing it, so concurrent patches do
//! not lose each other's changes. `PATCH` and `PUT` of `/api/resource`
//! neither read `If-Match` nor answer 412 or 428.
//!
//! # Example
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! pale::Server::bind("127.0.0.1:8080").await?.serve(time_api::api()).await
//! # }
//! ```

mod arg_test;
mod blank;
pub mod bounds;
mod clock;
mod datetime;
mod document;

use pale::Api;
use pale::prelude::*;

pub use arg_test::{ArgEcho, ArgTest};
pub use blank::Blank;
pub use clock::{AFTER_RESPONSE, CurrentTime, ParseTime, TimeRange};
pub use datetime::{DateTime, DateTimeRange};
pub use document::{Document, GetResource, PatchResource, PutResource, ResetResource};

/// The path every route is served under.
pub const BASE_PATH: &str = "/api";

/// The app's state: the schema-less document. Nobody logs in.
#[derive(Debug, Default)]
pub struct TimeApp {
    document: Document,
}

impl TimeApp {
    /// A fresh app, its document at `{"key": "value"}`.
    pub fn new() -> Self {
        Self::default()
    }

    /// The document.
    pub fn document(&self) -> &Document {
        &self.document
    }
}

impl App for TimeApp {
    type User = ();
}

/// The time API, every route mounted under [`BASE_PATH`].
pub fn api() -> Api<TimeApp> {
    Api::builder(TimeApp::new())
        .title("Time API")
        .version(env!("CARGO_PKG_VERSION"))
        .description("A port of the Python Pale's example app.")
        .base_path(BASE_PATH)
        .mount::<CurrentTime>()
        .mount::<ParseTime>()
        .mount::<TimeRange>()
        .mount::<ArgTest>()
        .mount::<GetResource>()
        .mount::<PatchResource>()
        .mount::<PutResource>()
        .mount::<ResetResource>()
        .mount::<Blank>()
        .build()
        .expect("the time API's routes are distinct")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_api_builds_with_every_route() {
        let api = super::api();
        let names: Vec<&str> = api.routes().iter().map(|r| r.endpoint.name).collect();
        assert_eq!(
            names,
            [
                "current_time",
                "parse_time",
                "time_range_now_plus_duration",
                "arg_test",
                "get_resource",
                "patch_resource",
                "put_resource",
                "reset_resource",
                "resource_blank",
            ]
        );
    }
}
