//! Security headers on the responses a browser opens as a document: HTML
//! (the `/docs` reference, or any endpoint whose format is HTML) and SVG,
//! which can carry script of its own.
//!
//! Why a stage of its own, outermost: a header a browser needs to keep a
//! page from being framed, or a script from running, belongs on every
//! such response whichever stage produced it, and deciding by the
//! response's `Content-Type` at the edge is the one place that sees them
//! all. A header the response already has (an endpoint's own policy, set
//! with `WithHeaders`) is kept. Other responses (JSON, XML, problem
//! documents) are left as they are.
//!
//! The defaults, and why:
//!
//! - **HTML**: `Content-Security-Policy` with the site's own scripts,
//!   styles and images only (`'self'`), no inline script, the `/docs`
//!   page's one inline stylesheet by its hash, `data:` images (the empty
//!   icon), no plugins, no `<base>`, forms to the site only, and
//!   `frame-ancestors 'none'` (no clickjacking); `X-Frame-Options: DENY`
//!   for browsers older than `frame-ancestors`; `Referrer-Policy:
//!   no-referrer` (an API reference has no reason to tell another site
//!   which page a reader came from; its URLs may carry `?audience=`);
//!   `X-Content-Type-Options: nosniff`.
//! - **SVG**: `Content-Security-Policy: default-src 'none'; style-src
//!   'unsafe-inline'; sandbox`: opened directly, an image draws with its
//!   own styles and runs no script, in an opaque origin that can read no
//!   cookie or storage of the site; and `nosniff`.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use http::header::{
    CONTENT_SECURITY_POLICY, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, REFERRER_POLICY,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use http::{Request, Response};
use pin_project_lite::pin_project;

/// The headers added to the responses a browser may open as a document,
/// by their `Content-Type`: HTML (`text/html`, `application/xhtml+xml`)
/// and SVG (`image/svg+xml`). A header the response already has is kept.
///
/// [`PaleService`](crate::PaleService) adds [`SecurityHeaders::default`];
/// change them with
/// [`PaleService::with_security_headers`](crate::PaleService::with_security_headers).
/// A site that serves files of its own beside the API can [`apply`] the
/// same rules to its responses.
///
/// ```
/// use http::header::{CONTENT_SECURITY_POLICY, HeaderValue};
/// use pale_server::SecurityHeaders;
///
/// // Let one partner site frame the pages; everything else as by default.
/// let policy = SecurityHeaders::html_policy_with("frame-ancestors https://partner.example");
/// let headers = SecurityHeaders::default()
///     .html(CONTENT_SECURITY_POLICY, HeaderValue::try_from(policy).unwrap())
///     .without_html(http::header::X_FRAME_OPTIONS);
/// # let _ = headers;
/// ```
///
/// [`apply`]: SecurityHeaders::apply
#[derive(Clone, Debug)]
pub struct SecurityHeaders {
    html: HeaderMap,
    svg: HeaderMap,
}

