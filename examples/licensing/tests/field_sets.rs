//! Who sees which fields: the exact field sets of an album (top level and
//! nested) and of an artist for anonymous callers, another artist, the
//! owner and an admin, in JSON and XML, with the default, an explicit and
//! the `*` selection. Owner-only fields never reach anyone else, and
//! asking for one by name is a 400 that does not reveal it exists.

mod common;

use http::StatusCode;
use serde_json::Value;

use common::{Seeded, keys, sorted};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Anonymous,
    Other,
    Owner,
    Admin,
}

const EVERYONE: [Who; 4] = [Who::Anonymous, Who::Other, Who::Owner, Who::Admin];

impl Who {
    fn token(self, s: &Seeded) -> Option<String> {
        match self {
            Self::Anonymous => None,
            Self::Other => Some(s.tokens.harbors.clone()),
            Self::Owner => Some(s.tokens.maren.clone()),
            Self::Admin => Some(s.tokens.admin.clone()),
        }
    }

    fn privileged(self) -> bool {
        matches!(self, Self::Owner | Self::Admin)
    }
}

const OWNER_ONLY: [&str; 5] = [
    "status",
    "units_sold",
    "revenue_cents",
    "licenses",
    "license_status",
];

const DEFAULT: [&str; 6] = [
    "id",
    "title",
    "artist",
    "release_date",
    "price_cents",
    "tracks",
];
const PUBLIC_ALL: [&str; 9] = [
    "id",
    "title",
    "artist",
    "release_date",
    "upc",
    "price_cents",
    "cover_art_url",
    "links",
    "tracks",
];
const OWNER_EXTRA: [&str; 4] = ["status", "units_sold", "revenue_cents", "licenses"];
const TRACK: [&str; 6] = [
    "number",
    "title",
    "duration_s",
    "isrc",
    "preview_url",
    "cover_of",
];

/// The names of the elements directly inside the element at `path` (the
/// root first), each once, in order of appearance. Enough XML for these
/// documents: no attributes, comments or CDATA.
fn xml_children(xml: &str, path: &[&str]) -> Vec<String> {
    let body = xml
        .strip_prefix(r#"<?xml version="1.0" encoding="UTF-8"?>"#)
        .unwrap_or_else(|| panic!("an XML declaration: {xml}"));
    let mut stack: Vec<&str> = Vec::new();
    let mut out: Vec<String> = Vec::new();
    let mut rest = body;
    while let Some(start) = rest.find('<') {
        let end = rest[start..].find('>').expect("a closed tag") + start;
        let tag = &rest[start + 1..end];
        rest = &rest[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop(), Some(name), "well-formed: {xml}");
            continue;
        }
        let (name, empty) = match tag.strip_suffix('/') {
            Some(name) => (name, true),
            None => (tag, false),
        };
        if stack == path && !out.iter().any(|n| n == name) {
            out.push(name.to_owned());
        }
        if !empty {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "well-formed: {xml}");
    out
}

fn with(base: &[&str], extra: &[&str]) -> Vec<String> {
    let mut all: Vec<&str> = base.to_vec();
    all.extend_from_slice(extra);
    sorted(&all)
}

async fn json(s: &Seeded, who: Who, path: &str) -> Value {
    let r = s.client.get(path).bearer_opt(who.token(s).as_deref()).await;
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "{path} as {who:?}: {}",
        r.text()
    );
    assert_eq!(r.header("content-type"), Some("application/json"));
    r.json::<Value>()
}

async fn xml(s: &Seeded, who: Who, path: &str) -> String {
    let r = s
        .client
        .get(path)
        .bearer_opt(who.token(s).as_deref())
        .accept("application/xml")
        .await;
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "{path} as {who:?}: {}",
        r.text()
    );
    assert_eq!(r.header("content-type"), Some("application/xml"));
    r.text()
}

