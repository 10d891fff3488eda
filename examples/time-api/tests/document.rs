//! The schema-less document at `/api/resource`, in process: read,
//! merge-patched (RFC 7396), replaced and reset, in JSON and XML; no
//! update lost under concurrent patches; and a flood of large patches held
//! to the document's bounds, each refused one changing nothing.

use serde_json::{Value, json};
use tokio::task::JoinSet;

use pale::test::{TestClient, TestResponse};
use time_api::TimeApp;

const MERGE_PATCH: &str = "application/merge-patch+json";

/// A client of the time API, in process; paths include its base path.
fn start() -> TestClient<TimeApp> {
    TestClient::new(time_api::api()).with_base("")
}

async fn patch(client: &TestClient<TimeApp>, body: &str) -> TestResponse {
    client.patch("/api/resource").body(MERGE_PATCH, body).await
}

async fn document(client: &TestClient<TimeApp>) -> Value {
    let reply = client.get("/api/resource").await;
    assert_eq!(reply.status(), 200, "{}", reply.text());
    reply.json::<Value>()
}

fn assert_ok(reply: &TestResponse, expected: &Value) {
    assert_eq!(reply.status(), 200, "{}", reply.text());
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(reply.header("cache-control"), Some("no-cache"));
    assert_eq!(reply.json::<Value>(), *expected);
}

/// The `(pointer, code)` of the one field error of a 422.
fn the_error(reply: &TestResponse) -> (String, String) {
    assert_eq!(reply.status(), 422, "{}", reply.text());
    let problem = reply.json::<Value>();
    let errors = problem["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{problem}");
    let text = |v: &Value| v.as_str().unwrap().to_owned();
    (text(&errors[0]["pointer"]), text(&errors[0]["code"]))
}

