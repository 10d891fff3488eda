//! A test client: requests to an API through the whole pipeline,
//! in process or over a loopback socket, with typed helpers for what API
//! tests send (a bearer token, `Accept`, a JSON or merge-patch body,
//! `If-Match`), and answers whose status, headers and body a test asserts
//! on.
//!
//! ```
//! use pale_core::prelude::*;
//! use pale_server::test::TestClient;
//!
//! /// Says hello.
//! #[derive(Endpoint)]
//! #[pale(GET "/hello/{name}", name = "hello")]
//! struct Hello {
//!     /// Who.
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
//! let client = TestClient::new(api);
//! let reply = client.get(Hello::path("ann")).accept("application/xml").await;
//! assert_eq!(reply.status(), 200);
//! assert_eq!(reply.header("content-type"), Some("application/xml"));
//! assert!(reply.text().ends_with("<greeting>hello, ann</greeting>"));
//! # });
//! ```
//!
//! **In process** ([`TestClient::new`]): the request goes through the same
//! stages a server runs ([`PaleService`]), with no socket: negotiation,
//! routing, authentication, rate limits, the handler, the problem
//! documents. It arrives as from `127.0.0.1` ([`TestRequest::from`] to
//! play another address), so the per-address rules (the failed
//! authentication budget, anonymous rate limits) hold as they do served.
//! What only a connection has (the `Host` check, connection limits,
//! timeouts of a slow client) needs the socket.
//!
//! **Over a socket** ([`TestServer::start`]): a real [`Server`](crate::Server)
//! on a free loopback port, stopped when dropped, and the same client
//! speaking HTTP/1.1 (or HTTP/2, [`TestServer::http2_client`]) to it.
//! [`TestClient::connect`] speaks to a server that is already running
//! elsewhere: a spawned binary, an API nested in another router.
//!
//! Every exchange is bounded ([`TestRequest::timeout`], 30 seconds unless
//! told): a server that never answers fails the test instead of hanging
//! it.

mod request;
mod response;
mod server;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::Method;
use http_body_util::Full;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use pale_core::{Api, App};

use crate::PaleService;

pub use request::{TestError, TestRequest};
pub use response::TestResponse;
pub use server::TestServer;

/// Sends requests to an API, in process or to a [`TestServer`]. Cheap to
/// clone. A client of a server it only knows by address
/// ([`connect`](TestClient::connect)) is a `TestClient` (of `()`).
pub struct TestClient<A: App = ()> {
    transport: Transport<A>,
    /// The API's base path, which every request's path is under.
    base: Arc<str>,
}

enum Transport<A: App> {
    InProcess(PaleService<A>),
    Socket {
        addr: SocketAddr,
        client: Client<HttpConnector, Full<Bytes>>,
    },
}

/// The HTTP version a socket client speaks.
#[derive(Clone, Copy)]
pub(crate) enum Protocol {
    /// HTTP/1.1, connections kept alive.
    Http1,
    /// HTTP/2 with prior knowledge (no upgrade, no TLS).
    Http2,
}

impl<A: App> Clone for TestClient<A> {
    fn clone(&self) -> Self {
        let transport = match &self.transport {
            Transport::InProcess(service) => Transport::InProcess(service.clone()),
            Transport::Socket { addr, client } => Transport::Socket {
                addr: *addr,
                client: client.clone(),
            },
        };
        Self {
            transport,
            base: Arc::clone(&self.base),
        }
    }
}

/// The address in-process requests come from unless told otherwise.
const LOCALHOST: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// How long an exchange may take, unless a request says otherwise.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

