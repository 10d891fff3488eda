//! One benchmarked operation, run `N` times, for instruction counting.
//!
//! Wall time on a shared 2-core machine drifts by a third between runs;
//! instruction counts under `valgrind --tool=callgrind` do not. This
//! binary runs one of the micro benchmarks' operations a fixed number of
//! times so that `bench/callgrind.sh` can divide the total by `N`:
//!
//! ```text
//! bench-ops cast 1000        # cast the 10-argument query 1000 times
//! bench-ops render-json 1000 # render the album to JSON 1000 times
//! bench-ops pale-album 1000        # GET /album through the whole PaleService
//! bench-ops licensing-public 1000  # GET /api/albums/1 through the licensing
//! bench-ops licensing-owner 1000   # service in process (SQLite), as the public or its artist
//! ```
//!
//! The licensing operations call the `PaleService` directly (no socket):
//! they count the pipeline, the store and the render, not the kernel.

use std::hint::black_box;
use std::process::ExitCode;

use bench::{SEARCH_QUERY, album, cast_search, context, render};
use pale_core::format::Wire;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(op), Some(count)) = (
        args.first(),
        args.get(1).and_then(|n| n.parse::<u32>().ok()),
    ) else {
        eprintln!(
            "usage: bench-ops <cast|render-json|render-xml|pale-album|licensing-public|licensing-owner|none> COUNT"
        );
        return ExitCode::from(2);
    };
    let album = album(1);
    let ctx = context(None);
    match op.as_str() {
        "cast" => {
            for _ in 0..count {
                black_box(cast_search(black_box(SEARCH_QUERY)).expect("the bench query casts"));
            }
        }
        "render-json" => {
            for _ in 0..count {
                black_box(render(black_box(&album), &ctx, &Wire::Json));
            }
        }
        "render-xml" => {
            for _ in 0..count {
                black_box(render(black_box(&album), &ctx, &Wire::Xml));
            }
        }
        "pale-album" => pale_album_gets(count),
        "licensing-public" => licensing_gets(count, false),
        "licensing-owner" => licensing_gets(count, true),
        // The fixture set-up alone, subtracted from the others.
        "none" => {}
        other => {
            eprintln!("bench-ops: unknown operation `{other}`");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}

/// `count` requests for the in-memory album through the whole pipeline
/// (routing, request id, negotiation, timeout, casting, render): the
/// load test's server A without the socket.
fn pale_album_gets(count: u32) {
    let service = pale_server::PaleService::new(bench::api()).expect("the bench api routes");
    run_gets(&service, "/album", None, count);
}

/// `count` GETs of `path` to `service` on a current-thread runtime.
fn run_gets<S>(service: &S, path: &str, token: Option<&str>, count: u32)
where
    S: tower::Service<
            http::Request<http_body_util::Empty<bytes::Bytes>>,
            Response = http::Response<pale_server::ResponseBody>,
            Error = std::convert::Infallible,
        > + Clone,
{
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    // One thread polls the service: a multi-thread runtime's idle workers
    // look for work, and those instructions would vary from run to run.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        for _ in 0..count {
            let mut request = http::Request::get(path);
            if let Some(token) = token {
                request = request.header("authorization", format!("Bearer {token}"));
            }
            let request = request
                .body(http_body_util::Empty::<bytes::Bytes>::new())
                .expect("a request");
            let response = service.clone().oneshot(request).await.expect("infallible");
            assert_eq!(response.status(), 200);
            black_box(response.into_body().collect().await.expect("a body"));
        }
    });
}

/// `count` requests for album 1 to the licensing service, in process, on a
/// freshly seeded database in a temporary directory.
fn licensing_gets(count: u32, as_owner: bool) {
    use licensing::api::{Licensing, api};
    use licensing::store::{SqliteStore, StoreConfig, read_tokens};

    let dir = std::env::temp_dir().join(format!("bench-ops-{}", std::process::id()));
    let store = SqliteStore::open(&StoreConfig::new(&dir)).expect("the store opens");
    let token = read_tokens(&dir)
        .expect("the seed wrote tokens")
        .into_iter()
        .find(|t| t.artist_id == Some(1))
        .expect("artist 1 has a token")
        .token;
    let service = pale_server::PaleService::new(
        api(Licensing::new(store)).expect("the licensing api builds"),
    )
    .expect("the licensing api routes");
    run_gets(
        &service,
        "/api/albums/1",
        as_owner.then_some(token.as_str()),
        count,
    );
    let _ = std::fs::remove_dir_all(&dir);
}
