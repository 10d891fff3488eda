//! Serving over TCP: hyper-util's HTTP/1.1 + HTTP/2 (cleartext, prior
//! knowledge) connections, with a connection cap, a header read timeout and
//! a graceful shutdown.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use http::{Request, Response};
use http_body::Body;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use hyper_util::service::TowerToHyperService;
use pale_core::{Api, App};
use tokio::net::{TcpListener, TcpStream, ToSocketAddrs};
use tokio::sync::Semaphore;

use crate::limits::Limits;
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
pub struct Server {
    listener: TcpListener,
    limits: Limits,
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
        }
    }

    /// Sets the limits.
    #[must_use]
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until SIGINT or SIGTERM, then shuts down gracefully.
    pub async fn serve<A: App>(self, api: Api<A>) -> io::Result<()> {
        self.serve_with_shutdown(api, shutdown_signal()).await
    }

    /// Serves until `signal` completes: then stops accepting, lets in-flight
    /// requests finish within the grace period, and returns.
    pub async fn serve_with_shutdown<A: App>(
        self,
        api: Api<A>,
        signal: impl Future<Output = ()> + Send,
    ) -> io::Result<()> {
        let service = PaleService::with_limits(api, self.limits)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        self.serve_service_with_shutdown(service, signal).await
    }

    /// Serves any `tower::Service` until SIGINT or SIGTERM, with the same
    /// connection handling as [`serve`](Self::serve).
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
    /// applies the connection-level ones (header read timeout, connection
    /// cap, shutdown grace).
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
        let limits = self.limits;
        let builder = http_builder(&limits);
        let permits = Arc::new(Semaphore::new(limits.max_connections));
        let graceful = GracefulShutdown::new();
        // Dropped when the server stops accepting: connections that have
        // not sent anything yet are closed then.
        let (stop_waiting, stopping) = tokio::sync::watch::channel(());
        tokio::pin!(signal);
        loop {
            let permit = tokio::select! {
                () = &mut signal => break,
                permit = Arc::clone(&permits).acquire_owned() => permit.map_err(io::Error::other)?,
            };
            let (stream, peer) = tokio::select! {
                () = &mut signal => break,
                accepted = self.accept() => accepted,
            };
            let _ = stream.set_nodelay(true);
            let connection = Connection {
                stream,
                peer,
                watcher: graceful.watcher(),
                stopping: stopping.clone(),
                header_read_timeout: limits.header_read_timeout,
            };
            let (builder, service) = (builder.clone(), service.clone());
            tokio::spawn(async move {
                connection.serve(builder, service).await;
                drop(permit);
            });
        }
        drop(stop_waiting);
        drop(self.listener);
        tracing::info!("shutting down: waiting for in-flight requests");
        tokio::select! {
            () = graceful.shutdown() => tracing::info!("all connections closed"),
            () = tokio::time::sleep(limits.shutdown_grace) => {
                tracing::warn!("grace period over: closing the remaining connections");
            }
        }
        Ok(())
    }
}

impl Server {
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
    // HTTP/2 has no header read timeout; pings bound how long a silent
    // peer can hold a connection.
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(Some(limits.header_read_timeout))
        .keep_alive_timeout(limits.header_read_timeout)
        .max_concurrent_streams(256);
    builder
}

/// One accepted connection.
struct Connection {
    stream: TcpStream,
    peer: SocketAddr,
    watcher: Watcher,
    /// Changes (closes) when the server stops accepting.
    stopping: tokio::sync::watch::Receiver<()>,
    header_read_timeout: Duration,
}

impl Connection {
    /// Serves the connection with `service`, once the client has started a
    /// request within the header read timeout.
    async fn serve<S, B>(mut self, builder: auto::Builder<TokioExecutor>, service: S)
    where
        S: tower::Service<Request<Incoming>, Response = Response<B>> + Clone + Send + 'static,
        S::Future: Send + 'static,
        S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
        B: Body + Send + 'static,
        B::Data: Send,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let peer = self.peer;
        let waiting = tokio::time::timeout(self.header_read_timeout, request_started(&self.stream));
        let started = tokio::select! {
            started = waiting => started,
            // Shutting down before the client said anything.
            _ = self.stopping.changed() => return,
        };
        match started {
            Ok(Ok(true)) => {}
            Ok(Ok(false) | Err(_)) => return,
            Err(_) => {
                tracing::debug!(%peer, "no request within the header read timeout");
                return;
            }
        }
        let connection = builder.serve_connection_with_upgrades(
            TokioIo::new(self.stream),
            TowerToHyperService::new(service),
        );
        if let Err(err) = self.watcher.watch(connection).await {
            tracing::debug!(%peer, error = %err, "connection ended with an error");
        }
    }
}

/// The first bytes of an HTTP/2 connection with prior knowledge.
const H2_PREFACE: &[u8; 24] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// Waits until the client has sent enough to tell HTTP/1.1 from HTTP/2;
/// `false` when it closed the connection first.
///
/// hyper-util's protocol detection waits for those bytes with no timeout,
/// and hyper's header read timeout only starts after it: without this wait
/// under the timeout, a client that connects and sends nothing would hold
/// a connection slot forever (slowloris).
async fn request_started(stream: &TcpStream) -> io::Result<bool> {
    let mut buf = [0u8; H2_PREFACE.len()];
    loop {
        let n = stream.peek(&mut buf).await?;
        if n == 0 {
            return Ok(false);
        }
        if n == buf.len() || buf[..n] != H2_PREFACE[..n] {
            return Ok(true);
        }
        // Part of the HTTP/2 preface: `peek` would see the same bytes again
        // at once, so wait a moment for the rest.
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
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
