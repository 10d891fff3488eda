//! The same document in OpenAPI 3.0.3, for the tools that read no other
//! (progenitor, many client generators and gateways).
//!
//! The 3.1 document is the one the generator builds; this rewrites it, so
//! the two cannot describe different APIs. OpenAPI 3.0's schema dialect
//! differs from 3.1's in what Pale uses in two places:
//!
//! - there is no `{"type": "null"}`: `anyOf: [T, {"type": "null"}]`
//!   becomes `T` with `nullable: true` (a `$ref` wrapped in `allOf`);
//! - 3.0 ignores every keyword beside a `$ref`, so a `$ref` with siblings
//!   (a property's description, `readOnly`) becomes `allOf: [{"$ref": …}]`
//!   with those siblings.

use super::{JsonSchema, MediaType, OpenApi, Operation, RefOr, Response};

/// Rewrites a 3.1 document in OpenAPI 3.0.3.
pub(super) fn downgrade(mut document: OpenApi) -> OpenApi {
    document.openapi = "3.0.3";
    document.components.schemas.values_mut().for_each(schema);
    document
        .components
        .responses
        .values_mut()
        .for_each(response);
    document.operations_mut().for_each(operation);
    document
}

fn operation(operation: &mut Operation) {
    for parameter in &mut operation.parameters {
        schema(&mut parameter.schema);
    }
    if let Some(body) = &mut operation.request_body {
        body.content.values_mut().for_each(media);
    }
    for item in operation.responses.values_mut() {
        if let RefOr::Item(item) = item {
            response(item);
        }
    }
}

fn response(response: &mut Response) {
    for header in response.headers.values_mut() {
        schema(&mut header.schema);
    }
    response.content.values_mut().for_each(media);
}

fn media(media: &mut MediaType) {
    schema(&mut media.schema);
}

/// Rewrites one schema and the schemas inside it.
fn schema(value: &mut JsonSchema) {
    if let Some(properties) = &mut value.properties {
        properties.values_mut().for_each(schema);
    }
    if let Some(items) = &mut value.items {
        schema(items);
    }
    value.any_of.iter_mut().for_each(schema);
    nullable(value);
    let bare = JsonSchema {
        reference: value.reference.clone(),
        ..JsonSchema::default()
    };
    if value.reference.is_some() && *value != bare {
        value.reference = None;
        value.all_of.push(bare);
    }
}

/// `anyOf: [T, {"type": "null"}]` → `T` with `nullable: true`.
fn nullable(value: &mut JsonSchema) {
    let before = value.any_of.len();
    value.any_of.retain(|s| s.kind != Some("null"));
    if value.any_of.len() == before {
        return;
    }
    value.nullable = true;
    if value.any_of.len() != 1 {
        return;
    }
    let Some(one) = value.any_of.pop() else {
        return;
    };
    if one.reference.is_some() {
        value.all_of.push(one);
        return;
    }
    // The value's own keywords; the annotations stayed outside (`or_null`).
    let outer = std::mem::replace(value, one);
    value.description = outer.description;
    value.default = outer.default;
    value.write_only = outer.write_only;
    value.read_only = outer.read_only;
    value.pale_default = outer.pale_default;
    value.pale_audience = outer.pale_audience;
    value.nullable = true;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nullable_values_and_references_are_written_as_3_0_has_them() {
        let date = JsonSchema {
            format: Some("date"),
            ..JsonSchema::of("string")
        };
        let cases = [
            (
                date.described("When.").or_null(),
                json!({"type": "string", "format": "date", "description": "When.", "nullable": true}),
            ),
            (
                JsonSchema::reference("Cover").or_null(),
                json!({"allOf": [{"$ref": "#/components/schemas/Cover"}], "nullable": true}),
            ),
            (
                JsonSchema {
                    read_only: true,
                    ..JsonSchema::reference("Artist")
                },
                json!({"allOf": [{"$ref": "#/components/schemas/Artist"}], "readOnly": true}),
            ),
            (
                JsonSchema::reference("Track"),
                json!({"$ref": "#/components/schemas/Track"}),
            ),
            (
                JsonSchema {
                    any_of: vec![JsonSchema::reference("A"), JsonSchema::reference("B")],
                    ..JsonSchema::default()
                },
                json!({"anyOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}]}),
            ),
        ];
        for (mut value, expected) in cases {
            schema(&mut value);
            assert_eq!(serde_json::to_value(&value).unwrap(), expected);
        }
    }
}
