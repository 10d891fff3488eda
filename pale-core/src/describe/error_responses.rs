//! The error side of every operation: one `Problem` schema (RFC 9457 with
//! Pale's `code`, `request_id` and `errors[]` members) and one shared
//! response per error status, referenced by the operations that can answer
//! it.
//!
//! The schema mirrors [`crate::Problem`], the struct the server serializes;
//! a unit test renders a real problem and checks it against this shape, so
//! the two cannot drift silently.

use indexmap::IndexMap;

use super::{JsonSchema, MediaType, Response, Xml};

/// The component names of the error responses, by status.
pub(super) const ERRORS: &[(u16, &str, &str)] = &[
    (
        400,
        "BadRequest",
        "The request is malformed: an unreadable body, an unknown `fields=` name.",
    ),
    (
        401,
        "Unauthorized",
        "The endpoint needs an authenticated caller.",
    ),
    (
        403,
        "Forbidden",
        "The caller may not do this (or write one of the fields sent).",
    ),
    (404, "NotFound", "Nothing is here."),
    (
        406,
        "NotAcceptable",
        "None of the formats in `Accept` is available.",
    ),
    (
        409,
        "Conflict",
        "The request conflicts with the resource's current state.",
    ),
    (
        412,
        "PreconditionFailed",
        "`If-Match` names a version that is no longer current: read it again.",
    ),
    (
        413,
        "PayloadTooLarge",
        "The body is larger than the server accepts.",
    ),
    (
        415,
        "UnsupportedMediaType",
        "The body's `Content-Type` is not one the endpoint reads.",
    ),
    (
        422,
        "UnprocessableContent",
        "Arguments failed to cast or validate; `errors` lists every one, with its pointer.",
    ),
    (
        428,
        "PreconditionRequired",
        "The change needs `If-Match` with the entity tag of the version read.",
    ),
    (
        429,
        "TooManyRequests",
        "Too many requests (such as failed authentications from this address): \
         wait as `Retry-After` says.",
    ),
    (
        500,
        "InternalServerError",
        "The server failed; the `request_id` finds the details in its log.",
    ),
];

/// The name of the problem schema component.
pub(super) const PROBLEM: &str = "Problem";

/// The names of the fixed schema components, which no resource's may take.
pub(super) const NAMES: [&str; 2] = [PROBLEM, "FieldError"];

/// `#/components/responses/<name>` for an error status.
pub(super) fn reference(status: u16) -> Option<String> {
    ERRORS
        .iter()
        .find(|(s, ..)| *s == status)
        .map(|(_, name, _)| format!("#/components/responses/{name}"))
}

/// The problem schema and the field error it lists.
pub(super) fn schemas() -> [(String, JsonSchema); 2] {
    let text = |text: &str| JsonSchema::of("string").described(text);
    let field_error = JsonSchema::object(
        IndexMap::from([
            (
                "pointer".to_owned(),
                text("Where the problem is, as a JSON pointer (`/tracks/2/title`)."),
            ),
            (
                "code".to_owned(),
                text("A stable machine code: `missing`, `invalid_type`, `out_of_range`, …"),
            ),
            ("message".to_owned(), text("A human-readable message.")),
        ]),
        ["pointer", "code", "message"].map(str::to_owned).to_vec(),
    )
    .described("One argument that failed, and why.");
    // Problem XML names each item of `errors` `error`.
    let field_error = JsonSchema {
        xml: Some(Xml::named("error")),
        ..field_error
    };
    let problem = JsonSchema {
        xml: Some(Xml::named("problem")),
        ..JsonSchema::object(
            IndexMap::from([
                (
                    "type".to_owned(),
                    JsonSchema {
                        format: Some("uri-reference"),
                        ..text("Always `about:blank`: the status says what happened.")
                    },
                ),
                ("title".to_owned(), text("The status's own phrase.")),
                (
                    "status".to_owned(),
                    JsonSchema {
                        format: Some("uint16"),
                        ..JsonSchema::of("integer")
                    }
                    .described("The HTTP status."),
                ),
                (
                    "detail".to_owned(),
                    text("What went wrong, for this request."),
                ),
                (
                    "code".to_owned(),
                    text("A stable machine code (`not_found`, …)."),
                ),
                (
                    "request_id".to_owned(),
                    text("The request's id, as logged by the server."),
                ),
                (
                    "errors".to_owned(),
                    JsonSchema::array(JsonSchema::reference("FieldError"))
                        .described("Every argument that failed (422)."),
                ),
            ]),
            ["type", "title", "status", "code"]
                .map(str::to_owned)
                .to_vec(),
        )
    }
    .described("Problem details (RFC 9457).");
    [
        (PROBLEM.to_owned(), problem),
        ("FieldError".to_owned(), field_error),
    ]
}

