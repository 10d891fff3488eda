//! The time API server: a port of the Python Pale's example app.
//!
//! ```text
//! cargo run -p time-api                          # http://127.0.0.1:8080
//! cargo run -p time-api -- --addr 0.0.0.0:9000   # or PALE_ADDR=0.0.0.0:9000
//! cargo run -p time-api -- openapi --audience public > openapi.json
//! ```
//!
//! `openapi [--audience public|user|owner|admin|full]` prints the OpenAPI 3.1
//! document for that audience (`public` by default) and exits;
//! `docs [--audience …]` prints the HTML reference page the same way
//! (`cargo run -p time-api -- docs > time-api.html`).
//!
//! Routes (JSON by default; `Accept: application/xml` for XML; `?fields=`
//! chooses fields on the time routes):
//!
//! - `GET  /api/time/current`: the time now, every field (CORS `*`,
//!   `After-Response: OK`)
//! - `POST /api/time/parse`: a date from `year` (default 2015), `month`,
//!   `day`, `name`, `include_time`, as JSON, XML, a form or a query string
//!   (`Cache-Control: max-age=3`)
//! - `GET  /api/time/range?duration=MS`: now and `MS` milliseconds from now
//! - `GET  /api/arg_test/{arg_a}/{arg_b}`: the path parameters, echoed
//! - `GET  /api/resource`: a schema-less document, `{"key": "value"}` at start
//! - `PATCH /api/resource`: an `application/merge-patch+json` patch of it
//! - `PUT  /api/resource`: replace it with another object
//! - `POST /api/resource/reset`: restore it
//! - `POST /api/blank`: 204, no body (CORS `*`)
//!
//! For example:
//!
//! ```text
//! curl -s localhost:8080/api/time/current
//! curl -s -d month=5 -d day=17 -d include_time=true localhost:8080/api/time/parse
//! curl -s -X PATCH -H 'content-type: application/merge-patch+json' \
//!      -d '{"key": null, "new": 1}' localhost:8080/api/resource
//! ```
//!
//! The server logs (`RUST_LOG`, `info` by default) one line when it is
//! listening, one per request, and stops gracefully on Ctrl-C or SIGTERM.

use std::io::IsTerminal;
use std::process::ExitCode;

use pale_core::Audience;
use pale_server::Server;
use tracing_subscriber::EnvFilter;

/// Where the server listens unless told otherwise.
const DEFAULT_ADDR: &str = "127.0.0.1:8080";

/// The environment variable that sets the address (every example reads it).
const ADDR_VAR: &str = "PALE_ADDR";

const USAGE: &str = "usage: time-api [--addr HOST:PORT]
       time-api openapi [--audience public|user|owner|admin|full]
       time-api docs [--audience public|user|owner|admin|full]

Serves the time API (default 127.0.0.1:8080; PALE_ADDR sets it too), or
prints its OpenAPI 3.1 document or its HTML reference page for one
audience (public by default).";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(command @ ("openapi" | "docs")) = args.first().map(String::as_str) {
        return match audience(command, &args[1..]) {
            Ok(audience) if command == "docs" => {
                println!("{}", pale_core::describe::html(&time_api::api(), audience));
                ExitCode::SUCCESS
            }
            Ok(audience) => print_openapi(audience),
            Err(message) => {
                eprintln!("time-api: {message}\n\n{USAGE}");
                ExitCode::from(2)
            }
        };
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_ansi(std::io::stdout().is_terminal())
        .init();
    let addr = match address(&args, std::env::var(ADDR_VAR).ok()) {
        Ok(Some(addr)) => addr,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("time-api: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match serve(&addr).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = %err, addr, "the server failed");
            ExitCode::FAILURE
        }
    }
}

async fn serve(addr: &str) -> std::io::Result<()> {
    let server = Server::bind(addr).await?;
    tracing::info!("time-api listening on http://{}", server.local_addr()?);
    server.serve(time_api::api()).await?;
    tracing::info!("time-api stopped");
    Ok(())
}

