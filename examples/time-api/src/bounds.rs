//! How large the schema-less document may grow. Anyone may write it (the
//! time API has no accounts), so without a bound forty merge patches of
//! 0.9 MB each, every one under the body limit, grew it to 34 MB and the
//! process past 200 MB. Every write is checked against these bounds on
//! the document it *would* make, before it is stored: a write past them
//! is a 413 naming the bound, and the document stays as it was.
//!
//! | bound | value | counts |
//! |---|---|---|
//! | size | [`MAX_DOCUMENT_BYTES`] (65,536) | the document as compact JSON, as `GET /api/resource` sends it |
//! | entries | [`MAX_DOCUMENT_ENTRIES`] (4,096) | every key of every object and every item of every list, at any depth |
//! | nesting | 32 levels | the decoders' own limit; a merge patch cannot nest deeper than its own value and the document already were |
//!
//! The size bounds the bytes; the entries bound what each small value
//! costs in memory beyond its bytes (a list of 30,000 zeros is 60 kB of
//! JSON and a megabyte of tree).
//!
//! Measured on the release binary with `bench/patch-flood.py` (resident
//! memory of the process, `/proc/PID/status`):
//!
//! ```text
//! cargo build --release -p time-api
//! python3 bench/patch-flood.py target/release/time-api 200 900000
//! ```
//!
//! | flood | before the bounds | with them |
//! |---|---|---|
//! | 200 PATCHes of 0.9 MB | all 200; RSS 5.3 → 307 MB (peak 620 MB); GET sends 180 MB | all 413; RSS 5.2 → 8.0 MB (peak 12 MB); GET sends 15 bytes |
//! | 200 PATCHes of 8 KiB | (not measured) | 7 taken, 193 refused; RSS 5.3 → 5.8 MB; GET sends 57,415 bytes |

use std::io;

use http::StatusCode;
use pale::ApiError;
use pale::argument::{Raw, RawMap};

/// The most bytes the document may take as compact JSON.
pub const MAX_DOCUMENT_BYTES: usize = 64 * 1024;

/// The most keys and list items the document may hold, at every depth.
pub const MAX_DOCUMENT_ENTRIES: usize = 4_096;

/// `Ok` if `document` is within both bounds, else the 413 naming the one
/// it passes.
pub fn check(document: &RawMap) -> Result<(), ApiError> {
    if entries_past(document, MAX_DOCUMENT_ENTRIES) {
        return Err(too_large(format!(
            "the document may hold at most {MAX_DOCUMENT_ENTRIES} keys and list items; \
             this request would make it hold more"
        )));
    }
    if json_bytes_past(document, MAX_DOCUMENT_BYTES) {
        return Err(too_large(format!(
            "the document may be at most {MAX_DOCUMENT_BYTES} bytes as JSON; \
             this request would make it larger"
        )));
    }
    Ok(())
}

fn too_large(detail: String) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "document_too_large",
        "Document too large",
    )
    .with_detail(detail)
}

/// Whether `map` holds more than `max` keys and list items; stops
/// counting once it does.
fn entries_past(map: &RawMap, max: usize) -> bool {
    let mut left = max;
    let mut stack: Vec<&Raw> = Vec::new();
    let mut take = |n: usize| match left.checked_sub(n) {
        Some(rest) => {
            left = rest;
            false
        }
        None => true,
    };
    if take(map.len()) {
        return true;
    }
    stack.extend(map.values());
    while let Some(value) = stack.pop() {
        match value {
            Raw::Map(inner) => {
                if take(inner.len()) {
                    return true;
                }
                stack.extend(inner.values());
            }
            Raw::List(items) => {
                if take(items.len()) {
                    return true;
                }
                stack.extend(items);
            }
            _ => {}
        }
    }
    false
}

/// Whether `map` as compact JSON is longer than `max` bytes; stops
/// writing once it is.
fn json_bytes_past(map: &RawMap, max: usize) -> bool {
    let mut count = Count { left: max };
    // The only error is `Count`'s own: the limit was passed.
    serde_json::to_writer(&mut count, map).is_err()
}

/// A writer that keeps no bytes, only how many more it may take.
struct Count {
    left: usize,
}

impl io::Write for Count {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.left = self
            .left
            .checked_sub(bytes.len())
            .ok_or_else(|| io::Error::other("past the bound"))?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use pale::format::Wire;

    use super::*;

    fn json(text: &str) -> RawMap {
        match Wire::Json.decode(text.as_bytes(), &Default::default()) {
            Ok(Raw::Map(map)) => map,
            other => panic!("{text} is not an object: {other:?}"),
        }
    }

    /// `{"k":"xxx…"}` of exactly `bytes` bytes as compact JSON.
    fn of_bytes(bytes: usize) -> RawMap {
        json(&format!(r#"{{"k":"{}"}}"#, "x".repeat(bytes - 8)))
    }

    #[test]
    fn the_size_bound_is_exact() {
        assert!(check(&of_bytes(MAX_DOCUMENT_BYTES)).is_ok());
        let error = check(&of_bytes(MAX_DOCUMENT_BYTES + 1)).unwrap_err();
        assert_eq!(error.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(error.code(), "document_too_large");
        assert_eq!(
            error.detail(),
            Some(
                "the document may be at most 65536 bytes as JSON; \
                 this request would make it larger"
            )
        );
    }

    #[test]
    fn entries_count_keys_and_items_at_every_depth() {
        // 3 keys at the top, 2 in "a", 3 items in "b", 1 key in the map
        // in "b": 9.
        let document = json(r#"{"a": {"x": 1, "y": 2}, "b": [1, 2, {"z": []}], "c": null}"#);
        assert!(!entries_past(&document, 9));
        assert!(entries_past(&document, 8));
        let items = vec!["0"; MAX_DOCUMENT_ENTRIES].join(",");
        // One key and 4,096 items: one past.
        let error = check(&json(&format!(r#"{{"list": [{items}]}}"#))).unwrap_err();
        assert_eq!(
            error.detail(),
            Some(
                "the document may hold at most 4096 keys and list items; \
                 this request would make it hold more"
            )
        );
        let items = vec!["0"; MAX_DOCUMENT_ENTRIES - 1].join(",");
        assert!(check(&json(&format!(r#"{{"list": [{items}]}}"#))).is_ok());
    }
}
