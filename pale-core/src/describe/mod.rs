//! The API described, from the registry (ARCHITECTURE.md, decision 8): an OpenAPI
//! 3.1 document per audience, a simpler Pale-style JSON description, and
//! a self-contained HTML reference page ([`html()`]) built from the latter.
//!
//! Both are built from the very tables the server enforces — an [`Api`]'s
//! routes, each endpoint's [`EndpointMeta`](crate::EndpointMeta), each
//! resource's [`ResourceMeta`](crate::resource::ResourceMeta) — so the docs
//! cannot promise a field the server would not send. They are typed structs
//! serialized with serde, never strings put together by hand.
//!
//! **One document per audience** (decision 3): the public document has no trace of
//! an owner-only field or an admin-only endpoint, so publishing it leaks
//! nothing. The *full* document (`audience: None`) has everything, each
//! field marked with who may read and write it (`x-pale-audience`), for
//! the API's own team.
//!
//! ```
//! use pale_core::prelude::*;
//! use pale_core::describe;
//!
//! /// Says hello.
//! #[derive(Endpoint)]
//! #[pale(GET "/hello/{name}", name = "hello")]
//! struct Hello {
//!     /// Who to greet.
//!     name: String,
//! }
//!
//! impl Handler<()> for Hello {
//!     type Output = Plain<String>;
//!     async fn handle(self, _ctx: &Context<()>) -> Result<Plain<String>, ApiError> {
//!         Ok(Plain::new("greeting", format!("hello, {}", self.name)))
//!     }
//! }
//!
//! let api = Api::builder(()).base_path("/api").mount::<Hello>().build().unwrap();
//! let document = serde_json::to_value(describe::openapi(&api, Some(Audience::Public))).unwrap();
//! assert_eq!(document["openapi"], "3.1.0");
//! assert_eq!(document["paths"]["/api/hello/{name}"]["get"]["operationId"], "hello");
//! ```
//!
//! # What the field types are
//!
//! A resource field's *output* type is not recorded by the derive yet.
//! The generator uses [`FieldMeta::schema`](crate::resource::FieldMeta::schema)
//! when it is set, the input schema of a writable field, the nested
//! resource of a nested one, and otherwise an unconstrained schema with
//! the field's description.

mod description;
mod error_responses;
mod fields_pattern;
mod html;
mod json_only;
mod json_schema;
mod names;
mod openapi;
mod openapi30;
mod operation;
mod page_schemas;
mod schemas;
mod validators;

pub use description::{
    ArgumentDescription, Description, EndpointDescription, FieldDescription, ResourceDescription,
    description,
};
pub use html::{STYLE_HASH as HTML_STYLE_HASH, html};
pub use json_only::json_only;
pub use json_schema::{AudienceMark, JsonSchema, Xml};
pub use openapi::{
    Components, Header, Info, MediaType, OpenApi, Operation, Parameter, PathItem, RefOr,
    RequestBody, Response, SecurityScheme, Tag,
};

use indexmap::IndexMap;

use crate::api::Api;
pub use crate::api::OpenApiVersion;
use crate::audience::Audience;
use crate::context::App;
use crate::endpoint::Method;

/// Whether an endpoint that needs `least` belongs in the document for
/// `audience` (`None`: the full document, which has every endpoint).
pub(crate) fn admits(audience: Option<Audience>, least: Audience) -> bool {
    audience.is_none_or(|audience| least <= audience)
}

/// The OpenAPI document of `api` as `audience` sees it, in `version`:
/// [`openapi`] itself for 3.1, rewritten for 3.0.3 (`nullable`, and
/// `allOf` around a `$ref` with siblings). Pass [`Api::openapi_version`]
/// for the version the API serves.
pub fn openapi_in<A: App>(
    api: &Api<A>,
    audience: Option<Audience>,
    version: OpenApiVersion,
) -> OpenApi {
    let document = openapi(api, audience);
    match version {
        OpenApiVersion::V3_0 => openapi30::downgrade(document),
        _ => document,
    }
}

/// The OpenAPI 3.1 document of `api` as `audience` sees it; `None` for the
/// full document, with every endpoint and field and their audiences marked.
pub fn openapi<A: App>(api: &Api<A>, audience: Option<Audience>) -> OpenApi {
    let mut schemas = schemas::Schemas::new(audience);
    let mut paths = IndexMap::<String, PathItem>::new();
    let mut tags: Vec<Tag> = Vec::new();
    for route in api.routes() {
        let endpoint = route.endpoint;
        if !admits(audience, endpoint.audience) {
            continue;
        }
        let op = operation::operation(
            &mut schemas,
            api.formats(),
            endpoint,
            &route.output,
            operation::Options {
                full: audience.is_none(),
                bearer: api.bearer_auth(),
            },
        );
        for tag in &op.tags {
            if !tags.iter().any(|t| &t.name == tag) {
                tags.push(Tag { name: tag.clone() });
            }
        }
        let item = paths
            .entry(format!("{}{}", api.base_path(), endpoint.path))
            .or_default();
        let slot = match endpoint.method {
            Method::Get => &mut item.get,
            Method::Put => &mut item.put,
            Method::Post => &mut item.post,
            Method::Delete => &mut item.delete,
            Method::Patch => &mut item.patch,
        };
        *slot = Some(op);
    }
    let mut components = Components {
        schemas: schemas.map,
        responses: error_responses::responses(
            &api.formats()
                .iter()
                .map(crate::format::Wire::problem_media_type)
                .collect::<Vec<_>>(),
        ),
        security_schemes: IndexMap::new(),
    };
    components.schemas.extend(error_responses::schemas());
    let authenticated = paths.values().any(|item| {
        [&item.get, &item.put, &item.post, &item.delete, &item.patch]
            .into_iter()
            .flatten()
            .any(|op| !op.security.is_empty())
    });
    if authenticated {
        components
            .security_schemes
            .insert(operation::BEARER.to_owned(), SecurityScheme::bearer());
    }
    OpenApi {
        openapi: "3.1.0",
        info: Info {
            title: api.title().to_owned(),
            version: api.version().to_owned(),
            description: api.description().to_owned(),
            audience: audience.map_or("full", Audience::as_str),
        },
        paths,
        components,
        tags,
    }
}
