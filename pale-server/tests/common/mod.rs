//! What the connection-level suites need: a small API served by
//! `pale_server::Server` on a loopback port of its own, raw HTTP/1.1
//! exchanges, HTTP/2 connections with the `h2` crate, and sockets bound to
//! other loopback addresses (127.0.0.0/8 is all loopback on Linux) to play
//! many clients. Every wait is bounded, so a broken server fails a test
//! instead of hanging it.

// Each test file uses some of these helpers, never all of them.
#![allow(dead_code)]

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use bytes::Bytes;
use std::sync::Arc;

use pale_core::auth::bearer_token;
use pale_core::prelude::*;
use pale_core::rate::RateLimitStore;
use pale_server::{Limits, Server, TrustedProxies};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::oneshot;

/// The longest any one exchange may take before the test fails.
pub(crate) const DEADLINE: Duration = Duration::from_secs(10);

/// Answers at once.
#[derive(Endpoint)]
#[pale(GET "/hello", name = "hello")]
pub(crate) struct Hello {}

impl Handler<()> for Hello {
    type Output = Plain<&'static str>;
    async fn handle(self, _: &Context<()>) -> Result<Self::Output, ApiError> {
        Ok(Plain::new("greeting", "hello"))
    }
}

/// Sleeps `ms` milliseconds, then answers.
#[derive(Endpoint)]
#[pale(GET "/slow", name = "slow")]
pub(crate) struct Slow {
    /// How long to sleep.
    pub(crate) ms: u64,
}

impl Handler<()> for Slow {
    type Output = Plain<u64>;
    async fn handle(self, _: &Context<()>) -> Result<Self::Output, ApiError> {
        tokio::time::sleep(Duration::from_millis(self.ms)).await;
        Ok(Plain::new("slept", self.ms))
    }
}

/// Takes a note (reads its body).
#[derive(Endpoint)]
#[pale(POST "/notes", name = "take_note")]
pub(crate) struct TakeNote {
    /// The note.
    pub(crate) text: String,
}

impl Handler<()> for TakeNote {
    type Output = NoContent;
    async fn handle(self, _: &Context<()>) -> Result<NoContent, ApiError> {
        Ok(NoContent)
    }
}

/// Callers named by their bearer token; `root` is an admin. Counts in
/// `store` when it has one.
#[derive(Default)]
pub(crate) struct Members {
    /// Where rate limits are counted (`None`: in memory).
    pub(crate) store: Option<Arc<dyn RateLimitStore>>,
}

impl App for Members {
    type User = String;

    async fn authenticate(
        &self,
        request: &http::request::Parts,
    ) -> Result<Option<String>, ApiError> {
        Ok(bearer_token(request)?.map(str::to_owned))
    }

    fn audience(user: &String) -> Audience {
        if user == "root" {
            Audience::Admin
        } else {
            Audience::User
        }
    }

    fn rate_limit_store(&self) -> Option<Arc<dyn RateLimitStore>> {
        self.store.clone()
    }
}

/// The API under `/api`.
pub(crate) fn api() -> Api<()> {
    Api::builder(())
        .base_path("/api")
        .mount::<Hello>()
        .mount::<Slow>()
        .mount::<TakeNote>()
        .build()
        .expect("valid routes")
}

/// A server on `127.0.0.1:<free port>`, on a runtime and threads of its
/// own (as a server is, apart from its clients), stopped by
/// [`TestServer::stop`] or when dropped.
pub(crate) struct TestServer {
    pub(crate) addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    done: Option<oneshot::Receiver<io::Result<()>>>,
}

impl TestServer {
    /// Serves [`api`] with `limits`.
    pub(crate) async fn start(limits: Limits) -> Self {
        Self::spawn(limits, TrustedProxies::default(), |server, stopped| {
            Box::pin(server.serve_with_shutdown(api(), stopped))
        })
        .await
    }

    /// Serves an API of the test's own with default limits, behind `proxies`.
    pub(crate) async fn start_api<A: App>(api: Api<A>, proxies: TrustedProxies) -> Self {
        Self::spawn(Limits::default(), proxies, |server, stopped| {
            Box::pin(server.serve_with_shutdown(api, stopped))
        })
        .await
    }

    /// Serves a service of the test's own with `limits`, behind `proxies`
    /// (`TrustedProxies::default()`: none).
    pub(crate) async fn start_service<S, B>(
        limits: Limits,
        proxies: TrustedProxies,
        service: S,
    ) -> Self
    where
        S: tower::Service<
                http::Request<hyper::body::Incoming>,
                Response = http::Response<B>,
                Error = std::convert::Infallible,
            > + Clone
            + Send
            + 'static,
        S::Future: Send + 'static,
        B: http_body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        Self::spawn(limits, proxies, move |server, stopped| {
            Box::pin(server.serve_service_with_shutdown(service, stopped))
        })
        .await
    }

    /// Serves what `serve` makes of a server with `limits` (a server with
    /// layers, say).
    pub(crate) async fn start_with(
        limits: Limits,
        serve: impl FnOnce(Server, Stopped) -> Serving + Send + 'static,
    ) -> Self {
        Self::spawn(limits, TrustedProxies::default(), serve).await
    }

    async fn spawn(
        limits: Limits,
        proxies: TrustedProxies,
        serve: impl FnOnce(Server, Stopped) -> Serving + Send + 'static,
    ) -> Self {
        let (stop, stopped) = oneshot::channel::<()>();
        let (bound, address) = oneshot::channel();
        let (finished, done) = oneshot::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("a runtime");
            let result = runtime.block_on(async move {
                let listener = TcpListener::bind("127.0.0.1:0").await?;
                let server = Server::from_listener(listener)
                    .limits(limits)
                    .trusted_proxies(proxies);
                let _ = bound.send(server.local_addr()?);
                serve(
                    server,
                    Box::pin(async move {
                        let _ = stopped.await;
                    }),
                )
                .await
            });
            let _ = finished.send(result);
        });
        let addr = address.await.expect("the server binds");
        Self {
            addr,
            stop: Some(stop),
            done: Some(done),
        }
    }

    /// Stops the server, waiting (bounded) for it to finish.
    pub(crate) async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(done) = self.done.take() {
            let stopped = tokio::time::timeout(Duration::from_secs(5), done).await;
            stopped.expect("the server stops").unwrap().unwrap();
        }
    }
}

