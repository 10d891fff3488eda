//! What every end-to-end test needs: a seeded store in a temporary
//! directory of its own, the API served on a loopback port, the seeded
//! tokens, and a small HTTP client. Every wait is bounded, so a broken
//! server fails a test instead of hanging it.

// Each test file uses some of these helpers, never all of them.
#![allow(dead_code)]

use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use licensing::api::{Licensing, api};
use licensing::store::{Database, IssuedToken, Role, SqliteStore, StoreConfig, read_tokens};
use pale::Server;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

#[path = "../support/temp_dir.rs"]
mod temp_dir;
pub(crate) use temp_dir::TempDir;

#[path = "../support/postgres.rs"]
mod postgres;
// `pg_database` is for the harnesses that need PostgreSQL (instances.rs).
#[allow(unused_imports)]
pub(crate) use postgres::{PgDatabase, database_url, pg_database};

/// The longest any one exchange may take before the test fails.
pub(crate) const DEADLINE: Duration = Duration::from_secs(30);

/// The seeded accounts' tokens.
#[derive(Clone, Debug)]
pub(crate) struct Tokens {
    pub(crate) admin: String,
    /// Maren Holt (artist 1 of the seed): owns "Borrowed Light" (live) and
    /// "Lantern Songs" (draft).
    pub(crate) maren: String,
    pub(crate) maren_id: i64,
    /// The Quiet Harbors: own "Old Songs, New Rooms" (live) and "Changed
    /// Words" (submitted).
    pub(crate) harbors: String,
    pub(crate) harbors_id: i64,
}

impl Tokens {
    pub(crate) fn from_issued(issued: &[IssuedToken]) -> Self {
        let find = |pred: &dyn Fn(&IssuedToken) -> bool| {
            issued
                .iter()
                .find(|t| pred(t))
                .cloned()
                .expect("a seeded account")
        };
        let admin = find(&|t| t.role == Role::Admin);
        let maren = find(&|t| t.name == "Maren Holt");
        let harbors = find(&|t| t.name == "The Quiet Harbors");
        Self {
            admin: admin.token,
            maren: maren.token,
            maren_id: maren.artist_id.expect("an artist"),
            harbors: harbors.token,
            harbors_id: harbors.artist_id.expect("an artist"),
        }
    }
}

/// The seeded albums' ids.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Albums {
    /// Maren's live album (with the 5:01 "Landslide").
    pub(crate) borrowed_light: i64,
    /// Maren's draft.
    pub(crate) lantern_songs: i64,
    /// The Quiet Harbors' live album.
    pub(crate) old_songs: i64,
    /// The Quiet Harbors' submitted album (licenses need negotiation).
    pub(crate) changed_words: i64,
}

/// A seeded service on `127.0.0.1:<free port>`.
pub(crate) struct TestServer {
    addr: SocketAddr,
    pub(crate) store: Database,
    pub(crate) tokens: Tokens,
    pub(crate) albums: Albums,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<io::Result<()>>>,
    // Dropped last: the directory and the database go once the server is
    // done with them.
    dir: TempDir,
    _pg: Option<PgDatabase>,
}

impl TestServer {
    /// A fresh seeded store, served: on SQLite in a temporary directory,
    /// or on a PostgreSQL database of its own when the run names a server
    /// (`PALE_TEST_DATABASE_URL`), so the whole suite runs on either.
    pub(crate) async fn start(label: &str) -> Self {
        let dir = TempDir::new(label);
        let (store, pg) = match database_url() {
            None => {
                let config = StoreConfig::new(dir.path());
                let store = tokio::task::spawn_blocking(move || SqliteStore::open(&config))
                    .await
                    .expect("open does not panic")
                    .expect("open a seeded store");
                (Database::from(store), None)
            }
            Some(url) => {
                let pg = PgDatabase::create(&url, label).await;
                (Database::from(pg.connect(dir.path(), true).await), Some(pg))
            }
        };
        let tokens = Tokens::from_issued(&read_tokens(dir.path()).expect("the tokens file"));
        let api = api(Licensing::new(store.clone())).expect("the API builds");
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free loopback port");
        let server = Server::from_listener(listener);
        let addr = server.local_addr().expect("a bound address");
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(server.serve_with_shutdown(api, async {
            let _ = stopped.await;
        }));
        let mut server = Self {
            addr,
            store,
            tokens,
            albums: Albums {
                borrowed_light: 0,
                lantern_songs: 0,
                old_songs: 0,
                changed_words: 0,
            },
            stop: Some(stop),
            task: Some(task),
            dir,
            _pg: pg,
        };
        server.albums = server.find_albums().await;
        server
    }

