//! What every end-to-end test needs: a server on a loopback port of its
//! own, a real HTTP client, and a raw socket for byte-level exchanges.
//! Every wait is bounded, so a broken server fails a test instead of
//! hanging it.

// Each test file uses some of these helpers, never all of them.
#![allow(dead_code)]

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use pale::{Api, App};
use pale::{Limits, Server};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The longest any one exchange may take before the test fails.
pub(crate) const DEADLINE: Duration = Duration::from_secs(10);

/// A server on `127.0.0.1:<free port>`, stopped by [`TestServer::stop`].
pub(crate) struct TestServer {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<io::Result<()>>,
}

impl TestServer {
    /// Serves `api` with the default limits.
    pub(crate) async fn start<A: App>(api: Api<A>) -> Self {
        Self::start_with(api, Limits::default()).await
    }

    /// Serves `api` with `limits`.
    pub(crate) async fn start_with<A: App>(api: Api<A>, limits: Limits) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free loopback port");
        let server = Server::from_listener(listener).limits(limits);
        let addr = server.local_addr().expect("a bound address");
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(server.serve_with_shutdown(api, async {
            let _ = stopped.await;
        }));
        Self {
            addr,
            stop: Some(stop),
            task,
        }
    }

    /// The address served.
    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The URL of `path` on this server.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Signals the shutdown without waiting for it.
    pub(crate) fn signal_stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    /// Shuts the server down and waits (bounded) until it has returned.
    pub(crate) async fn stop(mut self) {
        self.signal_stop();
        let ended = tokio::time::timeout(DEADLINE, &mut self.task).await;
        ended
            .expect("the server stops within the deadline")
            .expect("the server task did not panic")
            .expect("the server ended without an error");
    }
}

/// A response, read whole.
#[derive(Debug)]
pub(crate) struct Reply {
    /// The HTTP version the response came in.
    pub(crate) version: http::Version,
    /// The status.
    pub(crate) status: StatusCode,
    /// The headers.
    pub(crate) headers: HeaderMap,
    /// The body, as text.
    pub(crate) body: String,
}

impl Reply {
    /// The body as JSON.
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// A header's value, if present.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(name)
            .map(|v| v.to_str().expect("an ASCII header"))
    }
}

/// An HTTP/1.1 client (hyper-util's legacy client).
pub(crate) fn client() -> Client<HttpConnector, Full<Bytes>> {
    Client::builder(TokioExecutor::new()).build_http()
}

/// An HTTP/2 client with prior knowledge (no upgrade, no TLS).
pub(crate) fn h2_client() -> Client<HttpConnector, Full<Bytes>> {
    Client::builder(TokioExecutor::new())
        .http2_only(true)
        .build_http()
}

/// Sends `request` with `client`, reading the whole response.
pub(crate) async fn send_with(
    client: &Client<HttpConnector, Full<Bytes>>,
    request: Request<Full<Bytes>>,
) -> Reply {
    let exchange = async {
        let response = client.request(request).await.expect("a response");
        let version = response.version();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("a whole body")
            .to_bytes();
        Reply {
            version,
            status,
            headers,
            body: String::from_utf8(body.to_vec()).expect("a UTF-8 body"),
        }
    };
    tokio::time::timeout(DEADLINE, exchange)
        .await
        .expect("the exchange ends within the deadline")
}

/// Sends `request` on a fresh HTTP/1.1 client.
pub(crate) async fn send(request: Request<Full<Bytes>>) -> Reply {
    send_with(&client(), request).await
}

/// A request with no body.
pub(crate) fn empty(method: Method, url: &str) -> Request<Full<Bytes>> {
    request(method, url, &[], "")
}

/// A request with `headers` and `body`.
pub(crate) fn request(
    method: Method,
    url: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Request<Full<Bytes>> {
    let mut builder = Request::builder().method(method).uri(url);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder
        .body(Full::new(Bytes::from(body.to_owned())))
        .expect("a valid request")
}

/// `GET url`, with `headers`.
pub(crate) async fn get(url: &str, headers: &[(&str, &str)]) -> Reply {
    send(request(Method::GET, url, headers, "")).await
}

/// `method url` with a body of `content_type`.
pub(crate) async fn send_body(method: Method, url: &str, content_type: &str, body: &str) -> Reply {
    send(request(
        method,
        url,
        &[(header::CONTENT_TYPE.as_str(), content_type)],
        body,
    ))
    .await
}

/// Writes `bytes` on a new connection to `addr` and reads until the server
/// closes it (send `Connection: close`), within the deadline.
pub(crate) async fn raw_exchange(addr: SocketAddr, bytes: &[u8]) -> String {
    let exchange = async {
        let mut stream = TcpStream::connect(addr).await.expect("a connection");
        stream
            .write_all(bytes)
            .await
            .expect("the request is written");
        let mut out = Vec::new();
        // A server that answers before reading the whole body may reset
        // the connection after its answer: what was read still counts.
        let _ = stream.read_to_end(&mut out).await;
        String::from_utf8_lossy(&out).into_owned()
    };
    tokio::time::timeout(DEADLINE, exchange)
        .await
        .expect("the exchange ends within the deadline")
}
