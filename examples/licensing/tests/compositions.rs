//! Compositions end to end, through the real binary over loopback: the
//! admin's bulk import (`POST /api/admin/compositions`: all or nothing, a
//! bad row a 422 that points at it, admins only), the CSV import of the
//! command line (`licensing import-compositions`), and what the search
//! and the match answer afterwards (the exact title first; punctuation,
//! quotes and query operators are words, never a 500).
//!
//! On SQLite in a temporary directory, or on PostgreSQL when
//! `PALE_TEST_DATABASE_URL` names a server (as the store tests).

mod common;

use std::path::Path;
use std::process::Command;

use http::StatusCode;
use serde_json::{Value, json};

use common::{PgDatabase, TempDir, Tokens, database_url};

#[path = "support/running.rs"]
mod running;
use running::{BIN, Running, tokens_with};

/// Where a test's data lives: a directory, and a PostgreSQL database when
/// the run names a server (its `--database` arguments in `args`).
struct Target {
    dir: TempDir,
    args: Vec<String>,
    _pg: Option<PgDatabase>,
}

impl Target {
    async fn new(label: &str) -> Self {
        let dir = TempDir::new(label);
        let pg = match database_url() {
            Some(url) => Some(PgDatabase::create(&url, label).await),
            None => None,
        };
        let args = pg
            .as_ref()
            .map(|pg| vec!["--database".to_owned(), pg.url.clone()])
            .unwrap_or_default();
        Self { dir, args, _pg: pg }
    }

    fn extra(&self) -> Vec<&str> {
        self.args.iter().map(String::as_str).collect()
    }

    fn tokens(&self) -> Tokens {
        tokens_with(self.dir.path(), &self.extra());
        Tokens::from_issued(&licensing::store::read_tokens(self.dir.path()).expect("tokens"))
    }

    async fn serve(&self) -> Running {
        Running::start_with(self.dir.path(), &self.extra()).await
    }

