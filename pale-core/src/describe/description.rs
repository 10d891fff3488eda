//! A Pale-style JSON description of an API: endpoints with their arguments,
//! resources with their fields and default fields.
//!
//! The Python Pale served this shape to its own doc tools; it is smaller
//! than OpenAPI and reads like the declarations. It is a second serializer
//! over the same registry, with the same per-audience rule: what the
//! audience cannot see is absent.

use indexmap::IndexMap;
use serde::Serialize;

use super::{JsonSchema, admits};
use crate::api::Api;
use crate::argument::ArgumentMeta;
use crate::audience::Audience;
use crate::context::App;
use crate::resource::ResourceMeta;

/// The description of an API.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Description {
    /// The API's title.
    pub title: String,
    /// Its version.
    pub version: String,
    /// What it is.
    pub description: String,
    /// The audience described (`public`, …, or `full`).
    pub audience: &'static str,
    /// The path every route is served under.
    pub base_path: String,
    /// The endpoints the audience may call, in mounting order.
    pub endpoints: Vec<EndpointDescription>,
    /// The resources they return, by name.
    pub resources: IndexMap<&'static str, ResourceDescription>,
}

/// One endpoint.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct EndpointDescription {
    /// The route name.
    pub name: &'static str,
    /// The method.
    pub method: &'static str,
    /// The path template, base path included.
    pub path: String,
    /// The doc comment's first paragraph.
    pub summary: &'static str,
    /// The rest of the doc comment.
    pub description: &'static str,
    /// The least audience that may call it.
    pub audience: Audience,
    /// The arguments.
    pub arguments: Vec<ArgumentDescription>,
    /// The success status.
    pub status: u16,
    /// The resource returned, if any.
    pub returns: Option<&'static str>,
    /// Whether it returns a list (`many`) or a page of the resource.
    pub many: bool,
    /// Whether it returns a page of the resource.
    pub page: bool,
    /// The key the response is wrapped in.
    pub envelope: Option<&'static str>,
}

/// One argument.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct ArgumentDescription {
    /// The name clients use.
    pub name: &'static str,
    /// The doc comment.
    pub description: &'static str,
    /// Where it is read from (`any`, `path`, `query`, `body`, `header`).
    pub source: &'static str,
    /// Whether it must be given.
    pub required: bool,
    /// The value's JSON Schema, constraints and default included.
    pub schema: JsonSchema,
}

/// One resource.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct ResourceDescription {
    /// The doc comment.
    pub description: &'static str,
    /// The fields the audience may see, in rendering order.
    pub fields: Vec<FieldDescription>,
    /// Those of them rendered when the client does not choose.
    pub default_fields: Vec<&'static str>,
}

/// One field.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct FieldDescription {
    /// The name clients see.
    pub name: &'static str,
    /// The doc comment.
    pub description: &'static str,
    /// The least audience that may read it.
    pub audience: Audience,
    /// The least audience that may write it, if any.
    pub write: Option<Audience>,
    /// The nested resource, by name.
    pub resource: Option<&'static str>,
    /// Whether the nested value is a list.
    pub many: bool,
}

/// The description of `api` as `audience` sees it; `None` for everything.
pub fn description<A: App>(api: &Api<A>, audience: Option<Audience>) -> Description {
    let mut resources = IndexMap::new();
    let mut endpoints = Vec::new();
    for route in api.routes() {
        let meta = route.endpoint;
        if !admits(audience, meta.audience) {
            continue;
        }
        if let Some(resource) = route.output.resource {
            collect(resource, audience, &mut resources);
        }
        endpoints.push(EndpointDescription {
            name: meta.name,
            method: meta.method.as_str(),
            path: format!("{}{}", api.base_path(), meta.path),
            summary: meta.summary.trim(),
            description: meta.description.trim(),
            audience: meta.audience,
            arguments: meta.arguments.iter().map(argument).collect(),
            status: route.output.status,
            returns: route.output.resource.map(|r| r.name),
            many: route.output.many,
            page: route.output.page,
            envelope: meta.envelope,
        });
    }
    Description {
        title: api.title().to_owned(),
        version: api.version().to_owned(),
        description: api.description().to_owned(),
        audience: audience.map_or("full", Audience::as_str),
        base_path: api.base_path().to_string(),
        endpoints,
        resources,
    }
}

fn argument(arg: &ArgumentMeta) -> ArgumentDescription {
    let mut schema = JsonSchema::from_argument(arg);
    schema.description = None;
    ArgumentDescription {
        name: arg.name,
        description: arg.description.trim(),
        source: arg.source.as_str(),
        required: arg.required,
        schema,
    }
}

/// Adds `meta` and the resources it nests, with the fields `audience` sees.
fn collect(
    meta: &'static ResourceMeta,
    audience: Option<Audience>,
    out: &mut IndexMap<&'static str, ResourceDescription>,
) {
    if out.contains_key(meta.name) {
        return;
    }
    let visible = audience.map_or(meta.all(), |a| meta.visible_to(a));
    let fields: Vec<_> = visible.iter().map(|i| &meta.fields[i]).collect();
    out.insert(
        meta.name,
        ResourceDescription {
            description: meta.description.trim(),
            fields: fields
                .iter()
                .map(|f| FieldDescription {
                    name: f.name,
                    description: f.description.trim(),
                    audience: f.audience,
                    write: f.write.audience,
                    resource: f.nested.map(|n| n.name),
                    many: f.many,
                })
                .collect(),
            default_fields: meta
                .defaults
                .and(visible)
                .iter()
                .map(|i| meta.fields[i].name)
                .collect(),
        },
    );
    for field in fields {
        if let Some(nested) = field.nested {
            collect(nested, audience, out);
        }
    }
}
