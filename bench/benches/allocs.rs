//! Allocations per render, counted by a wrapping global allocator:
//! `cargo bench -p bench --bench allocs`.
//!
//! Each case renders once to warm up, then once counted. The target is
//! one output buffer per response and nothing per field; the plain serde
//! baseline shows what `serde_json::to_vec` itself costs (its buffer and
//! its growth).

use std::alloc::System;

use bench::{
    FIELDS, SEARCH_QUERY, album, albums, cast_search, context, list_context, render, render_page,
};
use pale_core::format::Wire;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

/// One case: a name, and a render returning the body's length.
type Case<'a> = (&'a str, Box<dyn Fn() -> usize + 'a>);

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Allocations, reallocations and the bytes they asked for during `f`.
fn count<T>(f: impl Fn() -> T) -> (usize, usize, usize) {
    drop(f());
    let region = Region::new(GLOBAL);
    let out = f();
    let stats = region.change();
    drop(out);
    (
        stats.allocations,
        stats.reallocations,
        stats.bytes_allocated + stats.bytes_reallocated.max(0).unsigned_abs(),
    )
}

fn main() {
    let one = album(7);
    let plain = one.to_plain();
    let page = albums(100);
    let plain_page: Vec<_> = page.iter().map(bench::Album::to_plain).collect();
    let public = context(None);
    let selected = context(Some(FIELDS));
    let paged = pale_core::Page::new(albums(100), 2, 100, 1000);
    let listing = list_context("sort=title&fields=id,title,tracks(title)&page=2");
    let cases: [Case<'_>; 11] = [
        (
            "album serde_json_plain",
            Box::new(|| serde_json::to_vec(&plain).unwrap().len()),
        ),
        (
            "album pale_json",
            Box::new(|| render(&one, &public, &Wire::Json).len()),
        ),
        (
            "album pale_xml",
            Box::new(|| render(&one, &public, &Wire::Xml).len()),
        ),
        (
            "page100 serde_json_plain",
            Box::new(|| serde_json::to_vec(&plain_page).unwrap().len()),
        ),
        (
            "page100 pale_json",
            Box::new(|| render(&page, &public, &Wire::Json).len()),
        ),
        (
            "page100 pale_xml",
            Box::new(|| render(&page, &public, &Wire::Xml).len()),
        ),
        (
            "Page100 no links",
            Box::new(|| render_page(&paged, &public)),
        ),
        (
            "Page100 links+header",
            Box::new(|| render_page(&paged, &listing)),
        ),
        (
            "fields pale_json",
            Box::new(|| render(&one, &selected, &Wire::Json).len()),
        ),
        (
            "fields pale_xml",
            Box::new(|| render(&one, &selected, &Wire::Xml).len()),
        ),
        (
            "cast search10",
            Box::new(|| usize::from(cast_search(SEARCH_QUERY).is_ok())),
        ),
    ];
    println!(
        "{:<26} {:>7} {:>7} {:>8} {:>8}",
        "case", "bytes", "allocs", "reallocs", "alloc B"
    );
    for (name, case) in &cases {
        let size = case();
        let (allocs, reallocs, bytes) = count(case);
        println!("{name:<26} {size:>7} {allocs:>7} {reallocs:>8} {bytes:>8}");
    }
}
