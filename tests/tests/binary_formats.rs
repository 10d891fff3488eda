//! CBOR and MessagePack over a real socket, negotiated as JSON and XML
//! are: `Accept` picks the response format (aliases included), the
//! `Content-Type` of a body its decoder, and every error is a problem
//! document in the client's format. What a caller sees is the same field
//! set in every format; what a caller may write is the same too.

use pale::format::{Cbor, MessagePack};
use pale::prelude::*;
use pale::test::{TestResponse, TestServer};
use pale_core::argument::Raw;
use pale_core::write::{WriteMode, apply};
use pale_tests::fixtures::{GetAlbum, Store};
use serde_json::{Value, json};

/// A review: written by a logged-in user, who owns it afterwards.
#[derive(Resource, Clone)]
#[pale(context = Store, viewer = Review::viewer)]
struct Review {
    /// Identifier.
    id: u32,
    /// Headline.
    #[pale(write = User, len = 1..=40)]
    title: String,
    /// Rating.
    #[pale(write = User, range = 1..=5)]
    stars: u8,
    /// The moderator's verdict, for the author.
    #[pale(audience = Owner)]
    moderation: String,
    #[pale(skip)]
    owner: u32,
}

impl Review {
    fn viewer(&self, ctx: &Context<Store>) -> Audience {
        match ctx.user() {
            Some(c) if c.id == self.owner => ctx.audience().max(Audience::Owner),
            _ => ctx.audience(),
        }
    }
}

/// Write a review.
#[derive(Endpoint)]
#[pale(POST "/reviews", name = "create_review", audience = User)]
struct CreateReview {
    #[pale(from = document)]
    body: Raw,
}

impl Handler<Store> for CreateReview {
    type Output = Review;
    async fn handle(self, ctx: &Context<Store>) -> Result<Review, ApiError> {
        let mut review = Review {
            id: 3,
            title: String::new(),
            stars: 0,
            moderation: "pending".to_owned(),
            owner: ctx.user().map_or(0, |u| u.id),
        };
        apply(&mut review, &self.body, ctx, WriteMode::Create)?;
        Ok(review)
    }
}

fn api() -> Api<Store> {
    Api::builder(Store)
        .format(Cbor)
        .format(MessagePack)
        .mount::<GetAlbum>()
        .mount::<CreateReview>()
        .build()
        .expect("the API builds")
}

/// The formats by the name a client asks for, and the type it reads back.
const FORMATS: [(&str, &str); 5] = [
    ("application/json", "application/json"),
    ("application/cbor", "application/cbor"),
    ("application/vnd.msgpack", "application/vnd.msgpack"),
    ("application/msgpack", "application/msgpack"),
    ("application/x-msgpack", "application/x-msgpack"),
];

/// The body of `response`, decoded by the format's own crate (not by
/// Pale) as the JSON value it holds.
fn decode(response: &TestResponse) -> Value {
    let bytes = &response.bytes()[..];
    match response.header("content-type").unwrap_or("") {
        t if t.ends_with("cbor") => ciborium::from_reader(bytes).expect("valid CBOR"),
        t if t.contains("msgpack") => rmp_serde::from_slice(bytes).expect("valid MessagePack"),
        _ => serde_json::from_slice(bytes).expect("valid JSON"),
    }
}

fn cbor(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    ciborium::into_writer(value, &mut out).unwrap();
    out
}

fn msgpack(value: &Value) -> Vec<u8> {
    rmp_serde::to_vec_named(value).unwrap()
}

fn keys(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .expect("a map")
        .keys()
        .map(String::as_str)
        .collect()
}

