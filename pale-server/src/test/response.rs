//! An answer, read whole: what a test asserts on.

use bytes::Bytes;
use http::response::Parts;
use http::{HeaderMap, StatusCode, Version};
use serde::de::DeserializeOwned;

/// The status, headers and body of an answer.
#[derive(Debug)]
pub struct TestResponse {
    parts: Parts,
    body: Bytes,
}

impl TestResponse {
    pub(super) fn new(parts: Parts, body: Bytes) -> Self {
        Self { parts, body }
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.parts.status
    }

    /// The HTTP version the answer came in (`HTTP/1.1` in process).
    pub fn version(&self) -> Version {
        self.parts.version
    }

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.parts.headers
    }

    /// The first value of header `name`, if it is present and readable as
    /// text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.parts.headers.get(name)?.to_str().ok()
    }

    /// Every value of header `name`, in the order sent (a `Vary` or a
    /// `Set-Cookie` may come several times); values that are not text
    /// are left out.
    pub fn header_all(&self, name: &str) -> Vec<&str> {
        let values = self.parts.headers.get_all(name).iter();
        values.filter_map(|v| v.to_str().ok()).collect()
    }

    /// The body's bytes.
    pub fn bytes(&self) -> &Bytes {
        &self.body
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body decoded from JSON.
    ///
    /// # Panics
    ///
    /// When it is not JSON of that shape; the message shows the status
    /// and the body.
    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "the body is not the JSON expected ({e}): {} {}",
                self.status(),
                self.text()
            )
        })
    }
}
