//! The load test's servers, one binary:
//!
//! ```text
//! bench-server pale  --addr 127.0.0.1:0   # GET /album through pale-server (JSON or XML by Accept)
//! bench-server axum  --addr 127.0.0.1:0   # axum 0.8: Json(Arc<PlainAlbum>)
//! bench-server axum-nodelay --addr 127.0.0.1:0   # the same, TCP_NODELAY on each connection
//! bench-server hyper --addr 127.0.0.1:0   # raw hyper: the same JSON bytes from a static buffer
//! bench-server --allocator                 # which allocator this build uses (system, mimalloc, jemalloc)
//! ```
//!
//! `--max-connections N` raises Pale's connection cap (1,024 by default)
//! for the connection storms of `bench/connections.sh`.
//!
//! Each prints `listening on ADDR` once bound (port 0 picks a free port)
//! and serves until killed. All answer `GET /album` with the same album,
//! public view; the JSON bodies are byte-identical (checked at start).
//! Every server runs on the same tokio runtime (`#[tokio::main]`), so
//! under `taskset -c 0` each has one worker thread. Each speaks HTTP/1.1
//! and HTTP/2 with prior knowledge (cleartext) on the same port: Pale's
//! `Server` and axum's `serve` with their own settings, raw hyper with
//! hyper-util's defaults. axum's `serve` leaves Nagle's algorithm on;
//! `axum-nodelay` turns it off as Pale and raw hyper do, so the HTTP/2
//! comparison can be made both ways (`bench/README.md`).

use std::convert::Infallible;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use pale_core::format::Wire;
use tokio::net::TcpListener;

// An allocator of the bench server's own, to compare with the system's
// (bench/connections.sh): cargo features of this crate only, never of the
// library crates.
#[cfg(all(feature = "mimalloc", feature = "jemalloc"))]
compile_error!("features `mimalloc` and `jemalloc` are exclusive: pick one");

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(feature = "jemalloc")]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// The allocator this build uses, as `bench-server --allocator` prints it.
const ALLOCATOR_NAME: &str = if cfg!(feature = "mimalloc") {
    "mimalloc"
} else if cfg!(feature = "jemalloc") {
    "jemalloc"
} else {
    "system"
};

fn usage() -> ! {
    eprintln!(
        "usage: bench-server <pale|axum|axum-nodelay|hyper> [--addr 127.0.0.1:0] [--max-connections N]\n       bench-server --allocator"
    );
    std::process::exit(2);
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let kind = args.next().unwrap_or_else(|| usage());
    if kind == "--allocator" {
        println!("{ALLOCATOR_NAME}");
        return Ok(());
    }
    let mut addr: SocketAddr = ([127, 0, 0, 1], 0).into();
    let mut limits = pale_server::Limits::default();
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--addr", Some(value)) => addr = value.parse().unwrap_or_else(|_| usage()),
            ("--max-connections", Some(value)) => {
                limits = limits.max_connections(value.parse().unwrap_or_else(|_| usage()));
            }
            _ => usage(),
        }
    }

    let album = bench::shared_album();
    let json = bench::render(&**album, &bench::context(None), &Wire::Json);
    let plain = Arc::new(album.to_plain());
    assert_eq!(
        json,
        serde_json::to_vec(&*plain)?,
        "the servers must send byte-identical JSON"
    );

    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let mut stdout = std::io::stdout();
    writeln!(stdout, "listening on {local}")?;
    stdout.flush()?;

    let axum_app = || {
        axum::Router::new()
            .route(
                "/album",
                axum::routing::get(
                    |axum::extract::State(album): axum::extract::State<Arc<bench::PlainAlbum>>| async move {
                        axum::Json(album)
                    },
                ),
            )
            .with_state(Arc::clone(&plain))
    };
    match kind.as_str() {
        "pale" => {
            pale_server::Server::from_listener(listener)
                .limits(limits)
                .serve(bench::api())
                .await
        }
        "axum" => axum::serve(listener, axum_app()).await,
        "axum-nodelay" => {
            use axum::serve::ListenerExt;
            let listener = listener.tap_io(|stream| {
                let _ = stream.set_nodelay(true);
            });
            axum::serve(listener, axum_app()).await
        }
        "hyper" => serve_static(listener, Bytes::from(json)).await,
        _ => usage(),
    }
}

/// Raw hyper, HTTP/1.1 or HTTP/2 with prior knowledge (hyper-util's auto
/// builder, its default settings): every request gets `body`, whatever it
/// asked.
async fn serve_static(listener: TcpListener, body: Bytes) -> std::io::Result<()> {
    loop {
        let (stream, _) = listener.accept().await?;
        let _ = stream.set_nodelay(true);
        let body = body.clone();
        tokio::spawn(async move {
            let service = service_fn(move |_request| {
                let mut response = http::Response::new(Full::new(body.clone()));
                response.headers_mut().insert(
                    http::header::CONTENT_TYPE,
                    http::HeaderValue::from_static("application/json"),
                );
                async move { Ok::<_, Infallible>(response) }
            });
            let _ = auto::Builder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}