fn no_owner_fields(text: &str, context: &str) {
    for field in OWNER_ONLY {
        assert!(!text.contains(field), "{context}: `{field}` in {text}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn album_field_sets_by_viewer_format_and_selection() {
    let s = Seeded::start("fields-album").await;
    let id = s.albums.borrowed_light;
    for who in EVERYONE {
        let extra: &[&str] = if who.privileged() { &OWNER_EXTRA } else { &[] };
        let track_extra: &[&str] = if who.privileged() {
            &["license_status"]
        } else {
            &[]
        };

        // Default selection: the same top level for everyone, but the
        // owner's tracks carry their license status.
        let path = format!("/api/albums/{id}");
        let album = json(&s, who, &path).await;
        assert_eq!(keys(&album), sorted(&DEFAULT), "{who:?}");
        assert_eq!(keys(&album["artist"]), sorted(&["id", "name"]));
        for track in album["tracks"].as_array().expect("tracks") {
            assert_eq!(keys(track), with(&TRACK, track_extra), "{who:?}");
        }
        assert_eq!(
            keys(&album["tracks"][0]["cover_of"]),
            sorted(&["id", "title", "writers"])
        );
        let doc = xml(&s, who, &path).await;
        assert_eq!(sorted_of(xml_children(&doc, &["album"])), sorted(&DEFAULT));
        assert_eq!(
            sorted_of(xml_children(&doc, &["album", "tracks", "track"])),
            with(&TRACK, track_extra),
            "{who:?}"
        );
        assert_eq!(
            sorted_of(xml_children(&doc, &["album", "artist"])),
            sorted(&["id", "name"])
        );
        if !who.privileged() {
            no_owner_fields(&album.to_string(), &format!("{who:?} default JSON"));
            no_owner_fields(&doc, &format!("{who:?} default XML"));
        }

        // Everything the viewer may see.
        let path = format!("/api/albums/{id}?fields=*");
        let album = json(&s, who, &path).await;
        assert_eq!(keys(&album), with(&PUBLIC_ALL, extra), "{who:?}");
        assert_eq!(
            keys(&album["links"]),
            sorted(&["bandcamp", "spotify", "self"])
        );
        for track in album["tracks"].as_array().expect("tracks") {
            assert_eq!(keys(track), with(&TRACK, track_extra), "{who:?}");
        }
        let doc = xml(&s, who, &path).await;
        assert_eq!(
            sorted_of(xml_children(&doc, &["album"])),
            with(&PUBLIC_ALL, extra),
            "{who:?}"
        );
        assert_eq!(
            sorted_of(xml_children(&doc, &["album", "links"])),
            sorted(&["bandcamp", "spotify", "self"])
        );
        assert_eq!(
            sorted_of(xml_children(&doc, &["album", "tracks", "track"])),
            with(&TRACK, track_extra),
            "{who:?}"
        );
        if who.privileged() {
            let licenses = album["licenses"].as_array().expect("licenses");
            assert_eq!(licenses.len(), 3);
            for license in licenses {
                assert_eq!(
                    keys(license),
                    sorted(&[
                        "id",
                        "track_number",
                        "composition_id",
                        "route",
                        "status",
                        "rate_year",
                        "notice_date"
                    ])
                );
            }
            assert_eq!(album["status"], "live");
            // Seeded: 12 + 30 + 10 whole albums… as the store counts them.
            assert_eq!(
                album["revenue_cents"],
                album["units_sold"].as_u64().expect("units") * 999
            );
            assert_eq!(
                sorted_of(xml_children(&doc, &["album", "licenses", "license"])),
                keys(&licenses[0])
            );
        } else {
            no_owner_fields(&album.to_string(), &format!("{who:?} * JSON"));
            no_owner_fields(&doc, &format!("{who:?} * XML"));
        }

        // Sub-selections with `*`: tracks(*) is every visible track field.
        let path = format!("/api/albums/{id}?fields=id,tracks(*)");
        let album = json(&s, who, &path).await;
        assert_eq!(keys(&album), sorted(&["id", "tracks"]));
        assert_eq!(keys(&album["tracks"][2]), with(&TRACK, track_extra));

        // An explicit selection of public fields.
        let path = format!("/api/albums/{id}?fields=id,title,artist(name),tracks(number)");
        let album = json(&s, who, &path).await;
        assert_eq!(keys(&album), sorted(&["id", "title", "artist", "tracks"]));
        assert_eq!(keys(&album["artist"]), sorted(&["name"]));
        assert_eq!(keys(&album["tracks"][0]), sorted(&["number"]));
        let doc = xml(&s, who, &path).await;
        assert_eq!(
            sorted_of(xml_children(&doc, &["album"])),
            sorted(&["id", "title", "artist", "tracks"])
        );
    }
}

fn sorted_of(mut names: Vec<String>) -> Vec<String> {
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread")]
async fn selecting_an_owner_field_is_for_the_owner() {
    let s = Seeded::start("fields-select").await;
    let id = s.albums.borrowed_light;
    let selections = [
        "id,units_sold",
        "status",
        "revenue_cents",
        "licenses",
        "licenses(id)",
        "tracks(number,license_status)",
    ];
    for who in EVERYONE {
        for selection in selections {
            let path = format!("/api/albums/{id}?fields={selection}");
            for accept in ["application/json", "application/xml"] {
                let r = s
                    .client
                    .get(&path)
                    .bearer_opt(who.token(&s).as_deref())
                    .accept(accept)
                    .await;
                if who.privileged() {
                    assert_eq!(r.status(), StatusCode::OK, "{path} {who:?}: {}", r.text());
                } else if who == Who::Other {
                    // A signed-in artist may own some albums, so the
                    // selection is valid; on another's album the owner
                    // fields are simply not there.
                    assert_eq!(r.status(), StatusCode::OK, "{path} {who:?}: {}", r.text());
                    no_owner_fields(&r.text(), &format!("{path} {who:?} {accept}"));
                } else {
                    assert_eq!(
                        r.status(),
                        StatusCode::BAD_REQUEST,
                        "{path} {who:?} {accept}: {}",
                        r.text()
                    );
                    // The answer names the unknown field the client sent,
                    // and lists only fields the caller may see.
                    let text = r.text();
                    let listed = text.split_once("valid fields").map(|(_, l)| l);
                    let listed = listed.unwrap_or_else(|| panic!("a list: {}", r.text()));
                    no_owner_fields(listed, &format!("{path} {who:?} {accept}"));
                }
            }
        }
        let path = format!(
            "/api/albums/{id}?fields=id,units_sold,revenue_cents,status,licenses(id,status),tracks(number,license_status)"
        );
        if who.privileged() {
            let album = json(&s, who, &path).await;
            assert_eq!(
                keys(&album),
                sorted(&[
                    "id",
                    "units_sold",
                    "revenue_cents",
                    "status",
                    "licenses",
                    "tracks"
                ])
            );
            assert_eq!(keys(&album["licenses"][0]), sorted(&["id", "status"]));
            assert_eq!(
                keys(&album["tracks"][0]),
                sorted(&["number", "license_status"])
            );
            assert_eq!(album["tracks"][0]["license_status"], "active");
            assert_eq!(album["tracks"][1]["license_status"], Value::Null);
        }
    }
    // The exact answer to an anonymous `units_sold`.
    let r = s
        .client
        .get(format!("/api/albums/{id}?fields=id,units_sold"))
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let problem = r.json::<Value>();
    assert_eq!(problem["code"], "unknown_field");
    assert_eq!(
        problem["detail"],
        "unknown field `units_sold` in `fields`; valid fields of album: id, title, artist, release_date, upc, price_cents, cover_art_url, links, tracks"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn lists_decide_per_album() {
    let s = Seeded::start("fields-list").await;
    for who in EVERYONE {
        let list = json(&s, who, "/api/albums?per_page=100&fields=*").await;
        for item in list["items"].as_array().expect("items") {
            let owner = item["artist"]["id"].as_i64().expect("an artist id");
            let sees = match who {
                Who::Anonymous => false,
                Who::Other => owner == s.tokens.harbors_id,
                Who::Owner => owner == s.tokens.maren_id,
                Who::Admin => true,
            };
            let extra: &[&str] = if sees { &OWNER_EXTRA } else { &[] };
            assert_eq!(keys(item), with(&PUBLIC_ALL, extra), "{who:?} {item}");
            if !sees {
                no_owner_fields(&item.to_string(), &format!("{who:?} list"));
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_artists_email_is_for_themself_and_admins() {
    let s = Seeded::start("fields-artist").await;
    let maren = s.tokens.maren_id;
    let public = ["id", "name", "bio", "links"];
    for who in EVERYONE {
        let sees = who.privileged();
        let extra: &[&str] = if sees { &["email"] } else { &[] };
        for selection in ["", "?fields=*"] {
            let path = format!("/api/artists/{maren}{selection}");
            let artist = json(&s, who, &path).await;
            assert_eq!(keys(&artist), with(&public, extra), "{who:?} {selection}");
            assert_eq!(
                keys(&artist["links"]),
                sorted(&["bandcamp", "spotify", "website"])
            );
            let doc = xml(&s, who, &path).await;
            assert_eq!(
                sorted_of(xml_children(&doc, &["artist"])),
                with(&public, extra)
            );
            assert_eq!(doc.contains("maren@example.com"), sees, "{who:?}");
            if sees {
                assert_eq!(artist["email"], "maren@example.com");
            }
        }
        let r = s
            .client
            .get(format!("/api/artists/{maren}?fields=id,email"))
            .bearer_opt(who.token(&s).as_deref())
            .await;
        // Anonymous callers own nothing: naming `email` is a 400. A signed-in
        // artist's selection is valid, and the field is absent.
        let expected = if who == Who::Anonymous {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        };
        assert_eq!(r.status(), expected, "{who:?}: {}", r.text());
        assert_eq!(r.text().contains("example.com"), sees);
    }
}
