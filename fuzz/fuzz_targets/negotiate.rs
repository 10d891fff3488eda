//! `Accept` and `Content-Type` parsing (`pale_server::__fuzz`, the
//! negotiation stage's own functions).
//!
//! Properties, for any header text and both orders of the formats:
//! - whatever the header, the choice does not depend on ASCII case;
//! - where every media range in `Accept` is well-formed by RFC 9110 (read
//!   by the `mime` crate, not by Pale's parser), it chooses a format the
//!   API offers; never one whose most specific matching media ranges all
//!   say `q=0`, never one no range with `q > 0` matches, and never one
//!   with a lower `q` than another format's unambiguous `q`; a 406 only
//!   when no format has a positive `q`; an `Accept` of blank ranges is
//!   JSON, the first format, as no `Accept` is;
//! - `Content-Type` gives a decoder only for a type the API reads (its
//!   formats, forms, merge patches), compared case-insensitively, and
//!   never for a `charset` other than UTF-8.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pale_core::format::Wire;
use pale_server::__fuzz::{BodyKind, body_kind, choose};

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let formats = if first % 2 == 0 {
        vec![Wire::Json, Wire::Xml]
    } else {
        vec![Wire::Xml, Wire::Json]
    };
    accept(text, &formats);
    content_type(text, &formats);
});

fn aliases(wire: &Wire) -> &'static [&'static str] {
    match wire {
        Wire::Json => &["application/json"],
        _ => &["application/xml", "text/xml"],
    }
}

/// A media range as read by the `mime` crate, a parser independent of
/// Pale's, with its `q` read by RFC 9110's `qvalue` grammar (§12.4.2).
/// `None` when either rejects it, when it has quoted parameters (whose
/// `;` Pale's lenient reading does not honour) or more than one `q`: the
/// properties below are checked against this oracle only on headers whose
/// every range is well-formed by the standard.
fn range(item: &str) -> Option<(String, String, f32)> {
    if item.contains('"') {
        return None;
    }
    let mime: mime::Mime = item.trim().parse().ok()?;
    let mut qs = mime.params().filter(|(name, _)| *name == "q");
    let q = match (qs.next(), qs.next()) {
        (None, _) => 1.0,
        (Some((_, value)), None) => qvalue(value.as_str())?,
        (Some(_), Some(_)) => return None,
    };
    let (kind, subtype) = mime.essence_str().split_once('/')?;
    Some((kind.to_ascii_lowercase(), subtype.to_ascii_lowercase(), q))
}

/// `qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )`.
fn qvalue(text: &str) -> Option<f32> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits_ok = fraction.len() <= 3 && fraction.bytes().all(|b| b.is_ascii_digit());
    let thousandths: u32 = match whole {
        "0" if digits_ok => format!("{fraction:0<3}").parse().ok()?,
        "1" if digits_ok && fraction.bytes().all(|b| b == b'0') => 1000,
        _ => return None,
    };
    Some(thousandths as f32 / 1000.0)
}

/// The specificity of the most specific ranges matching `wire`, and
/// their `q` values.
fn matches(ranges: &[(String, String, f32)], wire: &Wire) -> Option<(u8, Vec<f32>)> {
    let mut best: Option<(u8, Vec<f32>)> = None;
    for media in aliases(wire) {
        let (kind, subtype) = media.split_once('/').expect("a media type");
        for (k, s, q) in ranges {
            let spec = if k == "*" && s == "*" {
                0
            } else if k == kind && s == "*" {
                1
            } else if k == kind && s == subtype {
                2
            } else {
                continue;
            };
            match &mut best {
                Some((b, qs)) if *b == spec => qs.push(*q),
                Some((b, _)) if *b > spec => {}
                _ => best = Some((spec, vec![*q])),
            }
        }
    }
    best
}

fn accept(text: &str, formats: &[Wire]) {
    let chosen = choose(Some(text), formats);
    assert_eq!(
        chosen,
        choose(Some(&text.to_ascii_uppercase()), formats),
        "case"
    );
    assert_eq!(
        chosen,
        choose(Some(&text.to_ascii_lowercase()), formats),
        "case"
    );
    let items: Vec<&str> = text.split(',').filter(|item| !item.trim().is_empty()).collect();
    let ranges: Vec<_> = items.iter().filter_map(|item| range(item)).collect();
    if ranges.len() < items.len() {
        // A range the standard's grammar rejects: Pale reads it leniently,
        // and the oracle has no say.
        return;
    }
    if ranges.is_empty() {
        assert_eq!(chosen, Some(0), "no usable range: the first format");
        return;
    }
    let found: Vec<Option<(u8, Vec<f32>)>> = formats.iter().map(|w| matches(&ranges, w)).collect();
    let positive = |m: &Option<(u8, Vec<f32>)>| {
        m.as_ref()
            .is_some_and(|(_, qs)| qs.iter().all(|q| *q > 0.0))
    };
    let some_positive = |m: &Option<(u8, Vec<f32>)>| {
        m.as_ref()
            .is_some_and(|(_, qs)| qs.iter().any(|q| *q > 0.0))
    };
    match chosen {
        None => assert!(!found.iter().any(positive), "406 for {text:?}"),
        Some(index) => {
            assert!(index < formats.len());
            assert!(
                some_positive(&found[index]),
                "chose q=0 or unmatched for {text:?}"
            );
            let top = found[index]
                .as_ref()
                .map_or(0.0, |(_, qs)| qs.iter().cloned().fold(0.0, f32::max));
            for (other, m) in found.iter().enumerate().filter(|(i, _)| *i != index) {
                if let Some((_, qs)) = m
                    && qs.windows(2).all(|w| w[0] == w[1])
                {
                    assert!(
                        qs[0] <= top,
                        "chose {index} (q {top}) over {other} (q {}) for {text:?}",
                        qs[0]
                    );
                }
            }
        }
    }
}

fn content_type(text: &str, formats: &[Wire]) {
    let kind = body_kind(text, formats);
    assert_eq!(kind, body_kind(&text.to_ascii_uppercase(), formats), "case");
    let mut parts = text.split(';');
    let essence = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
    let charset_ok = parts.all(|param| match param.trim().split_once('=') {
        Some((name, value)) if name.trim().eq_ignore_ascii_case("charset") => {
            let value = value.trim().trim_matches('"');
            value.eq_ignore_ascii_case("utf-8") || value.eq_ignore_ascii_case("utf8")
        }
        _ => true,
    });
    let expected = if !charset_ok {
        None
    } else if essence == "application/x-www-form-urlencoded" {
        Some(BodyKind::Form)
    } else if essence == "application/merge-patch+json" {
        Some(BodyKind::MergePatch)
    } else {
        formats
            .iter()
            .position(|w| aliases(w).contains(&essence.as_str()))
            .map(BodyKind::Format)
    };
    assert_eq!(kind, expected, "{text:?}");
}
