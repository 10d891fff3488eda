//! Representation tags and conditional `GET`: a resource that declares its
//! version (`#[pale(etag = …)]`) is answered with an `ETag` naming the
//! exact representation sent, and a `GET` whose `If-None-Match` names it
//! gets `304 Not Modified` with no body.
//!
//! Why not the resource's own tag: one version of an album has many
//! representations (the public's fields and its owner's, JSON and XML,
//! every `fields=` selection, links under another public URL). With one
//! tag for all, a cache holding the public copy would answer the owner's
//! revalidation with "not modified", and the owner would see the public's
//! fields. So the tag is the resource's version and a hash of the bytes
//! sent: `"v10"` becomes `"v10.8d3f…"` (16 hex digits of XXH3-64). Same
//! version, same bytes, same tag, on every instance and every build (XXH3
//! is a specified function, not a per-process hasher); anything that
//! changes the bytes changes the tag. It is a strong validator: equal
//! tags mean equal bytes.
//!
//! `If-Match` still compares *resource* versions
//! ([`crate::write::check_if_match_value`]): any representation's tag
//! names the version it was read at (the part before the last `.`), so a
//! client sends back whichever tag it got, from whichever view.
//!
//! A resource that says when it last changed (`#[pale(modified = …)]`)
//! is also sent with `Last-Modified`, and a `GET` whose `If-Modified-Since`
//! is no earlier gets the `304`, but only when it carries no
//! `If-None-Match` (RFC 9110 §13.1.3: the tag, being exact, wins). The
//! time is compared in whole seconds, HTTP dates' resolution. It says less
//! than the tag: a time is the same for every representation, so a
//! client's cached copy is only as right as its `Vary` (`Accept`,
//! `Authorization`) lets a cache keep them apart.
//!
//! Hashing costs about a tenth of an instruction per byte of body; the
//! body is rendered either way, so a 304 saves the network, not the
//! rendering.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::header::{CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED};
use http::request::Parts;
use http::{HeaderValue, Method, StatusCode};

use super::Response;
use crate::context::{App, Context};

/// Hex digits of the hash in a representation tag.
const HASH_DIGITS: usize = 16;

/// The tag of the representation `body` of a resource whose own tag is
/// `resource_tag` (`"v10"` or `W/"v10"`; an unquoted tag is taken as the
/// opaque part): the same weakness and quotes, the opaque part followed by
/// `.` and the body's hash.
///
/// ```
/// use pale_core::reply::representation_tag;
///
/// let tag = representation_tag("\"v10\"", b"{\"title\":\"Night Ferry\"}");
/// assert!(tag.starts_with("\"v10.") && tag.ends_with('"'));
/// assert_eq!(tag.len(), "\"v10.\"".len() + 16);
/// assert_ne!(tag, representation_tag("\"v10\"", b"<album/>"));
/// assert!(representation_tag("W/\"v10\"", b"{}").starts_with("W/\"v10."));
/// ```
pub fn representation_tag(resource_tag: &str, body: &[u8]) -> String {
    let (weak, opaque) = split_tag(resource_tag);
    let hash = xxhash_rust::xxh3::xxh3_64(body);
    // Built by hand: `format!` costs more than the hash on a small body.
    let mut tag = String::with_capacity(opaque.len() + HASH_DIGITS + 5);
    if weak {
        tag.push_str("W/");
    }
    tag.push('"');
    tag.push_str(opaque);
    tag.push('.');
    for digit in (0..HASH_DIGITS).rev() {
        let nibble = (hash >> (digit * 4)) & 0xf;
        tag.push(char::from(b"0123456789abcdef"[nibble as usize]));
    }
    tag.push('"');
    tag
}

/// The resource tag a representation tag was made from (`"v10.8d3f…"` →
/// `"v10"`), or `None` when `tag` is not a strong representation tag.
pub(crate) fn resource_tag_of(tag: &str) -> Option<String> {
    let (weak, opaque) = split_tag(tag);
    let (resource, hash) = opaque.rsplit_once('.')?;
    let is_hash = hash.len() == HASH_DIGITS && hash.bytes().all(|b| b.is_ascii_hexdigit());
    (!weak && is_hash).then(|| format!("\"{resource}\""))
}

/// `(weak, opaque part)` of an entity tag: `W/"x"` → `(true, "x")`,
/// `"x"` → `(false, "x")`; anything else is taken whole as the opaque
/// part.
fn split_tag(tag: &str) -> (bool, &str) {
    let (weak, quoted) = match tag.strip_prefix("W/") {
        Some(rest) => (true, rest),
        None => (false, tag),
    };
    match quoted
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
    {
        Some(opaque) => (weak, opaque),
        None => (false, tag),
    }
}

/// Whether an `If-None-Match` value names `tag`: `*`, or a list of tags of
/// which one is equal to it by the weak comparison (RFC 9110 §13.1.2: the
/// `W/` prefixes are ignored).
fn none_match_names(header: &str, tag: &str) -> bool {
    let (_, wanted) = split_tag(tag);
    header.split(',').map(str::trim).any(|candidate| {
        candidate == "*" || {
            let (_, opaque) = split_tag(candidate);
            opaque == wanted
        }
    })
}

