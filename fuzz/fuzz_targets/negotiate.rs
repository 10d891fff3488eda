//! `Accept` and `Content-Type` parsing (`pale_server::__fuzz`, the
//! negotiation stage's own functions).
//!
//! Properties, for any header text and both orders of the formats:
//! - `Accept` chooses a format the API offers; never one whose most
//!   specific matching media ranges all say `q=0`, never one no range
//!   with `q > 0` matches (unless no range parses at all: then JSON, the
//!   first format, as for no `Accept`), and never one with a lower `q`
//!   than another format's unambiguous `q`; a 406 only when no format has
//!   a positive `q`; and the choice does not depend on ASCII case;
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

/// A media range as RFC 9110 §12.5.1 reads it: `None` when it has no
/// `type/subtype` or its `q` is not a number in 0..=1.
fn range(item: &str) -> Option<(String, String, f32)> {
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
    Some((
        kind.trim().to_ascii_lowercase(),
        subtype.trim().to_ascii_lowercase(),
        q,
    ))
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
    let ranges: Vec<_> = text.split(',').filter_map(range).collect();
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
