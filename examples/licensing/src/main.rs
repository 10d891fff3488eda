//! The licensing service.
//!
//! ```text
//! cargo run -p licensing                      # serve on 127.0.0.1:8080, data in ./data
//! cargo run -p licensing -- tokens            # the seeded accounts and their tokens
//! cargo run -p licensing -- openapi --audience owner > openapi.json
//! cargo run -p licensing -- serve --addr 0.0.0.0:9000 --data /var/lib/licensing
//! ```
//!
//! Routes, under `/api` (all in JSON and XML; reads take `fields=`):
//!
//! | route | who |
//! |---|---|
//! | `GET /albums` (`q`, `page`, `per_page`, `sort`) | anyone (drafts: their artist) |
//! | `GET /albums/{album_id}` | anyone; the artist also sees status, sales, licenses |
//! | `POST /albums`, `PATCH /albums/{album_id}` (`If-Match`), `DELETE /albums/{album_id}` | the artist |
//! | `POST /albums/{album_id}/tracks`, `PATCH`/`DELETE /albums/{album_id}/tracks/{number}` | the artist (drafts) |
//! | `POST /albums/{album_id}/submit` | the artist |
//! | `GET /albums/{album_id}/licenses`, `GET /albums/{album_id}/statements/{month}` | the artist, admins |
//! | `GET /artists/{artist_id}`, `GET /artists/{artist_id}/albums` | anyone |
//! | `GET /compositions` (`q`), `GET /compositions/match` (`title`, `artist`, `writers`) | anyone |
//! | `POST /admin/sales`, `POST /admin/licenses/{license_id}/activate`, `POST /admin/albums/{album_id}/publish` | admins |
//!
//! Documentation: `GET /api/openapi.json` and `GET /api/docs`, for the
//! caller's audience (or `?audience=` below it).
//!
//! Options: `--addr HOST:PORT` (or `PALE_ADDR`, default `127.0.0.1:8080`),
//! `--data DIR` (or `PALE_DATA`, default `./data`). On first run the
//! database is created and seeded with demo data.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use licensing::api::{Licensing, api};
use licensing::store::{SqliteStore, StoreConfig, read_tokens};
use pale_core::Audience;
use pale_server::Server;
use tracing_subscriber::EnvFilter;

const USAGE: &str =
    "usage: licensing [serve|tokens|openapi] [--addr HOST:PORT] [--data DIR] [--audience A]

  serve    serve the API under /api (the default)
  tokens   print the seeded accounts and their tokens as JSON
  openapi  print the OpenAPI 3.1 document for an audience
           (public, user, owner, admin, or full; default public)

PALE_ADDR and PALE_DATA set the address (default 127.0.0.1:8080) and the
data directory (default ./data).";

#[derive(Debug, PartialEq, Eq)]
enum Command {
    Serve,
    Tokens,
    /// `None` is the full document.
    OpenApi(Option<Audience>),
    Help,
}

#[derive(Debug)]
struct Options {
    command: Command,
    addr: String,
    data: PathBuf,
}

fn parse(
    args: &[String],
    addr_env: Option<String>,
    data_env: Option<String>,
) -> Result<Options, String> {
    let mut command = None;
    let mut audience = None;
    let mut addr = None;
    let mut data = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => command = Some(Command::Help),
            "serve" if command.is_none() => command = Some(Command::Serve),
            "tokens" if command.is_none() => command = Some(Command::Tokens),
            "openapi" if command.is_none() => {
                command = Some(Command::OpenApi(Some(Audience::Public)));
            }
            "--audience" => {
                audience = Some(args.next().ok_or("`--audience` needs a value")?.clone());
            }
            "--addr" => {
                addr = Some(
                    args.next()
                        .ok_or("`--addr` needs a value, such as 127.0.0.1:8080")?
                        .clone(),
                );
            }
            "--data" => data = Some(args.next().ok_or("`--data` needs a directory")?.clone()),
            other => {
                if let Some(v) = other.strip_prefix("--addr=") {
                    addr = Some(v.to_owned());
                } else if let Some(v) = other.strip_prefix("--data=") {
                    data = Some(v.to_owned());
                } else {
                    return Err(format!("unknown argument `{other}`"));
                }
            }
        }
    }
    let addr = addr
        .or(addr_env.filter(|a| !a.is_empty()))
        .unwrap_or_else(|| "127.0.0.1:8080".to_owned());
    if addr
        .rsplit_once(':')
        .is_none_or(|(_, port)| port.parse::<u16>().is_err())
    {
        return Err(format!("`{addr}` is not HOST:PORT, such as 127.0.0.1:8080"));
    }
    let data = data
        .or(data_env.filter(|d| !d.is_empty()))
        .unwrap_or_else(|| "./data".to_owned());
    let command = match (command, audience) {
        (Some(Command::OpenApi(_)), Some(name)) => Command::OpenApi(match name.as_str() {
            "full" => None,
            other => Some(
                Audience::from_name(other).ok_or_else(|| format!("unknown audience `{other}`"))?,
            ),
        }),
        (_, Some(_)) => return Err("`--audience` goes with `openapi`".to_owned()),
        (command, None) => command.unwrap_or(Command::Serve),
    };
    Ok(Options {
        command,
        addr,
        data: PathBuf::from(data),
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
    let options = match parse(
        &args,
        std::env::var("PALE_ADDR").ok(),
        std::env::var("PALE_DATA").ok(),
    ) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("licensing: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match options.command {
        Command::Help => {
            println!("{USAGE}");
            Ok(())
        }
        Command::Tokens => tokens(&options),
        Command::OpenApi(audience) => openapi(audience),
        Command::Serve => serve(&options).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("licensing: {message}");
            ExitCode::FAILURE
        }
    }
}

