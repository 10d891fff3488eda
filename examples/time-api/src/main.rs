//! The time API server: a port of the Python Pale's example app.
//!
//! ```text
//! cargo run -p time-api                          # http://127.0.0.1:8080
//! cargo run -p time-api -- --addr 0.0.0.0:9000   # or PALE_ADDR=0.0.0.0:9000
//! cargo run -p time-api -- --trusted-proxy 10.0.0.2 --max-connections-per-ip 64
//! cargo run -p time-api -- openapi --audience public > openapi.json
//! ```
//!
//! `openapi [--audience public|user|owner|admin|full]` prints the OpenAPI 3.1
//! document for that audience (`public` by default) and exits;
//! `docs [--audience …]` prints the HTML reference page the same way
//! (`cargo run -p time-api -- docs > time-api.html`); `--help` lists it
//! all.
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

use clap::{Parser, Subcommand};
use pale::cli::{DocArgs, DocAudience, ServeArgs};
use tracing_subscriber::EnvFilter;

/// The time API: a port of the Python Pale's example app.
#[derive(Debug, Parser)]
#[command(name = "time-api", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Debug, PartialEq, Eq, Subcommand)]
enum Command {
    /// Print the OpenAPI document (3.1, or 3.0.3) for an audience.
    Openapi(DocArgs),
    /// Print the HTML reference page for an audience.
    Docs {
        /// Whose document: what that caller may see and do.
        #[arg(long, value_enum, default_value_t = DocAudience::Public)]
        audience: DocAudience,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Docs { audience }) => {
            println!(
                "{}",
                pale::describe::html(&time_api::api(), audience.audience())
            );
            return ExitCode::SUCCESS;
        }
        Some(Command::Openapi(doc)) => return print_openapi(&doc),
        None => {}
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_ansi(std::io::stdout().is_terminal())
        .init();
    match serve(&cli.serve).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = %err, addr = cli.serve.addr, "the server failed");
            ExitCode::FAILURE
        }
    }
}

async fn serve(args: &ServeArgs) -> Result<(), String> {
    let server = args.bind().await?;
    let local = server.local_addr().map_err(|e| e.to_string())?;
    tracing::info!("time-api listening on http://{local}");
    server
        .serve(time_api::api())
        .await
        .map_err(|e| e.to_string())?;
    tracing::info!("time-api stopped");
    Ok(())
}

/// Prints the OpenAPI document `doc` asks for.
fn print_openapi(doc: &DocArgs) -> ExitCode {
    let document = doc.document(&time_api::api());
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

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use pale::{Audience, OpenApiVersion};

    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("time-api").chain(args.iter().copied()))
    }

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn the_address_is_host_and_port() {
        #[rustfmt::skip]
        let cases: &[(&[&str], Option<&str>)] = &[
            (&["--addr", "0.0.0.0:9000"], Some("0.0.0.0:9000")),
            (&["--addr=[::1]:9000"], Some("[::1]:9000")),
            (&["--addr", "localhost:80"], Some("localhost:80")),
            (&["--addr"], None),
            (&["--addr", "localhost"], None),
            (&["--addr", "[::1]:http"], None),
            (&["--port", "1"], None),
        ];
        for (given, expected) in cases {
            let got = parse(given).ok().map(|cli| cli.serve.addr);
            assert_eq!(got.as_deref(), *expected, "{given:?}");
        }
    }

    #[test]
    fn the_openapi_audience_is_public_unless_named() {
        #[rustfmt::skip]
        let cases: &[(&[&str], Option<Option<Audience>>)] = &[
            (&["openapi"], Some(Some(Audience::Public))),
            (&["openapi", "--audience", "owner"], Some(Some(Audience::Owner))),
            (&["docs", "--audience=admin"], Some(Some(Audience::Admin))),
            (&["openapi", "--audience", "full"], Some(None)),
            (&["openapi", "--audience", "root"], None),
            (&["openapi", "--audience"], None),
            (&["openapi", "owner"], None),
        ];
        for (given, expected) in cases {
            let got = parse(given).ok().and_then(|cli| match cli.command {
                Some(Command::Openapi(DocArgs { audience, .. }) | Command::Docs { audience }) => {
                    Some(audience.audience())
                }
                None => None,
            });
            assert_eq!(got, *expected, "{given:?}");
        }
    }

    #[test]
    fn the_openapi_version_is_3_1_unless_named() {
        let version = |given: &[&str]| match parse(given).ok()?.command {
            Some(Command::Openapi(doc)) => Some(doc.version.version()),
            _ => None,
        };
        assert_eq!(version(&["openapi"]), Some(OpenApiVersion::V3_1));
        assert_eq!(
            version(&["openapi", "--version", "3.0"]),
            Some(OpenApiVersion::V3_0)
        );
        assert_eq!(
            version(&["openapi", "--version", "3.1"]),
            Some(OpenApiVersion::V3_1)
        );
        assert_eq!(version(&["openapi", "--version", "2.0"]), None);
    }
}
