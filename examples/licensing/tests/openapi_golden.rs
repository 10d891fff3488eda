//! The licensing API's OpenAPI documents, golden-tested: `openapi.json`
//! (public) and `openapi-owner.json` beside this crate's manifest are what
//! the generator emits, so every change to the public surface shows up in
//! review. Rewrite them with
//! `PALE_BLESS=1 cargo test -p licensing --test openapi_golden`.

use std::sync::Arc;

use licensing::api::{Licensing, api};
use licensing::store::{SqliteStore, StoreConfig};
use pale_core::Audience;

#[path = "support/temp_dir.rs"]
mod temp_dir;
use temp_dir::TempDir;

fn document(audience: Audience) -> String {
    let dir = TempDir::new(&format!("golden-{}", audience.as_str()));
    let store = SqliteStore::open(&StoreConfig::new(dir.path()).seed(false)).unwrap();
    let api = api(Licensing::new(Arc::new(store))).unwrap();
    serde_json::to_string_pretty(&pale_core::doc::openapi(&api, Some(audience))).unwrap() + "\n"
}

fn check(audience: Audience, file: &str) {
    let text = document(audience);
    let path = format!("{}/{file}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("PALE_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let golden = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{file} exists (PALE_BLESS=1 writes it)"));
    let first = golden
        .lines()
        .zip(text.lines())
        .enumerate()
        .find(|(_, (a, b))| a != b)
        .map_or_else(
            || "the files differ in length".to_owned(),
            |(n, (a, b))| format!("line {}:\n- {a}\n+ {b}", n + 1),
        );
    assert!(
        golden == text,
        "{file} changed; review the diff and rerun with PALE_BLESS=1:\n{first}"
    );
}

#[test]
fn the_public_document_matches_the_golden_file() {
    check(Audience::Public, "openapi.json");
}

#[test]
fn the_owner_document_matches_the_golden_file() {
    check(Audience::Owner, "openapi-owner.json");
}

#[test]
fn owner_only_fields_are_absent_from_the_public_document() {
    let public = document(Audience::Public);
    let owner = document(Audience::Owner);
    for field in ["\"units_sold\"", "\"revenue_cents\"", "\"license_status\""] {
        assert!(!public.contains(field), "{field} in the public document");
        assert!(
            owner.contains(field),
            "{field} missing from the owner document"
        );
    }
    // Admin-only routes are absent below Admin.
    assert!(!owner.contains("/api/admin/sales"));
    assert!(document(Audience::Admin).contains("/api/admin/sales"));
}