#[tokio::test]
async fn every_format_shows_each_caller_exactly_its_fields() {
    let server = TestServer::start(api()).await;
    #[rustfmt::skip]
    let cases: &[(Option<&str>, &str, &[&str])] = &[
        (None,           "*",          &["id", "title", "artist", "tracks", "price_cents", "sale_ends", "url"]),
        (Some("2"),      "*",          &["id", "title", "artist", "tracks", "price_cents", "following", "sale_ends", "url"]),
        (Some("1"),      "*",          &["id", "title", "artist", "tracks", "price_cents", "following", "units_sold", "sale_ends", "url"]),
        (Some("admin"),  "*",          &["id", "title", "artist", "tracks", "price_cents", "following", "units_sold", "review_notes", "sale_ends", "url"]),
        (Some("2"),      "title,units_sold", &["title"]),
        (Some("1"),      "units_sold,tracks(license_status)", &["tracks", "units_sold"]),
        (None,           "",           &[]),
    ];
    for (token, fields, expected) in cases {
        let path = format!("/albums/7?fields={fields}");
        let mut json = None;
        for (accept, content_type) in FORMATS {
            let reply = server
                .client()
                .get(&path)
                .bearer_opt(*token)
                .accept(accept)
                .await;
            assert_eq!(reply.status(), 200, "{token:?} {fields} {accept}");
            assert_eq!(reply.header("content-type"), Some(content_type));
            assert_eq!(reply.header("vary"), Some("Accept, Authorization"));
            let value = decode(&reply);
            assert_eq!(keys(&value), *expected, "{token:?} {fields} {accept}");
            let json = json.get_or_insert_with(|| value.clone());
            assert_eq!(
                &value, json,
                "{token:?} {fields} {accept}: not JSON's values"
            );
        }
    }
}

#[tokio::test]
async fn owner_only_names_are_a_400_problem_that_reveals_nothing_in_every_format() {
    let server = TestServer::start(api()).await;
    let problems = [
        ("application/json", "application/problem+json"),
        ("application/cbor", "application/problem+cbor"),
        ("application/vnd.msgpack", "application/vnd.msgpack"),
    ];
    for (accept, content_type) in problems {
        for fields in ["units_sold", "tracks(license_status)"] {
            let reply = server
                .client()
                .get(format!("/albums/7?fields={fields}"))
                .accept(accept)
                .await;
            assert_eq!(reply.status(), 400, "{accept} {fields}");
            assert_eq!(reply.header("content-type"), Some(content_type));
            let problem = decode(&reply);
            assert_eq!(problem["status"], 400);
            assert_eq!(problem["code"], "unknown_field", "{problem}");
            let detail = problem["detail"].as_str().unwrap();
            for hidden in ["units_sold", "license_status", "review_notes", "following"] {
                if !fields.contains(hidden) {
                    assert!(
                        !detail.contains(hidden),
                        "{accept}: {detail} reveals {hidden}"
                    );
                }
            }
        }
    }
}

#[tokio::test]
async fn a_review_is_written_in_cbor_or_messagepack_and_read_back_in_kind() {
    let server = TestServer::start(api()).await;
    let body = json!({"title": "Lovely", "stars": 5});
    let sent: [(&str, Vec<u8>); 3] = [
        ("application/cbor", cbor(&body)),
        ("application/vnd.msgpack", msgpack(&body)),
        ("application/x-msgpack", msgpack(&body)),
    ];
    for (content_type, bytes) in sent {
        let reply = server
            .client()
            .post("/reviews")
            .bearer("2")
            .accept(content_type)
            .body(content_type, bytes)
            .await;
        assert_eq!(reply.status(), 200, "{content_type}: {}", decode(&reply));
        assert_eq!(reply.header("content-type"), Some(content_type));
        // The author owns it: the owner-only verdict is theirs to read.
        assert_eq!(
            decode(&reply),
            json!({"id": 3, "title": "Lovely", "stars": 5, "moderation": "pending"})
        );
    }
}

