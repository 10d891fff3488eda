//! A real server on a free loopback port, for tests that need the
//! connection: the `Host` check, connection limits, HTTP/2, timeouts.

use std::net::SocketAddr;

use pale_core::{Api, App};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use super::TestClient;
use crate::{Limits, Server};

/// A [`Server`] on `127.0.0.1:<free port>`, serving until dropped.
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
    client: TestClient<A>,
    stop: Option<oneshot::Sender<()>>,
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
        let base = std::sync::Arc::clone(api.base_path());
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let signal = async {
                let _ = stopped.await;
            };
            if let Err(error) = server.serve_with_shutdown(api, signal).await {
                tracing::error!(%error, "the test server stopped");
            }
        });
        Self {
            addr,
            client: TestClient::at(addr, base),
            stop: Some(stop),
        }
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// A client speaking HTTP/1.1 to it.
    pub fn client(&self) -> &TestClient<A> {
        &self.client
    }
}

impl<A: App> Drop for TestServer<A> {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