impl SecurityHeaders {
    /// The default HTML policy's directives but `style-src` (the site's
    /// own and the `/docs` page's inline stylesheet, by
    /// [`HTML_STYLE_HASH`](pale_core::describe::HTML_STYLE_HASH)) and
    /// `frame-ancestors`: the site's own scripts (no inline ones), images
    /// (and `data:`) and connections; no plugins, no `<base>`, forms to
    /// the site only.
    const HTML_DIRECTIVES: [&'static str; 5] = [
        "default-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ];

    /// The default SVG policy: its own styles, no script, no loads, a
    /// sandbox (an opaque origin: no cookies, no storage of the site).
    pub const SVG_POLICY: &'static str = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

    /// The default HTML `Content-Security-Policy` (see the type's docs)
    /// with `frame-ancestors 'none'`.
    pub fn html_policy() -> String {
        Self::html_policy_with("frame-ancestors 'none'")
    }

    /// The default HTML policy with `extra` directives (such as a
    /// `frame-ancestors` of your own, or `connect-src` for another API)
    /// in place of `frame-ancestors 'none'`.
    pub fn html_policy_with(extra: &str) -> String {
        let mut policy = Self::HTML_DIRECTIVES.join("; ");
        policy.push_str("; style-src 'self' ");
        policy.push_str(pale_core::describe::HTML_STYLE_HASH);
        if !extra.is_empty() {
            policy.push_str("; ");
            policy.push_str(extra);
        }
        policy
    }

    /// No headers at all: responses are sent as their stages made them.
    pub fn none() -> Self {
        Self {
            html: HeaderMap::new(),
            svg: HeaderMap::new(),
        }
    }

    /// Sets (or replaces) header `name` on HTML responses.
    #[must_use]
    pub fn html(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.html.insert(name, value);
        self
    }

    /// Adds no header `name` to HTML responses.
    #[must_use]
    pub fn without_html(mut self, name: HeaderName) -> Self {
        self.html.remove(name);
        self
    }

    /// Sets (or replaces) header `name` on SVG responses.
    #[must_use]
    pub fn svg(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.svg.insert(name, value);
        self
    }

    /// Adds no header `name` to SVG responses.
    #[must_use]
    pub fn without_svg(mut self, name: HeaderName) -> Self {
        self.svg.remove(name);
        self
    }

    /// The headers added to HTML responses.
    pub fn html_headers(&self) -> &HeaderMap {
        &self.html
    }

    /// The headers added to SVG responses.
    pub fn svg_headers(&self) -> &HeaderMap {
        &self.svg
    }

    /// Adds the headers for the response's `Content-Type` to `headers`,
    /// keeping any it already has.
    pub fn apply(&self, headers: &mut HeaderMap) {
        let Some(add) = headers.get(CONTENT_TYPE).and_then(|t| self.for_type(t)) else {
            return;
        };
        for (name, value) in add {
            if !headers.contains_key(name) {
                headers.insert(name.clone(), value.clone());
            }
        }
    }

    /// The headers for a response of `content_type`, if it is a document.
    /// On every response: bytes compared by length first, so a JSON
    /// response costs a few instructions.
    fn for_type(&self, content_type: &HeaderValue) -> Option<&HeaderMap> {
        let bytes = content_type.as_bytes();
        let end = bytes.iter().position(|&b| b == b';').unwrap_or(bytes.len());
        let essence = bytes[..end].trim_ascii();
        let is = |name: &[u8]| essence.len() == name.len() && essence.eq_ignore_ascii_case(name);
        if is(b"text/html") || is(b"application/xhtml+xml") {
            Some(&self.html)
        } else if is(b"image/svg+xml") {
            Some(&self.svg)
        } else {
            None
        }
    }
}

impl Default for SecurityHeaders {
    fn default() -> Self {
        let nosniff = HeaderValue::from_static("nosniff");
        let html_policy =
            HeaderValue::try_from(Self::html_policy()).expect("the policy is visible ASCII");
        Self::none()
            .html(CONTENT_SECURITY_POLICY, html_policy)
            .html(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"))
            .html(REFERRER_POLICY, HeaderValue::from_static("no-referrer"))
            .html(X_CONTENT_TYPE_OPTIONS, nosniff.clone())
            .svg(
                CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(Self::SVG_POLICY),
            )
            .svg(X_CONTENT_TYPE_OPTIONS, nosniff)
    }
}

/// The stage: adds [`SecurityHeaders`] to the responses of `S`.
#[derive(Clone)]
pub(crate) struct Secured<S> {
    inner: S,
    headers: Arc<SecurityHeaders>,
}

impl<S> Secured<S> {
    /// `inner`'s responses with the default headers.
    pub(crate) fn new(inner: S) -> Self {
        Self {
            inner,
            headers: Arc::new(SecurityHeaders::default()),
        }
    }

    /// The headers added.
    pub(crate) fn headers(&self) -> &SecurityHeaders {
        &self.headers
    }

