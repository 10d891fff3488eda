//! The OpenAPI 3.1 document as typed structs: what [`openapi`](fn@super::openapi)
//! returns and serde serializes.
//!
//! Only the parts of the specification Pale produces are modelled, and
//! every optional member is skipped when empty, so the JSON is exactly what
//! the generator decided — no string building anywhere
//! (ARCHITECTURE.md, decision 8).

use indexmap::IndexMap;
use serde::Serialize;

use super::JsonSchema;

/// An OpenAPI 3.1 document.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct OpenApi {
    /// Always `3.1.0`.
    pub openapi: &'static str,
    /// The API's title, version and description.
    pub info: Info,
    /// The operations, by path (the API's base path included).
    pub paths: IndexMap<String, PathItem>,
    /// Shared schemas and responses.
    pub components: Components,
    /// The tags operations use, in first-use order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// The `info` object.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Info {
    /// The API's title.
    pub title: String,
    /// The API's version.
    pub version: String,
    /// What the API is.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Pale: the audience this document is for (`public`, …, or `full`).
    #[serde(rename = "x-pale-audience")]
    pub audience: &'static str,
}

/// A tag.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Tag {
    /// The tag's name.
    pub name: String,
}

/// The operations on one path, by method.
#[derive(Clone, Debug, Default, Serialize)]
#[non_exhaustive]
pub struct PathItem {
    /// `GET` (the server also answers `HEAD`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub get: Option<Operation>,
    /// `PUT`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub put: Option<Operation>,
    /// `POST`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post: Option<Operation>,
    /// `DELETE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delete: Option<Operation>,
    /// `PATCH`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patch: Option<Operation>,
}

impl OpenApi {
    /// Every operation, to rewrite a document (in 3.0.3, in JSON only).
    pub(crate) fn operations_mut(&mut self) -> impl Iterator<Item = &mut Operation> {
        self.paths.values_mut().flat_map(|item| {
            [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
        })
    }
}

/// One endpoint.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Operation {
    /// The route name.
    pub operation_id: String,
    /// The doc comment's first paragraph.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub summary: String,
    /// The rest of the doc comment.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Documentation tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Path, query and header parameters.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<Parameter>,
    /// The body, for endpoints that read one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_body: Option<RequestBody>,
    /// The responses, by status.
    pub responses: IndexMap<String, RefOr<Response>>,
    /// The ways the operation may be authenticated; an empty requirement
    /// (`{}`) among them makes authentication optional. Absent for an
    /// operation nobody authenticates to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub security: Vec<IndexMap<String, Vec<String>>>,
    /// Pale, in the full document: the least audience that may call it.
    #[serde(rename = "x-pale-audience", skip_serializing_if = "Option::is_none")]
    pub audience: Option<crate::Audience>,
}

/// A parameter outside the body.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Parameter {
    /// Its name (a header's name for header parameters).
    pub name: String,
    /// `path`, `query` or `header`.
    #[serde(rename = "in")]
    pub location: &'static str,
    /// What it means.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Whether it must be given (always, for path parameters).
    pub required: bool,
    /// Its value's schema, constraints included.
    pub schema: JsonSchema,
}

/// A request body, for each media type it may be sent in.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct RequestBody {
    /// What it is.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Whether a body must be sent.
    pub required: bool,
    /// By media type.
    pub content: IndexMap<String, MediaType>,
}

/// A body's schema in one media type.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct MediaType {
    /// The schema.
    pub schema: JsonSchema,
}

/// A response.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Response {
    /// What it means (required by OpenAPI).
    pub description: String,
    /// Headers it carries.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub headers: IndexMap<String, Header>,
    /// Its body, by media type; empty for 204 and 303.
    #[serde(skip_serializing_if = "IndexMap::is_empty")]
    pub content: IndexMap<String, MediaType>,
}

/// A response header.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Header {
    /// What it holds.
    pub description: String,
    /// Its value's schema.
    pub schema: JsonSchema,
}

/// An object or a `$ref` to a component.
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub enum RefOr<T> {
    /// A reference.
    Ref {
        /// Where the component is (`#/components/responses/NotFound`).
        #[serde(rename = "$ref")]
        reference: String,
    },
    /// The object itself.
    Item(T),
}

/// Shared schemas and responses.
#[derive(Clone, Debug, Default, Serialize)]
#[non_exhaustive]
pub struct Components {
    /// Resources, their write shapes, pages and the problem document.
    pub schemas: IndexMap<String, JsonSchema>,
    /// The problem responses, one per error status.
    pub responses: IndexMap<String, Response>,
    /// How callers authenticate, by name (`bearer`).
    #[serde(rename = "securitySchemes", skip_serializing_if = "IndexMap::is_empty")]
    pub security_schemes: IndexMap<String, SecurityScheme>,
}

/// A way to authenticate (`{"type": "http", "scheme": "bearer"}`).
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct SecurityScheme {
    /// `http`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// `bearer`.
    pub scheme: &'static str,
    /// How to get and send a credential.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
}

impl SecurityScheme {
    /// `Authorization: Bearer <token>` (RFC 6750).
    pub fn bearer() -> Self {
        Self {
            kind: "http",
            scheme: "bearer",
            description: "`Authorization: Bearer <token>`. A missing, malformed or unknown \
                          token is a 401 with `WWW-Authenticate: Bearer`."
                .to_owned(),
        }
    }
}
