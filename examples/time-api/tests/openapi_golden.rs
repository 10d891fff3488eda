//! The time API's OpenAPI document, golden-tested: `openapi.json` beside
//! this crate's manifest is what the generator emits for the public
//! audience. A change to the generator or to a route shows up as a diff in
//! review. Rewrite it with `PALE_BLESS=1 cargo test -p time-api --test
//! openapi_golden`.

use pale::Audience;

#[test]
fn the_public_document_matches_the_golden_file() {
    let document = pale::describe::openapi(&time_api::api(), Some(Audience::Public));
    let text = serde_json::to_string_pretty(&document).expect("the document serializes") + "\n";
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json");
    if std::env::var_os("PALE_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(path, &text).expect("openapi.json is writable");
        return;
    }
    let golden = std::fs::read_to_string(path)
        .expect("examples/time-api/openapi.json exists (PALE_BLESS=1 writes it)");
    assert!(
        golden == text,
        "the OpenAPI document changed; review the diff and rerun with PALE_BLESS=1:\n{}",
        first_difference(&golden, &text)
    );
}

#[test]
fn every_audience_sees_every_route_of_this_public_api() {
    let api = time_api::api();
    for audience in Audience::ALL.map(Some).into_iter().chain([None]) {
        let document = serde_json::to_value(pale::describe::openapi(&api, audience)).unwrap();
        let operations: usize = document["paths"]
            .as_object()
            .unwrap()
            .values()
            .map(|item| item.as_object().unwrap().len())
            .sum();
        assert_eq!(operations, api.routes().len(), "{audience:?}");
    }
}

/// The first line that differs, for a readable failure.
fn first_difference(golden: &str, text: &str) -> String {
    golden
        .lines()
        .zip(text.lines())
        .enumerate()
        .find(|(_, (a, b))| a != b)
        .map_or_else(
            || "the files differ in length".to_owned(),
            |(n, (a, b))| format!("line {}:\n- {a}\n+ {b}", n + 1),
        )
}
