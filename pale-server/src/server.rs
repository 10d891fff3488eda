//! Serving over TCP: hyper-util's HTTP/1.1 + HTTP/2 (cleartext, prior
//! knowledge) connections, with the connection-level limits and a graceful
//! shutdown.
//!
//! The accept loop: a new connection from an address past its cap
//! ([`Limits::max_connections_per_ip`]; trusted proxies are exempt, see
//! [`peer`](crate::peer)) is closed at once; otherwise it
//! takes a slot under the connection cap, and when there is none, the
//! longest-idle connection is closed to make one
//! ([`Connections::evict_idlest`] says why). Each connection is served in
//! a task of its own ([`connection`](crate::connection)). The listen
//! backlog is raised to [`Limits::listen_backlog`] when serving starts:
//! tokio's `bind` listens with 128, and a burst of clients past that was
//! refused by the kernel before the server saw it.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response};
use http_body::Body;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use hyper_util::server::conn::auto;
use pale_core::{Api, App};
use tokio::net::{TcpListener, TcpStream, ToSocketAddrs};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tower::Layer;
use tower::layer::util::{Identity, Stack};

use crate::connection::Connection;
use crate::connections::{Connections, Eviction};
use crate::host::HostRefusal;
use crate::layers::LayerProblems;
use crate::limits::Limits;
use crate::peer::{Peer, TrustedProxies};
use crate::problem::ProblemWriter;
use crate::service::PaleService;

/// An HTTP server for one [`Api`].
///
/// ```no_run
/// # async fn run() -> std::io::Result<()> {
/// use pale_core::Api;
/// use pale_server::Server;
///
/// let api = Api::builder(()).build().unwrap();
/// Server::bind("127.0.0.1:8080").await?.serve(api).await
/// # }
/// ```
///
/// Tower layers of the application's own go around the Pale service with
/// [`layer`](Self::layer); errors they answer become problem documents.
pub struct Server<L = Identity> {
    listener: TcpListener,
    limits: Limits,
    trusted: TrustedProxies,
    layers: L,
}

impl Server {
    /// Binds a listening socket.
    pub async fn bind(addr: impl ToSocketAddrs) -> io::Result<Self> {
        Ok(Self::from_listener(TcpListener::bind(addr).await?))
    }

    /// Serves on a listener that is already bound.
    pub fn from_listener(listener: TcpListener) -> Self {
        Self {
            listener,
            limits: Limits::default(),
            trusted: TrustedProxies::default(),
            layers: Identity::new(),
        }
    }

    /// Serves any `tower::Service` until SIGINT or SIGTERM, with the same
    /// connection handling as [`serve`](Self::serve).
    ///
    /// Only a server without [`layer`](Server::layer)s serves a service of
    /// the application's own: wrap that service in its layers yourself.
    pub async fn serve_service<S, B>(self, service: S) -> io::Result<()>
    where
        S: tower::Service<Request<Incoming>, Response = Response<B>> + Clone + Send + 'static,
        S::Future: Send + 'static,
        S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
        B: Body + Send + 'static,
        B::Data: Send,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        self.serve_service_with_shutdown(service, shutdown_signal())
            .await
    }

    /// Serves any `tower::Service` until `signal` completes, with the same
    /// connection cap, timeouts and graceful shutdown as an [`Api`].
    ///
    /// This is for an application that answers more than its API from one
    /// port: wrap a [`PaleService`] in a service of your own that sends
    /// some paths to it and answers the others (static files, redirects).
    /// The [`Limits`] on the body size and the request timeout are the
    /// `PaleService`'s own, so build it with
    /// [`PaleService::with_limits`] and the same limits; this method
    /// applies the connection-level ones (timeouts, connection caps,
    /// lingering close, shutdown grace). An HTTP/1.1 request without one
    /// `Host` is answered 400 here, with a JSON problem document, before
    /// `service` sees it.
    ///
    /// ```no_run
    /// # async fn run() -> std::io::Result<()> {
    /// use bytes::Bytes;
    /// use http_body_util::Full;
    /// use pale_core::Api;
    /// use pale_server::{PaleService, Server, shutdown_signal};
    ///
    /// let api = Api::builder(()).base_path("/api").build().unwrap();
    /// let api = PaleService::new(api).unwrap();
    /// // `/api/…` goes to the API; this site answers everything else.
    /// let site = tower::service_fn(move |request: http::Request<hyper::body::Incoming>| {
    ///     let mut api = api.clone();
    ///     async move {
    ///         if request.uri().path().starts_with("/api/") {
    ///             tower::Service::call(&mut api, request).await
    ///         } else {
    ///             Ok(http::Response::new(Full::new(Bytes::from("hello"))))
    ///         }
    ///     }
    /// });
    /// Server::bind("127.0.0.1:8080")
    ///     .await?
    ///     .serve_service_with_shutdown(site, shutdown_signal())
    ///     .await
    /// # }
    /// ```
    pub async fn serve_service_with_shutdown<S, B>(
        self,
        service: S,
        signal: impl Future<Output = ()> + Send,
    ) -> io::Result<()>
    where
        S: tower::Service<Request<Incoming>, Response = Response<B>> + Clone + Send + 'static,
        S::Future: Send + 'static,
        S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
        B: Body + Send + 'static,
        B::Data: Send,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        self.run(service, HostRefusal::new(&[]), signal).await
    }
}

