//! The band site: a musician's website, its API and the API's docs.
//!
//! ```text
//! cargo run -p band-site                         # http://127.0.0.1:8080/, data in ./band-site-data
//! cargo run -p band-site -- tokens               # the owner's API token
//! cargo run -p band-site -- backup site.db       # an online backup of the database
//! cargo run -p band-site -- --catalogue my.toml --base-path /band --trusted-proxy 10.0.0.2
//! ```
//!
//! Routes (under `--base-path`, if given):
//!
//! | route | what |
//! |---|---|
//! | `GET /` and every front-end file | the web front end (embedded; `index.html` for clean URLs) |
//! | `GET /covers/…` | cover art named by the catalogue |
//! | `GET /site.json` | the artist's name, bio and links, and where the API is |
//! | `/api/…` | the licensing API for the artist (see the `licensing` example) |
//! | `GET /api/openapi.json`, `GET /api/docs` | its documentation |
//! | `GET /docs` | a redirect to `/api/docs` |
//!
//! On start, the catalogue is imported into the database (see
//! `band_site::import`); the first start creates the owner's account, whose
//! token `band-site tokens` prints.
//!
//! Options: `--addr HOST:PORT` (`PALE_ADDR`, default `127.0.0.1:8080`),
//! `--data DIR` (`PALE_DATA`, default `./band-site-data`, apart from the
//! `licensing` example's `./data`), `--catalogue FILE`
//! (`PALE_CATALOGUE`, default the example built in), `--base-path /prefix`
//! (`PALE_BASE_PATH`), `--public-url https://music.example.com`
//! (`PALE_PUBLIC_URL`), `--trusted-proxy ADDR|CIDR` (`PALE_TRUSTED_PROXIES`,
//! comma-separated), `--max-connections-per-ip N`
//! (`PALE_MAX_CONNECTIONS_PER_IP`, default 128, 0 for none).
//!
//! Absolute links (cover art) use `--public-url`; without it, on requests
//! from a `--trusted-proxy`, the proxy's `Forwarded` / `X-Forwarded-*` headers;
//! without either, the address the site listens on (`http://127.0.0.1:8080`).
//! Never the client's `Host` header. Listening on every interface
//! (`0.0.0.0`, `[::]`) with neither is refused: that address is no link.

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use band_site::{Options, SiteConfig};
use clap::{Parser, Subcommand};
use licensing::store::{DATABASE_FILE, TOKENS_FILE, read_tokens};
use pale::cli::ServeArgs;
use tracing_subscriber::EnvFilter;

/// A musician's website: the web front end, the licensing API for one
/// artist and its documentation, from one binary.
#[derive(Debug, Parser)]
#[command(name = "band-site", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeArgs,
    /// The data directory (the database and the tokens file).
    #[arg(
        long,
        global = true,
        env = "PALE_DATA",
        default_value = "./band-site-data",
        value_name = "DIR"
    )]
    data: PathBuf,
    /// The catalogue (default: the example built in).
    #[arg(long, global = true, env = "PALE_CATALOGUE", value_name = "FILE")]
    catalogue: Option<PathBuf>,
    /// Serve the site under a path prefix, such as /band.
    #[arg(
        long,
        global = true,
        env = "PALE_BASE_PATH",
        default_value = "",
        value_name = "/PREFIX",
        value_parser = SiteConfig::normalise_base_path
    )]
    base_path: String,
    /// The scheme and host clients use, such as https://music.example.com,
    /// for absolute links (default: the listening address).
    #[arg(
        long,
        global = true,
        env = "PALE_PUBLIC_URL",
        value_name = "URL",
        value_parser = band_site::links::normalise_public_url
    )]
    public_url: Option<String>,
}

#[derive(Debug, PartialEq, Eq, Subcommand)]
enum Command {
    /// Serve the site (the default).
    Serve,
    /// Print the owner's API token.
    Tokens,
    /// Copy the database to FILE, safely while the site runs.
    Backup {
        /// Where to write the copy.
        file: PathBuf,
    },
}

