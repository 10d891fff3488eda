//! Errors are data (ARCHITECTURE.md, decision 6).
//!
//! Every failure a client can meet, at any stage of the pipeline, is one
//! [`ApiError`]: a status, a stable machine `code`, a human `title` and
//! `detail`, the per-field errors of argument casting, and extra headers.
//! It is written to the client as RFC 9457 *problem details* by the
//! negotiated format's own encoder — never by string formatting, so no user
//! input can inject keys (the Python Pale's `'{"error": "%s"}' % msg` bug).
//!
//! What must not reach a client — panic messages, SQL, `Debug` output, type
//! names — goes in the separate [`ApiError::log_message`], which is never
//! serialized.

use std::borrow::Cow;
use std::fmt;

use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use serde::Serialize;

/// One problem with one input value, found while casting arguments.
///
/// The `pointer` is a JSON-pointer-like path into the request's arguments
/// (`/month`, `/tracks/2/title`); `code` is stable and machine-readable;
/// `message` is for people and never echoes unbounded input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename = "error")]
#[non_exhaustive]
pub struct FieldError {
    /// Where the problem is, as a JSON pointer (`/tracks/2/title`).
    pub pointer: String,
    /// A stable machine code: `missing`, `invalid_type`, `out_of_range`, …
    pub code: Cow<'static, str>,
    /// A human-readable message.
    pub message: String,
}

impl FieldError {
    /// A field error at `pointer` with `code` and `message`.
    pub fn new(
        pointer: impl Into<String>,
        code: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            pointer: pointer.into(),
            code: code.into(),
            message: message.into(),
        }
    }
}

/// An error answered to the client as RFC 9457 problem details.
///
/// Build one with the constructor named for its status
/// ([`ApiError::not_found`], [`ApiError::unprocessable`], …) and refine it
/// with the `with_*` methods.
///
/// ```
/// use pale_core::ApiError;
///
/// let err = ApiError::not_found("album").with_detail("no album has id 7");
/// assert_eq!(err.status().as_u16(), 404);
/// assert_eq!(err.code(), "not_found");
/// ```
#[derive(Clone, Debug)]
pub struct ApiError(Box<Inner>);

// Boxed: `Result<T, ApiError>` is on every hot path, and an error carrying a
// header map and field errors is large; a pointer keeps the `Ok` path lean.
#[derive(Clone, Debug)]
struct Inner {
    status: StatusCode,
    code: Cow<'static, str>,
    title: Cow<'static, str>,
    detail: Option<String>,
    errors: Vec<FieldError>,
    headers: HeaderMap,
    log_message: Option<String>,
}

impl ApiError {
    /// A new error with an explicit status, code and title.
    pub fn new(
        status: StatusCode,
        code: impl Into<Cow<'static, str>>,
        title: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self(Box::new(Inner {
            status,
            code: code.into(),
            title: title.into(),
            detail: None,
            errors: Vec::new(),
            headers: HeaderMap::new(),
            log_message: None,
        }))
    }

