//! What the band-site tests share: a temporary directory, a blocking
//! HTTP/1.1 client over a real socket, a dump of the database, and the
//! site served in-process on a free port.

#![allow(dead_code, unreachable_pub)] // each test target uses its own part

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// A directory under the system's temporary directory, removed when
/// dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(label: &str) -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "band-site-{label}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create a temporary directory");
        Self(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An HTTP response, as read off the socket.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    /// Lowercase names.
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

/// Sends `head` (the request line and headers, without the final blank
/// line) exactly as written, and reads the whole response.
pub fn raw(addr: SocketAddr, method: &str, target: &str, headers: &[(&str, &str)]) -> Reply {
    try_raw(addr, method, target, headers).expect("an HTTP exchange")
}

pub fn try_raw(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
) -> std::io::Result<Reply> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut request = format!("{method} {target} HTTP/1.1\r\nConnection: close\r\n");
    if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
        request.push_str(&format!("Host: {addr}\r\n"));
    }
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes())?;
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes)?;
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no end of headers"))?;
    let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.get(9..12))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status line"))?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Ok(Reply {
        status,
        headers,
        body: bytes[split + 4..].to_vec(),
    })
}

pub fn get(addr: SocketAddr, target: &str) -> Reply {
    raw(addr, "GET", target, &[])
}

/// Every row of every table, as text, sorted: two dumps are equal when
/// the databases hold the same data.
pub fn dump(db: &Path) -> BTreeMap<String, Vec<String>> {
    let conn = rusqlite::Connection::open(db).expect("open the database");
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables
        .into_iter()
        .map(|table| {
            let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
            let columns = stmt.column_count();
            let mut rows: Vec<String> = stmt
                .query_map([], |r| {
                    let values: Vec<String> = (0..columns)
                        .map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap()))
                        .collect();
                    Ok(values.join(" | "))
                })
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            rows.sort();
            (table, rows)
        })
        .collect()
}

/// The site, started as the binary starts it and served in-process on a
/// free port; stopped (gracefully) when dropped.
pub struct Served {
    pub addr: SocketAddr,
    pub started_report: band_site::ImportReport,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Served {
    /// The site with `options` as they are (no public URL unless they say
    /// one).
    pub fn start(options: &band_site::Options) -> Self {
        Self::start_with(options, false)
    }

    /// The site as the binary serves it: without a public URL in
    /// `options`, its own address (`http://127.0.0.1:PORT`) is the one.
    pub fn start_at_own_url(options: &band_site::Options) -> Self {
        Self::start_with(options, true)
    }

    fn start_with(options: &band_site::Options, own_url: bool) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let mut options = options.clone();
        if own_url && options.site.public_url.is_none() {
            options.site.public_url = Some(format!("http://{addr}"));
        }
        let started = band_site::start(&options).expect("the site starts");
        let proxies = options.site.trusted_proxies;
        let report = started.report.clone();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                pale::Server::from_listener(listener)
                    .trusted_proxies(proxies)
                    .serve_service_with_shutdown(started.site, async {
                        let _ = stopped.await;
                    })
                    .await
                    .unwrap();
            });
        });
        Self {
            addr,
            started_report: report,
            stop: Some(stop),
            thread: Some(thread),
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The test client's own address (127.0.0.1) as the trusted proxy.
pub fn loopback_proxy() -> pale::TrustedProxies {
    pale::TrustedProxies::new([pale::parse_proxy("127.0.0.1").unwrap()])
}

/// Options for a site over `data` with the example catalogue.
pub fn options(data: &Path) -> band_site::Options {
    band_site::Options {
        data_dir: data.to_owned(),
        catalogue: None,
        site: band_site::SiteConfig::default(),
    }
}

/// The owner's token from the tokens file in `data`.
pub fn owner_token(data: &Path) -> String {
    licensing::store::read_tokens(data)
        .expect("a tokens file")
        .into_iter()
        .find(|t| t.artist_id.is_some())
        .expect("an owner")
        .token
}
