//! A user-defined format: a tiny line-oriented text format registered on
//! the `Api`, rendering resources with the same audiences and selection.

use std::sync::Arc;

use pale_core::ApiError;
use pale_core::argument::{Raw, RawMap};
use pale_core::format::{DecodeLimits, EncodeError, Format, Wire};
use pale_tests::fixtures::{Viewer, render};

/// `key=value` lines; nested values flattened with dotted keys. Output
/// goes through serde (via `serde_json::Value` here, for brevity).
struct Lines;

impl Format for Lines {
    fn media_type(&self) -> &'static str {
        "text/x-lines"
    }

    fn problem_media_type(&self) -> &'static str {
        "text/x-lines"
    }

    fn can_decode(&self) -> bool {
        true
    }

    fn decode(&self, body: &[u8], _: &DecodeLimits) -> Result<Raw, ApiError> {
        let text = std::str::from_utf8(body).map_err(|_| ApiError::bad_request("not UTF-8"))?;
        let mut map = RawMap::new();
        for line in text.lines().filter(|l| !l.is_empty()) {
            let (k, v) = line
                .split_once('=')
                .ok_or_else(|| ApiError::bad_request("expected key=value"))?;
            map.append(k, Raw::from(v));
        }
        Ok(Raw::Map(map))
    }

    fn encode(
        &self,
        root: &str,
        value: &dyn pale_core::format::erased_serde::Serialize,
        out: &mut Vec<u8>,
    ) -> Result<(), EncodeError> {
        let value = serde_json::to_value(value).map_err(EncodeError::new)?;
        flatten(root, &value, out);
        Ok(())
    }
}

fn flatten(prefix: &str, value: &serde_json::Value, out: &mut Vec<u8>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                flatten(&format!("{prefix}.{k}"), v, out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten(&format!("{prefix}.{i}"), v, out);
            }
        }
        other => out.extend_from_slice(format!("{prefix}={other}\n").as_bytes()),
    }
}

#[test]
fn a_third_format_renders_with_the_same_audiences() {
    let wire = Wire::Custom(Arc::new(Lines));
    assert_eq!(wire.media_type(), "text/x-lines");
    let public = render(
        Viewer::Anonymous,
        Some("id,title,units_sold,tracks(number)"),
        &wire,
    );
    assert_eq!(
        public.unwrap_err().status().as_u16(),
        400,
        "units_sold is hidden from the public"
    );
    let owner = render(Viewer::Owner, Some("id,units_sold,tracks(number)"), &wire).unwrap();
    assert_eq!(
        owner,
        "album.id=7\nalbum.tracks.0.number=1\nalbum.tracks.1.number=2\nalbum.units_sold=12\n"
    );
    let public = render(Viewer::Anonymous, Some("id"), &wire).unwrap();
    assert_eq!(public, "album.id=7\n");
}

#[test]
fn a_third_format_decodes_into_the_raw_tree() {
    let raw = Lines
        .decode(b"a=1\na=2\nb=x\n", &DecodeLimits::default())
        .unwrap();
    let Raw::Map(map) = raw else { panic!("a map") };
    assert_eq!(
        map.get("a"),
        Some(&Raw::List(vec![Raw::from("1"), Raw::from("2")]))
    );
    assert!(Lines.decode(b"nope", &DecodeLimits::default()).is_err());
}

#[test]
fn a_custom_format_is_registered_after_json_and_xml() {
    let api = pale_core::Api::builder(()).format(Lines).build().unwrap();
    let types: Vec<&str> = api.formats().iter().map(Wire::media_type).collect();
    assert_eq!(
        types,
        ["application/json", "application/xml", "text/x-lines"]
    );
}
