//! A real server on a free loopback port, for tests that need the
//! connection: the `Host` check, connection limits, HTTP/2, timeouts.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use pale_core::{Api, App};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::{Protocol, TestClient};
use crate::{Limits, Server};

/// How long [`TestServer::stop`] waits for the server to have stopped.
const STOP_DEADLINE: Duration = Duration::from_secs(10);

/// A [`Server`] on `127.0.0.1:<free port>`, serving until dropped (or
/// [`stop`](TestServer::stop)ped, which also checks it stopped cleanly).
///
/// ```
/// use pale_core::prelude::*;
/// use pale_server::test::TestServer;
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
/// let api = Api::builder(()).mount::<Hello>().build().unwrap();
/// let server = TestServer::start(api).await;
/// let reply = server.client().get("/hello").await;
/// assert_eq!(reply.json::<String>(), "hello");
/// # });
/// ```
pub struct TestServer<A: App> {
    addr: SocketAddr,
    base: Arc<str>,
    client: TestClient<A>,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<io::Result<()>>,
}

impl<A: App> TestServer<A> {
    /// Serves `api` with default limits.
    pub async fn start(api: Api<A>) -> Self {
        Self::with_server(api, |server| server).await
    }

    /// Serves `api` with `limits`.
    pub async fn with_limits(api: Api<A>, limits: Limits) -> Self {
        Self::with_server(api, |server| server.limits(limits)).await
    }

    /// Serves `api` on a server `configure` sets up (limits, trusted
    /// proxies).
    ///
    /// # Panics
    ///
    /// When no loopback port can be bound.
    pub async fn with_server(api: Api<A>, configure: impl FnOnce(Server) -> Server) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let server = configure(Server::from_listener(listener));
        let addr = server.local_addr().expect("the bound address");
        let base = Arc::clone(api.base_path());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(server.serve_with_shutdown(api, async {
            let _ = stopped.await;
        }));
        Self {
            addr,
            client: TestClient::at(addr, Arc::clone(&base), Protocol::Http1),
            base,
            stop: Some(stop),
            task,
        }
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// A client speaking HTTP/1.1 to it; its clones share its connections.
    pub fn client(&self) -> &TestClient<A> {
        &self.client
    }

    /// Another client speaking HTTP/1.1 to it, on connections of its own.
    pub fn new_client(&self) -> TestClient<A> {
        TestClient::at(self.addr, Arc::clone(&self.base), Protocol::Http1)
    }

    /// A client speaking HTTP/2 to it, with prior knowledge (no upgrade,
    /// no TLS).
    ///
    /// ```
    /// use pale_core::prelude::*;
    /// use http::Version;
    /// use pale_server::test::TestServer;
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
    /// let server = TestServer::start(Api::builder(()).mount::<Hello>().build().unwrap()).await;
    /// let reply = server.http2_client().get("/hello").await;
    /// assert_eq!((reply.version(), reply.status().as_u16()), (Version::HTTP_2, 200));
    /// server.stop().await;
    /// # });
    /// ```
    pub fn http2_client(&self) -> TestClient<A> {
        TestClient::at(self.addr, Arc::clone(&self.base), Protocol::Http2)
    }

    /// Signals the graceful shutdown without waiting for it: the server
    /// accepts no new connection and lets the requests in flight finish.
    pub fn signal_stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    /// Shuts the server down gracefully and waits until it has stopped.
    ///
    /// # Panics
    ///
    /// When it has not stopped within 10 seconds, or stopped on an error:
    /// a test should fail there.
    pub async fn stop(mut self) {
        self.signal_stop();
        let ended = tokio::time::timeout(STOP_DEADLINE, &mut self.task).await;
        let ended =
            ended.unwrap_or_else(|_| panic!("the server did not stop in {STOP_DEADLINE:?}"));
        match ended {
            Ok(Ok(())) => {}
            Ok(Err(error)) => panic!("the server stopped on an error: {error}"),
            Err(error) => panic!("the server task failed: {error}"),
        }
    }
}

impl<A: App> Drop for TestServer<A> {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