impl TestClient<()> {
    /// A client of the server already listening at `addr` (a spawned
    /// binary, a Pale service nested in another router), over HTTP/1.1.
    /// Paths are sent as given: [`with_base`](Self::with_base) puts them
    /// under the API's base path.
    ///
    /// ```
    /// use pale_core::prelude::*;
    /// use pale_server::test::{TestClient, TestServer};
    ///
    /// /// Says hello.
    /// #[derive(Endpoint)]
    /// #[pale(GET "/hello", name = "hello")]
    /// struct Hello {}
    ///
    /// impl Handler<()> for Hello {
    ///     type Output = Plain<&'static str>;
    ///     async fn handle(self, _: &Context<()>) -> Result<Plain<&'static str>, ApiError> {
    ///         Ok(Plain::new("greeting", "hello"))
    ///     }
    /// }
    ///
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let api = Api::builder(()).base_path("/api").mount::<Hello>().build().unwrap();
    /// let server = TestServer::start(api).await;
    /// // Elsewhere, knowing only the address:
    /// let client = TestClient::connect(server.addr());
    /// assert_eq!(client.get("/api/hello").await.json::<String>(), "hello");
    /// let api = client.with_base("/api");
    /// assert_eq!(api.get("/hello").await.status(), 200);
    /// # });
    /// ```
    pub fn connect(addr: SocketAddr) -> Self {
        Self::at(addr, Arc::from(""), Protocol::Http1)
    }
}

impl<A: App> TestClient<A> {
    /// A client of `api`, in process, with default limits.
    ///
    /// # Panics
    ///
    /// When `api`'s routes cannot be served together (the error says
    /// which): a test should fail there.
    pub fn new(api: Api<A>) -> Self {
        let service = PaleService::new(api).unwrap_or_else(|e| panic!("the API's routes: {e}"));
        Self::of(service)
    }

    /// A client of `service` (with the limits and security headers it was
    /// given), in process.
    pub fn of(service: PaleService<A>) -> Self {
        Self {
            base: Arc::clone(service.api().base_path()),
            transport: Transport::InProcess(service),
        }
    }

    /// A client of the server at `addr`, serving an API under `base`,
    /// with connections of its own.
    pub(crate) fn at(addr: SocketAddr, base: Arc<str>, protocol: Protocol) -> Self {
        let mut builder = Client::builder(hyper_util::rt::TokioExecutor::new());
        if let Protocol::Http2 = protocol {
            builder.http2_only(true);
        }
        Self {
            transport: Transport::Socket {
                addr,
                client: builder.build_http(),
            },
            base,
        }
    }

    /// The same client (the same API or server, the same connections),
    /// with paths under `base` instead of the API's base path: `""` for
    /// the server's root (a path outside the API), `"/api"` under
    /// [`connect`](TestClient::connect).
    pub fn with_base(&self, base: &str) -> Self {
        Self {
            base: Arc::from(base),
            ..self.clone()
        }
    }

    /// A request with `method` to `path` under the API's base path (with
    /// its query, if any): `GetSong::path(1)` or `"/songs?page=2"` on an
    /// API served under `/api` requests `/api/songs/1`, `/api/songs?page=2`.
    /// Add what it carries, then `.await` it (or
    /// [`send`](TestRequest::send)).
    pub fn request(&self, method: Method, path: impl Into<String>) -> TestRequest<'_, A> {
        TestRequest::new(self, method, path.into())
    }

    /// `GET path`.
    pub fn get(&self, path: impl Into<String>) -> TestRequest<'_, A> {
        self.request(Method::GET, path)
    }

    /// `HEAD path`.
    pub fn head(&self, path: impl Into<String>) -> TestRequest<'_, A> {
        self.request(Method::HEAD, path)
    }

    /// `POST path`.
    pub fn post(&self, path: impl Into<String>) -> TestRequest<'_, A> {
        self.request(Method::POST, path)
    }

    /// `PUT path`.
    pub fn put(&self, path: impl Into<String>) -> TestRequest<'_, A> {
        self.request(Method::PUT, path)
    }

    /// `PATCH path`.
    pub fn patch(&self, path: impl Into<String>) -> TestRequest<'_, A> {
        self.request(Method::PATCH, path)
    }

    /// `DELETE path`.
    pub fn delete(&self, path: impl Into<String>) -> TestRequest<'_, A> {
        self.request(Method::DELETE, path)
    }
}
