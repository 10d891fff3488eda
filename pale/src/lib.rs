//! Pale: declarative REST APIs for Rust. This crate is the one to depend
//! on: it brings the declarations (`pale-core`: arguments, resources,
//! endpoints, formats, docs) and, with the default `server` feature, the
//! server (`pale-server`: hyper and tower, safe by default) and a test
//! client.
//!
//! ```toml
//! [dependencies]
//! pale = { path = "../pale" }    # features: "server" (default), "cli", "cbor", "msgpack"
//! tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
//! ```
//!
//! One import brings what declarations and serving need:
//!
//! ```
//! use pale::prelude::*;
//!
//! /// Says hello.
//! #[derive(Endpoint)]
//! #[pale(GET "/hello/{name}", name = "hello")]
//! struct Hello {
//!     /// Who to greet.
//!     #[pale(len = 1..=40)]
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
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let api = Api::builder(()).mount::<Hello>().build().unwrap();
//! // Served: Server::bind("127.0.0.1:8080").await?.serve(api).await
//! let client = pale::test::TestClient::new(api);
//! assert_eq!(client.get("/hello/ann").await.json::<String>(), "hello, ann");
//! # });
//! ```
//!
//! Everything of `pale-core` is here under the same names
//! (`pale::Api`, `pale::resource`, `pale::write`, …; its manual is this
//! crate's items' docs), the server's items at the root too
//! (`pale::Server`, `pale::Limits`, `pale::PaleService`), and the `http`
//! crate the signatures speak (`pale::http::StatusCode`), so an app needs
//! no other pale-related dependency.
//!
//! The features `cbor` and `msgpack` bring `pale::format::Cbor` and
//! `pale::format::MessagePack`, registered with `.format(Cbor)` beside
//! JSON and XML; any other serde format is a `pale::format::SerdeFormat`
//! of a few lines.

pub use http;
#[doc(inline)]
pub use pale_core::*;

#[cfg(feature = "server")]
#[doc(inline)]
pub use pale_server::{
    IpNet, Limits, PaleService, Peer, REQUEST_ID, ResponseBody, ResponseFuture, RouteError,
    SecurityHeaders, Server, TrustedProxies, parse_proxy, shutdown_signal,
};

/// The serving flags every binary shares (`--addr`,
/// `--max-connections-per-ip`, `--trusted-proxy`), for clap.
#[cfg(feature = "cli")]
pub use pale_server::cli;

/// A test client that drives an API through the whole pipeline, in process
/// or over a loopback socket.
#[cfg(feature = "server")]
pub use pale_server::test;

/// tower, whose layers [`Server::layer`] takes (with its `limit`,
/// `load_shed` and `timeout` layers), so a layer needs no dependency of
/// its own.
#[cfg(feature = "server")]
pub use pale_server::tower;

/// The rate limit store the server counts in by default.
#[cfg(feature = "server")]
pub use pale_server::MemoryRateLimitStore;

/// One import for users: `use pale::prelude::*;` (declarations, and with
/// the `server` feature, serving).
pub mod prelude {
    pub use pale_core::prelude::*;

    #[cfg(feature = "server")]
    pub use pale_server::{Limits, Server, shutdown_signal};
}

/// The README's example compiles and runs.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
