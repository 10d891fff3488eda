//! The schema-less document at `/api/resource` over a real socket: read,
//! merge-patched (RFC 7396), replaced and reset, in JSON and XML; no
//! update lost under concurrent patches; and a flood of large patches held
//! to the document's bounds, each refused one changing nothing.

mod common;

use http::Method;
use serde_json::{Value, json};
use tokio::task::JoinSet;

use common::{Reply, TestServer, get, request, send, send_body, send_with};

const MERGE_PATCH: &str = "application/merge-patch+json";

async fn patch(server: &TestServer, body: &str) -> Reply {
    send_body(
        Method::PATCH,
        &server.url("/api/resource"),
        MERGE_PATCH,
        body,
    )
    .await
}

async fn document(server: &TestServer) -> Value {
    let reply = get(&server.url("/api/resource"), &[]).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json()
}

fn assert_ok(reply: &Reply, expected: &Value) {
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(reply.header("cache-control"), Some("no-cache"));
    assert_eq!(reply.json(), *expected);
}

/// The `(pointer, code)` of the one field error of a 422.
fn the_error(reply: &Reply) -> (String, String) {
    assert_eq!(reply.status, 422, "{}", reply.body);
    let problem = reply.json();
    let errors = problem["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{problem}");
    let text = |v: &Value| v.as_str().unwrap().to_owned();
    (text(&errors[0]["pointer"]), text(&errors[0]["code"]))
}

