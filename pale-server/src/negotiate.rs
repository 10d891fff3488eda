//! Content negotiation (RFC 9110 §12): `Accept` picks the response format,
//! `Content-Type` the body decoder.
//!
//! Media types are compared by type and subtype, case-insensitively;
//! parameters are parsed, not string-matched, so
//! `application/json; charset=utf-8` is JSON. The one parameter that can
//! refuse a body is a `charset` other than UTF-8.
//!
//! The negotiation stage ([`Negotiate`]) chooses the format first, so
//! that every error of the stages below it (routing, timeout, panics,
//! input, the handler's own) is answered as a problem document in the
//! client's format: it is where an [`ApiError`] becomes a response. Its
//! choice travels down with the request, as [`Negotiated`].

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use http::header::{ACCEPT, CACHE_CONTROL, CONTENT_TYPE, HeaderValue};
use http::{Request, Response};
use http_body_util::Full;
use pale_core::ApiError;
use pale_core::format::Wire;
use pin_project_lite::pin_project;

use crate::problem;
use crate::request_id::{Identified, RequestId};

/// A request, its id and the response format chosen for it: what the
/// stages below the negotiation stage are called with.
pub(crate) struct Negotiated<B> {
    pub(crate) request: Request<B>,
    pub(crate) id: RequestId,
    pub(crate) wire: Wire,
}

/// Negotiates the response format, and renders errors in it.
#[derive(Clone)]
pub(crate) struct NegotiateLayer {
    formats: Arc<[Wire]>,
}

impl NegotiateLayer {
    /// Chooses among `formats`, the first (JSON) by default.
    pub(crate) fn new(formats: &[Wire]) -> Self {
        Self {
            formats: formats.into(),
        }
    }
}

impl<S> tower::Layer<S> for NegotiateLayer {
    type Service = Negotiate<S>;

    fn layer(&self, inner: S) -> Negotiate<S> {
        Negotiate {
            inner,
            formats: Arc::clone(&self.formats),
        }
    }
}

/// The negotiation stage around `S`, whose errors it renders.
#[derive(Clone)]
pub(crate) struct Negotiate<S> {
    inner: S,
    formats: Arc<[Wire]>,
}

impl<S, B> tower::Service<Identified<B>> for Negotiate<S>
where
    S: tower::Service<Negotiated<B>, Response = pale_core::Response, Error = ApiError>,
{
    type Response = Response<Full<Bytes>>;
    type Error = std::convert::Infallible;
    type Future = NegotiateFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        // The stages below are always ready; one that is not would be
        // asked again, its error is answered with the request.
        let _ = ready!(self.inner.poll_ready(cx));
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, Identified { request, id }: Identified<B>) -> Self::Future {
        let accept = request.headers().get(ACCEPT).and_then(|v| v.to_str().ok());
        let Some(index) = choose(accept, &self.formats) else {
            let types: Vec<&str> = self.formats.iter().map(Wire::media_type).collect();
            return NegotiateFuture::Refused {
                error: Some(ApiError::not_acceptable(&types)),
                id,
            };
        };
        let wire = self.formats[index].clone();
        let media = accept.and_then(|accept| alias_asked(accept, &wire));
        NegotiateFuture::Called {
            inner: self.inner.call(Negotiated {
                request,
                id,
                wire: wire.clone(),
            }),
            wire,
            media,
            id,
        }
    }
}

pin_project! {
    /// The response, or the error as a problem document.
    #[project = Projected]
    pub(crate) enum NegotiateFuture<F> {
        Called {
            #[pin] inner: F,
            wire: Wire,
            // The format's other media type, when the client asked for
            // that one (`text/xml`): the response is labelled so.
            media: Option<&'static str>,
            id: RequestId,
        },
        Refused { error: Option<ApiError>, id: RequestId },
    }
}

