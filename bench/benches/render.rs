//! Micro benchmarks of the render and input paths, each beside its
//! baseline: `cargo bench -p bench --bench render`.
//!
//! - `album/*`: one album (12 tracks, about 2 KB of JSON), public view,
//!   through `render_body` in JSON and XML, against `serde_json::to_vec`
//!   of the plain serde twin (byte-identical JSON, checked first).
//! - `page100/*`: a list of 100 albums, the same three ways.
//! - `fields/*`: rendering with an explicit `fields=` selection.
//! - `select/parse`: parsing that `fields=` expression.
//! - `cast/search10`: a 10-argument query string into the `Search`
//!   endpoint (`decode_form` + `from_input`), and each half alone.

use std::hint::black_box;

use bench::{FIELDS, SEARCH_QUERY, album, albums, cast_search, context, render};
use criterion::Criterion;
use pale_core::Arguments;
use pale_core::argument::Input;
use pale_core::format::{Wire, decode_form};
use pale_core::select::Selection;

fn album_one(c: &mut Criterion) {
    let album = album(7);
    let plain = album.to_plain();
    let ctx = context(None);
    assert_eq!(
        render(&album, &ctx, &Wire::Json),
        serde_json::to_vec(&plain).unwrap(),
        "the JSON bodies must be byte-identical"
    );
    let mut group = c.benchmark_group("album");
    group.bench_function("serde_json_plain", |b| {
        b.iter(|| serde_json::to_vec(black_box(&plain)).unwrap());
    });
    group.bench_function("pale_json", |b| {
        b.iter(|| render(black_box(&album), &ctx, &Wire::Json));
    });
    group.bench_function("pale_xml", |b| {
        b.iter(|| render(black_box(&album), &ctx, &Wire::Xml));
    });
    group.finish();
}

fn page_of_100(c: &mut Criterion) {
    let page = albums(100);
    let plain: Vec<_> = page.iter().map(bench::Album::to_plain).collect();
    let ctx = context(None);
    assert_eq!(
        render(&page, &ctx, &Wire::Json),
        serde_json::to_vec(&plain).unwrap()
    );
    let mut group = c.benchmark_group("page100");
    group.bench_function("serde_json_plain", |b| {
        b.iter(|| serde_json::to_vec(black_box(&plain)).unwrap());
    });
    group.bench_function("pale_json", |b| {
        b.iter(|| render(black_box(&page), &ctx, &Wire::Json));
    });
    group.bench_function("pale_xml", |b| {
        b.iter(|| render(black_box(&page), &ctx, &Wire::Xml));
    });
    group.finish();
}

fn with_fields(c: &mut Criterion) {
    let album = album(7);
    let ctx = context(Some(FIELDS));
    let mut group = c.benchmark_group("fields");
    group.bench_function("pale_json", |b| {
        b.iter(|| render(black_box(&album), &ctx, &Wire::Json));
    });
    group.bench_function("pale_xml", |b| {
        b.iter(|| render(black_box(&album), &ctx, &Wire::Xml));
    });
    group.finish();
}

fn parse_and_cast(c: &mut Criterion) {
    c.bench_function("select/parse", |b| {
        b.iter(|| Selection::parse(black_box(FIELDS)).unwrap());
    });
    cast_search(SEARCH_QUERY).expect("the bench query casts");
    c.bench_function("cast/search10", |b| {
        b.iter(|| cast_search(black_box(SEARCH_QUERY)).unwrap());
    });
    // The two halves of the cast, to see where its time goes.
    c.bench_function("cast/decode_form", |b| {
        b.iter(|| decode_form(black_box(SEARCH_QUERY.as_bytes())).unwrap());
    });
    let mut input = Input::new();
    input.query = decode_form(SEARCH_QUERY.as_bytes()).unwrap();
    c.bench_function("cast/from_input", |b| {
        b.iter(|| bench::Search::from_input(black_box(&input)).unwrap());
    });
}

// What `criterion_group!`/`criterion_main!` expand to, without the
// undocumented `pub fn` the group macro declares.
fn main() {
    let mut c = Criterion::default().configure_from_args();
    album_one(&mut c);
    page_of_100(&mut c);
    with_fields(&mut c);
    parse_and_cast(&mut c);
    c.final_summary();
}
