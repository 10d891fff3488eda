//! [`WithHeaders`]: another reply with extra response headers.

use http::HeaderValue;

use super::{OutputMeta, Reply, Response};
use crate::context::{App, Context};
use crate::error::ApiError;
use crate::format::Wire;

/// Another reply with extra response headers (what the Python Pale's
/// after-response hooks were used for).
///
/// ```
/// use pale_core::{NoContent, WithHeaders};
/// use http::{HeaderName, HeaderValue};
///
/// let reply = WithHeaders::new(NoContent)
///     .header(HeaderName::from_static("after-response"), HeaderValue::from_static("OK"));
/// # let _ = reply;
/// ```
pub struct WithHeaders<T> {
    inner: T,
    headers: http::HeaderMap,
}

impl<T> WithHeaders<T> {
    /// `inner` with no extra headers yet.
    pub fn new(inner: T) -> Self {
        Self {
            inner,
            headers: http::HeaderMap::new(),
        }
    }

    /// Adds a header.
    #[must_use]
    pub fn header(mut self, name: http::HeaderName, value: HeaderValue) -> Self {
        self.headers.append(name, value);
        self
    }
}

impl<A: App, T: Reply<A>> Reply<A> for WithHeaders<T> {
    const OUTPUT: OutputMeta = T::OUTPUT;

    fn into_response(
        self,
        ctx: &Context<A>,
        envelope: Option<&'static str>,
        wire: &Wire,
    ) -> Result<Response, ApiError> {
        let mut response = self.inner.into_response(ctx, envelope, wire)?;
        for (name, value) in &self.headers {
            response.headers_mut().append(name.clone(), value.clone());
        }
        Ok(response)
    }
}