impl<F> Future for NegotiateFuture<F>
where
    F: Future<Output = Result<pale_core::Response, ApiError>>,
{
    type Output = Result<Response<Full<Bytes>>, std::convert::Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let (error, wire, id) = match self.project() {
            Projected::Called {
                inner,
                wire,
                media,
                id,
            } => match ready!(inner.poll(cx)) {
                Ok(mut response) => {
                    if let Some(media) = media {
                        relabel(&mut response, wire, media);
                    }
                    return Poll::Ready(Ok(response.map(|body| Full::new(Bytes::from(body)))));
                }
                Err(error) => (error, &*wire, &*id),
            },
            // Nothing the client accepts: the problem is in JSON.
            Projected::Refused { error, id } => (
                error.take().expect("polled after completion"),
                &Wire::Json,
                &*id,
            ),
        };
        let mut response = problem::response(&error, wire, id.as_str());
        response
            .headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        Poll::Ready(Ok(response))
    }
}

/// The media types a format answers to: its own, then its aliases
/// (`text/xml` for XML, none for JSON). Borrowed, so negotiating
/// allocates nothing.
fn names(wire: &Wire) -> impl Iterator<Item = &'static str> {
    std::iter::once(wire.media_type()).chain(wire.aliases().iter().copied())
}

/// The alias of `wire` that `accept` prefers to its own media type
/// (`text/xml` for XML), or `None` to answer with the format's own: the
/// alias's most specific matching range has a higher `q` than the format's
/// own type's (an `Accept: text/xml` does not match `application/xml` at
/// all). `*/*` or a tie keeps the format's own type; of several aliases,
/// the one with the highest `q` (the first on a tie).
fn alias_asked(accept: &str, wire: &Wire) -> Option<&'static str> {
    let aliases = wire.aliases();
    if aliases.is_empty() {
        return None;
    }
    let q_of = |media: &str| {
        let mut best: Option<(u8, f32)> = None;
        for range in accept.split(',').filter_map(parse_range) {
            if let Some(spec) = specificity(&range, media)
                && best.is_none_or(|(s, _)| spec > s)
            {
                best = Some((spec, range.q));
            }
        }
        best.map_or(0.0, |(_, q)| q)
    };
    let mut chosen = None;
    let mut floor = q_of(wire.media_type());
    for alias in aliases {
        let q = q_of(alias);
        if q > floor {
            chosen = Some(*alias);
            floor = q;
        }
    }
    chosen
}

/// Labels a response in `wire` with its alias `media` instead; a problem
/// document (`application/problem+xml`) keeps its own type.
fn relabel(response: &mut pale_core::Response, wire: &Wire, media: &'static str) {
    let headers = response.headers_mut();
    if headers
        .get(CONTENT_TYPE)
        .is_some_and(|v| v == wire.media_type())
    {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(media));
    }
}

struct MediaRange<'a> {
    kind: &'a str,
    subtype: &'a str,
    q: f32,
}

fn parse_range(item: &str) -> Option<MediaRange<'_>> {
    let mut parts = item.split(';');
    let (kind, subtype) = parts.next()?.trim().split_once('/')?;
    let mut q = 1.0;
    for param in parts {
        if let Some((name, value)) = param.trim().split_once('=')
            && name.trim().eq_ignore_ascii_case("q")
        {
            q = value
                .trim()
                .parse::<f32>()
                .ok()
                .filter(|q| (0.0..=1.0).contains(q))?;
        }
    }
    Some(MediaRange {
        kind: kind.trim(),
        subtype: subtype.trim(),
        q,
    })
}

/// [`choose`] for an `Accept` of one media range without parameters
/// (`application/json`, `*/*`: what most clients send): the first format
/// it matches, as the general path finds it (every `q` is 1), without
/// splitting the header or collecting its ranges. Measured: a tenth of the
/// instructions of a small request's pipeline went into the general path.
fn choose_one(accept: &str, formats: &[Wire]) -> Option<usize> {
    let Some((kind, subtype)) = accept.split_once('/') else {
        return Some(0);
    };
    let range = MediaRange {
        kind: kind.trim(),
        subtype: subtype.trim(),
        q: 1.0,
    };
    formats
        .iter()
        .position(|wire| names(wire).any(|media| specificity(&range, media).is_some()))
}

