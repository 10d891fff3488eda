//! Output types in the OpenAPI document, as a client generator reads
//! them: every rendered field has a type (an `enum` of the wire strings
//! for a state declared with `Describe`, a getter's return type), and the
//! default representation requires what a response without `fields=`
//! always carries, while the partial one requires nothing.

use pale_core::argument::Schema;
use pale_core::describe;
use pale_core::prelude::*;
use pale_core::resource::Describe;
use serde_json::{Value, json};

/// Where an album is.
#[derive(Clone, Copy, Debug, serde::Serialize)]
#[serde(rename_all = "snake_case")]
enum Status {
    Draft,
    Live,
}

impl Describe for Status {
    const SCHEMA: Schema = Schema::Enum(&["draft", "live"]);
}

/// A release.
#[derive(Resource, Clone, Debug)]
#[pale(
    name = "album_view",
    default_fields(id, title, status, owner_note, length)
)]
struct AlbumView {
    /// Identifier.
    id: u32,
    /// Title.
    title: String,
    /// Where it is.
    status: Status,
    /// Where it was.
    previous: Option<Status>,
    /// Seen by the owner only: absent from other callers' copies.
    #[pale(audience = Owner)]
    owner_note: String,
    /// Computed.
    #[pale(getter = AlbumView::length)]
    length: (),
    /// Opt-in.
    year: u16,
}

impl AlbumView {
    fn length(&self) -> u64 {
        self.title.len() as u64
    }
}

/// Read one album.
#[derive(Endpoint)]
#[pale(GET "/albums/{id}", name = "album")]
struct GetAlbum {
    /// The album.
    id: u32,
}

impl Handler<()> for GetAlbum {
    type Output = AlbumView;
    async fn handle(self, _: &Context<()>) -> Result<AlbumView, ApiError> {
        Ok(AlbumView {
            id: self.id,
            title: "Covers".into(),
            status: Status::Draft,
            previous: Some(Status::Live),
            owner_note: String::new(),
            length: (),
            year: 2024,
        })
    }
}

fn schemas(audience: Audience) -> Value {
    let api = Api::builder(()).mount::<GetAlbum>().build().unwrap();
    let doc = serde_json::to_value(describe::openapi(&api, Some(audience))).unwrap();
    doc["components"]["schemas"].clone()
}

#[test]
fn every_rendered_field_has_a_type() {
    let schemas = schemas(Audience::Owner);
    let fields = &schemas["AlbumView"]["properties"];
    assert_eq!(fields["status"]["type"], "string");
    assert_eq!(fields["status"]["enum"], json!(["draft", "live"]));
    assert_eq!(
        fields["previous"]["anyOf"],
        json!([{"type": "string", "enum": ["draft", "live"]}, {"type": "null"}])
    );
    assert_eq!(fields["length"]["type"], "integer");
    assert_eq!(fields["length"]["format"], "uint64");
    assert_eq!(fields["owner_note"]["type"], "string");
}

#[test]
fn the_default_representation_requires_what_is_always_rendered() {
    let schemas = schemas(Audience::Owner);
    // `owner_note` is a default field, but another artist's copy has no
    // owner fields: not required, even in the owner document. `year` is
    // opt-in.
    assert_eq!(
        schemas["AlbumView"]["required"],
        json!(["id", "title", "status", "length"])
    );
    assert!(schemas["AlbumViewPartial"]["required"].is_null());
    assert_eq!(
        schemas["AlbumViewPartial"]["properties"],
        schemas["AlbumView"]["properties"]
    );
}
