//! What an endpoint reads from an HTTP request, read in one place: the
//! server speaks HTTP (connections, bodies, negotiation) and hands over the
//! request's parts; core turns them into Pale's [`Input`] and selection.
//!
//! The body is the server's to read, by its `Content-Type` and within its
//! size limit, after this: a request refused here (a malformed query, a
//! path segment that is not UTF-8) is refused before its body is read.

use http::request::Parts;

use crate::api::Route;
use crate::argument::{CompactString, Input, Raw, Source};
use crate::context::App;
use crate::error::ApiError;
use crate::format::decode_form;
use crate::path::decode_segment;
use crate::select::Selection;

impl<A: App> Route<A> {
    /// Reads this route's input from a request's `parts`, the body aside:
    /// the path parameters from `path` (the request path without the API's
    /// base path, which this route's template matched), percent-decoded;
    /// the query, with `fields=` taken out and parsed into the selection;
    /// and the headers the endpoint's arguments name.
    ///
    /// A path segment that is not UTF-8 once decoded, a malformed query or
    /// `fields=`, are a 400.
    pub fn read_input(
        &self,
        path: &str,
        parts: &Parts,
    ) -> Result<(Input, Option<Selection>), ApiError> {
        let mut input = Input::new();
        for (name, value) in self.template().values(path) {
            // A template names each parameter once: no key to replace, and
            // a static name to borrow rather than copy.
            let name = CompactString::const_new(name);
            input.path.push_new(name, Raw::Text(decode_segment(value)?));
        }
        let mut selection = None;
        if let Some(query) = parts.uri.query() {
            input.query = decode_form(query.as_bytes())?;
            if let Some(fields) = input.query.remove("fields") {
                selection = Some(parse_fields(&fields)?);
            }
        }
        for argument in self.endpoint.arguments {
            if let Source::Header(name) = argument.source
                && let Some(value) = parts.headers.get(name).and_then(|v| v.to_str().ok())
            {
                input
                    .headers
                    .insert(name.to_ascii_lowercase(), Raw::from(value));
            }
        }
        Ok((input, selection))
    }
}

/// The selection of `fields=`, given once.
fn parse_fields(raw: &Raw) -> Result<Selection, ApiError> {
    let Raw::Text(text) = raw else {
        return Err(ApiError::bad_request("give `fields` once").with_code("invalid_selection"));
    };
    Selection::parse(text).map_err(|err| {
        ApiError::bad_request(format!("`fields` is malformed: {err}"))
            .with_code("invalid_selection")
    })
}

#[cfg(all(test, feature = "derive"))]
mod tests {
    use crate::prelude::*;

    /// Reads what the request gives.
    #[derive(Endpoint)]
    #[pale(GET "/albums/{album_id}/tracks/{number}", name = "track")]
    struct GetTrack {
        /// The album.
        album_id: String,
        /// The track.
        number: u32,
        /// A header.
        #[pale(from = header("X-Trace"))]
        trace: Option<String>,
        /// From the query.
        q: Option<String>,
    }

    impl Handler<()> for GetTrack {
        type Output = NoContent;
        async fn handle(self, _: &Context<()>) -> Result<NoContent, ApiError> {
            let _ = (self.album_id, self.number, self.trace, self.q);
            Ok(NoContent)
        }
    }

    fn parts(uri: &str, headers: &[(&'static str, &str)]) -> http::request::Parts {
        let mut request = http::Request::get(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.body(()).unwrap().into_parts().0
    }

    /// Request headers.
    type Headers = &'static [(&'static str, &'static str)];
    /// Album, number, `q`, `x-trace`, whether there is a selection; or a
    /// status.
    type Expected = Result<
        (
            &'static str,
            &'static str,
            Option<&'static str>,
            Option<&'static str>,
            bool,
        ),
        u16,
    >;

    #[test]
    fn path_query_selection_and_headers_by_case() {
        let api = Api::builder(()).mount::<GetTrack>().build().unwrap();
        let route = api.route("track").unwrap();
        #[rustfmt::skip]
        let cases: &[(&str, &str, Headers, Expected)] = &[
            ("/albums/a%20b/tracks/3", "/albums/a%20b/tracks/3", &[], Ok(("a b", "3", None, None, false))),
            ("/albums/x/tracks/3?q=hi&fields=title", "/albums/x/tracks/3", &[("x-trace", "t1")], Ok(("x", "3", Some("hi"), Some("t1"), true))),
            ("/albums/%ff/tracks/3", "/albums/%ff/tracks/3", &[], Err(400)),
            ("/albums/x/tracks/3?fields=a(", "/albums/x/tracks/3", &[], Err(400)),
            ("/albums/x/tracks/3?fields=a&fields=b", "/albums/x/tracks/3", &[], Err(400)),
        ];
        for (uri, path, headers, expected) in cases {
            let got = route
                .read_input(path, &parts(uri, headers))
                .map_err(|e| e.status().as_u16())
                .map(|(input, selection)| {
                    let text =
                        |raw: Option<&Raw>| raw.and_then(Raw::as_scalar_text).map(str::to_owned);
                    (
                        text(input.path.get("album_id")).unwrap_or_default(),
                        text(input.path.get("number")).unwrap_or_default(),
                        text(input.query.get("q")),
                        text(input.headers.get("x-trace")),
                        selection.is_some(),
                    )
                });
            let expected = expected.map(|(a, n, q, t, s)| {
                (
                    a.to_owned(),
                    n.to_owned(),
                    q.map(str::to_owned),
                    t.map(str::to_owned),
                    s,
                )
            });
            assert_eq!(got, expected, "{uri}");
        }
    }

    use crate::argument::Raw;
}
