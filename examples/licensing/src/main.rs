//! The licensing service.
//!
//! ```text
//! cargo run -p licensing                      # serve on 127.0.0.1:8080, data in ./data
//! cargo run -p licensing -- tokens            # the seeded accounts and their tokens
//! cargo run -p licensing -- check             # kept sales totals = the lines' sums?
//! cargo run -p licensing -- import-compositions catalogue.csv   # bulk load, all or nothing
//! cargo run -p licensing -- openapi --audience owner > openapi.json
//! cargo run -p licensing -- openapi --version 3.0 > openapi-3.0.json
//! cargo run -p licensing -- serve --addr 0.0.0.0:9000 --data /var/lib/licensing
//! cargo run -p licensing -- serve --database postgres://licensing@db/licensing
//! ```
//!
//! Routes, under `/api` (all in JSON and XML; reads take `fields=`):
//!
//! | route | who |
//! |---|---|
//! | `GET /albums` (`q`, `page`, `per_page`, `sort`) | anyone (drafts: their artist) |
//! | `GET /albums/{album_id}` | anyone; the artist also sees status, sales, licenses |
//! | `POST /albums`, `PATCH /albums/{album_id}` (`If-Match`), `DELETE /albums/{album_id}` | the artist |
//! | `POST /albums/{album_id}/tracks`, `PATCH /albums/{album_id}/tracks/{number}` (`If-Match`: the album's), `DELETE /albums/{album_id}/tracks/{number}` | the artist (drafts) |
//! | `POST /albums/{album_id}/submit` | the artist |
//! | `GET /albums/{album_id}/licenses`, `GET /albums/{album_id}/statements/{month}` | the artist, admins |
//! | `GET /artists/{artist_id}`, `GET /artists/{artist_id}/albums` (`page`, `per_page`) | anyone |
//! | `GET /compositions` (`q`, `page`, `per_page`), `GET /compositions/match` (`title`, `artist`, `writers`) | anyone |
//! | `POST /admin/sales`, `POST /admin/compositions` (a batch, all or nothing), `POST /admin/licenses/{license_id}/activate`, `POST /admin/albums/{album_id}/publish` | admins |
//!
//! Writes check who may write the album (404, 403) before `If-Match`
//! (428 without it on a `PATCH`, 412 stale; a `DELETE` honours it when
//! sent), and `If-Match` before the write rules (422, 409): a stranger
//! learns nothing from a precondition. The tag is always the album's
//! `ETag`, which a track's edit moves too.
//!
//! Documentation: `GET /api/openapi.json` and `GET /api/docs`, for the
//! caller's audience (or `?audience=` below it).
//!
//! | `GET /health` | load balancers: 200 while the database answers |
//!
//! Options (`--help` lists them): `--addr HOST:PORT` (or `PALE_ADDR`,
//! default `127.0.0.1:8080`), `--data DIR` (or `PALE_DATA`, default
//! `./data`), `--database postgres://…` (or `PALE_DATABASE_URL`; without
//! it the database is SQLite in `--data`), `--pool-size N` (or
//! `PALE_POOL_SIZE`: PostgreSQL connections per instance, default 16),
//! `--read-cache` (or `PALE_READ_CACHE=1`: on PostgreSQL, cache reads until
//! any instance announces a change; see the deployment guide),
//! `--max-connections-per-ip N` (or `PALE_MAX_CONNECTIONS_PER_IP`, default
//! 128, 0 for none), `--trusted-proxy ADDR|CIDR` (or
//! `PALE_TRUSTED_PROXIES`, comma-separated: reverse proxies, exempt from
//! the per-address cap). On
//! first run an empty database is created and seeded with demo data, and
//! the accounts' tokens are written to `--data`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::builder::BoolishValueParser;
use clap::{ArgAction, Args, Parser, Subcommand};
use licensing::api::{Licensing, api};
use licensing::composition_csv;
use licensing::store::{
    Database, PgConfig, PgStore, SqliteStore, Store, StoreConfig, StoreError, read_tokens,
};
use pale::cli::{DocArgs, ServeArgs};

use tracing_subscriber::EnvFilter;

/// A cover-song licensing service on Pale: albums, covers, mechanical
/// licenses and royalties.
#[derive(Debug, Parser)]
#[command(name = "licensing", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeArgs,
    #[command(flatten)]
    storage: Storage,
}

#[derive(Debug, PartialEq, Eq, Subcommand)]
enum Command {
    /// Serve the API under /api (the default).
    Serve,
    /// Print the seeded accounts and their tokens as JSON.
    Tokens,
    /// Verify the kept sales totals against a recomputation from every
    /// sales line; exits non-zero on a difference.
    Check,
    /// Print the OpenAPI document (3.1, or 3.0.3) for an audience.
    Openapi(DocArgs),
    /// Record the compositions of a CSV file (columns title, iswc,
    /// released, writers, publishers; see the README), all in one
    /// transaction or none: a bad line is named and nothing is written.
    ImportCompositions {
        /// The CSV file.
        file: PathBuf,
    },
}

