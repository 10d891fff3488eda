//! The API's own documentation, served when the API opts in
//! ([`ApiBuilder::serve_docs`](pale_core::ApiBuilder::serve_docs)):
//! `GET /openapi.json` and `GET /docs` under the base path.
//!
//! Each caller gets the document for their own audience — the most they
//! could see of any object (anonymous: public; signed in: owner; admins:
//! admin) — or a lower one chosen with `?audience=public|user|owner|admin`.
//! Asking for more than one's own is a 403: a field's existence is part of
//! what its audience protects. Documents are generated once per audience
//! and kept. The router routes to them like to any endpoint.

use std::sync::OnceLock;

use http::StatusCode;
use http::header::{CONTENT_TYPE, HeaderValue};
use pale_core::format::decode_form;
use pale_core::{Api, ApiError, App, Audience};

/// Which document a path names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Doc {
    OpenApi,
    Html,
}

impl Doc {
    /// Where the documents are, under the base path: ordinary `GET`
    /// routes.
    pub(crate) const ROUTES: [(&'static str, Self); 3] = [
        ("/openapi.json", Self::OpenApi),
        ("/docs", Self::Html),
        ("/docs/", Self::Html),
    ];

    /// The path it is served at, for the access log.
    pub(crate) fn path(self) -> &'static str {
        match self {
            Self::OpenApi => "/openapi.json",
            Self::Html => "/docs",
        }
    }
}

/// Generated documents, by kind and audience.
#[derive(Default)]
pub(crate) struct DocCache {
    documents: [[OnceLock<Vec<u8>>; 4]; 2],
}

impl DocCache {
    /// Answers `doc` for a caller who may see up to `ceiling`.
    pub(crate) fn respond<A: App>(
        &self,
        api: &Api<A>,
        doc: Doc,
        query: Option<&str>,
        ceiling: Audience,
    ) -> Result<pale_core::Response, ApiError> {
        let audience = chosen(query, ceiling)?;
        let slot = &self.documents[doc as usize][audience as usize];
        let body = slot.get_or_init(|| match doc {
            Doc::OpenApi => serde_json::to_vec(&pale_core::describe::openapi_in(
                api,
                Some(audience),
                api.openapi_version(),
            ))
            .unwrap_or_default(),
            Doc::Html => pale_core::describe::html(api, Some(audience)).into_bytes(),
        });
        let mut response = http::Response::new(body.clone());
        *response.status_mut() = StatusCode::OK;
        let media_type = match doc {
            Doc::OpenApi => "application/json",
            Doc::Html => "text/html; charset=utf-8",
        };
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static(media_type));
        Ok(response)
    }
}

/// The audience asked for with `?audience=`, at most `ceiling`.
fn chosen(query: Option<&str>, ceiling: Audience) -> Result<Audience, ApiError> {
    let Some(query) = query else {
        return Ok(ceiling);
    };
    let map = decode_form(query.as_bytes())?;
    let Some(asked) = map.get("audience").and_then(|v| v.as_scalar_text()) else {
        return Ok(ceiling);
    };
    let asked = Audience::from_name(asked).ok_or_else(|| {
        ApiError::bad_request("`audience` is one of public, user, owner, admin")
            .with_code("invalid_audience")
    })?;
    if asked > ceiling {
        return Err(
            ApiError::forbidden().with_detail("that audience's documentation is not yours to read")
        );
    }
    Ok(asked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_audience_is_the_callers_or_lower() {
        #[rustfmt::skip]
        let cases: [(Option<&str>, Audience, Result<Audience, u16>); 6] = [
            (None, Audience::Public, Ok(Audience::Public)),
            (None, Audience::Owner, Ok(Audience::Owner)),
            (Some("audience=public"), Audience::Admin, Ok(Audience::Public)),
            (Some("audience=admin"), Audience::Owner, Err(403)),
            (Some("audience=root"), Audience::Admin, Err(400)),
            (Some("x=1"), Audience::User, Ok(Audience::User)),
        ];
        for (query, ceiling, expected) in cases {
            let got = chosen(query, ceiling).map_err(|e| e.status().as_u16());
            assert_eq!(got, expected, "{query:?} {ceiling:?}");
        }
    }
}