    async fn find_albums(&self) -> Albums {
        let list = self
            .get("/api/albums?per_page=100", Some(&self.tokens.admin))
            .await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        let items = list.json()["items"].clone();
        let id = |title: &str| {
            items
                .as_array()
                .expect("items")
                .iter()
                .find(|a| a["title"] == title)
                .unwrap_or_else(|| panic!("the seed has {title}: {items}"))["id"]
                .as_i64()
                .expect("an id")
        };
        Albums {
            borrowed_light: id("Borrowed Light"),
            lantern_songs: id("Lantern Songs"),
            old_songs: id("Old Songs, New Rooms"),
            changed_words: id("Changed Words"),
        }
    }

    /// The data directory.
    pub(crate) fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    /// The URL of `path` on this server.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// `GET path`, as `token` (anonymous for `None`).
    pub(crate) async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.call(Method::GET, path, token, &[], "").await
    }

    /// `method path` as `token`, with extra `headers` and `body`.
    pub(crate) async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Reply {
        send(request(method, &self.url(path), token, headers, body)).await
    }

    /// `POST path` with a JSON body, as `token`.
    pub(crate) async fn post_json(&self, path: &str, token: Option<&str>, body: &Value) -> Reply {
        self.call(
            Method::POST,
            path,
            token,
            &[("content-type", "application/json")],
            &body.to_string(),
        )
        .await
    }

    /// `PATCH path` with a merge patch and `If-Match: etag` (none for
    /// `None`), as `token`.
    pub(crate) async fn patch(
        &self,
        path: &str,
        token: Option<&str>,
        etag: Option<&str>,
        body: &Value,
    ) -> Reply {
        let mut headers = vec![("content-type", "application/merge-patch+json")];
        if let Some(etag) = etag {
            headers.push(("if-match", etag));
        }
        self.call(Method::PATCH, path, token, &headers, &body.to_string())
            .await
    }

    /// Shuts the server down and waits (bounded) until it has returned.
    pub(crate) async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            tokio::time::timeout(DEADLINE, task)
                .await
                .expect("the server stops within the deadline")
                .expect("the server task did not panic")
                .expect("the server ended without an error");
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A response, read whole.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: String,
}

impl Reply {
    /// The body as JSON.
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {} {}", self.status, self.body))
    }

    /// A header's value, if present.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(name)
            .map(|v| v.to_str().expect("an ASCII header"))
    }
}

/// An HTTP/1.1 client whose connections come from the loopback address
/// `ip` (127.0.0.0/8 is all loopback on Linux), to play another client.
pub(crate) fn client_from(ip: std::net::Ipv4Addr) -> Client<HttpConnector, Full<Bytes>> {
    let mut connector = HttpConnector::new();
    connector.set_local_address(Some(std::net::IpAddr::V4(ip)));
    Client::builder(TokioExecutor::new()).build(connector)
}

/// An HTTP/1.1 client (hyper-util's legacy client).
pub(crate) fn client() -> Client<HttpConnector, Full<Bytes>> {
    Client::builder(TokioExecutor::new()).build_http()
}

/// A request to `url` as `token`, with `headers` and `body`.
pub(crate) fn request(
    method: Method,
    url: &str,
    token: Option<&str>,
    headers: &[(&str, &str)],
    body: &str,
) -> Request<Full<Bytes>> {
    let mut builder = Request::builder().method(method).uri(url);
    if let Some(token) = token {
        builder = builder.header("authorization", format!("Bearer {token}"));
    }
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder
        .body(Full::new(Bytes::from(body.to_owned())))
        .expect("a valid request")
}

/// Sends `request` with `client`, reading the whole response.
pub(crate) async fn send_with(
    client: &Client<HttpConnector, Full<Bytes>>,
    request: Request<Full<Bytes>>,
) -> Reply {
    let exchange = async {
        let response = client.request(request).await.expect("a response");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("a whole body")
            .to_bytes();
        Reply {
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

/// The sorted keys of a JSON object.
pub(crate) fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value
        .as_object()
        .unwrap_or_else(|| panic!("an object: {value}"))
        .keys()
        .cloned()
        .collect();
    keys.sort();
    keys
}

/// `names`, sorted, as owned strings.
pub(crate) fn sorted(names: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
    names.sort();
    names
}

/// The album version an `ETag` names: `"v10"`, or a representation's
/// `"v10.<hash>"`.
pub(crate) fn version(etag: &str) -> i64 {
    etag.trim_matches('"')
        .split('.')
        .next()
        .and_then(|resource| resource.strip_prefix('v'))
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("a versioned ETag: {etag}"))
}