    /// `licensing import-compositions FILE`: success, stdout, stderr.
    fn import(&self, file: &Path) -> (bool, String, String) {
        let out = Command::new(BIN)
            .args(["import-compositions", "--data"])
            .arg(self.dir.path())
            .args(&self.args)
            .arg(file)
            .env("RUST_LOG", "warn")
            .output()
            .expect("the binary runs");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

/// `text` percent-encoded for a query string (every byte but the
/// unreserved ones).
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn row(title: &str, iswc: Option<&str>, shares: &[(&str, u32)]) -> Value {
    json!({
        "title": title,
        "iswc": iswc,
        "writers": ["Ana Writer", "Bo Writer"],
        "released": true,
        "publishers": shares
            .iter()
            .map(|(name, bp)| json!({ "name": name, "share_bp": bp }))
            .collect::<Vec<_>>(),
    })
}

async fn total(server: &Running, q: &str) -> i64 {
    let reply = server
        .client
        .get(format!("/api/compositions?per_page=1&q={q}"))
        .await;
    assert_eq!(reply.status(), StatusCode::OK, "{}", reply.text());
    reply.json::<Value>()["total"].as_i64().expect("a total")
}

async fn titles_matched(server: &Running, title: &str) -> Vec<String> {
    let reply = server
        .client
        .get(format!("/api/compositions/match?title={}", encode(title)))
        .await;
    assert_eq!(
        reply.status(),
        StatusCode::OK,
        "{title:?}: {}",
        reply.text()
    );
    reply
        .json::<Vec<Value>>()
        .iter()
        .map(|c| {
            c["composition"]["title"]
                .as_str()
                .expect("a title")
                .to_owned()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn admins_import_compositions_all_or_nothing() {
    let target = Target::new("e2e-import").await;
    let tokens = target.tokens();
    let server = target.serve().await;
    let path = "/api/admin/compositions";
    let batch = json!({ "compositions": [
        row("Quokka Lullaby", Some("T-034.524.680-1"), &[("Marsupial Music", 10_000)]),
        row("Quokka Lullaby (Reprise)", None, &[("A", 2_500), ("B", 7_500)]),
    ]});
    // Only admins: anonymous 401, an artist 403, and nothing written.
    let anonymous = server.client.post(path).json(&batch).await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let artist = server
        .client
        .post(path)
        .bearer(&tokens.maren)
        .json(&batch)
        .await;
    assert_eq!(artist.status(), StatusCode::FORBIDDEN, "{}", artist.text());
    assert_eq!(total(&server, "quokka").await, 0);

    let reply = server
        .client
        .post(path)
        .bearer(&tokens.admin)
        .json(&batch)
        .await;
    assert_eq!(reply.status(), StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json::<Value>(), json!({ "imported": 2 }));
    let listed = server.client.get("/api/compositions?q=quokka%20lull").await;
    let listed = listed.json::<Value>();
    assert_eq!(listed["total"], 2);
    assert_eq!(
        listed["items"][1]["publishers"][0],
        json!({"name": "B", "share_pct": 75.0})
    );
    assert_eq!(
        titles_matched(&server, "quokka lullaby!").await,
        ["Quokka Lullaby", "Quokka Lullaby (Reprise)"]
    );

    // A bad row (shares of 99%) is a 422 pointing at it; the good rows
    // before it are not written.
    let bad = json!({ "compositions": [
        row("Wombat Waltz", None, &[("A", 10_000)]),
        row("Wombat Waltz II", None, &[("A", 9_900)]),
    ]});
    let reply = server
        .client
        .post(path)
        .bearer(&tokens.admin)
        .json(&bad)
        .await;
    assert_eq!(
        reply.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.text()
    );
    let problem = reply.json::<Value>();
    let errors = problem["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1, "{problem}");
    assert_eq!(
        errors[0]["pointer"], "/compositions/1/publishers",
        "{problem}"
    );
    // A taken ISWC, and an ISWC twice in one batch, point at their rows.
    let taken = json!({ "compositions": [
        row("Wombat Waltz", None, &[("A", 10_000)]),
        row("Numbat Nocturne", Some("T-034.524.680-1"), &[("A", 10_000)]),
    ]});
    let reply = server
        .client
        .post(path)
        .bearer(&tokens.admin)
        .json(&taken)
        .await;
    assert_eq!(reply.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reply.json::<Value>()["errors"][0]["pointer"],
        "/compositions/1/iswc"
    );
    // A row the request's own rules refuse (a blank title) is a 422 too.
    let blank = json!({ "compositions": [row("", None, &[("A", 10_000)])] });
    let reply = server
        .client
        .post(path)
        .bearer(&tokens.admin)
        .json(&blank)
        .await;
    assert_eq!(reply.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reply.json::<Value>()["errors"][0]["pointer"],
        "/compositions/0/title"
    );
    assert_eq!(total(&server, "wombat").await, 0);
    assert_eq!(total(&server, "numbat").await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_command_line_imports_a_csv_file() {
    let target = Target::new("e2e-csv").await;
    target.tokens();
    let good = target.dir.path().join("good.csv");
    std::fs::write(
        &good,
        "title,iswc,released,writers,publishers\n\
         Bilby Blues,,true,Ana Writer;Bo Writer,North=5000;South=5000\n\
         \"Bilby Blues, Again\",T-034.524.680-1,false,Ana Writer,North=10000\n\
         Echidna Echo,,1,Cy Writer,\"East, West=10000\"\n",
    )
    .expect("write the CSV");
    let (ok, stdout, stderr) = target.import(&good);
    assert!(ok, "{stderr}");
    assert!(
        stdout.starts_with(&format!("imported 3 compositions from {}", good.display())),
        "{stdout}"
    );
    // A bad line is named, and nothing of the file is written.
    let bad = target.dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "title,iswc,released,writers,publishers\n\
         Platypus Polka,,true,Ana Writer,North=10000\n\
         Platypus Polka II,,true,Ana Writer,North=6000;South=3000\n",
    )
    .expect("write the CSV");
    let (ok, _, stderr) = target.import(&bad);
    assert!(!ok);
    assert!(
        stderr.contains(&format!(
            "{}: line 3: publishers: shares must sum to 10000 (100%), not 9000; nothing was imported",
            bad.display()
        )),
        "{stderr}"
    );
    let shape = target.dir.path().join("shape.csv");
    std::fs::write(
        &shape,
        "title,iswc,released,writers,publishers\nX,,perhaps,W,P=10000\n",
    )
    .expect("write the CSV");
    let (ok, _, stderr) = target.import(&shape);
    assert!(!ok);
    assert!(
        stderr.contains("line 2: released: \"perhaps\" is not true or false"),
        "{stderr}"
    );

    let server = target.serve().await;
    assert_eq!(total(&server, "bilby").await, 2);
    assert_eq!(total(&server, "echidna").await, 1);
    assert_eq!(total(&server, "platypus").await, 0);
    let reply = server.client.get("/api/compositions?q=echidna").await;
    assert_eq!(
        reply.json::<Value>()["items"][0]["publishers"],
        json!([{ "name": "East, West", "share_pct": 100.0 }])
    );
    assert_eq!(
        titles_matched(&server, "BILBY BLUES").await[0],
        "Bilby Blues"
    );
}

/// Whatever a caller types into a search or a match is words to find: a
/// table of inputs that are query syntax on one engine or the other, all
/// answered 200, none a 500.
#[tokio::test(flavor = "multi_thread")]
async fn query_syntax_in_searches_is_never_an_error() {
    let target = Target::new("e2e-syntax").await;
    target.tokens();
    let server = target.serve().await;
    for typed in [
        "\"",
        "\"\"",
        "*",
        "**",
        "AND",
        "OR",
        "NOT",
        "NEAR(a b, 2)",
        "a:*",
        "!",
        "&|!",
        "(",
        ")",
        "title_key:x",
        "'",
        "''",
        "\\",
        "%",
        "_",
        "-",
        "^a",
        "{a b}",
        "a + b",
        "ö",
        "日本語",
        "😀",
        "Hallelujah\" OR \"1",
        "Jolene' & 'x",
    ] {
        let reply = server
            .client
            .get(format!("/api/compositions/match?title={}", encode(typed)))
            .await;
        assert_eq!(
            reply.status(),
            StatusCode::OK,
            "match {typed:?}: {}",
            reply.text()
        );
        let reply = server
            .client
            .get(format!("/api/compositions?q={}", encode(typed)))
            .await;
        assert_eq!(
            reply.status(),
            StatusCode::OK,
            "list {typed:?}: {}",
            reply.text()
        );
    }
    assert_eq!(
        titles_matched(&server, "hallelujah\" OR \"1").await[0],
        "Hallelujah"
    );
    assert_eq!(titles_matched(&server, "halelujah").await[0], "Hallelujah");
    assert_eq!(titles_matched(&server, "  JOLENE!!  ").await[0], "Jolene");
}
