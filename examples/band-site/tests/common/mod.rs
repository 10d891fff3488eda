//! What the band-site tests share: a temporary directory, a dump of the
//! database, the site's options and owner token, and the site served
//! in-process on a free port with a client of it (`pale::test`). Domain
//! set-up only: requests and answers are the test client's.

#![allow(dead_code, unreachable_pub)] // each test target uses its own part

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use pale::test::TestClient;

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
/// free port (the site is more than the API: its files, redirects and
/// proxy rules are the server's); stopped (gracefully) when dropped.
pub struct Served {
    pub addr: SocketAddr,
    /// A client of it over HTTP/1.1; paths are the site's own (`/`,
    /// `/api/albums`).
    pub client: TestClient,
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
            client: TestClient::connect(addr),
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
