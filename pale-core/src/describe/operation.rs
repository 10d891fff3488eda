//! One endpoint as an OpenAPI operation: its parameters by source, its
//! body in every media type it is read in, and a response for every status
//! the pipeline can produce for it.
//!
//! The statuses follow what `pale-server` does, stage by stage (the
//! pipeline in ARCHITECTURE.md):
//! 400 for an unreadable request, 401 when the endpoint needs a caller,
//! 403, 404, 406 from negotiation, 413/415 only when a body is read, 422
//! only when there are arguments to fail, 429 always (credentials from an
//! address that failed too often), 500 always; and the statuses the
//! handler declares it answers itself (`#[pale(errors(409, 412))]`).
//! A resource that declares its version (`etag = …`) or its modification
//! time (`modified = …`) adds `ETag` / `Last-Modified` to its success, and
//! to a `GET` the `If-None-Match` / `If-Modified-Since` parameters and the
//! 304 it may be answered with (`validators`).

use indexmap::IndexMap;

use super::error_responses;
use super::schemas::{Schemas, WriteMode};
use super::validators::Validators;
use super::{Header, JsonSchema, MediaType, Operation, Parameter, RefOr, RequestBody, Response};
use crate::argument::{ArgumentMeta, Source};
use crate::audience::Audience;
use crate::endpoint::{EndpointMeta, Method};
use crate::format::Wire;
use crate::reply::OutputMeta;
use crate::resource::ResourceMeta;

/// The media type of merge patches, the only body a `PATCH` reads.
const MERGE_PATCH: &str = "application/merge-patch+json";

/// The media type of forms, read by `POST` and `PUT` beside the formats.
const FORM: &str = "application/x-www-form-urlencoded";

/// The name of the bearer security scheme.
pub(super) const BEARER: &str = "bearer";

/// What the document says beyond the endpoint itself.
#[derive(Clone, Copy, Debug)]
pub(super) struct Options {
    /// The full document: mark each operation's audience.
    pub(super) full: bool,
    /// The API reads bearer tokens on every endpoint
    /// (`ApiBuilder::bearer_auth`).
    pub(super) bearer: bool,
}

/// Describes `endpoint`, whose successful output is `output`.
pub(super) fn operation(
    schemas: &mut Schemas,
    formats: &[Wire],
    endpoint: &EndpointMeta,
    output: &OutputMeta,
    options: Options,
) -> Operation {
    let mut parameters = Vec::new();
    let mut body = Body::default();
    let path_params: Vec<&str> = endpoint.path_params().collect();
    for arg in endpoint.arguments {
        let location = match arg.source {
            Source::Path => "path",
            _ if path_params.contains(&arg.name) => "path",
            Source::Header(_) => "header",
            Source::Query => "query",
            Source::Any if !endpoint.method.has_body() => "query",
            Source::Document => {
                body.document = Some(arg);
                continue;
            }
            // `Any` with a body, and `Body`.
            _ => {
                body.members.push(arg);
                continue;
            }
        };
        let mut parameter = parameter(arg, location);
        // An `If-Match` whose absence the handler answers 428 must be sent.
        if parameter.name.eq_ignore_ascii_case("if-match") && endpoint.errors.contains(&428) {
            parameter.required = true;
        }
        parameters.push(parameter);
    }
    if let Some(resource) = output.resource {
        parameters.push(fields_parameter(schemas, resource, output.page));
    }
    let writes = endpoint.writes.or(output.resource);
    let request_body = body.describe(schemas, formats, endpoint.method, writes);

    let validators = Validators::of(output);
    let revalidates = validators.any() && endpoint.method == Method::Get && output.status == 200;
    if revalidates {
        parameters.extend(validators.parameters());
    }
    let mut responses = IndexMap::new();
    let mut ok = success(schemas, formats, endpoint, output);
    ok.headers.extend(validators.headers());
    responses.insert(output.status.to_string(), RefOr::Item(ok));
    if revalidates {
        responses.insert("304".to_owned(), RefOr::Item(validators.not_modified()));
    }
    let needs_caller = endpoint.audience > Audience::Public;
    let statuses = error_statuses(
        endpoint,
        output,
        request_body.is_some(),
        needs_caller || options.bearer,
    );
    let problem_media: Vec<&'static str> = formats.iter().map(Wire::problem_media_type).collect();
    for status in statuses {
        let response = match error_responses::reference(status) {
            Some(reference) => RefOr::Ref { reference },
            None => RefOr::Item(error_responses::inline(status, &problem_media)),
        };
        responses.insert(status.to_string(), response);
    }

    Operation {
        operation_id: endpoint.name.to_owned(),
        summary: endpoint.summary.trim().to_owned(),
        description: with_rate_limits(endpoint),
        tags: endpoint.tags.iter().map(|t| (*t).to_owned()).collect(),
        parameters,
        request_body,
        responses,
        security: security(needs_caller, options.bearer),
        audience: options.full.then_some(endpoint.audience),
    }
}

