//! A schema-less document, read and written whole or by merge patch.
//!
//! The document lives in memory behind one mutex. Every write holds that
//! lock from reading the current value to storing the new one, so two
//! concurrent patches cannot both start from the same old document and
//! lose one another's change. The lock is never held across an `.await`.
//!
//! Anyone may write it, so every write is held to `bounds` (64 KiB as
//! JSON, 4,096 keys and list items): one that would pass them is a 413
//! and changes nothing.
//!
//! **No `If-Match`.** Pale's examples require `If-Match` on every write
//! to a resource unless the resource declares otherwise; this one does.
//! The document has no version to tag and no owner to protect: anyone may
//! replace it whole, and the lock above already keeps a patch from undoing
//! a concurrent one. Its `PATCH` and `PUT` read no `If-Match` and answer
//! no 412 or 428.

use std::sync::{Mutex, MutexGuard, PoisonError};

use pale::argument::{Raw, RawMap};
use pale::patch;
use pale::prelude::*;

use crate::{TimeApp, bounds};

/// The document's XML root element.
const ROOT: &str = "resource";

/// The in-memory document: always a JSON object.
#[derive(Debug)]
pub struct Document {
    value: Mutex<RawMap>,
}

impl Default for Document {
    fn default() -> Self {
        Self {
            value: Mutex::new(Self::initial()),
        }
    }
}

impl Document {
    /// What the document holds at start and after a reset:
    /// `{"key": "value"}`.
    pub fn initial() -> RawMap {
        let mut map = RawMap::new();
        map.insert("key", Raw::from("value"));
        map
    }

    fn lock(&self) -> MutexGuard<'_, RawMap> {
        // A panic while the lock was held left a whole document behind
        // (every write replaces it in one assignment), so it is still good.
        self.value.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The document now.
    pub fn get(&self) -> RawMap {
        self.lock().clone()
    }

    /// Applies an RFC 7396 merge patch and returns the result; a 413, and
    /// the document unchanged, if the result would pass the bounds
    /// (`bounds`).
    pub fn patch(&self, patch: RawMap) -> Result<RawMap, ApiError> {
        let mut value = self.lock();
        // Merged into a copy (at most the bounds' size): a refused patch
        // leaves nothing half-applied.
        let mut merged = Raw::Map(value.clone());
        patch::merge(&mut merged, &Raw::Map(patch));
        let Raw::Map(merged) = merged else {
            // An object merged with an object is an object (RFC 7396 §2).
            unreachable!("merging an object patch yields an object")
        };
        bounds::check(&merged)?;
        *value = merged;
        Ok(value.clone())
    }

    /// Replaces the document; a 413, and the document unchanged, if the
    /// new one passes the bounds.
    pub fn replace(&self, document: RawMap) -> Result<RawMap, ApiError> {
        bounds::check(&document)?;
        let mut value = self.lock();
        *value = document;
        Ok(value.clone())
    }

    /// Restores the initial document.
    pub fn reset(&self) -> RawMap {
        let mut value = self.lock();
        *value = Self::initial();
        value.clone()
    }
}

/// Fetch the document.
#[derive(Endpoint)]
#[pale(GET "/resource", name = "get_resource")]
pub struct GetResource {}

impl Handler<TimeApp> for GetResource {
    type Output = Plain<RawMap>;

    async fn handle(self, ctx: &Context<TimeApp>) -> Result<Self::Output, ApiError> {
        Ok(Plain::new(ROOT, ctx.app().document().get()))
    }
}

/// Change the document with a JSON merge patch (RFC 7396).
///
/// `null` removes a member, an object merges into the member's object, any
/// other value replaces the member. The patch must be an object: the
/// document always is one. A patch that would make the document larger
/// than 65536 bytes as JSON, or give it more than 4096 keys and list
/// items, is refused with a 413 and changes nothing.
///
/// Takes no `If-Match`: the document has no version, and anyone may
/// write it; each patch merges into the document as it is when applied.
#[derive(Endpoint)]
#[pale(PATCH "/resource", name = "patch_resource")]
pub struct PatchResource {
    /// The merge patch.
    #[pale(from = document)]
    pub patch: RawMap,
}

impl Handler<TimeApp> for PatchResource {
    type Output = Plain<RawMap>;

    async fn handle(self, ctx: &Context<TimeApp>) -> Result<Self::Output, ApiError> {
        Ok(Plain::new(ROOT, ctx.app().document().patch(self.patch)?))
    }
}

/// Replace the document with another object (at most 65536 bytes as
/// JSON, 4096 keys and list items: else a 413, and nothing changes).
///
/// Takes no `If-Match`: the document has no version, and anyone may
/// replace it.
#[derive(Endpoint)]
#[pale(PUT "/resource", name = "put_resource")]
pub struct PutResource {
    /// The new document.
    #[pale(from = document)]
    pub document: RawMap,
}

impl Handler<TimeApp> for PutResource {
    type Output = Plain<RawMap>;

    async fn handle(self, ctx: &Context<TimeApp>) -> Result<Self::Output, ApiError> {
        Ok(Plain::new(
            ROOT,
            ctx.app().document().replace(self.document)?,
        ))
    }
}

/// Restore the document to `{"key": "value"}`.
#[derive(Endpoint)]
#[pale(POST "/resource/reset", name = "reset_resource")]
pub struct ResetResource {}

impl Handler<TimeApp> for ResetResource {
    type Output = Plain<RawMap>;

    async fn handle(self, ctx: &Context<TimeApp>) -> Result<Self::Output, ApiError> {
        Ok(Plain::new(ROOT, ctx.app().document().reset()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> RawMap {
        match pale::format::Wire::Json.decode(text.as_bytes(), &Default::default()) {
            Ok(Raw::Map(map)) => map,
            other => panic!("{text} is not an object: {other:?}"),
        }
    }

    #[test]
    fn patch_put_and_reset() {
        let document = Document::default();
        assert_eq!(document.get(), json(r#"{"key": "value"}"#));
        let patched = document.patch(json(r#"{"key": null, "a": {"b": 1}}"#));
        assert_eq!(patched.unwrap(), json(r#"{"a": {"b": 1}}"#));
        let patched = document.patch(json(r#"{"a": {"c": 2}}"#));
        assert_eq!(patched.unwrap(), json(r#"{"a": {"b": 1, "c": 2}}"#));
        assert_eq!(
            document.replace(json(r#"{"x": [1]}"#)).unwrap(),
            json(r#"{"x": [1]}"#)
        );
        assert_eq!(document.reset(), Document::initial());
    }

    #[test]
    fn a_write_past_the_bounds_changes_nothing() {
        let document = Document::default();
        let big = "x".repeat(bounds::MAX_DOCUMENT_BYTES);
        let refused = document.patch(json(&format!(r#"{{"a": {{"b": 1}}, "big": "{big}"}}"#)));
        assert_eq!(refused.unwrap_err().code(), "document_too_large");
        let refused = document.replace(json(&format!(r#"{{"big": "{big}"}}"#)));
        assert_eq!(refused.unwrap_err().code(), "document_too_large");
        assert_eq!(document.get(), Document::initial());
    }
}