impl<L> Server<L> {
    /// Adds a tower layer around the Pale service: the first added is the
    /// outermost, as with `tower::ServiceBuilder`. Statuses 4xx and 5xx the
    /// layers answer themselves (tower-http's `TimeoutLayer` answers an
    /// empty 408) and errors they fail with (tower's `timeout`,
    /// `load_shed`) are answered as problem documents in the negotiated
    /// format (503 for a timeout or load shedding); see
    /// `docs/serving.md`.
    ///
    /// ```no_run
    /// # async fn run() -> std::io::Result<()> {
    /// use std::time::Duration;
    ///
    /// use pale_core::Api;
    /// use pale_server::Server;
    ///
    /// let api = Api::builder(()).build().unwrap();
    /// Server::bind("127.0.0.1:8080")
    ///     .await?
    ///     .layer(tower::limit::ConcurrencyLimitLayer::new(64))
    ///     .layer(tower::timeout::TimeoutLayer::new(Duration::from_secs(5)))
    ///     .serve(api)
    ///     .await
    /// # }
    /// ```
    #[must_use]
    pub fn layer<T>(self, layer: T) -> Server<Stack<T, L>> {
        Server {
            listener: self.listener,
            limits: self.limits,
            trusted: self.trusted,
            layers: Stack::new(layer, self.layers),
        }
    }

    /// Sets the limits.
    #[must_use]
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Sets the reverse proxies in front of the server (none by default).
    /// Their connections are exempt from the per-address cap, and their
    /// requests' [`Peer`] says `trusted_proxy`, so the application may
    /// believe their `Forwarded` / `X-Forwarded-*` headers.
    #[must_use]
    pub fn trusted_proxies(mut self, proxies: TrustedProxies) -> Self {
        self.trusted = proxies;
        self
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until SIGINT or SIGTERM, then shuts down gracefully.
    pub async fn serve<A, B>(self, api: Api<A>) -> io::Result<()>
    where
        A: App,
        L: Layer<PaleService<A>>,
        L::Service:
            tower::Service<Request<Incoming>, Response = Response<B>> + Clone + Send + 'static,
        <L::Service as tower::Service<Request<Incoming>>>::Future: Send + 'static,
        <L::Service as tower::Service<Request<Incoming>>>::Error:
            Into<Box<dyn std::error::Error + Send + Sync>>,
        B: Body<Data = Bytes> + Send + 'static,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        self.serve_with_shutdown(api, shutdown_signal()).await
    }

    /// Serves until `signal` completes: then stops accepting, lets in-flight
    /// requests finish within the grace period, and returns.
    pub async fn serve_with_shutdown<A, B>(
        self,
        api: Api<A>,
        signal: impl Future<Output = ()> + Send,
    ) -> io::Result<()>
    where
        A: App,
        L: Layer<PaleService<A>>,
        L::Service:
            tower::Service<Request<Incoming>, Response = Response<B>> + Clone + Send + 'static,
        <L::Service as tower::Service<Request<Incoming>>>::Future: Send + 'static,
        <L::Service as tower::Service<Request<Incoming>>>::Error:
            Into<Box<dyn std::error::Error + Send + Sync>>,
        B: Body<Data = Bytes> + Send + 'static,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let refusal = HostRefusal::new(api.formats());
        let problems = ProblemWriter::new(api.formats());
        let service = PaleService::with_limits(api, self.limits)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        let service = LayerProblems::new(self.layers.layer(service), problems);
        self.run(service, refusal, signal).await
    }

    /// The accept loop (module docs), then the graceful shutdown.
    async fn run<S, B>(
        self,
        service: S,
        refusal: HostRefusal,
        signal: impl Future<Output = ()> + Send,
    ) -> io::Result<()>
    where
        S: tower::Service<Request<Incoming>, Response = Response<B>> + Clone + Send + 'static,
        S::Future: Send + 'static,
        S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
        B: Body + Send + 'static,
        B::Data: Send,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let limits = self.limits;
        self.raise_backlog();
        let builder = http_builder(&limits);
        let refusal = Arc::new(refusal);
        let slots = Arc::new(Semaphore::new(limits.max_connections));
        let connections = Connections::new(
            limits.max_connections_per_ip,
            max_lent(limits.max_connections),
        );
        tokio::pin!(signal);
        loop {
            let (stream, peer) = tokio::select! {
                () = &mut signal => break,
                accepted = self.accept() => accepted,
            };
            let peer = Peer {
                addr: peer,
                trusted_proxy: self.trusted.contains(peer.ip()),
            };
            if !peer.trusted_proxy && !connections.admits(peer.addr.ip()) {
                continue;
            }
            let permit = tokio::select! {
                () = &mut signal => break,
                permit = free_slot(&slots, &connections) => permit,
            };
            let _ = stream.set_nodelay(true);
            let connection = Connection {
                stream,
                peer,
                registered: connections.register(peer.addr.ip()),
                permit,
                limits,
            };
            let serving = connection.serve(builder.clone(), service.clone(), Arc::clone(&refusal));
            tokio::spawn(serving);
        }
        drop(self.listener);
        shut_down(&connections, limits.shutdown_grace).await;
        Ok(())
    }
}