/// The security requirements of an operation: the bearer scheme where a
/// caller is needed; where not, none or a token (a caller with one may
/// see more) when the API reads tokens everywhere.
fn security(needs_caller: bool, bearer_auth: bool) -> Vec<IndexMap<String, Vec<String>>> {
    let bearer = IndexMap::from([(BEARER.to_owned(), Vec::new())]);
    match (needs_caller, bearer_auth) {
        (true, _) => vec![bearer],
        (false, true) => vec![IndexMap::new(), bearer],
        (false, false) => Vec::new(),
    }
}

/// The error statuses `endpoint` may answer, in order: 400 for an
/// unreadable request, 401 when a token is read (`authenticates`), 403,
/// 404, 406, 413/415 when a body is read, 422 when there is anything to
/// cast or select, 429, the handler's own, 500.
fn error_statuses(
    endpoint: &EndpointMeta,
    output: &OutputMeta,
    has_body: bool,
    authenticates: bool,
) -> Vec<u16> {
    let mut errors = vec![400];
    if authenticates {
        errors.push(401);
    }
    errors.extend([403, 404, 406]);
    if has_body {
        errors.extend([413, 415]);
    }
    if !endpoint.arguments.is_empty() || output.resource.is_some() {
        errors.push(422);
    }
    // Every request is authenticated, and an address that fails too
    // often is throttled (pale-server's failed-authentication budget).
    errors.push(429);
    // The handler's own statuses (a conflict, a failed precondition).
    errors.extend(endpoint.errors);
    errors.push(500);
    errors.sort_unstable();
    errors.dedup();
    errors
}

/// The doc comment's rest, and the endpoint's rate limits in a sentence,
/// so a client developer reads them where the operation is described.
fn with_rate_limits(endpoint: &EndpointMeta) -> String {
    let mut description = endpoint.description.trim().to_owned();
    if endpoint.rate_limits.is_empty() {
        return description;
    }
    let mut limits: Vec<_> = endpoint.rate_limits.to_vec();
    limits.sort_by_key(|limit| limit.audience);
    let anyone = limits.len() == 1;
    let parts: Vec<String> = limits
        .iter()
        .map(|limit| {
            let who = match limit.audience {
                Audience::Public if anyone => "every caller",
                Audience::Public => "anonymous callers",
                Audience::User => "authenticated callers",
                Audience::Owner | Audience::Admin => "administrators",
            };
            match limit.quota {
                Some(quota) => format!(
                    "{} requests per {} s for {who}",
                    quota.count, quota.window_secs
                ),
                None => format!("none for {who}"),
            }
        })
        .collect();
    if !description.is_empty() {
        description.push_str("\n\n");
    }
    description.push_str(&format!(
        "Rate limit: {}, counted per caller. Counted responses carry `RateLimit` and `RateLimit-Policy`; past the limit, 429 with `Retry-After`.",
        parts.join(", ")
    ));
    description
}

fn parameter(arg: &ArgumentMeta, location: &'static str) -> Parameter {
    let name = match arg.source {
        Source::Header(header) => header,
        _ => arg.name,
    };
    let mut schema = JsonSchema::from_argument(arg);
    let description = schema.description.take().unwrap_or_default();
    Parameter {
        name: name.to_owned(),
        location,
        description,
        required: location == "path" || arg.required,
        schema,
    }
}

/// The `fields=` parameter of an endpoint whose output is `resource` (a
/// `page` of it, whose members may be selected too).
fn fields_parameter(
    schemas: &Schemas,
    resource: &'static crate::resource::ResourceMeta,
    page: bool,
) -> Parameter {
    let names: Vec<String> = resource
        .fields
        .iter()
        .enumerate()
        .filter(|&(i, _)| schemas.sees_readable(resource, i))
        .map(|(_, f)| format!("`{}`", f.name))
        .collect();
    Parameter {
        name: "fields".to_owned(),
        location: "query",
        description: format!(
            "The fields to render, such as `title,artist(name)`; `*` is every visible field. \
             Without it, the default fields. Fields of `{}`: {}.",
            resource.name,
            names.join(", ")
        ) + if page {
            " On a page, the page's members may be selected instead, the items' fields \
             inside `items(…)`: `total,items(title)`. Members: `items`, `page`, \
             `per_page`, `total`, `pages`, `links`."
        } else {
            ""
        },
        required: false,
        schema: JsonSchema {
            pattern: Some(if page {
                super::fields_pattern::page_pattern(schemas, resource).into()
            } else {
                super::fields_pattern::pattern(schemas, resource).into()
            }),
            ..JsonSchema::of("string")
        },
    }
}

/// What an endpoint reads from the body.
#[derive(Default)]
struct Body<'a> {
    /// The `from = document` argument: the whole body.
    document: Option<&'a ArgumentMeta>,
    /// Arguments that are members of the body.
    members: Vec<&'a ArgumentMeta>,
}

