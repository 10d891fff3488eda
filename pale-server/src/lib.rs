//! Serve a Pale [`Api`](pale_core::Api) over HTTP: a `tower::Service` that
//! runs the whole pipeline (negotiation, routing, authentication, input,
//! handler, rendering, problem errors) as a stack of tower stages, and a
//! [`Server`] that runs it on hyper with safe limits.
//!
//! # Example
//!
//! ```no_run
//! use pale_core::prelude::*;
//! use pale_server::{Limits, Server};
//!
//! /// Says hello.
//! #[derive(Endpoint)]
//! #[pale(GET "/hello/{name}", name = "hello")]
//! struct Hello {
//!     /// Who to greet.
//!     name: String,
//! }
//!
//! impl Handler<()> for Hello {
//!     type Output = Plain<String>;
//!     async fn handle(self, _: &Context<()>) -> Result<Plain<String>, ApiError> {
//!         Ok(Plain::new("greeting", format!("hello, {}", self.name)))
//!     }
//! }
//!
//! # async fn run() -> std::io::Result<()> {
//! let api = Api::builder(()).base_path("/api").mount::<Hello>().build().unwrap();
//! Server::bind("127.0.0.1:8080").await?
//!     .limits(Limits::default().max_body_bytes(64 * 1024))
//!     .serve(api)
//!     .await
//! # }
//! ```
//!
//! # The pipeline
//!
//! A [`PaleService`] is a stack of tower stages, each in a module of its
//! own; a request meets them in this order (after the layers an
//! application adds with [`Server::layer`], whose errors are answered as
//! problem documents too):
//!
//! - **Security headers**: an HTML or SVG response (the `/docs` page, an
//!   endpoint in an HTML format) gets a Content-Security-Policy,
//!   `X-Frame-Options`, `Referrer-Policy` and `nosniff`, unless it has
//!   them; see [`SecurityHeaders`] for the defaults and how to change them.
//! - **Trace**: a `request` span (method, path, id, route, path template,
//!   status) and one `served` event with the latency: the access log, on
//!   target `pale::access`.
//! - **`HEAD`**: answered by the `GET` endpoint, sent without its body.
//! - **Body limit**: a body past the size limit is a 413 when it is read,
//!   also a chunked one; a body nobody reads is never refused.
//! - **Request id**: the client's `x-request-id` when it is a sensible
//!   token (1 to 128 of ASCII letters, digits and `-_.:`), else a new one;
//!   every response carries it, and so does every log line of the request.
//! 1. **Negotiate** the response format from `Accept` (406 when nothing
//!    fits): every error of the stages below is a problem document in
//!    that format.
//! 2. **Route** the path (404), then the method (405 with `Allow`);
//!    `OPTIONS` is answered with `Allow` and, for a CORS preflight, the
//!    endpoint's CORS policy. Successful responses get the endpoint's
//!    `Cache-Control` (`no-cache` by default), and all its CORS headers.
//! - **Timeout**: the rest, body and handler included, within the
//!   request timeout (503).
//! - **Panics**: a panicking handler is an opaque 500 with the request id;
//!   the panic message goes to the log.
//! 3. **Authenticate** with [`App::authenticate`](pale_core::App::authenticate)
//!    (its error, typically a 401 with `WWW-Authenticate`, is answered as
//!    is), then [`Context::authorize`](pale_core::Context::authorize): an
//!    endpoint's `audience` answers 401 to anonymous callers of any
//!    endpoint above `Public`, and 403 to signed-in callers of an `Admin`
//!    endpoint who are not admins (any signed-in caller may own the object
//!    a `User` or `Owner` endpoint acts on: that is the handler's
//!    question).
//! 4. **Read the input**: path parameters, the query (`fields=` is taken
//!    out and parsed: 400 when malformed) and the headers arguments ask
//!    for, by [`Route::read_input`](pale_core::Route::read_input); then the
//!    body by its `Content-Type` (JSON, XML, forms; a `PATCH` takes a
//!    merge patch only, as `application/merge-patch+json` or
//!    `application/json`; 415 with `Accept-Post` (POST)
//!    or `Accept-Patch` otherwise; 400 when malformed or too deeply
//!    nested). Arguments are looked up in the path, then the body, then
//!    the query; a name given in two of them is a 422.
//! 5. **Cast** the arguments (422 with every error), run the handler,
//!    render its output for the caller.
//!
//! # Documentation
//!
//! An API built with
//! [`ApiBuilder::serve_docs`](pale_core::ApiBuilder::serve_docs) also
//! answers `GET /openapi.json` (OpenAPI 3.1) and `GET /docs` (a
//! self-contained HTML reference) under its base path, each for the
//! caller's own audience (anonymous: public; signed in: owner; admins:
//! admin) or a lower one chosen with `?audience=`; a higher one is a 403.
//! They are routed like the endpoints (a `POST` is a 405 with `Allow`).
//! Off by default. The HTML page runs no script and loads nothing; it is
//! served with the [`SecurityHeaders`] of every HTML response, whose
//! default policy allows its one inline stylesheet by its hash.
//!
//! # More than an API on one port
//!
//! A site that also serves files (a front end, images) wraps the
//! [`PaleService`] in a `tower::Service` of its own that sends the API's
//! paths to it, and serves that with
//! [`Server::serve_service_with_shutdown`]: the same connection cap,
//! timeouts and graceful shutdown as an API alone. The band-site example
//! does this.
//!
//! # Connections
//!
//! The [`Server`] owns the connections, and guards them: idle connections
//! (no request in flight) are closed after the idle timeout, and give way
//! to new clients at the connection cap; an HTTP/2 connection must open
//! its first stream within the header read timeout, as an HTTP/1.1 one
//! must send its first request; one client address holds at most so many
//! connections, unless it is a trusted proxy ([`Server::trusted_proxies`];
//! each request carries its connection's [`Peer`]); an answer sent before the request body was read is
//! followed by a lingering close, so the client reads it; and an HTTP/1.1
//! request without exactly one `Host` header is a 400 problem document
//! (RFC 9112 §3.2) before the service sees it.
//!
//! A client address that fails authentication too often (10 times in
//! 10 s by default, [`Limits::failed_authentications`]) is answered 429,
//! with `Retry-After` and the `RateLimit` headers, for requests carrying
//! credentials until its budget refills.
//!
//! # Limits
//!
#![doc = include_str!("limits.md")]

mod auth_throttle;
mod body;
mod body_limit;
mod catch_panic;
#[cfg(feature = "cli")]
pub mod cli;
mod coalesce;
mod connection;
mod connections;
mod cors;
mod cutoff;
mod docs;
mod endpoint;
mod head;
mod host;
mod in_flight;
mod layers;
mod limits;
mod linger;
mod negotiate;
mod peer;
mod problem;
mod problem_writer;
mod rate_limit;
mod rate_store;
mod request_id;
mod router;
mod security_headers;
mod server;
mod service;
pub mod test;
#[cfg(test)]
mod test_formats;
mod timeout;
mod trace;

#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod __fuzz;

pub use ipnet::IpNet;
pub use limits::Limits;
pub use peer::{Peer, TrustedProxies, parse_proxy};
pub use rate_store::MemoryRateLimitStore;
pub use request_id::REQUEST_ID;
pub use router::RouteError;
pub use security_headers::SecurityHeaders;
pub use server::{Server, shutdown_signal};
pub use service::{PaleService, ResponseBody, ResponseFuture};
/// tower, as the server uses it (with the `limit`, `load_shed` and
/// `timeout` layers): the layers [`Server::layer`] takes.
pub use tower;