#[tokio::test]
async fn get_in_json_and_xml() {
    let client = start();
    let reply = client.get("/api/resource").await;
    assert_ok(&reply, &json!({"key": "value"}));
    assert_eq!(reply.text(), r#"{"key":"value"}"#);

    let reply = client.get("/api/resource").accept("application/xml").await;
    assert_eq!(reply.status(), 200);
    assert_eq!(reply.header("content-type"), Some("application/xml"));
    assert_eq!(
        reply.text(),
        r#"<?xml version="1.0" encoding="UTF-8"?><resource><key>value</key></resource>"#
    );
}

#[tokio::test]
async fn a_merge_patch_deletes_merges_and_replaces() {
    let client = start();
    let reply = patch(
        &client,
        r#"{"key": null, "a": {"b": 1, "c": {"d": true}}, "list": [1, 2], "n": 1.5}"#,
    )
    .await;
    let expected = json!({"a": {"b": 1, "c": {"d": true}}, "list": [1, 2], "n": 1.5});
    assert_ok(&reply, &expected);
    assert_eq!(document(&client).await, expected);

    let reply = patch(
        &client,
        r#"{"a": {"c": {"d": null, "e": "x"}, "b": 2}, "list": [3], "n": {"m": null}}"#,
    )
    .await;
    let expected = json!({"a": {"b": 2, "c": {"e": "x"}}, "list": [3], "n": {}});
    assert_ok(&reply, &expected);
    assert_eq!(document(&client).await, expected);

    // Deleting what is not there changes nothing; an empty patch neither.
    assert_ok(&patch(&client, r#"{"missing": null}"#).await, &expected);
    assert_ok(&patch(&client, "{}").await, &expected);

    // The answer in XML.
    let reply = client
        .patch("/api/resource")
        .accept("application/xml")
        .body(
            MERGE_PATCH,
            r#"{"a": null, "list": null, "n": null, "key": "again"}"#,
        )
        .await;
    assert_eq!(reply.status(), 200);
    assert_eq!(reply.header("content-type"), Some("application/xml"));
    assert_eq!(
        reply.text(),
        r#"<?xml version="1.0" encoding="UTF-8"?><resource><key>again</key></resource>"#
    );
}

#[tokio::test]
async fn a_patch_that_is_not_an_object_changes_nothing() {
    let client = start();
    #[rustfmt::skip]
    let cases = [
        ("[1]", ("", "invalid_type")),
        (r#""text""#, ("", "invalid_type")),
        ("5", ("", "invalid_type")),
        ("null", ("", "missing")),
        ("", ("", "missing")),
    ];
    for (body, (pointer, code)) in cases {
        let reply = patch(&client, body).await;
        assert_eq!(
            the_error(&reply),
            (pointer.to_owned(), code.to_owned()),
            "{body:?}"
        );
    }
    assert_eq!(document(&client).await, json!({"key": "value"}));
}

#[tokio::test]
async fn put_replaces_and_reset_restores() {
    let client = start();
    let url = "/api/resource";
    let reply = client
        .put(url)
        .body("application/json", r#"{"x": [1, {"y": null}], "z": false}"#)
        .await;
    let expected = json!({"x": [1, {"y": null}], "z": false});
    assert_ok(&reply, &expected);
    assert_eq!(document(&client).await, expected);

    // Any body format makes an object; XML and forms carry text.
    let reply = client
        .put(url)
        .body("application/xml", "<doc><x>1</x><y><z>2</z></y></doc>")
        .await;
    assert_ok(&reply, &json!({"x": "1", "y": {"z": "2"}}));
    let reply = client
        .put(url)
        .body("application/x-www-form-urlencoded", "a=1&b=two")
        .await;
    assert_ok(&reply, &json!({"a": "1", "b": "two"}));

    // Anything but an object is refused, and nothing changes.
    for body in ["[1, 2]", "\"text\"", "3", "true"] {
        let reply = client.put(url).body("application/json", body).await;
        assert_eq!(
            the_error(&reply),
            (String::new(), "invalid_type".to_owned()),
            "{body}"
        );
    }
    let reply = client.put(url).await;
    assert_eq!(the_error(&reply), (String::new(), "missing".to_owned()));
    let reply = client.put(url).body(MERGE_PATCH, "{}").await;
    assert_eq!(reply.status(), 415);
    assert_eq!(document(&client).await, json!({"a": "1", "b": "two"}));

    let reply = client.post("/api/resource/reset").await;
    assert_ok(&reply, &json!({"key": "value"}));
    assert_eq!(document(&client).await, json!({"key": "value"}));
}

// Several worker threads, so that the patches really run in parallel.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_patches_lose_no_update() {
    const PATCHES: usize = 50;
    let client = start();
    let mut tasks = JoinSet::new();
    for i in 0..PATCHES {
        let client = client.clone();
        tasks.spawn(async move {
            let body = format!(r#"{{"k{i}": {i}}}"#);
            let reply = client.patch("/api/resource").body(MERGE_PATCH, &body).await;
            assert_eq!(reply.status(), 200, "{}", reply.text());
            // Each answer holds this patch's key, whatever came before.
            assert_eq!(
                reply.json::<Value>()[format!("k{i}")],
                i,
                "{}",
                reply.text()
            );
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("a patch task did not panic");
    }
    let doc = document(&client).await;
    let object = doc.as_object().unwrap();
    assert_eq!(object.len(), PATCHES + 1, "{doc}");
    assert_eq!(object["key"], "value");
    for i in 0..PATCHES {
        assert_eq!(object[&format!("k{i}")], i, "k{i} in {doc}");
    }
}

/// The 413 of a write past the document's bounds, naming the bound.
fn assert_too_large(reply: &TestResponse, detail: &str) {
    assert_eq!(reply.status(), 413, "{}", reply.text());
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+json")
    );
    let problem = reply.json::<Value>();
    assert_eq!(problem["code"], "document_too_large", "{problem}");
    assert_eq!(problem["detail"], detail, "{problem}");
}

const TOO_MANY_BYTES: &str =
    "the document may be at most 65536 bytes as JSON; this request would make it larger";

#[tokio::test]
async fn a_flood_of_patches_stays_within_the_bounds() {
    use time_api::bounds::{MAX_DOCUMENT_BYTES, MAX_DOCUMENT_ENTRIES};
    let client = start();
    // 8 KiB a key: the first patches fit, the rest are refused.
    let chunk = "x".repeat(8 * 1024);
    let mut accepted = 0;
    for i in 0..40 {
        let before = document(&client).await;
        let reply = patch(&client, &json!({ format!("k{i}"): chunk }).to_string()).await;
        if reply.status() == 200 {
            accepted += 1;
        } else {
            assert_too_large(&reply, TOO_MANY_BYTES);
            assert_eq!(
                document(&client).await,
                before,
                "a refused patch changed it"
            );
        }
        let now = client.get("/api/resource").await;
        assert!(
            now.text().len() <= MAX_DOCUMENT_BYTES,
            "{} bytes",
            now.text().len()
        );
    }
    // {"key":"value"} and seven keys of 8 KiB + 10 bytes each fit in 64 KiB.
    assert_eq!(accepted, 7);

    // One patch of 0.9 MB, under the body limit: refused whole, even the
    // member it deletes stays.
    let before = document(&client).await;
    let big = json!({"key": null, "big": "x".repeat(900_000)}).to_string();
    assert_too_large(&patch(&client, &big).await, TOO_MANY_BYTES);
    assert_eq!(document(&client).await, before);

    // Keys: a PUT of exactly the most entries is taken, a patch adding one
    // more is refused.
    let full: serde_json::Map<String, Value> = (0..MAX_DOCUMENT_ENTRIES)
        .map(|i| (format!("{i}"), json!(0)))
        .collect();
    let full = Value::Object(full);
    let reply = client
        .put("/api/resource")
        .body("application/json", full.to_string())
        .await;
    assert_ok(&reply, &full);
    assert_too_large(
        &patch(&client, r#"{"one more": 0}"#).await,
        "the document may hold at most 4096 keys and list items; \
         this request would make it hold more",
    );
    assert_eq!(document(&client).await, full);
    // Replacing a member is no new key.
    let reply = patch(&client, r#"{"0": 1}"#).await;
    assert_eq!(reply.status(), 200, "{}", reply.text());
}
