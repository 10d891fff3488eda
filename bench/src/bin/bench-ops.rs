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
//! ```

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
        eprintln!("usage: bench-ops <cast|render-json|render-xml|none> COUNT");
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
        // The fixture set-up alone, subtracted from the others.
        "none" => {}
        other => {
            eprintln!("bench-ops: unknown operation `{other}`");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}