    /// Adds `headers` from now on.
    pub(crate) fn set_headers(&mut self, headers: SecurityHeaders) {
        self.headers = Arc::new(headers);
    }
}

impl<S, B, R> tower::Service<Request<B>> for Secured<S>
where
    S: tower::Service<Request<B>, Response = Response<R>>,
{
    type Response = Response<R>;
    type Error = S::Error;
    type Future = SecuredFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        SecuredFuture {
            inner: self.inner.call(request),
            headers: Arc::clone(&self.headers),
        }
    }
}

pin_project! {
    /// Adds the headers to the response when it is ready.
    pub(crate) struct SecuredFuture<F> {
        #[pin]
        inner: F,
        headers: Arc<SecurityHeaders>,
    }
}

impl<F, R, E> Future for SecuredFuture<F>
where
    F: Future<Output = Result<Response<R>, E>>,
{
    type Output = Result<Response<R>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let mut response = ready!(this.inner.poll(cx))?;
        this.headers.apply(response.headers_mut());
        Poll::Ready(Ok(response))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn applied(headers: &SecurityHeaders, content_type: &'static str) -> HeaderMap {
        let mut map = HeaderMap::new();
        map.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        headers.apply(&mut map);
        map.remove(CONTENT_TYPE);
        map
    }

    #[test]
    fn documents_get_their_headers_and_nothing_else_does() {
        let defaults = SecurityHeaders::default();
        for html in [
            "text/html; charset=utf-8",
            "TEXT/HTML",
            "application/xhtml+xml",
        ] {
            let map = applied(&defaults, html);
            assert_eq!(map.len(), 4, "{html}");
            assert_eq!(map[REFERRER_POLICY], "no-referrer");
            assert_eq!(map[X_FRAME_OPTIONS], "DENY");
            assert_eq!(map[X_CONTENT_TYPE_OPTIONS], "nosniff");
            let policy = map[CONTENT_SECURITY_POLICY].to_str().unwrap();
            assert_eq!(
                policy,
                format!(
                    "default-src 'self'; img-src 'self' data:; object-src 'none'; \
                     base-uri 'none'; form-action 'self'; style-src 'self' {}; \
                     frame-ancestors 'none'",
                    pale_core::describe::HTML_STYLE_HASH
                )
            );
            assert!(!policy.contains("unsafe"), "{policy}");
        }
        let svg = applied(&defaults, "image/svg+xml");
        assert_eq!(svg.len(), 2);
        assert_eq!(
            svg[CONTENT_SECURITY_POLICY],
            "default-src 'none'; style-src 'unsafe-inline'; sandbox"
        );
        assert_eq!(svg[X_CONTENT_TYPE_OPTIONS], "nosniff");
        for other in [
            "application/json",
            "application/problem+json",
            "application/xml",
            "text/plain",
            "image/png",
            "text/htmlx",
        ] {
            assert!(applied(&defaults, other).is_empty(), "{other}");
        }
        let mut untyped = HeaderMap::new();
        defaults.apply(&mut untyped);
        assert!(untyped.is_empty());
    }

    #[test]
    fn a_responses_own_header_is_kept_and_the_set_is_configurable() {
        let mut map = HeaderMap::new();
        map.insert(CONTENT_TYPE, HeaderValue::from_static("text/html"));
        map.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
        SecurityHeaders::default().apply(&mut map);
        assert_eq!(map[REFERRER_POLICY], "same-origin");
        assert_eq!(map.len(), 5);

        let custom = SecurityHeaders::default()
            .html(REFERRER_POLICY, HeaderValue::from_static("origin"))
            .without_html(X_FRAME_OPTIONS)
            .without_svg(CONTENT_SECURITY_POLICY);
        let html = applied(&custom, "text/html");
        assert_eq!(html[REFERRER_POLICY], "origin");
        assert!(!html.contains_key(X_FRAME_OPTIONS));
        assert_eq!(applied(&custom, "image/svg+xml").len(), 1);
        assert!(applied(&SecurityHeaders::none(), "text/html").is_empty());
        assert!(
            SecurityHeaders::html_policy_with("").ends_with(pale_core::describe::HTML_STYLE_HASH)
        );
    }
}
