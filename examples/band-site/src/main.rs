//! The band site: a musician's website, its API and the API's docs.
//!
//! ```text
//! cargo run -p band-site                         # http://127.0.0.1:8080/, data in ./band-site-data
//! cargo run -p band-site -- tokens               # the owner's API token
//! cargo run -p band-site -- backup site.db       # an online backup of the database
//! cargo run -p band-site -- --catalogue my.toml --base-path /band --trust-proxy
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
//! (`PALE_BASE_PATH`), `--trust-proxy` (`PALE_TRUST_PROXY=1`).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use band_site::{Options, SiteConfig};
use licensing::store::{DATABASE_FILE, TOKENS_FILE, read_tokens};
use pale_server::Server;
use tracing_subscriber::EnvFilter;

const USAGE: &str = "usage: band-site [serve|tokens|backup FILE] [options]

  serve        serve the site (the default)
  tokens       print the owner's API token
  backup FILE  copy the database to FILE, safely while the site runs

options (and the environment variables that set them):
  --addr HOST:PORT    where to listen (PALE_ADDR; default 127.0.0.1:8080)
  --data DIR          the data directory (PALE_DATA; default ./band-site-data)
  --catalogue FILE    the catalogue (PALE_CATALOGUE; default: the example built in)
  --base-path /PREFIX serve the site under a path prefix (PALE_BASE_PATH)
  --trust-proxy       believe Forwarded / X-Forwarded-* headers (PALE_TRUST_PROXY=1)";

#[derive(Debug, PartialEq, Eq)]
enum Command {
    Serve,
    Tokens,
    Backup(PathBuf),
    Help,
}

#[derive(Debug)]
struct Cli {
    command: Command,
    addr: String,
    options: Options,
}

/// The environment variables the options read.
#[derive(Default)]
struct Env {
    addr: Option<String>,
    data: Option<String>,
    catalogue: Option<String>,
    base_path: Option<String>,
    trust_proxy: Option<String>,
}

impl Env {
    fn read() -> Self {
        let var = |name| std::env::var(name).ok().filter(|v: &String| !v.is_empty());
        Self {
            addr: var("PALE_ADDR"),
            data: var("PALE_DATA"),
            catalogue: var("PALE_CATALOGUE"),
            base_path: var("PALE_BASE_PATH"),
            trust_proxy: var("PALE_TRUST_PROXY"),
        }
    }
}

fn parse(args: &[String], env: Env) -> Result<Cli, String> {
    let mut command = None;
    let (mut addr, mut data, mut catalogue, mut base_path) = (None, None, None, None);
    let mut trust_proxy = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value.to_owned())),
            _ => (arg.as_str(), None),
        };
        let mut value = |what: &str| {
            inline
                .clone()
                .or_else(|| args.next().cloned())
                .ok_or_else(|| format!("`{name}` needs {what}"))
        };
        match name {
            "-h" | "--help" => command = Some(Command::Help),
            "serve" if command.is_none() => command = Some(Command::Serve),
            "tokens" if command.is_none() => command = Some(Command::Tokens),
            "backup" if command.is_none() => {
                command = Some(Command::Backup(PathBuf::from(value("a file")?)));
            }
            "--addr" => addr = Some(value("a value, such as 127.0.0.1:8080")?),
            "--data" => data = Some(value("a directory")?),
            "--catalogue" => catalogue = Some(value("a file")?),
            "--base-path" => base_path = Some(value("a path, such as /band")?),
            "--trust-proxy" => trust_proxy = true,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    let addr = addr
        .or(env.addr)
        .unwrap_or_else(|| "127.0.0.1:8080".to_owned());
    if addr
        .rsplit_once(':')
        .is_none_or(|(_, port)| port.parse::<u16>().is_err())
    {
        return Err(format!("`{addr}` is not HOST:PORT, such as 127.0.0.1:8080"));
    }
    let trust_proxy = trust_proxy
        || env
            .trust_proxy
            .is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes"));
    let base_path =
        SiteConfig::normalise_base_path(base_path.or(env.base_path).as_deref().unwrap_or(""))?;
    Ok(Cli {
        command: command.unwrap_or(Command::Serve),
        addr,
        options: Options {
            data_dir: PathBuf::from(
                data.or(env.data)
                    .unwrap_or_else(|| "./band-site-data".to_owned()),
            ),
            catalogue: catalogue.or(env.catalogue).map(PathBuf::from),
            site: SiteConfig {
                base_path,
                trust_proxy,
            },
        },
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cli = match parse(&args, Env::read()) {
        Ok(cli) => cli,
        Err(message) => {
            eprintln!("band-site: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match &cli.command {
        Command::Help => {
            println!("{USAGE}");
            Ok(())
        }
        Command::Tokens => tokens(&cli.options),
        Command::Backup(file) => backup(&cli.options, file),
        Command::Serve => serve(&cli).await,
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
/// `file` and renamed into place.
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

async fn serve(cli: &Cli) -> Result<(), String> {
    let options = &cli.options;
    let started = band_site::start(options)?;
    let report = &started.report;
    tracing::info!("catalogue imported: {report}");
    for removal in &report.removals {
        tracing::warn!("{removal}");
    }
    if report.created_artist {
        tracing::info!("the owner's account was created: `band-site tokens` prints its token");
    }
    let server = Server::bind(&cli.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", cli.addr))?;
    let local = server.local_addr().map_err(|e| e.to_string())?;
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
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn options_come_from_flags_then_the_environment_then_defaults() {
        let cli = parse(&args(&[]), Env::default()).unwrap();
        assert_eq!(cli.command, Command::Serve);
        assert_eq!(cli.addr, "127.0.0.1:8080");
        assert_eq!(cli.options.data_dir, PathBuf::from("./band-site-data"));
        assert_eq!(cli.options.catalogue, None);
        assert_eq!(cli.options.site, SiteConfig::default());

        let env = Env {
            addr: Some("0.0.0.0:1".into()),
            data: Some("/env".into()),
            catalogue: Some("/env/c.toml".into()),
            base_path: Some("/env-base".into()),
            trust_proxy: Some("1".into()),
        };
        let cli = parse(
            &args(&["backup", "out.db", "--data=/x", "--base-path", "band/"]),
            env,
        )
        .unwrap();
        assert_eq!(cli.command, Command::Backup(PathBuf::from("out.db")));
        assert_eq!(cli.addr, "0.0.0.0:1");
        assert_eq!(cli.options.data_dir, PathBuf::from("/x"));
        assert_eq!(cli.options.catalogue, Some(PathBuf::from("/env/c.toml")));
        assert_eq!(cli.options.site.base_path, "/band");
        assert!(cli.options.site.trust_proxy);

        assert!(parse(&args(&["--addr", "nope"]), Env::default()).is_err());
        assert!(parse(&args(&["frobnicate"]), Env::default()).is_err());
        assert!(parse(&args(&["backup"]), Env::default()).is_err());
        assert!(parse(&args(&["--base-path", "/a/../b"]), Env::default()).is_err());
        assert_eq!(
            parse(&args(&["tokens", "--trust-proxy"]), Env::default())
                .unwrap()
                .command,
            Command::Tokens
        );
    }
}