#[tokio::test]
async fn a_refused_write_names_the_fields_in_the_clients_format() {
    let server = TestServer::start(api()).await;
    // Out of range, too long, and a read-only owner field.
    let body = json!({"title": "x".repeat(41), "stars": 9, "moderation": "ok"});
    for (content_type, bytes) in [
        ("application/cbor", cbor(&body)),
        ("application/msgpack", msgpack(&body)),
    ] {
        let reply = server
            .client()
            .post("/reviews")
            .bearer("2")
            .accept(content_type)
            .body(content_type, bytes)
            .await;
        assert_eq!(reply.status(), 422, "{content_type}");
        let problem = decode(&reply);
        let mut pointers: Vec<(&str, &str)> = problem["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|e| (e["pointer"].as_str().unwrap(), e["code"].as_str().unwrap()))
            .collect();
        pointers.sort_unstable();
        assert_eq!(
            pointers,
            [
                ("/moderation", "read_only"),
                ("/stars", "out_of_range"),
                ("/title", "too_long")
            ],
            "{content_type}: {problem}"
        );
    }
}

#[tokio::test]
async fn malformed_deep_and_oversized_bodies_are_problems_without_internals() {
    let limits = Limits::default().max_body_bytes(64).max_depth(4);
    let server = TestServer::with_limits(api(), limits).await;
    let nested = json!({"title": [[[[["deep"]]]]]});
    #[rustfmt::skip]
    let cases: [(&str, Vec<u8>, u16, &str); 6] = [
        ("application/cbor", vec![0xa2, 0x61, b'a'], 400, "malformed application/cbor body: the body ends inside a value"),
        ("application/cbor", cbor(&nested), 400, "malformed application/cbor body: the document nests too deeply"),
        ("application/cbor", vec![0x7a, 0xff, 0xff, 0xff, 0xf0, b'a'], 400, "malformed application/cbor body: the body ends inside a value"),
        ("application/vnd.msgpack", vec![0xc1], 400, "malformed application/vnd.msgpack body: a value has an unexpected type"),
        ("application/vnd.msgpack", msgpack(&nested), 400, "malformed application/vnd.msgpack body: the document nests too deeply"),
        ("application/vnd.msgpack", msgpack(&json!({"title": "x".repeat(80)})), 413, ""),
    ];
    for (content_type, bytes, status, detail) in cases {
        let reply = server
            .client()
            .post("/reviews")
            .bearer("2")
            .accept(content_type)
            .body(content_type, bytes)
            .await;
        assert_eq!(reply.status(), status, "{content_type} {detail}");
        let problem = decode(&reply);
        assert_eq!(problem["status"], status);
        if status == 400 {
            assert_eq!(problem["code"], "malformed_body");
            assert_eq!(problem["detail"], detail);
        }
    }
}

#[tokio::test]
async fn the_formats_are_offered_where_bodies_are_refused_and_only_where_registered() {
    let server = TestServer::start(api()).await;
    let reply = server
        .client()
        .post("/reviews")
        .bearer("2")
        .body("text/plain", "hi")
        .await;
    assert_eq!(reply.status(), 415);
    assert_eq!(
        reply.header("accept-post"),
        Some(
            "application/json, application/xml, text/xml, application/cbor, \
             application/vnd.msgpack, application/msgpack, application/x-msgpack, \
             application/x-www-form-urlencoded"
        )
    );
    // An API that did not register them answers 406 in JSON.
    let plain = Api::builder(Store).mount::<GetAlbum>().build().unwrap();
    let plain = TestServer::start(plain).await;
    let reply = plain
        .client()
        .get("/albums/7")
        .accept("application/cbor")
        .await;
    assert_eq!(reply.status(), 406);
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+json")
    );
}

#[test]
fn the_openapi_document_lists_the_media_types_the_api_speaks() {
    let doc = serde_json::to_value(pale::describe::openapi(&api(), None)).unwrap();
    let post = &doc["paths"]["/reviews"]["post"];
    let body: Vec<&str> = keys(&post["requestBody"]["content"]);
    assert_eq!(
        body,
        [
            "application/json",
            "application/xml",
            "application/cbor",
            "application/vnd.msgpack",
            "application/x-www-form-urlencoded"
        ]
    );
    let ok: Vec<&str> =
        keys(&doc["paths"]["/albums/{album_id}"]["get"]["responses"]["200"]["content"]);
    assert_eq!(
        ok,
        [
            "application/json",
            "application/xml",
            "application/cbor",
            "application/vnd.msgpack"
        ]
    );
    assert_eq!(
        post["responses"]["422"]["$ref"],
        "#/components/responses/UnprocessableContent"
    );
    let problem: Vec<&str> =
        keys(&doc["components"]["responses"]["UnprocessableContent"]["content"]);
    assert_eq!(
        problem,
        [
            "application/problem+json",
            "application/problem+xml",
            "application/problem+cbor",
            "application/vnd.msgpack"
        ]
    );
}