/// How well `range` matches `media` (`type/subtype`): `None` if it does
/// not, else its specificity (2 exact, 1 `type/*`, 0 `*/*`).
fn specificity(range: &MediaRange<'_>, media: &str) -> Option<u8> {
    let (kind, subtype) = media.split_once('/')?;
    if range.kind == "*" && range.subtype == "*" {
        Some(0)
    } else if range.kind.eq_ignore_ascii_case(kind) && range.subtype == "*" {
        Some(1)
    } else if range.kind.eq_ignore_ascii_case(kind) && range.subtype.eq_ignore_ascii_case(subtype) {
        Some(2)
    } else {
        None
    }
}

/// The index of the format to answer in, or `None` when nothing in
/// `accept` can be produced (406). No `Accept`, or an empty one, is JSON.
pub(crate) fn choose(accept: Option<&str>, formats: &[Wire]) -> Option<usize> {
    let accept = match accept.map(str::trim) {
        None | Some("") => return Some(0),
        Some(a) => a,
    };
    if !accept.contains([',', ';']) {
        return choose_one(accept, formats);
    }
    choose_among(accept, formats)
}

/// [`choose`] for any `Accept`: its ranges parsed, the format with the
/// highest `q` (the first on a tie).
fn choose_among(accept: &str, formats: &[Wire]) -> Option<usize> {
    let ranges: Vec<MediaRange<'_>> = accept.split(',').filter_map(parse_range).collect();
    if ranges.is_empty() {
        return Some(0);
    }
    let mut best: Option<(usize, f32)> = None;
    for (index, wire) in formats.iter().enumerate() {
        // The q of a format is that of the most specific range matching any
        // of its media types.
        let mut q_for_format: Option<(u8, f32)> = None;
        for media in names(wire) {
            for range in &ranges {
                if let Some(spec) = specificity(range, media)
                    && q_for_format.is_none_or(|(s, _)| spec > s)
                {
                    q_for_format = Some((spec, range.q));
                }
            }
        }
        if let Some((_, q)) = q_for_format.filter(|(_, q)| *q > 0.0)
            && best.is_none_or(|(_, bq)| q > bq)
        {
            best = Some((index, q));
        }
    }
    best.map(|(index, _)| index)
}

/// What a request body is, by its `Content-Type`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum BodyKind {
    /// One of the API's formats, by index.
    Format(usize),
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `application/merge-patch+json` (RFC 7396).
    MergePatch,
}

/// Reads a `Content-Type`; `None` when it is not one the API decodes.
pub(crate) fn body_kind(content_type: &str, formats: &[Wire]) -> Option<BodyKind> {
    let mut parts = content_type.split(';');
    let essence = parts.next()?.trim();
    for param in parts {
        if let Some((name, value)) = param.trim().split_once('=') {
            let value = value.trim().trim_matches('"');
            if name.trim().eq_ignore_ascii_case("charset")
                && !value.eq_ignore_ascii_case("utf-8")
                && !value.eq_ignore_ascii_case("utf8")
            {
                return None;
            }
        }
    }
    if essence.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
        return Some(BodyKind::Form);
    }
    if essence.eq_ignore_ascii_case("application/merge-patch+json") {
        return Some(BodyKind::MergePatch);
    }
    formats
        .iter()
        .position(|wire| wire.can_decode() && names(wire).any(|m| m.eq_ignore_ascii_case(essence)))
        .map(BodyKind::Format)
}

