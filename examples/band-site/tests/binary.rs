//! The real `band-site` binary: it starts on a free port with a temporary
//! data directory and serves the site; `tokens` prints a working owner
//! token; `backup` copies the database while the site runs; an edited
//! catalogue shows after a restart; a bad catalogue stops it with the
//! place of the mistake; SIGTERM stops it gracefully; links come from
//! `--public-url` or the listening address, never from the client's
//! `Host`.

mod common;

use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use pale::test::TestClient;
use serde_json::Value;

use common::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_band-site");

fn free_addr() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("an address")
}

/// A running `band-site`, killed when dropped.
struct Running {
    child: Child,
    addr: SocketAddr,
    /// A client of it; paths are the site's own.
    client: TestClient,
}

impl Running {
    async fn start(data: &Path, extra: &[&str]) -> Self {
        let addr = free_addr();
        let child = Command::new(BIN)
            .args(["--addr", &addr.to_string(), "--data"])
            .arg(data)
            .args(extra)
            .env("RUST_LOG", "warn")
            .env_remove("PALE_CATALOGUE")
            .env_remove("PALE_BASE_PATH")
            .env_remove("PALE_TRUSTED_PROXIES")
            .env_remove("PALE_MAX_CONNECTIONS_PER_IP")
            .env_remove("PALE_PUBLIC_URL")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts");
        let client = TestClient::connect(addr);
        let mut running = Self {
            child,
            addr,
            client,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let reply = running.client.get("/site.json").try_send().await;
            if reply.is_ok_and(|reply| reply.status() == 200) {
                return running;
            }
            if let Ok(Some(status)) = running.child.try_wait() {
                panic!("the binary exited: {status}");
            }
            assert!(Instant::now() < deadline, "the site never answered");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Sends SIGTERM and waits; the exit status and what it printed.
    fn terminate(mut self) -> Output {
        let pid = self.child.id().to_string();
        let status = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill runs");
        assert!(status.success());
        let child = std::mem::replace(
            &mut self.child,
            Command::new("true").spawn().expect("true runs"),
        );
        child.wait_with_output().expect("the binary exits")
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn run(args: &[&str], data: &Path) -> Output {
    Command::new(BIN)
        .args(args)
        .arg("--data")
        .arg(data)
        .env("RUST_LOG", "warn")
        .env_remove("PALE_CATALOGUE")
        .output()
        .expect("the binary runs")
}

#[tokio::test]
async fn it_serves_the_site_the_api_and_the_docs_and_stops_on_sigterm() {
    let data = TempDir::new("bin-serve");
    let site = Running::start(data.path(), &[]).await;
    let index = site.client.get("/").await;
    assert_eq!(index.status(), 200);
    assert_eq!(
        index.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let albums = site.client.get("/api/albums").await;
    assert_eq!(albums.status(), 200);
    assert_eq!(albums.json::<Value>()["items"].as_array().unwrap().len(), 4);
    let docs = site.client.get("/docs").await;
    assert_eq!(docs.status(), 302);
    assert_eq!(docs.header("location"), Some("/api/docs"));
    assert_eq!(site.client.get("/api/docs").await.status(), 200);

    let output = site.terminate();
    assert!(output.status.success(), "{:?}", output.status);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.starts_with("band-site listening on http://127.0.0.1:"),
        "{stdout}"
    );
}

#[tokio::test]
async fn tokens_prints_the_owners_working_token() {
    let data = TempDir::new("bin-tokens");
    let output = run(&["tokens"], data.path());
    assert!(output.status.success(), "{output:?}");
    let token = String::from_utf8(output.stdout).unwrap().trim().to_owned();
    assert!(token.starts_with("lic_") && token.len() == 68, "{token}");
    // The same token on every call: the account is made once.
    let again = run(&["tokens"], data.path());
    assert_eq!(String::from_utf8(again.stdout).unwrap().trim(), token);

    let site = Running::start(data.path(), &[]).await;
    let bearer = format!("Bearer {token}");
    let page = site
        .client
        .get("/api/albums?fields=title,revenue_cents")
        .header("Authorization", &bearer)
        .await;
    assert_eq!(page.status(), 200);
    assert!(page.json::<Value>()["items"][0]["revenue_cents"].is_u64());
}

#[tokio::test]
async fn backup_copies_the_database_while_the_site_runs() {
    let data = TempDir::new("bin-backup");
    let site = Running::start(data.path(), &[]).await;
    let copy = data.path().join("copy.db");
    let output = run(&["backup", copy.to_str().unwrap()], data.path());
    assert!(output.status.success(), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("backed up"));
    drop(site);
    let conn = rusqlite::Connection::open(&copy).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let albums: i64 = conn
        .query_row("SELECT count(*) FROM albums", [], |r| r.get(0))
        .unwrap();
    assert_eq!(albums, 4);
    assert!(!data.path().join("copy.db.partial").exists());
    // The copy, and every file of the site's own, is its owner's only.
    #[cfg(unix)]
    for entry in std::fs::read_dir(data.path()).unwrap() {
        use std::os::unix::fs::PermissionsExt;
        let entry = entry.unwrap();
        let mode = entry.metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{:?}", entry.file_name());
    }

    let nowhere = TempDir::new("bin-backup-empty");
    let output = run(&["backup", "x.db"], nowhere.path());
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("start the site once first"));
}

/// The albums' ids and titles, sorted by title.
async fn titles(site: &Running) -> Vec<(i64, String)> {
    let page = site
        .client
        .get("/api/albums?sort=title&fields=id,title")
        .await
        .json::<Value>();
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["id"].as_i64().unwrap(),
                a["title"].as_str().unwrap().to_owned(),
            )
        })
        .collect::<Vec<_>>()
}

