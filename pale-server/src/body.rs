//! Reading a request body and decoding it by its `Content-Type` into the
//! format-neutral [`Raw`] tree: JSON, XML and the API's own formats,
//! forms, and for a `PATCH` a JSON merge patch (RFC 7396) only, sent as
//! `application/merge-patch+json` or, as most JSON clients send a partial
//! update (and as generators that know no other JSON type must),
//! `application/json`.
//!
//! The bytes come through the body-limit stage (a body too long is a 413,
//! however it is sent); an unsupported type is a 415 that says what is
//! accepted, in `Accept-Post` or `Accept-Patch` when HTTP has a header for
//! it; a body that does not parse, or nests too deeply, a 400.

use http::header::{self, HeaderName, HeaderValue};
use http::request::Parts;
use http_body::Body;
use http_body_util::BodyExt;
use pale_core::argument::{Raw, RawMap};
use pale_core::format::{DecodeLimits, Wire, decode_form};
use pale_core::{ApiError, Method};

use crate::body_limit::BodyTooLong;
use crate::negotiate::{self, BodyKind};

/// Reads and decodes the body of a `method` request; `None` when empty.
pub(crate) async fn read<B>(
    parts: &Parts,
    body: B,
    method: Method,
    formats: &[Wire],
    max_depth: usize,
) -> Result<Option<Raw>, ApiError>
where
    B: Body,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let bytes = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(err) => {
            return Err(match err.into().downcast::<BodyTooLong>() {
                Ok(too_long) => ApiError::from(*too_long),
                Err(_) => ApiError::bad_request("the request body could not be read")
                    .with_code("malformed_body"),
            });
        }
    };
    if bytes.is_empty() {
        return Ok(None);
    }
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let limits = DecodeLimits::with_max_depth(max_depth);
    let kind =
        negotiate::body_kind(content_type, formats).ok_or_else(|| unsupported(method, formats))?;
    let raw = match (method, kind) {
        // A PATCH is a merge patch (RFC 7396), and only that.
        (Method::Patch, BodyKind::MergePatch) => Wire::Json.decode(&bytes, &limits)?,
        (Method::Patch, BodyKind::Format(index)) if matches!(formats[index], Wire::Json) => {
            Wire::Json.decode(&bytes, &limits)?
        }
        (Method::Patch, _) | (_, BodyKind::MergePatch) => return Err(unsupported(method, formats)),
        (_, BodyKind::Form) => Raw::Map(without_empty(decode_form(&bytes)?)),
        (_, BodyKind::Format(index)) => formats[index].decode(&bytes, &limits)?,
    };
    Ok(Some(raw))
}

/// A form's empty values taken out: in a form, as in a query string, an
/// empty value is no value (docs/writes.md, "Empty text"), so `title=` is
/// absent for the write rules of a create too (`missing` for a required
/// field), where a JSON `""` is a value they check (`empty`).
fn without_empty(mut map: RawMap) -> RawMap {
    let empty: Vec<String> = map
        .iter()
        .filter(|(_, value)| value.is_blank())
        .map(|(key, _)| key.to_owned())
        .collect();
    for key in empty {
        map.remove(&key);
    }
    map
}

/// The 415 for a `method` request, listing what it accepts.
fn unsupported(method: Method, formats: &[Wire]) -> ApiError {
    let mut accepted = negotiate::accepted(formats);
    // `Accept-Post` and `Accept-Patch` say what those methods take; HTTP
    // has no such header for PUT, whose 415 lists the types in its body
    // only.
    let header = match method {
        Method::Patch => {
            accepted = vec!["application/merge-patch+json", "application/json"];
            Some("accept-patch")
        }
        Method::Post => Some("accept-post"),
        _ => None,
    };
    let error = ApiError::unsupported_media_type(&accepted);
    match header {
        Some(header) => {
            let value =
                HeaderValue::from_str(&accepted.join(", ")).unwrap_or(HeaderValue::from_static(""));
            error.with_header(HeaderName::from_static(header), value)
        }
        None => error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use http_body_util::Full;

    /// Reads `body` as a `method` request of `content_type` would be.
    async fn read_as(
        method: Method,
        content_type: &str,
        body: &'static str,
    ) -> Result<Option<Raw>, ApiError> {
        let parts = http::Request::post("/")
            .header(header::CONTENT_TYPE, content_type)
            .body(())
            .unwrap()
            .into_parts()
            .0;
        let formats = [Wire::Json, Wire::Xml];
        read(&parts, Full::new(Bytes::from(body)), method, &formats, 4).await
    }

    /// The kind of what was read, or the status and first header.
    type Expected = Result<&'static str, (u16, Option<(&'static str, &'static str)>)>;

    #[tokio::test]
    async fn bodies_by_method_and_content_type() {
        use Method::{Patch, Post, Put};
        #[rustfmt::skip]
        let cases: &[(Method, &str, &str, Expected)] = &[
            (Post, "application/json", r#"{"n":1}"#, Ok("an object")),
            (Post, "application/xml", "<a><n>1</n></a>", Ok("an object")),
            (Post, "application/x-www-form-urlencoded", "n=1", Ok("an object")),
            (Post, "application/json", "", Ok("none")),
            (Patch, "application/merge-patch+json", r#"{"n":null}"#, Ok("an object")),
            (Patch, "application/json", r#"{"n":null}"#, Ok("an object")),
            (Post, "application/json", "{", Err((400, None))),
            (Post, "application/json", "[[[[[1]]]]]", Err((400, None))),
            (Post, "text/plain", "x", Err((415, Some(("accept-post", "application/json, application/xml, text/xml, application/x-www-form-urlencoded"))))),
            (Post, "application/merge-patch+json", "{}", Err((415, Some(("accept-post", "application/json, application/xml, text/xml, application/x-www-form-urlencoded"))))),
            (Patch, "application/xml", "<a/>", Err((415, Some(("accept-patch", "application/merge-patch+json, application/json"))))),
            (Patch, "application/x-www-form-urlencoded", "n=1", Err((415, Some(("accept-patch", "application/merge-patch+json, application/json"))))),
            (Put, "text/plain", "x", Err((415, None))),
        ];
        for (method, content_type, body, expected) in cases {
            let got = read_as(*method, content_type, body).await;
            let got = match &got {
                Ok(None) => Ok("none"),
                Ok(Some(raw)) => Ok(raw.kind()),
                Err(err) => Err((
                    err.status().as_u16(),
                    err.headers()
                        .iter()
                        .next()
                        .map(|(n, v)| (n.as_str(), v.to_str().unwrap())),
                )),
            };
            assert_eq!(got, *expected, "{method:?} {content_type} {body}");
        }
    }

    /// In a form an empty value is no value; in JSON `""` is one.
    #[tokio::test]
    async fn a_form_drops_its_empty_values_and_json_keeps_them() {
        let form = read_as(
            Method::Post,
            "application/x-www-form-urlencoded",
            "title=&n=1&tag=&tag=a",
        )
        .await
        .unwrap();
        let Some(Raw::Map(map)) = form else {
            panic!("a map: {form:?}")
        };
        let keys: Vec<&str> = map.keys().collect();
        assert_eq!(keys, ["n", "tag"]);
        assert_eq!(
            map.get("tag"),
            Some(&Raw::List(vec![Raw::from(""), Raw::from("a")]))
        );
        let json = read_as(Method::Post, "application/json", r#"{"title":""}"#)
            .await
            .unwrap();
        let Some(Raw::Map(map)) = json else {
            panic!("a map: {json:?}")
        };
        assert_eq!(map.get("title"), Some(&Raw::from("")));
    }
}