/// What a response says of its resource's state: its tag
/// (`#[pale(etag = …)]`) and when it last changed (`#[pale(modified =
/// …)]`), when it declares them.
pub(super) struct Validators {
    pub(super) tag: Option<String>,
    pub(super) modified: Option<SystemTime>,
}

/// Tags and dates `response` (a `200` or `201` carrying the resource
/// `validators` describe), and turns a `200` to a `GET` whose
/// `If-None-Match` names its tag (or, without one, whose
/// `If-Modified-Since` is no earlier than its time) into a `304`: no
/// body, no `Content-Type`, the other headers kept (RFC 9110 §15.4.5 asks
/// for `ETag`, `Cache-Control`, `Vary`, which the later stages add as for
/// the `200`).
pub(super) fn finish<A: App>(response: &mut Response, validators: Validators, ctx: &Context<A>) {
    if validators.tag.is_none() && validators.modified.is_none() {
        return;
    }
    let tag = validators
        .tag
        .map(|resource_tag| representation_tag(&resource_tag, response.body()))
        .and_then(|tag| HeaderValue::try_from(tag).ok());
    let modified = validators.modified.map(whole_seconds);
    if let Some(tag) = &tag {
        response.headers_mut().insert(ETAG, tag.clone());
    }
    if let Some(modified) = modified
        && let Ok(date) = HeaderValue::try_from(httpdate::fmt_http_date(modified))
    {
        response.headers_mut().insert(LAST_MODIFIED, date);
    }
    let Some(request) = ctx.request() else {
        return;
    };
    let is_read = request.method == Method::GET || request.method == Method::HEAD;
    if response.status() != StatusCode::OK || !is_read {
        return;
    }
    let not_modified = if request.headers.contains_key(IF_NONE_MATCH) {
        tag.and_then(|tag| tag.to_str().ok().map(str::to_owned))
            .is_some_and(|tag| if_none_match_names(request, &tag))
    } else {
        modified.is_some_and(|modified| unmodified_since(request, modified))
    };
    if not_modified {
        *response.status_mut() = StatusCode::NOT_MODIFIED;
        response.body_mut().clear();
        response.headers_mut().remove(CONTENT_TYPE);
    }
}

/// Whether one of `request`'s `If-None-Match` headers names `tag`.
fn if_none_match_names(request: &Parts, tag: &str) -> bool {
    request
        .headers
        .get_all(IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|header| none_match_names(header, tag))
}

/// Whether `request` has one valid `If-Modified-Since` no earlier than
/// `modified` (an invalid or repeated one is ignored, as RFC 9110
/// §13.1.3 says).
fn unmodified_since(request: &Parts, modified: SystemTime) -> bool {
    let mut values = request.headers.get_all(IF_MODIFIED_SINCE).iter();
    let (Some(value), None) = (values.next(), values.next()) else {
        return false;
    };
    value
        .to_str()
        .ok()
        .and_then(|text| httpdate::parse_http_date(text).ok())
        .is_some_and(|since| modified <= since)
}

/// `time` without its fraction of a second: HTTP dates have none.
fn whole_seconds(time: SystemTime) -> SystemTime {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    UNIX_EPOCH + Duration::from_secs(since.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn representation_tags_name_their_resource() {
        let cases = [
            ("\"v10\"", Some("\"v10\"")),
            ("\"a.b\"", Some("\"a.b\"")),
            ("v10", Some("\"v10\"")),
        ];
        for (resource, expected) in cases {
            let tag = representation_tag(resource, b"body");
            assert_eq!(
                resource_tag_of(&tag).as_deref(),
                expected,
                "{resource} -> {tag}"
            );
        }
        // Weak tags never match `If-Match` (strong comparison).
        assert_eq!(
            resource_tag_of(&representation_tag("W/\"v10\"", b"x")),
            None
        );
        for not_one in [
            "\"v10\"",
            "\"v10.abc\"",
            "\"v10.0123456789abcdeg\"",
            "*",
            "",
        ] {
            assert_eq!(resource_tag_of(not_one), None, "{not_one}");
        }
    }

    #[test]
    fn the_tag_is_the_bytes() {
        let a = representation_tag("\"v1\"", b"{\"a\":1}");
        assert_eq!(a, representation_tag("\"v1\"", b"{\"a\":1}"));
        assert_ne!(a, representation_tag("\"v1\"", b"{\"a\":2}"));
        assert_ne!(a, representation_tag("\"v2\"", b"{\"a\":1}"));
        // XXH3-64 is specified: the same on every build and platform.
        assert_eq!(representation_tag("\"v1\"", b""), "\"v1.2d06800538d394c2\"");
    }

    #[test]
    fn if_none_match_compares_weakly() {
        let tag = "\"v1.0123456789abcdef\"";
        let cases = [
            ("\"v1.0123456789abcdef\"", true),
            ("W/\"v1.0123456789abcdef\"", true),
            ("\"x\", \"v1.0123456789abcdef\"", true),
            ("*", true),
            ("\"v1\"", false),
            ("\"v1.0123456789abcdee\"", false),
            ("", false),
        ];
        for (header, expected) in cases {
            assert_eq!(none_match_names(header, tag), expected, "{header}");
        }
    }
}
