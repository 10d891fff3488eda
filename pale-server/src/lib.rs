//! Serve a Pale [`Api`](pale_core::Api) over HTTP: a `tower::Service` that
//! runs the whole pipeline (routing, negotiation, authentication, input,
//! handler, rendering, problem errors), and a [`Server`] that runs it on
//! hyper with safe limits.
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
//! 1. Negotiate the response format from `Accept` (406 when nothing fits):
//!    every later error is a problem document in that format.
//! 2. Route the path (404), then the method (405 with `Allow`); `HEAD` is
//!    answered by the `GET` endpoint, `OPTIONS` with `Allow` and, for a
//!    CORS preflight, the endpoint's CORS policy.
//! 3. Authenticate with [`App::authenticate`](pale_core::App::authenticate)
//!    (its error, typically a 401 with `WWW-Authenticate`, is answered as
//!    is); an endpoint's `audience` then answers 401 to anonymous callers
//!    of any endpoint above `Public`, and 403 to signed-in callers of an
//!    `Admin` endpoint who are not admins (any signed-in caller may own the
//!    object a `User` or `Owner` endpoint acts on: that is the handler's
//!    question).
//! 4. Read the input: path parameters, the query (`fields=` is taken out and
//!    parsed: 400 when malformed), the body by its `Content-Type` (JSON, XML,
//!    forms; a `PATCH` takes `application/merge-patch+json` only; 415 with
//!    `Accept-Post` (POST) or `Accept-Patch` otherwise; 413 past the size limit, also
//!    for chunked bodies; 400 when malformed or too deeply nested), and the
//!    headers arguments ask for. Arguments are looked up in the path, then
//!    the body, then the query; a name given in two of them is a 422.
//! 5. Cast the arguments (422 with every error), run the handler, render
//!    its output for the caller. A panicking handler is an opaque 500 with
//!    the request id; the panic message goes to the log.
//! 6. Respond with `Cache-Control` (the endpoint's, `no-cache` by default),
//!    CORS headers, and `x-request-id` (the client's, or a new one).
//!
//! # Documentation
//!
//! An API built with
//! [`ApiBuilder::serve_docs`](pale_core::ApiBuilder::serve_docs) also
//! answers `GET /openapi.json` (OpenAPI 3.1) and `GET /docs` (a
//! self-contained HTML reference) under its base path, each for the
//! caller's own audience (anonymous: public; signed in: owner; admins:
//! admin) or a lower one chosen with `?audience=`; a higher one is a 403.
//! Off by default.
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
//! # Limits
//!
#![doc = include_str!("limits.md")]

mod body;
mod body_limit;
mod catch_panic;
mod cors;
mod docs;
mod endpoint;
mod head;
mod limits;
mod negotiate;
mod problem;
mod request_id;
mod router;
mod server;
mod service;
mod timeout;
mod trace;

pub use limits::Limits;
pub use request_id::REQUEST_ID;
pub use router::RouteError;
pub use server::{Server, shutdown_signal};
pub use service::{PaleService, ResponseBody, ResponseFuture};