impl Body<'_> {
    fn describe(
        &self,
        schemas: &mut Schemas,
        formats: &[Wire],
        method: Method,
        writes: Option<&'static ResourceMeta>,
    ) -> Option<RequestBody> {
        let (schema, required, description) = if let Some(arg) = self.document {
            let mode = match method {
                Method::Patch => WriteMode::Patch,
                _ => WriteMode::Create,
            };
            let written = writes.and_then(|resource| schemas.write_body(resource, mode));
            let schema = written.unwrap_or_else(|| {
                let mut schema = JsonSchema::from_argument(arg);
                schema.description = None;
                schema
            });
            (schema, arg.required, arg.description.trim().to_owned())
        } else if !self.members.is_empty() {
            let properties = self
                .members
                .iter()
                .map(|arg| (arg.name.to_owned(), JsonSchema::from_argument(arg)))
                .collect();
            let required: Vec<String> = self
                .members
                .iter()
                .filter(|arg| arg.required)
                .map(|arg| arg.name.to_owned())
                .collect();
            let any_required = !required.is_empty();
            (
                JsonSchema::object(properties, required),
                any_required,
                String::new(),
            )
        } else {
            return None;
        };
        let media_types: Vec<&str> = if method == Method::Patch {
            vec![MERGE_PATCH]
        } else {
            let form = flat(schemas, &schema).then_some(FORM);
            formats
                .iter()
                .filter(|w| w.can_decode())
                .map(Wire::media_type)
                .chain(form)
                .collect()
        };
        let content = media_types
            .into_iter()
            .map(|media| {
                let schema = schema.clone();
                (media.to_owned(), MediaType { schema })
            })
            .collect();
        Some(RequestBody {
            description,
            required,
            content,
        })
    }
}

/// Whether a body of `schema` fits in a form: `a=1&b=x&b=y` carries
/// names with text values, and lists of them, but no object inside the
/// body (an album's `links`, a sales report's `lines`), and no `null` (an
/// empty value is the nearest, and a client would not know to send it). A
/// form is only documented for bodies it can carry, or a client would send
/// nested members flattened, or `null` as text, and be refused.
fn flat(schemas: &Schemas, schema: &JsonSchema) -> bool {
    // `$ref` to a component, and the non-null side of a nullable value.
    fn resolve<'a>(schemas: &'a Schemas, schema: &'a JsonSchema) -> &'a JsonSchema {
        let schema = schema
            .any_of
            .iter()
            .find(|s| s.kind != Some("null"))
            .unwrap_or(schema);
        schema
            .reference
            .as_deref()
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
            .and_then(|name| schemas.map.get(name))
            .unwrap_or(schema)
    }
    let nested = |value: &JsonSchema| {
        if value.any_of.iter().any(|s| s.kind == Some("null")) {
            return true;
        }
        let value = resolve(schemas, value);
        let value = match (value.kind, &value.items) {
            (Some("array"), Some(items)) => resolve(schemas, items),
            _ => value,
        };
        value.kind == Some("object") || value.reference.is_some()
    };
    let body = resolve(schemas, schema);
    body.properties
        .as_ref()
        .is_none_or(|properties| !properties.values().any(nested))
}

/// The success response.
fn success(
    schemas: &mut Schemas,
    formats: &[Wire],
    endpoint: &EndpointMeta,
    output: &OutputMeta,
) -> Response {
    let mut headers = IndexMap::new();
    let location = |text: &str| Header {
        description: text.to_owned(),
        schema: JsonSchema {
            format: Some("uri-reference"),
            ..JsonSchema::of("string")
        },
    };
    let (description, body) = match output.status {
        201 => {
            headers.insert(
                "Location".to_owned(),
                location("Where the new resource lives."),
            );
            ("Created.", true)
        }
        204 => ("Done; no content.", false),
        303 => {
            headers.insert("Location".to_owned(), location("Where to go next."));
            ("See the `Location`.", false)
        }
        _ => ("OK.", true),
    };
    if output.page {
        headers.insert(
            "Link".to_owned(),
            Header {
                description: "The page's links (RFC 8288): `self`, `first`, `prev` (not on \
                              the first page), `next` (not on the last) and `last`, as in \
                              the body's `links`."
                    .to_owned(),
                schema: JsonSchema::of("string"),
            },
        );
    }
    headers.insert(
        "x-request-id".to_owned(),
        error_responses::request_id_header().1,
    );
    let mut content = IndexMap::new();
    if body {
        let schema = response_schema(schemas, endpoint, output);
        for wire in formats {
            let schema = schema.clone();
            content.insert(wire.media_type().to_owned(), MediaType { schema });
        }
    }
    Response {
        description: description.to_owned(),
        headers,
        content,
    }
}

/// The body of a successful response: the resource (a list, a page), in
/// the endpoint's envelope if it has one.
fn response_schema(
    schemas: &mut Schemas,
    endpoint: &EndpointMeta,
    output: &OutputMeta,
) -> JsonSchema {
    let inner = match output.resource {
        Some(resource) if output.page => schemas.page_response(resource),
        Some(resource) if output.many => schemas.list_response(resource),
        Some(resource) => schemas.response(resource),
        // A `Plain` value: any serializable shape.
        None => JsonSchema::default(),
    };
    match endpoint.envelope {
        Some(key) => JsonSchema::object(
            IndexMap::from([(key.to_owned(), inner)]),
            vec![key.to_owned()],
        ),
        None => inner,
    }
}