/// Where the data lives.
#[derive(Debug, Args)]
struct Storage {
    /// The data directory: the SQLite database (unless --database is
    /// given) and the tokens file of the accounts seeded here.
    #[arg(
        long,
        global = true,
        env = "PALE_DATA",
        default_value = "./data",
        value_name = "DIR"
    )]
    data: PathBuf,
    /// A PostgreSQL database to use instead of SQLite, for several
    /// instances behind a load balancer.
    #[arg(
        long,
        global = true,
        env = "PALE_DATABASE_URL",
        value_name = "postgres://USER:PASSWORD@HOST/DB",
        value_parser = postgres_url,
        hide_env_values = true
    )]
    database: Option<String>,
    /// PostgreSQL connections per instance.
    #[arg(
        long,
        global = true,
        env = "PALE_POOL_SIZE",
        default_value_t = 16,
        value_name = "N",
        value_parser = clap::value_parser!(u32).range(1..=1000)
    )]
    pool_size: u32,
    /// On PostgreSQL, keep album pages and token lookups in memory until
    /// any instance commits a change: faster reads, which may lag another
    /// instance's write by the moment its notification takes.
    #[arg(
        long,
        global = true,
        env = "PALE_READ_CACHE",
        action = ArgAction::SetTrue,
        value_parser = BoolishValueParser::new(),
        requires = "database"
    )]
    read_cache: bool,
}