/// The audience of `openapi [--audience A]` (or `docs …`, the `command`):
/// `Ok(None)` is the full document.
fn audience(command: &str, args: &[String]) -> Result<Option<Audience>, String> {
    let name = match args {
        [] => "public",
        [flag, name] if flag == "--audience" => name.as_str(),
        [arg] => match arg.strip_prefix("--audience=") {
            Some(name) => name,
            None => return Err(format!("unknown argument `{arg}`")),
        },
        _ => return Err(format!("`{command}` takes only `--audience A`")),
    };
    match name {
        "full" => Ok(None),
        _ => Audience::from_name(name)
            .map(Some)
            .ok_or_else(|| format!("unknown audience `{name}`")),
    }
}

/// Prints the OpenAPI document for `audience`.
fn print_openapi(audience: Option<Audience>) -> ExitCode {
    let document = pale_core::describe::openapi(&time_api::api(), audience);
    match serde_json::to_string_pretty(&document) {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("time-api: cannot serialize the document: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The address to listen on: `--addr` (or `--addr=`), else `env` (the
/// value of `PALE_ADDR`), else the default. `Ok(None)` asks for the usage.
/// A host name is resolved when binding; the port must be given here.
fn address(args: &[String], env: Option<String>) -> Result<Option<String>, String> {
    let mut chosen = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--addr" => {
                let value = args
                    .next()
                    .ok_or("`--addr` needs a value, such as 127.0.0.1:8080")?;
                chosen = Some(value.clone());
            }
            other => match other.strip_prefix("--addr=") {
                Some(value) => chosen = Some(value.to_owned()),
                None => return Err(format!("unknown argument `{other}`")),
            },
        }
    }
    let (text, from) = match (chosen, env) {
        (Some(text), _) => (text, "--addr"),
        (None, Some(text)) if !text.is_empty() => (text, ADDR_VAR),
        _ => (DEFAULT_ADDR.to_owned(), "the default"),
    };
    let port = text.rsplit_once(':').map(|(_, port)| port);
    if port.is_none_or(|port| port.parse::<u16>().is_err()) {
        return Err(format!(
            "{from}: `{text}` is not HOST:PORT, such as 127.0.0.1:8080"
        ));
    }
    Ok(Some(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The address chosen, `None` for the usage, `Err` for a mistake.
    type Expected = Result<Option<&'static str>, ()>;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_address_comes_from_the_flag_then_the_environment_then_the_default() {
        let env = || Some("127.0.0.1:7000".to_owned());
        #[rustfmt::skip]
        let cases: &[(&[&str], Option<String>, Expected)] = &[
            (&[], None, Ok(Some("127.0.0.1:8080"))),
            (&[], env(), Ok(Some("127.0.0.1:7000"))),
            (&[], Some(String::new()), Ok(Some("127.0.0.1:8080"))),
            (&["--addr", "0.0.0.0:9000"], env(), Ok(Some("0.0.0.0:9000"))),
            (&["--addr=[::1]:9000"], None, Ok(Some("[::1]:9000"))),
            (&["--help"], None, Ok(None)),
            (&["--addr"], None, Err(())),
            (&["--addr", "localhost:80"], None, Ok(Some("localhost:80"))),
            (&["--addr", "localhost"], None, Err(())),
            (&["--addr", "[::1]:http"], None, Err(())),
            (&["--port", "1"], None, Err(())),
            (&[], Some("nope".to_owned()), Err(())),
        ];
        for (given, env, expected) in cases {
            let got = address(&args(given), env.clone());
            assert_eq!(
                got.as_ref().map(Option::as_deref).map_err(|_| ()),
                *expected,
                "{given:?} {env:?}"
            );
        }
    }

    /// The audience chosen (`None`: the full document), `Err` for a mistake.
    type Chosen = Result<Option<Audience>, ()>;

    #[test]
    fn the_openapi_audience_is_public_unless_named() {
        #[rustfmt::skip]
        let cases: &[(&[&str], Chosen)] = &[
            (&[], Ok(Some(Audience::Public))),
            (&["--audience", "owner"], Ok(Some(Audience::Owner))),
            (&["--audience=admin"], Ok(Some(Audience::Admin))),
            (&["--audience", "full"], Ok(None)),
            (&["--audience", "root"], Err(())),
            (&["--audience"], Err(())),
            (&["owner"], Err(())),
        ];
        for (given, expected) in cases {
            assert_eq!(
                audience("openapi", &args(given)).map_err(|_| ()),
                *expected,
                "{given:?}"
            );
        }
    }
}
