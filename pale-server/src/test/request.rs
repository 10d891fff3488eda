//! One request being put together, sent by `.await` or
//! [`TestRequest::send`].

use std::future::{Future, IntoFuture};
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HOST, IF_MATCH, IF_NONE_MATCH};
use http::{HeaderMap, HeaderName, HeaderValue, Method, Request};
use http_body_util::{BodyExt, Full};
use pale_core::App;
use serde::Serialize;
use tower::ServiceExt;

use super::{DEFAULT_TIMEOUT, LOCALHOST, TestClient, TestResponse, Transport};
use crate::Peer;

/// Why an exchange had no answer (see [`TestRequest::try_send`]).
#[derive(Debug, Clone)]
pub struct TestError(String);

impl std::fmt::Display for TestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TestError {}

/// A request to send with a [`TestClient`].
#[must_use = "a request does nothing until it is sent (`.await`)"]
pub struct TestRequest<'c, A: App> {
    client: &'c TestClient<A>,
    method: Method,
    path: String,
    headers: HeaderMap,
    body: Bytes,
    from: IpAddr,
    timeout: Duration,
}

impl<'c, A: App> TestRequest<'c, A> {
    pub(super) fn new(client: &'c TestClient<A>, method: Method, path: String) -> Self {
        Self {
            client,
            method,
            path,
            headers: HeaderMap::new(),
            body: Bytes::new(),
            from: LOCALHOST,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// Adds a header.
    ///
    /// # Panics
    ///
    /// When `name` or `value` is not a valid header name or value.
    pub fn header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        let name = HeaderName::try_from(name.as_ref()).expect("a valid header name");
        let value = HeaderValue::try_from(value.as_ref()).expect("a valid header value");
        self.headers.append(name, value);
        self
    }

    /// Adds every header of `headers`, in order: a set of headers a test
    /// sends with several requests (a proxy's `Forwarded`, a hostile
    /// `Host`).
    ///
    /// # Panics
    ///
    /// When a name or a value is not a valid header name or value.
    pub fn headers<N, V>(self, headers: impl IntoIterator<Item = (N, V)>) -> Self
    where
        N: AsRef<str>,
        V: AsRef<str>,
    {
        headers
            .into_iter()
            .fold(self, |request, (name, value)| request.header(name, value))
    }

    /// `Authorization: Bearer <token>`.
    pub fn bearer(self, token: impl AsRef<str>) -> Self {
        let value = format!("Bearer {}", token.as_ref());
        self.header(AUTHORIZATION, value)
    }

    /// `Authorization: Bearer <token>` when there is a token; nothing (an
    /// anonymous caller) when `None`.
    pub fn bearer_opt(self, token: Option<impl AsRef<str>>) -> Self {
        match token {
            Some(token) => self.bearer(token),
            None => self,
        }
    }

    /// `Accept: <media_type>`.
    pub fn accept(self, media_type: impl AsRef<str>) -> Self {
        self.header(ACCEPT, media_type)
    }

    /// `If-Match: <tag>`.
    pub fn if_match(self, tag: impl AsRef<str>) -> Self {
        self.header(IF_MATCH, tag)
    }

    /// `If-None-Match: <tag>`.
    pub fn if_none_match(self, tag: impl AsRef<str>) -> Self {
        self.header(IF_NONE_MATCH, tag)
    }

    /// A JSON body (`Content-Type: application/json`).
    ///
    /// # Panics
    ///
    /// When `value` cannot be written as JSON.
    pub fn json(self, value: &impl Serialize) -> Self {
        let bytes = serde_json::to_vec(value).expect("a JSON body");
        self.body("application/json", bytes)
    }

    /// A JSON merge patch body (`Content-Type:
    /// application/merge-patch+json`), what a `PATCH` reads.
    ///
    /// # Panics
    ///
    /// When `value` cannot be written as JSON.
    pub fn merge_patch(self, value: &impl Serialize) -> Self {
        let bytes = serde_json::to_vec(value).expect("a JSON body");
        self.body("application/merge-patch+json", bytes)
    }

    /// A body of `content_type` (a form, XML, anything), as given.
    pub fn body(self, content_type: &str, bytes: impl AsRef<[u8]>) -> Self {
        self.header(CONTENT_TYPE, content_type).raw_body(bytes)
    }

    /// A body as given, with no `Content-Type` added: what a client that
    /// forgets to say its body's type sends.
    pub fn raw_body(mut self, bytes: impl AsRef<[u8]>) -> Self {
        self.body = Bytes::copy_from_slice(bytes.as_ref());
        self
    }

    /// Fails the test (panics) when the answer has not been read whole
    /// within `timeout` (30 seconds unless told).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Comes from `ip` instead of `127.0.0.1` (in process only: over a
    /// socket the connection says where it comes from).
    pub fn from(mut self, ip: IpAddr) -> Self {
        self.from = ip;
        self
    }

    /// Sends the request and reads the whole answer.
    ///
    /// # Panics
    ///
    /// When the request cannot be built (an invalid path), or the exchange
    /// fails ([`try_send`](Self::try_send) says why): a test should fail
    /// there.
    pub async fn send(self) -> TestResponse {
        self.try_send().await.unwrap_or_else(|e| panic!("{e}"))
    }

    /// Sends the request and reads the whole answer, or says why there is
    /// none: the connection was refused or cut (a server not yet
    /// listening, or killed mid-request), or no whole answer came within
    /// the [`timeout`](Self::timeout). For a test that waits for a server
    /// to come up, or expects the exchange to fail.
    ///
    /// # Panics
    ///
    /// When the request cannot be built (an invalid path).
    pub async fn try_send(self) -> Result<TestResponse, TestError> {
        let what = format!("{} {}", self.method, self.path);
        let timeout = self.timeout;
        match tokio::time::timeout(timeout, self.exchange()).await {
            Ok(Ok(response)) => Ok(response),
            Ok(Err(error)) => Err(TestError(format!("{what}: {error}"))),
            Err(_) => Err(TestError(format!(
                "{what}: no whole answer within {timeout:?}"
            ))),
        }
    }

    async fn exchange(self) -> Result<TestResponse, String> {
        let mut request = Request::builder()
            .method(self.method.clone())
            .uri(self.uri())
            .body(Full::new(self.body))
            .unwrap_or_else(|e| panic!("{} {}: {e}", self.method, self.path));
        *request.headers_mut() = self.headers;
        let (parts, bytes) = match &self.client.transport {
            Transport::InProcess(service) => {
                // A client on a socket sends `Host`: so does this one.
                if !request.headers().contains_key(HOST) {
                    let localhost = HeaderValue::from_static("localhost");
                    request.headers_mut().insert(HOST, localhost);
                }
                request.extensions_mut().insert(Peer {
                    addr: SocketAddr::new(self.from, 0),
                    trusted_proxy: false,
                });
                let Ok(response) = service.clone().oneshot(request).await;
                let (parts, body) = response.into_parts();
                let bytes = body.collect().await.map(|b| b.to_bytes());
                (parts, bytes.map_err(|e| format!("the body: {e}"))?)
            }
            Transport::Socket { client, .. } => {
                let response = client.request(request).await.map_err(|e| {
                    let source = std::error::Error::source(&e).map(ToString::to_string);
                    format!("{e} ({})", source.unwrap_or_default())
                })?;
                let (parts, body) = response.into_parts();
                let bytes = body.collect().await.map(|b| b.to_bytes());
                (parts, bytes.map_err(|e| format!("the body: {e}"))?)
            }
        };
        Ok(TestResponse::new(parts, bytes))
    }

    fn uri(&self) -> String {
        let base = &self.client.base;
        match &self.client.transport {
            Transport::InProcess(_) => format!("{base}{}", self.path),
            Transport::Socket { addr, .. } => format!("http://{addr}{base}{}", self.path),
        }
    }
}

impl<'c, A: App> IntoFuture for TestRequest<'c, A> {
    type Output = TestResponse;
    type IntoFuture = Pin<Box<dyn Future<Output = TestResponse> + Send + 'c>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
