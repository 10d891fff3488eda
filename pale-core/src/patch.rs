//! JSON merge patch (RFC 7396) over the raw tree.
//!
//! A patch that is an object merges member by member: `null` removes a
//! member, an object merges recursively, anything else replaces. A patch
//! that is not an object replaces the target whole. Arrays are never merged
//! item by item: they replace.

use crate::argument::{Raw, RawMap};

/// Applies `patch` to `target` (RFC 7396 §2).
///
/// ```
/// use pale_core::argument::{Raw, RawMap};
/// use pale_core::patch::merge;
///
/// let json = |text: &str| pale_core::format::Wire::Json
///     .decode(text.as_bytes(), &Default::default()).unwrap();
/// let mut doc = json(r#"{"a": "b", "c": {"d": "e", "f": "g"}}"#);
/// merge(&mut doc, &json(r#"{"a": "z", "c": {"f": null}}"#));
/// assert_eq!(doc, json(r#"{"a": "z", "c": {"d": "e"}}"#));
/// ```
pub fn merge(target: &mut Raw, patch: &Raw) {
    let Raw::Map(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !matches!(target, Raw::Map(_)) {
        *target = Raw::Map(RawMap::new());
    }
    let Raw::Map(target) = target else {
        unreachable!("made a map above")
    };
    for (key, value) in patch.iter() {
        if *value == Raw::Null {
            target.remove(key);
            continue;
        }
        let mut slot = target.remove_keep_order(key).unwrap_or(Raw::Null);
        merge(&mut slot, value);
        target.insert(key, slot);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::{DecodeLimits, Wire};

    fn json(text: &str) -> Raw {
        Wire::Json
            .decode(text.as_bytes(), &DecodeLimits::default())
            .unwrap()
    }

    /// The examples of RFC 7396 Appendix A.
    #[test]
    fn rfc_7396_appendix_a() {
        let cases = [
            (r#"{"a":"b"}"#, r#"{"a":"c"}"#, r#"{"a":"c"}"#),
            (r#"{"a":"b"}"#, r#"{"b":"c"}"#, r#"{"a":"b","b":"c"}"#),
            (r#"{"a":"b"}"#, r#"{"a":null}"#, r#"{}"#),
            (r#"{"a":"b","b":"c"}"#, r#"{"a":null}"#, r#"{"b":"c"}"#),
            (r#"{"a":["b"]}"#, r#"{"a":"c"}"#, r#"{"a":"c"}"#),
            (r#"{"a":"c"}"#, r#"{"a":["b"]}"#, r#"{"a":["b"]}"#),
            (
                r#"{"a":{"b":"c"}}"#,
                r#"{"a":{"b":"d","c":null}}"#,
                r#"{"a":{"b":"d"}}"#,
            ),
            (r#"{"a":[{"b":"c"}]}"#, r#"{"a":[1]}"#, r#"{"a":[1]}"#),
            (r#"["a","b"]"#, r#"["c","d"]"#, r#"["c","d"]"#),
            (r#"{"a":"b"}"#, r#"["c"]"#, r#"["c"]"#),
            (r#"{"a":"foo"}"#, "null", "null"),
            (r#"{"a":"foo"}"#, r#""bar""#, r#""bar""#),
            (r#"{"e":null}"#, r#"{"a":1}"#, r#"{"e":null,"a":1}"#),
            (r#"[1,2]"#, r#"{"a":"b","c":null}"#, r#"{"a":"b"}"#),
            (
                r#"{}"#,
                r#"{"a":{"bb":{"ccc":null}}}"#,
                r#"{"a":{"bb":{}}}"#,
            ),
        ];
        for (target, patch, expected) in cases {
            let mut doc = json(target);
            merge(&mut doc, &json(patch));
            assert_eq!(doc, json(expected), "{target} + {patch}");
        }
    }
}