/// Asks every connection to close, and waits for them within `grace`.
async fn shut_down(connections: &Connections, grace: Duration) {
    tracing::info!("shutting down: waiting for in-flight requests");
    connections.close_all();
    tokio::select! {
        () = connections.all_closed() => tracing::info!("all connections closed"),
        () = tokio::time::sleep(grace) => {
            tracing::warn!("grace period over: closing the remaining connections");
        }
    }
}

/// How long to wait for an evicted connection's slot before evicting
/// another (or, when every connection is busy, looking again).
const EVICTION_WAIT: Duration = Duration::from_millis(100);

/// How many evicted connections may still be closing with their slot
/// lent ([`Eviction::Lent`]): a sixteenth of the cap, at least one.
fn max_lent(cap: usize) -> usize {
    (cap / 16).max(1)
}

/// A slot under the connection cap: a free one, or one made by closing the
/// longest-idle connection.
async fn free_slot(slots: &Arc<Semaphore>, connections: &Connections) -> OwnedSemaphorePermit {
    loop {
        if let Ok(permit) = Arc::clone(slots).try_acquire_owned() {
            return permit;
        }
        if connections.evict_idlest() == Eviction::Lent {
            slots.add_permits(1);
            continue;
        }
        let freed = tokio::time::timeout(EVICTION_WAIT, Arc::clone(slots).acquire_owned()).await;
        if let Ok(Ok(permit)) = freed {
            return permit;
        }
    }
}

impl<L> Server<L> {
    /// Sets the listen backlog to the limit's: Linux applies a second
    /// `listen` on a listening socket. Where that fails, the backlog stays
    /// as it was.
    fn raise_backlog(&self) {
        let backlog = i32::try_from(self.limits.listen_backlog).unwrap_or(i32::MAX);
        if let Err(err) = socket2::SockRef::from(&self.listener).listen(backlog) {
            tracing::debug!(error = %err, "could not set the listen backlog");
        }
    }

    /// The next connection. Accepting fails when the process is out of
    /// file descriptors and the like: then wait, and go on.
    async fn accept(&self) -> (TcpStream, SocketAddr) {
        loop {
            match self.listener.accept().await {
                Ok(accepted) => return accepted,
                Err(err) => {
                    tracing::warn!(error = %err, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
    }
}

/// hyper-util's HTTP/1.1 and HTTP/2 connection settings for `limits`.
fn http_builder(limits: &Limits) -> auto::Builder<TokioExecutor> {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    // HTTP/2 has no header read timeout (the connection's own timer
    // stands in, see `connection`); pings find a peer that went away.
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(Some(limits.header_read_timeout))
        .keep_alive_timeout(limits.header_read_timeout)
        .max_concurrent_streams(limits.max_streams_per_connection);
    builder
}

/// Completes on SIGINT (Ctrl-C) or, on Unix, SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use http_body_util::Full;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// The backlog is raised when serving starts: 300 clients complete
    /// their handshake while nothing accepts (tokio's `bind` listens with
    /// 128, past which the kernel drops the handshakes).
    #[tokio::test]
    async fn the_listen_backlog_is_raised() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let server = Server::from_listener(listener).limits(Limits::default().listen_backlog(1024));
        let addr = server.local_addr().unwrap();
        server.raise_backlog();
        let connects = (0..300)
            .map(|_| tokio::time::timeout(Duration::from_millis(900), TcpStream::connect(addr)));
        let connected = futures_util::future::join_all(connects).await;
        let ok = connected.iter().filter(|c| matches!(c, Ok(Ok(_)))).count();
        assert_eq!(ok, 300);
    }

    /// Any tower service is served, with a graceful stop on the signal.
    #[tokio::test]
    async fn serves_a_service_of_its_own_until_the_signal() {
        let server = Server::bind("127.0.0.1:0").await.unwrap();
        let addr = server.local_addr().unwrap();
        let service = tower::service_fn(|request: Request<Incoming>| async move {
            let text = format!("you asked for {}", request.uri().path());
            Ok::<_, std::convert::Infallible>(Response::new(Full::new(Bytes::from(text))))
        });
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let serving = tokio::spawn(server.serve_service_with_shutdown(service, async {
            let _ = stopped.await;
        }));
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        stream
            .write_all(b"GET /covers/a.svg HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let mut reply = String::new();
        stream.read_to_string(&mut reply).await.unwrap();
        assert!(reply.starts_with("HTTP/1.1 200 OK\r\n"), "{reply}");
        assert!(
            reply.ends_with("\r\n\r\nyou asked for /covers/a.svg"),
            "{reply}"
        );
        stop.send(()).unwrap();
        serving.await.unwrap().unwrap();
        assert!(tokio::net::TcpStream::connect(addr).await.is_err());
    }
}