/// The shutdown signal a test server is given.
pub(crate) type Stopped = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;

/// A test server serving.
pub(crate) type Serving =
    std::pin::Pin<Box<dyn std::future::Future<Output = io::Result<()>> + Send>>;

/// Raises this process's open-file limit to `wanted` descriptors (or as
/// far as the hard limit allows), and fails the test if that is too few.
pub(crate) fn raise_fd_limit(wanted: u64) {
    let got = rlimit::increase_nofile_limit(wanted).expect("the open-file limit");
    assert!(
        got >= wanted,
        "this test needs {wanted} open files; the hard limit is {got} (ulimit -Hn)"
    );
}

/// A connection to `addr` from the loopback address `from`.
pub(crate) async fn connect_from(from: IpAddr, addr: SocketAddr) -> io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(from, 0))?;
    socket.connect(addr).await
}

/// The loopback address 127.0.`a`.`b`.
pub(crate) fn loopback(a: u8, b: u8) -> IpAddr {
    IpAddr::from([127, 0, a, b])
}

/// A response read off a raw connection.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) head: String,
    pub(crate) body: Vec<u8>,
}

impl Reply {
    /// The value of header `name` (case-insensitive), if present.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.head.split("\r\n").skip(1).find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }

    /// The body as JSON.
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {self:?}"))
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Reads one response with a `Content-Length` body off `stream` (the
/// server's, so every response here has one).
pub(crate) async fn read_reply(stream: &mut TcpStream) -> io::Result<Reply> {
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 4096];
    let split = loop {
        if let Some(split) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
            break split;
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        bytes.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let status = head
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| io::Error::other(format!("no status line: {head}")))?;
    let mut reply = Reply {
        status,
        head,
        body: bytes[split + 4..].to_vec(),
    };
    let length: usize = reply
        .header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while reply.body.len() < length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        reply.body.extend_from_slice(&chunk[..n]);
    }
    Ok(reply)
}

/// Sends `request` as written on a new connection from `from`, and reads
/// the response.
pub(crate) async fn exchange_from(
    from: IpAddr,
    addr: SocketAddr,
    request: &[u8],
) -> io::Result<Reply> {
    let exchange = async {
        let mut stream = connect_from(from, addr).await?;
        stream.write_all(request).await?;
        read_reply(&mut stream).await
    };
    tokio::time::timeout(DEADLINE, exchange)
        .await
        .unwrap_or_else(|_| Err(io::ErrorKind::TimedOut.into()))
}

/// A new client from `from` asks for `/api/hello`: how long until it has
/// the whole 200.
pub(crate) async fn time_a_new_client(from: IpAddr, addr: SocketAddr) -> Duration {
    let (took, reply) = time_a_get(from, addr, "/api/hello").await;
    assert_eq!(reply.json(), "hello");
    took
}

/// A new client from `from` asks for `path`: how long until it has the
/// whole 200, and the reply.
pub(crate) async fn time_a_get(from: IpAddr, addr: SocketAddr, path: &str) -> (Duration, Reply) {
    let started = Instant::now();
    let request = format!("GET {path} HTTP/1.1\r\nHost: pale.test\r\nConnection: close\r\n\r\n");
    let reply = exchange_from(from, addr, request.as_bytes())
        .await
        .expect("the new client is served");
    assert_eq!(reply.status, 200, "{reply:?}");
    (started.elapsed(), reply)
}

/// An HTTP/2 connection (prior knowledge) from `from`: the client handle,
/// and the connection's driver, which must be polled for the connection
/// to live (it answers the server's PINGs).
pub(crate) async fn h2_connect(
    from: IpAddr,
    addr: SocketAddr,
) -> Result<
    (
        h2::client::SendRequest<Bytes>,
        h2::client::Connection<TcpStream, Bytes>,
    ),
    Box<dyn std::error::Error + Send + Sync>,
> {
    let stream = connect_from(from, addr).await?;
    Ok(h2::client::handshake(stream).await?)
}

/// Sends `GET path` on an HTTP/2 connection: the status and the body.
pub(crate) async fn h2_get(
    send: &mut h2::client::SendRequest<Bytes>,
    path: &str,
) -> Result<(u16, Vec<u8>), Box<dyn std::error::Error + Send + Sync>> {
    let exchange = async {
        let request = http::Request::get(format!("http://pale.test{path}")).body(())?;
        let mut ready = send.clone().ready().await?;
        let (response, _) = ready.send_request(request, true)?;
        let response = response.await?;
        let status = response.status().as_u16();
        let mut body = response.into_body();
        let mut bytes = Vec::new();
        while let Some(chunk) = body.data().await {
            let chunk = chunk?;
            body.flow_control().release_capacity(chunk.len())?;
            bytes.extend_from_slice(&chunk);
        }
        Ok::<_, Box<dyn std::error::Error + Send + Sync>>((status, bytes))
    };
    tokio::time::timeout(DEADLINE, exchange).await?
}