/// A `postgres://` or `postgresql://` URL.
fn postgres_url(url: &str) -> Result<String, String> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(url.to_owned())
    } else {
        Err(
            "a PostgreSQL URL starts with postgres:// (SQLite needs no URL: leave \
             --database out and give --data DIR)"
                .to_owned(),
        )
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .init();
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(&cli.serve, &cli.storage).await,
        Command::Tokens => tokens(&cli.storage).await,
        Command::Check => check(&cli.storage).await,
        Command::Openapi(doc) => openapi(&doc),
        Command::ImportCompositions { file } => import_compositions(&cli.storage, &file).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("licensing: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Opens (creating, migrating and seeding as needed) the database the
/// options name.
async fn open(storage: &Storage) -> Result<Database, String> {
    let data = storage.data.clone();
    std::fs::create_dir_all(&data).map_err(|e| format!("cannot create {}: {e}", data.display()))?;
    if let Some(url) = &storage.database {
        let config = PgConfig::new(url, &data)
            .max_connections(storage.pool_size)
            .read_cache(storage.read_cache);
        return PgStore::connect(&config)
            .await
            .map(Database::from)
            .map_err(|e| format!("cannot open the PostgreSQL database: {e}"));
    }
    let config = StoreConfig::new(&data);
    let opened = tokio::task::spawn_blocking(move || SqliteStore::open(&config))
        .await
        .map_err(|e| e.to_string())?;
    opened
        .map(Database::from)
        .map_err(|e| format!("cannot open the database in {}: {e}", data.display()))
}

async fn tokens(storage: &Storage) -> Result<(), String> {
    open(storage).await?;
    let tokens = read_tokens(&storage.data).map_err(|e| {
        format!(
            "cannot read the tokens in {}: {e} (they are written where the database was seeded)",
            storage.data.display()
        )
    })?;
    let json = serde_json::to_string_pretty(&tokens).map_err(|e| e.to_string())?;
    println!("{json}");
    Ok(())
}

/// Recomputes the sales totals from the lines and compares them with the
/// kept ones: a line per difference on stderr and a failure if there is
/// any, a summary on stdout otherwise.
async fn check(storage: &Storage) -> Result<(), String> {
    let store = open(storage).await?;
    let found = store
        .verify_totals()
        .await
        .map_err(|e| format!("cannot verify the sales totals: {e}"))?;
    if !found.is_sound() {
        for mismatch in &found.mismatches {
            eprintln!("mismatch: {mismatch}");
        }
        return Err(format!(
            "the kept sales totals or album or composition counts differ from a recomputation \
             ({} difference(s) listed)",
            found.mismatches.len()
        ));
    }
    println!(
        "sales totals ok: {} albums and {} album-month-track totals equal a recomputation from the lines; \
         album and composition counts equal a recount",
        found.albums, found.months
    );
    Ok(())
}

/// Records the compositions of a CSV file in one transaction; a bad line
/// (its shape here, its rules in the store) is named by its number.
async fn import_compositions(storage: &Storage, file: &std::path::Path) -> Result<(), String> {
    let input =
        std::fs::File::open(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let rows = composition_csv::read(std::io::BufReader::new(input))
        .map_err(|e| format!("{}: {e}", file.display()))?;
    let store = open(storage).await?;
    let started = std::time::Instant::now();
    let imported = store.import_compositions(rows).await.map_err(|e| match e {
        StoreError::Invalid { field, reason } => row_error(file, &field, &reason),
        other => format!("cannot import the compositions: {other}"),
    })?;
    println!(
        "imported {imported} compositions from {} in {:.1} s",
        file.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// A store's `/3/publishers` error as the CSV line and column it is about.
fn row_error(file: &std::path::Path, field: &str, reason: &str) -> String {
    let mut parts = field.trim_start_matches('/').splitn(2, '/');
    let row = parts.next().and_then(|r| r.parse::<usize>().ok());
    let column = parts.next().unwrap_or("");
    match row {
        Some(i) => format!(
            "{}: line {}: {column}: {reason}; nothing was imported",
            file.display(),
            composition_csv::line_of_row(i)
        ),
        None => format!("{}: {reason}; nothing was imported", file.display()),
    }
}

/// Prints the OpenAPI document. The API needs a store to exist, so one is
/// made in a temporary directory and removed: the document depends only on
/// the declarations, whichever database serves them.
fn openapi(doc: &DocArgs) -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("licensing-openapi-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let result = (|| {
        let store =
            SqliteStore::open(&StoreConfig::new(&dir).seed(false)).map_err(|e| e.to_string())?;
        let api = api(Licensing::new(store)).map_err(|e| e.to_string())?;
        let document = doc.document(&api);
        serde_json::to_string_pretty(&document).map_err(|e| e.to_string())
    })();
    let _ = std::fs::remove_dir_all(&dir);
    println!("{}", result?);
    Ok(())
}

async fn serve(args: &ServeArgs, storage: &Storage) -> Result<(), String> {
    let store = open(storage).await?;
    let engine = store.engine();
    let api = api(Licensing::new(store)).map_err(|e| e.to_string())?;
    let server = args.bind().await?;
    let local = server.local_addr().map_err(|e| e.to_string())?;
    tracing::info!(
        "licensing listening on http://{local}/api (database: {engine}, data in {})",
        storage.data.display()
    );
    server.serve(api).await.map_err(|e| e.to_string())?;
    tracing::info!("licensing stopped");
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use pale::cli::{DocAudience, DocVersion};

    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("licensing").chain(args.iter().copied()))
    }

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn options_come_from_flags_in_any_position() {
        let cli = parse(&["tokens", "--data", "/tmp/x"]).unwrap();
        assert_eq!(cli.command, Some(Command::Tokens));
        assert_eq!(cli.storage.data, PathBuf::from("/tmp/x"));
        let cli = parse(&["--addr=127.0.0.1:9", "serve"]).unwrap();
        assert_eq!(cli.serve.addr, "127.0.0.1:9");
        let cli = parse(&[
            "serve",
            "--database",
            "postgres://u@db/licensing",
            "--pool-size",
            "4",
        ])
        .unwrap();
        assert_eq!(
            cli.storage.database.as_deref(),
            Some("postgres://u@db/licensing")
        );
        assert_eq!(cli.storage.pool_size, 4);
        let cli = parse(&["openapi", "--audience", "owner"]).unwrap();
        assert_eq!(
            cli.command,
            Some(Command::Openapi(DocArgs {
                audience: DocAudience::Owner,
                version: DocVersion::V3_1,
                json_only: false,
            }))
        );
        assert_eq!(DocAudience::Full.audience(), None);
        assert_eq!(
            parse(&["openapi"]).unwrap().command,
            Some(Command::Openapi(DocArgs {
                audience: DocAudience::Public,
                version: DocVersion::V3_1,
                json_only: false,
            }))
        );
        assert_eq!(
            parse(&["openapi", "--version", "3.0"]).unwrap().command,
            Some(Command::Openapi(DocArgs {
                audience: DocAudience::Public,
                version: DocVersion::V3_0,
                json_only: false,
            }))
        );
    }

    #[test]
    fn bad_options_are_refused() {
        #[rustfmt::skip]
        let cases: &[&[&str]] = &[
            &["--addr", "nope"],
            &["--addr", ":80"],
            &["frobnicate"],
            &["openapi", "--audience", "root"],
            &["serve", "--audience", "owner"],
            &["--database", "sqlite://data/licensing.db"],
            &["--pool-size", "0"],
            &["--read-cache"],
        ];
        for args in cases {
            assert!(parse(args).is_err(), "{args:?} was accepted");
        }
    }
}