/// The media types bodies may have, for `Accept-Post`/`Accept-Patch` and
/// 415 answers.
pub(crate) fn accepted(formats: &[Wire]) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = formats
        .iter()
        .filter(|w| w.can_decode())
        .flat_map(names)
        .collect();
    out.dedup();
    out.push("application/x-www-form-urlencoded");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::{Layer, ServiceExt};

    fn formats() -> Vec<Wire> {
        vec![Wire::Json, Wire::Xml]
    }

    #[tokio::test]
    async fn errors_below_are_problems_in_the_chosen_format() {
        // Answers the body's status: 200 with the chosen format's type, or
        // that error.
        let inner = tower::service_fn(
            |Negotiated { request, wire, .. }: Negotiated<u16>| async move {
                match *request.body() {
                    200 => Ok(http::Response::new(wire.media_type().as_bytes().to_vec())),
                    _ => Err(ApiError::not_found("album")),
                }
            },
        );
        let stage = NegotiateLayer::new(&formats()).layer(inner);
        #[rustfmt::skip]
        let cases = [
            (None, 200, 200, None, "application/json"),
            (Some("application/xml"), 200, 200, None, "application/xml"),
            (Some("application/xml"), 404, 404, Some("application/problem+xml"), "<problem>"),
            (None, 404, 404, Some("application/problem+json"), "\"status\":404"),
            (Some("text/html"), 200, 406, Some("application/problem+json"), "\"status\":406"),
        ];
        for (accept, asked, status, content_type, body) in cases {
            let mut request = Request::new(asked);
            if let Some(accept) = accept {
                request
                    .headers_mut()
                    .insert(ACCEPT, HeaderValue::from_static(accept));
            }
            let id = RequestId::new(&HeaderValue::from_static("req-1"));
            let response = stage
                .clone()
                .oneshot(Identified { request, id })
                .await
                .unwrap();
            assert_eq!(response.status(), status, "{accept:?} {asked}");
            let got = response
                .headers()
                .get("content-type")
                .map(|v| v.to_str().unwrap());
            assert_eq!(got, content_type);
            let cache = response.headers().get(CACHE_CONTROL);
            assert_eq!(cache.is_some(), status != 200, "problems are not cached");
            let bytes = http_body_util::BodyExt::collect(response.into_body())
                .await
                .unwrap();
            let text = String::from_utf8(bytes.to_bytes().to_vec()).unwrap();
            assert!(text.contains(body), "{text}");
        }
    }

    #[test]
    fn accept_picks_by_q_then_specificity_then_server_order() {
        #[rustfmt::skip]
        let cases: &[(Option<&str>, Option<usize>)] = &[
            (None, Some(0)),
            (Some(""), Some(0)),
            (Some("*/*"), Some(0)),
            (Some("application/xml"), Some(1)),
            (Some("text/xml"), Some(1)),
            (Some("APPLICATION/XML"), Some(1)),
            (Some("application/json;q=0.5, application/xml"), Some(1)),
            (Some("application/xml;q=0.2, */*;q=0.1"), Some(1)),
            (Some("application/*"), Some(0)),
            (Some("application/*, application/json;q=0"), Some(1)),
            (Some("text/html"), None),
            (Some("application/json;q=0"), None),
            (Some("text/html, */*;q=0.1"), Some(0)),
            (Some("garbage"), Some(0)),
            (Some("application/xml;q=2"), Some(0)),
        ];
        for (accept, expected) in cases {
            assert_eq!(choose(*accept, &formats()), *expected, "{accept:?}");
        }
    }

    /// The shortcut for one range without parameters chooses as the
    /// general path does, whichever formats are offered.
    #[test]
    fn one_range_chooses_as_the_general_path() {
        let ranges = [
            "application/json",
            "application/xml",
            "text/xml",
            " TEXT/XML ",
            "*/*",
            "application/*",
            "text/*",
            "text/html",
            "garbage",
            "/",
            "a/",
            "*/json",
        ];
        let offers = [formats(), vec![Wire::Xml, Wire::Json], vec![Wire::Xml]];
        for offered in &offers {
            for range in ranges {
                assert_eq!(
                    choose_one(range.trim(), offered),
                    choose_among(range.trim(), offered),
                    "{range:?} among {offered:?}"
                );
            }
        }
        assert_eq!(choose(Some("text/xml"), &formats()), Some(1));
        assert_eq!(choose(Some("text/html"), &formats()), None);
    }

    #[test]
    fn xml_is_labelled_text_xml_when_that_is_what_was_asked() {
        #[rustfmt::skip]
        let cases: &[(&str, Option<&str>)] = &[
            ("text/xml", Some("text/xml")),
            ("TEXT/XML", Some("text/xml")),
            ("text/*", Some("text/xml")),
            ("text/xml, application/xml;q=0.5", Some("text/xml")),
            ("application/xml", None),
            ("application/xml, text/xml", None),
            ("text/xml;q=0.5, application/xml", None),
            ("*/*", None),
            ("text/xml;q=0.5, */*;q=0.9", None),
        ];
        for (accept, expected) in cases {
            assert_eq!(alias_asked(accept, &Wire::Xml), *expected, "{accept:?}");
        }
        assert_eq!(alias_asked("text/xml", &Wire::Json), None);
    }

    #[test]
    fn a_formats_aliases_are_negotiated_and_the_one_asked_for_labels_the_response() {
        let packed = Wire::Custom(Arc::new(crate::test_formats::Packed));
        let formats = [Wire::Json, Wire::Xml, packed.clone()];
        #[rustfmt::skip]
        let cases: &[(&str, Option<usize>, Option<&str>)] = &[
            ("application/vnd.msgpack", Some(2), None),
            ("application/msgpack", Some(2), Some("application/msgpack")),
            ("APPLICATION/X-MSGPACK", Some(2), Some("application/x-msgpack")),
            ("application/msgpack;q=0.5, application/x-msgpack", Some(2), Some("application/x-msgpack")),
            ("application/msgpack, application/vnd.msgpack", Some(2), None),
            ("application/msgpack;q=0", None, None),
        ];
        for (accept, chosen, label) in cases {
            assert_eq!(choose(Some(accept), &formats), *chosen, "{accept}");
            assert_eq!(alias_asked(accept, &packed), *label, "{accept}");
        }
        for content_type in [
            "application/vnd.msgpack",
            "application/msgpack",
            "application/x-msgpack",
        ] {
            assert_eq!(body_kind(content_type, &formats), Some(BodyKind::Format(2)));
        }
        assert_eq!(
            accepted(&formats),
            [
                "application/json",
                "application/xml",
                "text/xml",
                "application/vnd.msgpack",
                "application/msgpack",
                "application/x-msgpack",
                "application/x-www-form-urlencoded",
            ]
        );
    }

    #[tokio::test]
    async fn a_text_xml_client_reads_text_xml_and_problems_keep_their_type() {
        let service = NegotiateLayer::new(&formats()).layer(tower::service_fn(
            |n: Negotiated<()>| async move {
                if n.request.uri().path() == "/fail" {
                    return Err(ApiError::not_found("song"));
                }
                let mut response = http::Response::new(b"<song/>".to_vec());
                response
                    .headers_mut()
                    .insert(CONTENT_TYPE, HeaderValue::from_static(n.wire.media_type()));
                Ok(response)
            },
        ));
        #[rustfmt::skip]
        let cases = [
            ("/ok", "text/xml", "text/xml"),
            ("/ok", "application/xml", "application/xml"),
            ("/ok", "text/xml;q=0.3, application/xml", "application/xml"),
            ("/fail", "text/xml", "application/problem+xml"),
        ];
        for (path, accept, expected) in cases {
            let request = Request::builder()
                .uri(path)
                .header(ACCEPT, accept)
                .body(())
                .unwrap();
            let response = service
                .clone()
                .oneshot(Identified {
                    request,
                    id: RequestId::new(&HeaderValue::from_static("req-2")),
                })
                .await
                .unwrap();
            assert_eq!(
                response.headers()[CONTENT_TYPE],
                expected,
                "{path} {accept}"
            );
        }
    }

    #[test]
    fn content_types_are_parsed_not_string_matched() {
        #[rustfmt::skip]
        let cases: &[(&str, Option<BodyKind>)] = &[
            ("application/json", Some(BodyKind::Format(0))),
            ("application/json; charset=utf-8", Some(BodyKind::Format(0))),
            ("Application/JSON;charset=\"UTF-8\"", Some(BodyKind::Format(0))),
            ("application/json; charset=latin1", None),
            ("application/xml", Some(BodyKind::Format(1))),
            ("text/xml; charset=utf-8", Some(BodyKind::Format(1))),
            ("application/x-www-form-urlencoded", Some(BodyKind::Form)),
            ("application/merge-patch+json", Some(BodyKind::MergePatch)),
            ("text/plain", None),
            ("multipart/form-data; boundary=x", None),
            ("", None),
        ];
        for (content_type, expected) in cases {
            assert_eq!(
                body_kind(content_type, &formats()),
                *expected,
                "{content_type:?}"
            );
        }
    }
}