fn open(options: &Options) -> Result<SqliteStore, String> {
    std::fs::create_dir_all(&options.data)
        .map_err(|e| format!("cannot create {}: {e}", options.data.display()))?;
    SqliteStore::open(&StoreConfig::new(&options.data)).map_err(|e| {
        format!(
            "cannot open the database in {}: {e}",
            options.data.display()
        )
    })
}

fn tokens(options: &Options) -> Result<(), String> {
    open(options)?;
    let tokens = read_tokens(&options.data).map_err(|e| format!("cannot read the tokens: {e}"))?;
    let json = serde_json::to_string_pretty(&tokens).map_err(|e| e.to_string())?;
    println!("{json}");
    Ok(())
}

/// Prints the OpenAPI document. The API needs a store to exist, so one is
/// made in a temporary directory and removed: the document depends only on
/// the declarations.
fn openapi(audience: Option<Audience>) -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("licensing-openapi-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let result = (|| {
        let store =
            SqliteStore::open(&StoreConfig::new(&dir).seed(false)).map_err(|e| e.to_string())?;
        let api = api(Licensing::new(Arc::new(store))).map_err(|e| e.to_string())?;
        let document = pale_core::describe::openapi(&api, audience);
        serde_json::to_string_pretty(&document).map_err(|e| e.to_string())
    })();
    let _ = std::fs::remove_dir_all(&dir);
    println!("{}", result?);
    Ok(())
}

async fn serve(options: &Options) -> Result<(), String> {
    let store = open(options)?;
    let api = api(Licensing::new(Arc::new(store))).map_err(|e| e.to_string())?;
    let server = Server::bind(&options.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", options.addr))?;
    let local = server.local_addr().map_err(|e| e.to_string())?;
    tracing::info!(
        "licensing listening on http://{local}/api (data in {})",
        options.data.display()
    );
    server.serve(api).await.map_err(|e| e.to_string())?;
    tracing::info!("licensing stopped");
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
        let o = parse(&args(&[]), None, None).unwrap();
        assert_eq!(
            (o.command, o.addr.as_str(), o.data),
            (Command::Serve, "127.0.0.1:8080", PathBuf::from("./data"))
        );
        let o = parse(
            &args(&["tokens", "--data", "/tmp/x"]),
            Some("0.0.0.0:1".into()),
            Some("/y".into()),
        )
        .unwrap();
        assert_eq!(
            (o.command, o.addr.as_str(), o.data),
            (Command::Tokens, "0.0.0.0:1", PathBuf::from("/tmp/x"))
        );
        let o = parse(
            &args(&["serve", "--addr=127.0.0.1:9"]),
            Some("0.0.0.0:1".into()),
            None,
        )
        .unwrap();
        assert_eq!(o.addr, "127.0.0.1:9");
        assert!(parse(&args(&["--addr", "nope"]), None, None).is_err());
        assert!(parse(&args(&["frobnicate"]), None, None).is_err());
        let o = parse(&args(&["openapi", "--audience", "owner"]), None, None).unwrap();
        assert_eq!(o.command, Command::OpenApi(Some(Audience::Owner)));
        let o = parse(&args(&["openapi", "--audience", "full"]), None, None).unwrap();
        assert_eq!(o.command, Command::OpenApi(None));
        assert_eq!(
            parse(&args(&["openapi"]), None, None).unwrap().command,
            Command::OpenApi(Some(Audience::Public))
        );
        assert!(parse(&args(&["openapi", "--audience", "root"]), None, None).is_err());
        assert!(parse(&args(&["serve", "--audience", "owner"]), None, None).is_err());
    }
}