    /// 400: the request itself is malformed (a body that does not parse, a
    /// `fields=` expression naming an unknown field).
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", "Bad request").with_detail(detail)
    }

    /// 401: the caller is not authenticated. `challenge` becomes the
    /// `WWW-Authenticate` header (for example `Bearer`).
    pub fn unauthorized(challenge: &'static str) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Authentication required",
        )
        .with_header(
            http::header::WWW_AUTHENTICATE,
            HeaderValue::from_static(challenge),
        )
    }

    /// 403: the caller is known but may not do this.
    pub fn forbidden() -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", "Forbidden")
    }

    /// 404: `what` (a kind of thing, such as `"album"`) was not found.
    pub fn not_found(what: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "Not found")
            .with_detail(format!("no such {what}"))
    }

    /// 405: the path exists but not for this method; `allow` lists the
    /// methods that do exist (the `Allow` header).
    pub fn method_not_allowed(allow: &str) -> Self {
        let mut err = Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "Method not allowed",
        );
        if let Ok(value) = HeaderValue::from_str(allow) {
            err.0.headers.insert(http::header::ALLOW, value);
        }
        err
    }

    /// 406: none of the formats in `Accept` can be produced.
    pub fn not_acceptable(available: &[&str]) -> Self {
        Self::new(
            StatusCode::NOT_ACCEPTABLE,
            "not_acceptable",
            "Not acceptable",
        )
        .with_detail(format!("available formats: {}", available.join(", ")))
    }

    /// 409: the request conflicts with the current state.
    pub fn conflict(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", "Conflict").with_detail(detail)
    }

    /// 412: an `If-Match` precondition does not hold (the object changed
    /// since the client read it).
    pub fn precondition_failed() -> Self {
        Self::new(
            StatusCode::PRECONDITION_FAILED,
            "precondition_failed",
            "Precondition failed",
        )
        .with_detail("the object changed since it was read: read it again, then retry")
    }

    /// 428: this write needs an `If-Match` header.
    pub fn precondition_required() -> Self {
        Self::new(
            StatusCode::PRECONDITION_REQUIRED,
            "precondition_required",
            "Precondition required",
        )
        .with_detail("send If-Match with the ETag of the object you read")
    }

    /// 413: the body is larger than `limit` bytes.
    pub fn payload_too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "Payload too large",
        )
        .with_detail(format!("the body may be at most {limit} bytes"))
    }

    /// 415: the body's `Content-Type` is not one this endpoint reads.
    pub fn unsupported_media_type(accepted: &[&str]) -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Unsupported media type",
        )
        .with_detail(format!("accepted media types: {}", accepted.join(", ")))
    }

    /// 422: the arguments were read but are not valid; one [`FieldError`]
    /// per problem found.
    pub fn unprocessable(errors: Vec<FieldError>) -> Self {
        let mut err = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_arguments",
            "Invalid arguments",
        );
        err.0.detail = Some(match errors.len() {
            1 => "1 argument is invalid".to_owned(),
            n => format!("{n} arguments are invalid"),
        });
        err.0.errors = errors;
        err
    }

    /// 429: too many requests.
    pub fn too_many_requests() -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_requests",
            "Too many requests",
        )
    }

    /// 500: something failed inside the server. The client sees only an
    /// opaque problem; `log_message` is kept for the server's log.
    pub fn internal(log_message: impl Into<String>) -> Self {
        let mut err = Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "Internal server error",
        );
        err.0.log_message = Some(log_message.into());
        err
    }

    /// Sets the human-readable detail shown to the client.
    #[must_use]
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.0.detail = Some(detail.into());
        self
    }

    /// Replaces the machine code.
    #[must_use]
    pub fn with_code(mut self, code: impl Into<Cow<'static, str>>) -> Self {
        self.0.code = code.into();
        self
    }

    /// Adds a header to the error response.
    #[must_use]
    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.0.headers.append(name, value);
        self
    }

    /// Adds field errors.
    #[must_use]
    pub fn with_errors(mut self, errors: impl IntoIterator<Item = FieldError>) -> Self {
        self.0.errors.extend(errors);
        self
    }

    /// Sets the message written to the server log (never to the client).
    #[must_use]
    pub fn with_log_message(mut self, message: impl Into<String>) -> Self {
        self.0.log_message = Some(message.into());
        self
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.0.status
    }

    /// The machine code.
    pub fn code(&self) -> &str {
        &self.0.code
    }

    /// The title.
    pub fn title(&self) -> &str {
        &self.0.title
    }

    /// The detail, if any.
    pub fn detail(&self) -> Option<&str> {
        self.0.detail.as_deref()
    }

    /// The field errors.
    pub fn errors(&self) -> &[FieldError] {
        &self.0.errors
    }

    /// Headers to add to the response.
    pub fn headers(&self) -> &HeaderMap {
        &self.0.headers
    }

    /// The message for the server log, never sent to the client.
    pub fn log_message(&self) -> Option<&str> {
        self.0.log_message.as_deref()
    }

    /// The RFC 9457 body, ready for any serde format.
    pub fn problem<'a>(&'a self, request_id: Option<&'a str>) -> Problem<'a> {
        Problem {
            kind: "about:blank",
            title: &self.0.title,
            status: self.0.status.as_u16(),
            detail: self.0.detail.as_deref(),
            code: &self.0.code,
            request_id,
            errors: &self.0.errors,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.0.status.as_u16(), self.0.code)?;
        if let Some(detail) = &self.0.detail {
            write!(f, ": {detail}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// The RFC 9457 problem document for an [`ApiError`], as it is serialized.
///
/// `type` is `about:blank`, so `title` is the status's own phrase; `code`,
/// `request_id` and `errors` are extension members.
#[derive(Debug, Serialize)]
#[serde(rename = "problem")]
pub struct Problem<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'a str,
    status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<&'a str>,
    code: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_id: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    errors: &'a [FieldError],
}
