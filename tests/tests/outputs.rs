//! The output kinds a handler can return, rendered as the server would:
//! lists and pages with per-item visibility, `Fields`, `Created`,
//! `Redirect`, `NoContent`, `WithHeaders`.

use pale_core::format::Wire;
use pale_core::prelude::*;
use pale_core::{Endpoint, Reply};
use pale_tests::fixtures::{Album, GetAlbum, Store, Viewer, album, context};
use serde_json::Value;

fn respond<R: Reply<Store>>(
    reply: R,
    viewer: Viewer,
    fields: Option<&str>,
) -> (u16, http::HeaderMap, Value) {
    let ctx = context(viewer, fields);
    let response = reply
        .into_response(&ctx, <GetAlbum as Endpoint>::META.envelope, &Wire::Json)
        .unwrap();
    let body = if response.body().is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(response.body()).unwrap()
    };
    (response.status().as_u16(), response.headers().clone(), body)
}

fn two_owners() -> Vec<Album> {
    let mine = album();
    let theirs = Album {
        id: 8,
        owner: 2,
        ..album()
    };
    vec![mine, theirs]
}

#[test]
fn a_page_renders_each_item_for_its_own_viewer() {
    let page = Page::new(two_owners(), 2, 2, 5);
    let (status, _, body) = respond(page, Viewer::Owner, Some("id,units_sold"));
    assert_eq!(status, 200);
    assert_eq!(
        body,
        serde_json::json!({
            "items": [{"id": 7, "units_sold": 12}, {"id": 8}],
            "page": 2, "per_page": 2, "total": 5, "pages": 3
        })
    );
}

#[test]
fn a_list_renders_each_item_for_its_own_viewer() {
    let (_, _, body) = respond(two_owners(), Viewer::Owner, Some("id,units_sold"));
    assert_eq!(
        body,
        serde_json::json!([{"id": 7, "units_sold": 12}, {"id": 8}])
    );
    let (_, _, body) = respond(two_owners(), Viewer::Anonymous, None);
    assert_eq!(
        body[1].as_object().unwrap().keys().collect::<Vec<_>>(),
        ["id", "title", "artist", "tracks"]
    );
}

#[test]
fn fields_sets_the_handlers_default_and_the_client_still_wins() {
    let (_, _, body) = respond(
        Fields::defaults_and(album(), &["price_cents"]),
        Viewer::Anonymous,
        None,
    );
    assert_eq!(
        body.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["id", "title", "artist", "tracks", "price_cents"]
    );
    let (_, _, body) = respond(Fields::all(album()), Viewer::Anonymous, Some("id"));
    assert_eq!(body, serde_json::json!({"id": 7}));
}

#[test]
fn created_answers_201_with_a_location_under_the_base_path() {
    let (status, headers, body) = respond(
        Created::at(GetAlbum::path(7), album()),
        Viewer::Owner,
        Some("id"),
    );
    assert_eq!(status, 201);
    assert_eq!(headers["location"], "/api/albums/7");
    assert_eq!(body, serde_json::json!({"id": 7}));
}

#[test]
fn redirects_and_no_content_have_no_body() {
    let (status, headers, body) = respond(
        Redirect::see_other(GetAlbum::path(7)),
        Viewer::Anonymous,
        None,
    );
    assert_eq!(
        (status, headers["location"].to_str().unwrap(), body),
        (303, "/api/albums/7", Value::Null)
    );
    let (status, headers, _) = respond(
        Redirect::permanent("/albums/8".to_owned()),
        Viewer::Anonymous,
        None,
    );
    assert_eq!(
        (status, headers["location"].to_str().unwrap()),
        (308, "/api/albums/8")
    );
    let (status, headers, body) = respond(NoContent, Viewer::Anonymous, None);
    assert_eq!((status, body), (204, Value::Null));
    assert!(headers.get("content-type").is_none());
}

#[test]
fn with_headers_adds_to_any_reply() {
    let reply = WithHeaders::new(album()).header(
        http::HeaderName::from_static("after-response"),
        http::HeaderValue::from_static("OK"),
    );
    let (status, headers, _) = respond(reply, Viewer::Anonymous, None);
    assert_eq!(
        (status, headers["after-response"].to_str().unwrap()),
        (200, "OK")
    );
}
