//! The document a JSON client is generated from: every body in JSON only.
//!
//! Generators read request and response bodies by media type, and many
//! read one: openapi-python-client sends JSON and forms only (and warns
//! about each XML body it leaves out), progenitor takes exactly one media
//! type per request body and knows `application/json` but not
//! `application/merge-patch+json`. So this rewrites a document (3.1 or
//! 3.0.3) to list, for each request body, `application/json` alone (a
//! `PATCH`'s merge patch too: the server reads a merge patch sent as
//! `application/json`), and for each response, `application/json` and
//! `application/problem+json` alone. The operations, schemas, parameters,
//! headers and statuses are the full document's: a JSON client built from
//! it calls the same API.

use super::{MediaType, OpenApi, Operation, RefOr, Response};

const JSON: &str = "application/json";
const MERGE_PATCH: &str = "application/merge-patch+json";
const PROBLEM_JSON: &str = "application/problem+json";

/// `document` with its bodies in JSON only: see the module docs.
pub fn json_only(mut document: OpenApi) -> OpenApi {
    for item in document.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        operations.into_iter().flatten().for_each(operation);
    }
    document
        .components
        .responses
        .values_mut()
        .for_each(response);
    document
}

fn operation(operation: &mut Operation) {
    if let Some(body) = &mut operation.request_body {
        let json = body
            .content
            .shift_remove(JSON)
            .or_else(|| body.content.shift_remove(MERGE_PATCH));
        body.content.clear();
        if let Some(json) = json {
            body.content.insert(JSON.to_owned(), json);
        }
    }
    for answer in operation.responses.values_mut() {
        if let RefOr::Item(answer) = answer {
            response(answer);
        }
    }
}

fn response(response: &mut Response) {
    response
        .content
        .retain(|media_type, _: &mut MediaType| media_type == JSON || media_type == PROBLEM_JSON);
}
