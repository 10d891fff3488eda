//! The licensing API's OpenAPI documents, golden-tested: `openapi.json`
//! (public) and `openapi-owner.json` beside this crate's manifest are what
//! the generator emits, so every change to the public surface shows up in
//! review. Rewrite them with
//! `PALE_BLESS=1 cargo test -p licensing --test openapi_golden`.

use licensing::api::{Licensing, api};
use licensing::store::{SqliteStore, StoreConfig};
use pale::Audience;

#[path = "support/temp_dir.rs"]
mod temp_dir;
use temp_dir::TempDir;

fn document(audience: Audience) -> String {
    let dir = TempDir::new(&format!("golden-{}", audience.as_str()));
    let store = SqliteStore::open(&StoreConfig::new(dir.path()).seed(false)).unwrap();
    let api = api(Licensing::new(store)).unwrap();
    serde_json::to_string_pretty(&pale::describe::openapi(&api, Some(audience))).unwrap() + "\n"
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

/// What the fuzzer (`.ci/fuzz-licensing.sh`) found missing, each said by
/// the document now: the statuses handlers answer themselves, the
/// `If-Match` a write reads, the body a track route reads, and the two
/// `links` resources apart.
#[test]
fn the_owner_document_says_what_the_routes_answer_and_read() {
    let doc: serde_json::Value = serde_json::from_str(&document(Audience::Owner)).unwrap();
    let op = |path: &str, method: &str| doc["paths"][path][method].clone();
    #[rustfmt::skip]
    let cases: &[(&str, &str, &[&str])] = &[
        ("/api/albums/{album_id}", "patch", &["412", "428"]),
        ("/api/albums/{album_id}", "delete", &["409", "412"]),
        ("/api/albums/{album_id}/submit", "post", &["409"]),
        ("/api/albums/{album_id}/tracks", "post", &["409"]),
        ("/api/albums/{album_id}/tracks/{number}", "patch", &["409", "412", "428"]),
        ("/api/albums/{album_id}/tracks/{number}", "delete", &["409", "412"]),
    ];
    for (path, method, statuses) in cases {
        let responses = &op(path, method)["responses"];
        for status in *statuses {
            assert!(responses[status].is_object(), "{method} {path}: {status}");
        }
    }
    // Every write to an album reads `If-Match` (the album's ETag).
    for (path, method) in [
        ("/api/albums/{album_id}", "patch"),
        ("/api/albums/{album_id}", "delete"),
        ("/api/albums/{album_id}/tracks/{number}", "patch"),
        ("/api/albums/{album_id}/tracks/{number}", "delete"),
    ] {
        let if_match = op(path, method)["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "If-Match")
            .cloned()
            .unwrap_or_else(|| panic!("{method} {path} documents If-Match"));
        assert_eq!(if_match["in"], "header");
    }
    // `If-Match` must be sent where its absence is a 428, and only there.
    let if_match = |path: &str, method: &str| {
        op(path, method)["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "If-Match")
            .unwrap()["required"]
            .clone()
    };
    assert_eq!(if_match("/api/albums/{album_id}", "patch"), true);
    assert_eq!(if_match("/api/albums/{album_id}", "delete"), false);
    // Bearer tokens: required to write, optional to read (a caller with a
    // token sees more), and a bad one is a 401 everywhere.
    let bearer = serde_json::json!({"bearer": []});
    assert_eq!(
        op("/api/albums/{album_id}", "patch")["security"],
        serde_json::json!([bearer])
    );
    let list = op("/api/albums", "get");
    assert_eq!(list["security"], serde_json::json!([{}, bearer]));
    assert!(list["responses"]["401"].is_object());
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    // The response headers the server sends.
    let read = &op("/api/albums/{album_id}", "get")["responses"]["200"]["headers"];
    for header in ["ETag", "x-request-id"] {
        assert!(read[header].is_object(), "{header}");
    }
    let created = &op("/api/albums", "post")["responses"]["201"]["headers"];
    for header in ["Location", "ETag", "x-request-id"] {
        assert!(created[header].is_object(), "{header}");
    }
    assert!(list["responses"]["200"]["headers"]["Link"].is_object());
    // A track route reads a track, not the album it answers with.
    let add = op("/api/albums/{album_id}/tracks", "post");
    assert_eq!(
        add["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/TrackInputCreate"
    );
    assert_eq!(
        add["responses"]["201"]["content"]["application/json"]["schema"]["anyOf"][0]["$ref"],
        "#/components/schemas/Album"
    );
    // An album without a release date renders `null`: the schema allows it.
    let album = &doc["components"]["schemas"]["Album"]["properties"];
    assert_eq!(
        album["release_date"]["anyOf"][1],
        serde_json::json!({"type": "null"})
    );
    // An artist's links are not an album's.
    let artist = &doc["components"]["schemas"]["Artist"]["properties"];
    assert_eq!(
        artist["links"]["$ref"],
        "#/components/schemas/ArtistLinksPartial"
    );
    // The states are typed: an `enum` of the texts the server renders.
    assert_eq!(
        album["status"]["enum"],
        serde_json::json!(["draft", "submitted", "live"])
    );
    let track = &doc["components"]["schemas"]["TrackPartial"]["properties"];
    assert_eq!(
        track["license_status"]["anyOf"][0]["enum"],
        serde_json::json!(["pending", "notice_sent", "active", "needs_negotiation"])
    );
    // A response without `fields=` always carries the album's id.
    let required = &doc["components"]["schemas"]["Album"]["required"];
    assert!(
        required.as_array().unwrap().contains(&"id".into()),
        "{required}"
    );
}

/// The audience that may create an album (a signed-in artist, `User`)
/// gets its create schema in full: the creator writes as the owner
/// (`creator = Owner`), so the body is not an empty `{"type": "object"}`.
#[test]
fn the_user_document_describes_the_create_bodies() {
    let doc: serde_json::Value = serde_json::from_str(&document(Audience::User)).unwrap();
    let body = |path: &str| {
        doc["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            .clone()
    };
    assert_eq!(body("/api/albums"), "#/components/schemas/AlbumCreate");
    assert_eq!(
        body("/api/albums/{album_id}/tracks"),
        "#/components/schemas/TrackInputCreate"
    );
    let album = &doc["components"]["schemas"]["AlbumCreate"];
    let mut fields: Vec<&String> = album["properties"].as_object().unwrap().keys().collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            "cover_art_url",
            "links",
            "price_cents",
            "release_date",
            "title",
            "upc"
        ]
    );
    assert_eq!(
        album["required"],
        serde_json::json!(["title", "price_cents"])
    );
    assert_eq!(album["properties"]["title"]["minLength"], 1);
    // The same schema as the owner's document.
    let owner: serde_json::Value = serde_json::from_str(&document(Audience::Owner)).unwrap();
    assert_eq!(*album, owner["components"]["schemas"]["AlbumCreate"]);
    assert_eq!(
        doc["components"]["schemas"]["LinksCreate"],
        owner["components"]["schemas"]["LinksCreate"]
    );
}