#[tokio::test]
async fn get_in_json_and_xml() {
    let server = TestServer::start(time_api::api()).await;
    let reply = get(&server.url("/api/resource"), &[]).await;
    assert_ok(&reply, &json!({"key": "value"}));
    assert_eq!(reply.body, r#"{"key":"value"}"#);

    let reply = get(
        &server.url("/api/resource"),
        &[("accept", "application/xml")],
    )
    .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/xml"));
    assert_eq!(
        reply.body,
        r#"<?xml version="1.0" encoding="UTF-8"?><resource><key>value</key></resource>"#
    );
    server.stop().await;
}

#[tokio::test]
async fn a_merge_patch_deletes_merges_and_replaces() {
    let server = TestServer::start(time_api::api()).await;
    let reply = patch(
        &server,
        r#"{"key": null, "a": {"b": 1, "c": {"d": true}}, "list": [1, 2], "n": 1.5}"#,
    )
    .await;
    let expected = json!({"a": {"b": 1, "c": {"d": true}}, "list": [1, 2], "n": 1.5});
    assert_ok(&reply, &expected);
    assert_eq!(document(&server).await, expected);

    let reply = patch(
        &server,
        r#"{"a": {"c": {"d": null, "e": "x"}, "b": 2}, "list": [3], "n": {"m": null}}"#,
    )
    .await;
    let expected = json!({"a": {"b": 2, "c": {"e": "x"}}, "list": [3], "n": {}});
    assert_ok(&reply, &expected);
    assert_eq!(document(&server).await, expected);

    // Deleting what is not there changes nothing; an empty patch neither.
    assert_ok(&patch(&server, r#"{"missing": null}"#).await, &expected);
    assert_ok(&patch(&server, "{}").await, &expected);

    // The answer in XML.
    let reply = send(request(
        Method::PATCH,
        &server.url("/api/resource"),
        &[("content-type", MERGE_PATCH), ("accept", "application/xml")],
        r#"{"a": null, "list": null, "n": null, "key": "again"}"#,
    ))
    .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/xml"));
    assert_eq!(
        reply.body,
        r#"<?xml version="1.0" encoding="UTF-8"?><resource><key>again</key></resource>"#
    );
    server.stop().await;
}

#[tokio::test]
async fn a_patch_that_is_not_an_object_changes_nothing() {
    let server = TestServer::start(time_api::api()).await;
    #[rustfmt::skip]
    let cases = [
        ("[1]", ("", "invalid_type")),
        (r#""text""#, ("", "invalid_type")),
        ("5", ("", "invalid_type")),
        ("null", ("", "missing")),
        ("", ("", "missing")),
    ];
    for (body, (pointer, code)) in cases {
        let reply = patch(&server, body).await;
        assert_eq!(
            the_error(&reply),
            (pointer.to_owned(), code.to_owned()),
            "{body:?}"
        );
    }
    assert_eq!(document(&server).await, json!({"key": "value"}));
    server.stop().await;
}

#[tokio::test]
async fn put_replaces_and_reset_restores() {
    let server = TestServer::start(time_api::api()).await;
    let url = server.url("/api/resource");
    let reply = send_body(
        Method::PUT,
        &url,
        "application/json",
        r#"{"x": [1, {"y": null}], "z": false}"#,
    )
    .await;
    let expected = json!({"x": [1, {"y": null}], "z": false});
    assert_ok(&reply, &expected);
    assert_eq!(document(&server).await, expected);

    // Any body format makes an object; XML and forms carry text.
    let reply = send_body(
        Method::PUT,
        &url,
        "application/xml",
        "<doc><x>1</x><y><z>2</z></y></doc>",
    )
    .await;
    assert_ok(&reply, &json!({"x": "1", "y": {"z": "2"}}));
    let reply = send_body(
        Method::PUT,
        &url,
        "application/x-www-form-urlencoded",
        "a=1&b=two",
    )
    .await;
    assert_ok(&reply, &json!({"a": "1", "b": "two"}));

    // Anything but an object is refused, and nothing changes.
    for body in ["[1, 2]", "\"text\"", "3", "true"] {
        let reply = send_body(Method::PUT, &url, "application/json", body).await;
        assert_eq!(
            the_error(&reply),
            (String::new(), "invalid_type".to_owned()),
            "{body}"
        );
    }
    let reply = send(request(Method::PUT, &url, &[], "")).await;
    assert_eq!(the_error(&reply), (String::new(), "missing".to_owned()));
    let reply = send_body(Method::PUT, &url, MERGE_PATCH, "{}").await;
    assert_eq!(reply.status, 415);
    assert_eq!(document(&server).await, json!({"a": "1", "b": "two"}));

    let reply = send(request(
        Method::POST,
        &server.url("/api/resource/reset"),
        &[],
        "",
    ))
    .await;
    assert_ok(&reply, &json!({"key": "value"}));
    assert_eq!(document(&server).await, json!({"key": "value"}));
    server.stop().await;
}

// Several worker threads, so that the patches really run in parallel.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_patches_lose_no_update() {
    const PATCHES: usize = 50;
    let server = TestServer::start(time_api::api()).await;
    let client = common::client();
    let url = server.url("/api/resource");
    let mut tasks = JoinSet::new();
    for i in 0..PATCHES {
        let (client, url) = (client.clone(), url.clone());
        tasks.spawn(async move {
            let body = format!(r#"{{"k{i}": {i}}}"#);
            let reply = send_with(
                &client,
                request(Method::PATCH, &url, &[("content-type", MERGE_PATCH)], &body),
            )
            .await;
            assert_eq!(reply.status, 200, "{}", reply.body);
            // Each answer holds this patch's key, whatever came before.
            assert_eq!(reply.json()[format!("k{i}")], i, "{}", reply.body);
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("a patch task did not panic");
    }
    let doc = document(&server).await;
    let object = doc.as_object().unwrap();
    assert_eq!(object.len(), PATCHES + 1, "{doc}");
    assert_eq!(object["key"], "value");
    for i in 0..PATCHES {
        assert_eq!(object[&format!("k{i}")], i, "k{i} in {doc}");
    }
    server.stop().await;
}

/// The 413 of a write past the document's bounds, naming the bound.
fn assert_too_large(reply: &Reply, detail: &str) {
    assert_eq!(reply.status, 413, "{}", reply.body);
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+json")
    );
    let problem = reply.json();
    assert_eq!(problem["code"], "document_too_large", "{problem}");
    assert_eq!(problem["detail"], detail, "{problem}");
}

const TOO_MANY_BYTES: &str =
    "the document may be at most 65536 bytes as JSON; this request would make it larger";

#[tokio::test]
async fn a_flood_of_patches_stays_within_the_bounds() {
    use time_api::bounds::{MAX_DOCUMENT_BYTES, MAX_DOCUMENT_ENTRIES};
    let server = TestServer::start(time_api::api()).await;
    // 8 KiB a key: the first patches fit, the rest are refused.
    let chunk = "x".repeat(8 * 1024);
    let mut accepted = 0;
    for i in 0..40 {
        let before = document(&server).await;
        let reply = patch(&server, &json!({ format!("k{i}"): chunk }).to_string()).await;
        if reply.status == 200 {
            accepted += 1;
        } else {
            assert_too_large(&reply, TOO_MANY_BYTES);
            assert_eq!(
                document(&server).await,
                before,
                "a refused patch changed it"
            );
        }
        let now = get(&server.url("/api/resource"), &[]).await;
        assert!(
            now.body.len() <= MAX_DOCUMENT_BYTES,
            "{} bytes",
            now.body.len()
        );
    }
    // {"key":"value"} and seven keys of 8 KiB + 10 bytes each fit in 64 KiB.
    assert_eq!(accepted, 7);

    // One patch of 0.9 MB, under the body limit: refused whole, even the
    // member it deletes stays.
    let before = document(&server).await;
    let big = json!({"key": null, "big": "x".repeat(900_000)}).to_string();
    assert_too_large(&patch(&server, &big).await, TOO_MANY_BYTES);
    assert_eq!(document(&server).await, before);

    // Keys: a PUT of exactly the most entries is taken, a patch adding one
    // more is refused.
    let full: serde_json::Map<String, Value> = (0..MAX_DOCUMENT_ENTRIES)
        .map(|i| (format!("{i}"), json!(0)))
        .collect();
    let full = Value::Object(full);
    let reply = send_body(
        Method::PUT,
        &server.url("/api/resource"),
        "application/json",
        &full.to_string(),
    )
    .await;
    assert_ok(&reply, &full);
    assert_too_large(
        &patch(&server, r#"{"one more": 0}"#).await,
        "the document may hold at most 4096 keys and list items; \
         this request would make it hold more",
    );
    assert_eq!(document(&server).await, full);
    // Replacing a member is no new key.
    let reply = patch(&server, r#"{"0": 1}"#).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    server.stop().await;
}
