//! One rule for empty text, in a create (`Create<T>`) and a merge patch
//! alike (docs/writes.md, "Empty text"): in JSON and XML `""` is a value,
//! checked like any other (`empty` for a `len = 1..` field); for an
//! optional field it is `null`; in a form an empty value is no value
//! (`missing` for a required field). Over the real pipeline, in process.

use pale::argument::Raw;
use pale::prelude::*;
use pale::test::TestClient;
use pale::write::{WriteMode, apply};
use serde_json::{Value, json};

/// A note.
#[derive(Resource, Clone, Debug)]
struct Note {
    /// Required, never empty.
    #[pale(write = Public, len = 1..=40)]
    title: String,
    /// Optional.
    #[pale(write = Public, len = 1..=200)]
    notes: Option<String>,
}

fn stored() -> Note {
    Note {
        title: "Old".into(),
        notes: Some("kept".into()),
    }
}

/// Create a note.
#[derive(Endpoint)]
#[pale(POST "/notes", name = "create_note")]
struct CreateNote {
    /// The note.
    #[pale(from = document)]
    note: Create<Note>,
}

impl Handler<()> for CreateNote {
    type Output = Note;
    async fn handle(self, ctx: &Context<()>) -> Result<Note, ApiError> {
        let start = Note {
            title: String::new(),
            notes: None,
        };
        self.note.apply_to(start, ctx)
    }
}

/// Change the note.
#[derive(Endpoint)]
#[pale(PATCH "/notes/1", name = "patch_note", writes = Note)]
struct PatchNote {
    /// The merge patch.
    #[pale(from = document)]
    patch: Raw,
}

impl Handler<()> for PatchNote {
    type Output = Note;
    async fn handle(self, ctx: &Context<()>) -> Result<Note, ApiError> {
        let mut note = stored();
        apply(&mut note, &self.patch, ctx, WriteMode::Patch)?;
        Ok(note)
    }
}

const JSON: &str = "application/json";
const XML: &str = "application/xml";
const FORM: &str = "application/x-www-form-urlencoded";
const PATCH: &str = "application/merge-patch+json";

/// What a request should answer.
enum Expect {
    /// 200 with this note.
    Note(Value),
    /// 422 with exactly these (pointer, code, message) errors.
    Problem(&'static [(&'static str, &'static str, &'static str)]),
}

#[tokio::test]
async fn empty_text_is_one_rule_across_create_and_patch() {
    use Expect::{Note as Ok, Problem};
    const EMPTY: (&str, &str, &str) = ("/title", "empty", "must not be empty");
    const MISSING: (&str, &str, &str) = ("/title", "missing", "this field is required");
    const NOT_NULL: (&str, &str, &str) = ("/title", "not_nullable", "this field cannot be null");
    #[rustfmt::skip]
    let cases: Vec<(&str, &str, &str, Expect)> = vec![
        // `""` for a required text field: a value, and it is empty.
        ("POST", JSON, r#"{"title": ""}"#, Problem(&[EMPTY])),
        ("PATCH", PATCH, r#"{"title": ""}"#, Problem(&[EMPTY])),
        ("POST", XML, "<note><title></title></note>", Problem(&[EMPTY])),
        ("POST", XML, "<note><title/></note>", Problem(&[EMPTY])),
        // In a form, an empty value is no value.
        ("POST", FORM, "title=", Problem(&[MISSING])),
        ("POST", FORM, "title=&notes=", Problem(&[MISSING])),
        // `null` for a field that is not optional, and no value at all.
        ("POST", JSON, r#"{"title": null}"#, Problem(&[NOT_NULL])),
        ("PATCH", PATCH, r#"{"title": null}"#, Problem(&[NOT_NULL])),
        ("POST", JSON, "{}", Problem(&[MISSING])),
        ("PATCH", PATCH, "{}", Ok(json!({"title": "Old", "notes": "kept"}))),
        // `""` for an optional field is `null`: absent, or cleared.
        ("POST", JSON, r#"{"title": "A", "notes": ""}"#, Ok(json!({"title": "A", "notes": null}))),
        ("PATCH", PATCH, r#"{"notes": ""}"#, Ok(json!({"title": "Old", "notes": null}))),
        ("POST", FORM, "title=A&notes=", Ok(json!({"title": "A", "notes": null}))),
        ("POST", XML, "<note><title>A</title><notes/></note>", Ok(json!({"title": "A", "notes": null}))),
        // Values are values, in every format.
        ("POST", FORM, "title=A&notes=B", Ok(json!({"title": "A", "notes": "B"}))),
        ("PATCH", PATCH, r#"{"title": "New"}"#, Ok(json!({"title": "New", "notes": "kept"}))),
    ];
    let api = Api::builder(())
        .mount::<CreateNote>()
        .mount::<PatchNote>()
        .build()
        .unwrap();
    let client = TestClient::new(api);
    for (method, content_type, body, expect) in cases {
        let request = match method {
            "POST" => client.post("/notes"),
            _ => client.patch("/notes/1"),
        };
        let reply = request.body(content_type, body).send().await;
        let what = format!("{method} {content_type} {body}");
        let got: Value = reply.json();
        match expect {
            Ok(note) => {
                assert_eq!(reply.status(), 200, "{what}: {got}");
                assert_eq!(got, note, "{what}");
            }
            Problem(errors) => {
                assert_eq!(reply.status(), 422, "{what}: {got}");
                let found: Vec<(&str, &str, &str)> = got["errors"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| {
                        (
                            e["pointer"].as_str().unwrap(),
                            e["code"].as_str().unwrap(),
                            e["message"].as_str().unwrap(),
                        )
                    })
                    .collect();
                assert_eq!(found, errors, "{what}");
            }
        }
    }
}

/// A create body must be an object, whatever the format can say.
#[tokio::test]
async fn a_create_body_that_is_not_an_object_is_a_422_at_the_root() {
    let api = Api::builder(()).mount::<CreateNote>().build().unwrap();
    let client = TestClient::new(api);
    let reply = client.post("/notes").body(JSON, "[1]").send().await;
    assert_eq!(reply.status(), 422);
    let got: Value = reply.json();
    assert_eq!(got["errors"][0]["pointer"], "");
    assert_eq!(got["errors"][0]["code"], "invalid_type");
}