#[tokio::test]
async fn an_edited_title_shows_after_a_restart() {
    let data = TempDir::new("bin-edit");
    let files = TempDir::new("bin-edit-files");
    let catalogue = files.path().join("catalogue.toml");
    // Covers given as URLs: a catalogue need not ship files.
    let text = band_site::catalogue::EXAMPLE
        .replace("cover = \"covers/", "cover = \"https://img.example.com/");
    std::fs::write(&catalogue, &text).unwrap();
    let args = ["--catalogue", catalogue.to_str().unwrap()];
    let site = Running::start(data.path(), &args).await;
    let before = titles(&site).await;
    drop(site);
    std::fs::write(
        &catalogue,
        text.replacen(
            "title = \"Parlour Songs\"",
            "title = \"Parlour Songs, Vol. 1\"",
            1,
        ),
    )
    .unwrap();
    let site = Running::start(data.path(), &args).await;
    let after = titles(&site).await;
    let id = before.iter().find(|(_, t)| t == "Parlour Songs").unwrap().0;
    assert!(
        after.contains(&(id, "Parlour Songs, Vol. 1".to_owned())),
        "{after:?}"
    );
    assert_eq!(after.len(), before.len());
}

#[tokio::test]
async fn a_bad_catalogue_stops_the_start_with_its_place() {
    let data = TempDir::new("bin-bad");
    let catalogue = data.path().join("mine.toml");
    std::fs::write(
        &catalogue,
        "[artist]\nname = \"X\"\n\n[[albums]]\nid = \"a\"\ntitle = \"A\"\nreleased = 2024-01-01\nprice = \"free\"\n\n[[albums.tracks]]\ntitle = \"T\"\nduration = \"1:00\"\n",
    )
    .unwrap();
    let output = Command::new(BIN)
        .args(["--addr", &free_addr().to_string(), "--catalogue"])
        .arg(&catalogue)
        .arg("--data")
        .arg(data.path().join("db"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!(
            "band-site: {}:8:9: `albums[0].price`: must be a price",
            catalogue.display()
        )),
        "{stderr}"
    );
    // The catalogue is checked before the database is touched.
    assert!(!data.path().join("db").join("licensing.db").exists());
}

#[tokio::test]
async fn links_come_from_the_configuration_never_from_the_host_header() {
    let data = TempDir::new("bin-host");
    let target = "/api/albums?fields=title,cover_art_url,links&sort=title";
    let hostile = [("Host", "evil.example")];
    let site = Running::start(data.path(), &[]).await;
    let reply = site.client.get(target).headers(hostile).await;
    assert_eq!(reply.status(), 200);
    assert!(!reply.text().contains("evil.example"), "{}", reply.text());
    assert_eq!(
        reply.json::<Value>()["items"][0]["cover_art_url"],
        format!("http://{}/covers/night-ferry-blues.svg", site.addr)
    );
    drop(site);

    let site = Running::start(data.path(), &["--public-url", "https://music.example.com/"]).await;
    let reply = site.client.get(target).headers(hostile).await;
    assert!(!reply.text().contains("evil.example"), "{}", reply.text());
    let first = &reply.json::<Value>()["items"][0];
    assert_eq!(
        first["cover_art_url"],
        "https://music.example.com/covers/night-ferry-blues.svg"
    );
    assert!(
        first["links"]["self"]
            .as_str()
            .unwrap()
            .starts_with("/api/albums/")
    );
}

#[tokio::test]
async fn every_interface_without_a_public_url_is_refused() {
    let data = TempDir::new("bin-any");
    let output = Command::new(BIN)
        .args(["--addr", "0.0.0.0:0", "--data"])
        .arg(data.path())
        .env("RUST_LOG", "warn")
        .env_remove("PALE_PUBLIC_URL")
        .env_remove("PALE_TRUSTED_PROXIES")
        .env_remove("PALE_MAX_CONNECTIONS_PER_IP")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("band-site: listening on every interface (0.0.0.0:")
            && stderr.contains("set --public-url (PALE_PUBLIC_URL)"),
        "{stderr}"
    );
}