impl Cli {
    fn options(&self) -> Options {
        Options {
            data_dir: self.data.clone(),
            catalogue: self.catalogue.clone(),
            site: SiteConfig {
                base_path: self.base_path.clone(),
                trusted_proxies: self.serve.trusted_proxies(),
                public_url: self.public_url.clone(),
            },
        }
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
    let options = cli.options();
    let result = match &cli.command {
        Some(Command::Tokens) => tokens(&options),
        Some(Command::Backup { file }) => backup(&options, file),
        None | Some(Command::Serve) => serve(&cli.serve, &options).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("band-site: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Prints the owner's token. Before the first start there is none yet:
/// then the catalogue is imported (as a start would) to make the account.
/// Once there is one, nothing is imported, so `tokens` without the
/// site's `--catalogue` never puts the example into a real database.
fn tokens(options: &Options) -> Result<(), String> {
    if !options.data_dir.join(TOKENS_FILE).exists() {
        band_site::start(options)?;
    }
    let tokens = read_tokens(&options.data_dir).map_err(|e| {
        format!(
            "cannot read the tokens in {} ({e}); a token is written once, when the \
             owner's account is made, and kept only there",
            options.data_dir.display()
        )
    })?;
    let owner = tokens
        .iter()
        .find(|t| t.artist_id.is_some())
        .ok_or("the tokens file has no owner's token")?;
    println!("{}", owner.token);
    Ok(())
}

/// Copies the database with SQLite's online backup API: a consistent
/// snapshot even while the site is writing. The copy is written beside
/// `file` and renamed into place, readable by its owner only, like the
/// database.
fn backup(options: &Options, file: &std::path::Path) -> Result<(), String> {
    let source = options.data_dir.join(DATABASE_FILE);
    if !source.is_file() {
        return Err(format!(
            "there is no database at {} (start the site once first)",
            source.display()
        ));
    }
    let conn = rusqlite::Connection::open_with_flags(
        &source,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| format!("cannot open {}: {e}", source.display()))?;
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(|e| e.to_string())?;
    let mut aside = file.as_os_str().to_owned();
    aside.push(".partial");
    let aside = PathBuf::from(aside);
    private_file(&aside).map_err(|e| format!("cannot create {}: {e}", aside.display()))?;
    conn.backup(
        rusqlite::MAIN_DB,
        &aside,
        None::<fn(rusqlite::backup::Progress)>,
    )
    .map_err(|e| format!("the backup failed: {e}"))?;
    std::fs::rename(&aside, file)
        .map_err(|e| format!("cannot move the backup to {}: {e}", file.display()))?;
    println!("backed up {} to {}", source.display(), file.display());
    Ok(())
}

/// The public URL when none is configured: the address listened on, or,
/// for every interface, none (an error without a trusted proxy, whose
/// headers then give every link).
fn default_public_url(local: SocketAddr, behind_proxy: bool) -> Result<Option<String>, String> {
    if !local.ip().is_unspecified() {
        return Ok(Some(format!("http://{local}")));
    }
    if behind_proxy {
        return Ok(None);
    }
    Err(format!(
        "listening on every interface ({local}): set --public-url (PALE_PUBLIC_URL) to the \
         address clients use, such as http://192.0.2.10:8080 or https://music.example.com, \
         or --trusted-proxy ADDR behind a proxy; links are never built from the client's Host header"
    ))
}

/// Creates `path` empty and readable by its owner only (`0600`), so a
/// copy of the database is as private as the database: SQLite writes the
/// copy into the file and gives its journal the file's mode.
fn private_file(path: &std::path::Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path)?;
    // `mode` applies only to a file it creates; a leftover keeps its own.
    #[cfg(unix)]
    file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
    Ok(())
}

async fn serve(args: &ServeArgs, options: &Options) -> Result<(), String> {
    let server = args.bind().await?;
    let local = server.local_addr().map_err(|e| e.to_string())?;
    let mut options = options.clone();
    if options.site.public_url.is_none() {
        let behind_proxy = !options.site.trusted_proxies.is_empty();
        options.site.public_url = default_public_url(local, behind_proxy)?;
    }
    let options = &options;
    let started = band_site::start(options)?;
    let report = &started.report;
    tracing::info!("catalogue imported: {report}");
    for removal in &report.removals {
        tracing::warn!("{removal}");
    }
    if report.created_artist {
        tracing::info!("the owner's account was created: `band-site tokens` prints its token");
    }
    println!(
        "band-site listening on http://{local}{}/",
        options.site.base_path
    );
    tracing::info!(
        "serving {} (data in {})",
        started.catalogue.artist.name,
        options.data_dir.display()
    );
    server
        .serve_service(started.site)
        .await
        .map_err(|e| e.to_string())?;
    tracing::info!("band-site stopped");
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("band-site").chain(args.iter().copied()))
    }

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn options_come_from_flags_in_any_position() {
        let cli = parse(&["backup", "out.db", "--data=/x", "--base-path", "band/"]).unwrap();
        assert_eq!(
            cli.command,
            Some(Command::Backup {
                file: PathBuf::from("out.db")
            })
        );
        let options = cli.options();
        assert_eq!(options.data_dir, PathBuf::from("/x"));
        assert_eq!(options.site.base_path, "/band");
        let cli = parse(&[
            "tokens",
            "--trusted-proxy",
            "10.0.0.1",
            "--catalogue",
            "c.toml",
        ])
        .unwrap();
        assert_eq!(cli.command, Some(Command::Tokens));
        let proxies = cli.options().site.trusted_proxies;
        assert!(proxies.contains("10.0.0.1".parse().unwrap()));
        assert!(!proxies.contains("10.0.0.2".parse().unwrap()));
        assert_eq!(cli.options().catalogue, Some(PathBuf::from("c.toml")));
        assert_eq!(
            parse(&["--addr", "0.0.0.0:1"]).unwrap().serve.addr,
            "0.0.0.0:1"
        );
        let cli = parse(&["--public-url", "https://Music.Example.com/"]).unwrap();
        assert_eq!(
            cli.options().site.public_url.as_deref(),
            Some("https://music.example.com")
        );
        assert_eq!(parse(&[]).unwrap().options().site.public_url, None);
    }

    #[test]
    fn without_a_public_url_links_use_the_listening_address() {
        let at = |text: &str| text.parse::<SocketAddr>().unwrap();
        assert_eq!(
            default_public_url(at("127.0.0.1:8080"), false).unwrap(),
            Some("http://127.0.0.1:8080".to_owned())
        );
        assert_eq!(
            default_public_url(at("[::1]:80"), true).unwrap(),
            Some("http://[::1]:80".to_owned())
        );
        assert_eq!(default_public_url(at("0.0.0.0:8080"), true).unwrap(), None);
        let refused = default_public_url(at("[::]:8080"), false).unwrap_err();
        assert!(refused.contains("--public-url"), "{refused}");
    }

    #[test]
    fn bad_options_are_refused() {
        #[rustfmt::skip]
        let cases: &[&[&str]] = &[
            &["--addr", "nope"],
            &["frobnicate"],
            &["backup"],
            &["--base-path", "/a/../b"],
            &["--public-url", "https://a.example/band"],
            &["--public-url", "a.example"],
            &["--trusted-proxy", "proxy.internal"],
            &["--max-connections-per-ip", "many"],
        ];
        for args in cases {
            assert!(parse(args).is_err(), "{args:?} was accepted");
        }
    }
}