/// The shared error responses, each a problem in every media type.
pub(super) fn responses(media_types: &[&'static str]) -> IndexMap<String, Response> {
    ERRORS
        .iter()
        .map(|(status, name, description)| {
            let mut response = response(description, media_types);
            if *status == 429 {
                response.headers.extend(rate_limit_headers());
            }
            if *status == 401 {
                response.headers.insert(
                    "WWW-Authenticate".to_owned(),
                    super::Header {
                        description: "The scheme to authenticate with: `Bearer`, with \
                                      `error=\"invalid_token\"` when the token sent was refused."
                            .to_owned(),
                        schema: JsonSchema::of("string"),
                    },
                );
            }
            ((*name).to_owned(), response)
        })
        .collect()
}

/// The headers of a 429: when to come back, and the limit's state and
/// policy as the IETF `RateLimit` headers put them.
fn rate_limit_headers() -> IndexMap<String, super::Header> {
    let header = |description: &str, schema: JsonSchema| super::Header {
        description: description.to_owned(),
        schema,
    };
    IndexMap::from([
        (
            "Retry-After".to_owned(),
            header(
                "Seconds to wait before trying again.",
                JsonSchema::of("integer"),
            ),
        ),
        (
            "RateLimit".to_owned(),
            header(
                "The limit's state: `\"<policy>\";r=<remaining>;t=<seconds until reset>`.",
                JsonSchema::of("string"),
            ),
        ),
        (
            "RateLimit-Policy".to_owned(),
            header(
                "The limit: `\"<policy>\";q=<quota>;w=<window in seconds>`.",
                JsonSchema::of("string"),
            ),
        ),
    ])
}

/// The response of an error status the table has no component for (an
/// endpoint's own `errors(…)`): a problem, described by the status's
/// reason phrase.
pub(super) fn inline(status: u16, media_types: &[&'static str]) -> Response {
    let reason = http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Error");
    response(&format!("{reason}."), media_types)
}

/// `x-request-id`, which every answer carries (pale-server's
/// `request_id` stage): the client's own id when it sent a usable one,
/// else a new one; the log's key for this request.
pub(super) fn request_id_header() -> (String, super::Header) {
    (
        "x-request-id".to_owned(),
        super::Header {
            description: "The request's id: the client's own `x-request-id` when it sent a \
                          usable one, else a new one. The server's log records it."
                .to_owned(),
            schema: JsonSchema::of("string"),
        },
    )
}

fn response(description: &str, media_types: &[&'static str]) -> Response {
    let content = media_types
        .iter()
        .map(|media| {
            let schema = JsonSchema::reference(PROBLEM);
            ((*media).to_owned(), MediaType { schema })
        })
        .collect();
    Response {
        description: description.to_owned(),
        headers: IndexMap::from([request_id_header()]),
        content,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ApiError, FieldError};

    #[test]
    fn the_schema_names_every_member_a_problem_has() {
        let error = ApiError::unprocessable(vec![FieldError::new("/a", "missing", "needed")]);
        let problem = serde_json::to_value(error.problem(Some("r1"))).unwrap();
        let [(_, schema), (_, field_error)] = schemas();
        let properties = schema.properties.unwrap();
        for key in problem.as_object().unwrap().keys() {
            assert!(properties.contains_key(key), "{key} is not in the schema");
        }
        let fields = field_error.properties.unwrap();
        for key in problem["errors"][0].as_object().unwrap().keys() {
            assert!(fields.contains_key(key), "{key} is not in the schema");
        }
    }
}
