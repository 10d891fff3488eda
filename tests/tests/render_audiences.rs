//! Every field's audience holds for every viewer under default, explicit
//! and `*` selections: the exact field sets, nested ones included, in
//! every shipped format (JSON, XML, CBOR and MessagePack).

use std::sync::Arc;

use pale_core::argument::Raw;
use pale_core::format::{Cbor, DecodeLimits, MessagePack, Wire};
use pale_tests::fixtures::{Viewer, render, render_bytes};
use serde_json::Value;

/// The formats that are not text, by name.
fn binary_wires() -> [(&'static str, Wire); 2] {
    [
        ("CBOR", Wire::Custom(Arc::new(Cbor))),
        ("MessagePack", Wire::Custom(Arc::new(MessagePack))),
    ]
}

/// The CBOR and MessagePack renderings, each read back by its own crate
/// (not by Pale's decoders) as a JSON value.
fn binary(viewer: Viewer, fields: Option<&str>) -> [(&'static str, Value); 2] {
    binary_wires().map(|(name, wire)| {
        let bytes = render_bytes(viewer, fields, &wire).expect("renders");
        let value = match name {
            "CBOR" => ciborium::from_reader(&bytes[..]).expect("valid CBOR"),
            _ => rmp_serde::from_slice(&bytes).expect("valid MessagePack"),
        };
        (name, value)
    })
}

/// Asserts that the binary renderings are the JSON one, field for field
/// and in the same order (map equality alone ignores order).
fn assert_binary_is_json(viewer: Viewer, fields: Option<&str>, json: &Value) {
    for (name, value) in binary(viewer, fields) {
        assert_eq!(&value, json, "{viewer:?} fields={fields:?} ({name})");
        assert_eq!(
            keys(&value),
            keys(json),
            "{viewer:?} fields={fields:?} ({name}) order"
        );
    }
}

fn keys(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect()
}

/// The XML rendering, read back through the XML decoder, as JSON-like
/// keys: top-level elements, and the first item of each list container.
fn xml(viewer: Viewer, fields: Option<&str>) -> Raw {
    let text = render(viewer, fields, &Wire::Xml).expect("renders");
    assert!(
        text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?><album>"),
        "{text}"
    );
    Wire::Xml
        .decode(text.as_bytes(), &DecodeLimits::default())
        .expect("well-formed XML")
}

fn xml_keys(raw: &Raw) -> Vec<&str> {
    match raw {
        Raw::Map(map) => map.keys().collect(),
        Raw::Text(t) if t.is_empty() => vec![],
        other => panic!("not an element with children: {other:?}"),
    }
}

/// The first `track` of a `<tracks>` container.
fn first_item<'r>(container: &'r Raw, item: &str) -> &'r Raw {
    let Raw::Map(map) = container else {
        panic!("not a container: {container:?}")
    };
    match map.get(item) {
        Some(Raw::List(items)) => &items[0],
        Some(one) => one,
        None => panic!("no {item} in {container:?}"),
    }
}

fn json(viewer: Viewer, fields: Option<&str>) -> Value {
    let text = render(viewer, fields, &Wire::Json).expect("renders");
    serde_json::from_str(&text).expect("valid JSON")
}

#[test]
fn top_level_field_sets_by_viewer_and_selection() {
    use Viewer::*;
    #[rustfmt::skip]
    let cases: &[(Viewer, Option<&str>, &[&str])] = &[
        // Defaults: the same four for everyone; hidden defaults never appear.
        (Anonymous, None, &["id", "title", "artist", "tracks"]),
        (Other,     None, &["id", "title", "artist", "tracks"]),
        (Owner,     None, &["id", "title", "artist", "tracks"]),
        (Admin,     None, &["id", "title", "artist", "tracks"]),
        // `*`: every field this viewer may see, in declaration order.
        (Anonymous, Some("*"), &["id", "title", "artist", "tracks", "price_cents", "sale_ends", "url"]),
        (Other,     Some("*"), &["id", "title", "artist", "tracks", "price_cents", "following", "sale_ends", "url"]),
        (Owner,     Some("*"), &["id", "title", "artist", "tracks", "price_cents", "following", "units_sold", "sale_ends", "url"]),
        (Admin,     Some("*"), &["id", "title", "artist", "tracks", "price_cents", "following", "units_sold", "review_notes", "sale_ends", "url"]),
        // Explicit: exactly what was asked, in declaration order.
        (Anonymous, Some("url,title"), &["title", "url"]),
        (Owner,     Some("units_sold"), &["units_sold"]),
        (Admin,     Some("review_notes,id"), &["id", "review_notes"]),
        // An owner-only field selected by another artist: omitted, not an
        // error (the caller could own other albums).
        (Other,     Some("title,units_sold"), &["title"]),
        // An empty selection means empty, never everything.
        (Anonymous, Some(""), &[]),
        (Admin,     Some(""), &[]),
    ];
    for (viewer, fields, expected) in cases {
        let value = json(*viewer, *fields);
        assert_eq!(
            keys(&value),
            *expected,
            "{viewer:?} fields={fields:?} (JSON)"
        );
        let raw = xml(*viewer, *fields);
        assert_eq!(
            xml_keys(&raw),
            *expected,
            "{viewer:?} fields={fields:?} (XML)"
        );
        assert_binary_is_json(*viewer, *fields, &value);
    }
}

/// (viewer, fields, artist keys, first track keys)
type NestedCase = (
    Viewer,
    Option<&'static str>,
    &'static [&'static str],
    &'static [&'static str],
);

#[test]
fn nested_field_sets_follow_subfields_and_sub_selections() {
    use Viewer::*;
    #[rustfmt::skip]
    let cases: &[NestedCase] = &[
        // (viewer, fields, artist keys, first track keys)
        (Anonymous, None, &["name"], &["number", "title", "duration_s"]),
        (Owner,     None, &["name"], &["number", "title", "duration_s", "license_status"]),
        (Other,     None, &["name"], &["number", "title", "duration_s"]),
        (Anonymous, Some("artist,tracks"), &["name"], &["number", "title", "duration_s"]),
        (Anonymous, Some("artist(*),tracks(*)"), &["id", "name"], &["number", "title", "duration_s"]),
        (Owner,     Some("artist(*),tracks(*)"), &["id", "name"], &["number", "title", "duration_s", "license_status"]),
        (Admin,     Some("artist(*),tracks(*)"), &["id", "name", "email"], &["number", "title", "duration_s", "license_status"]),
        (Admin,     Some("artist(email),tracks(title)"), &["email"], &["title"]),
        (Owner,     Some("artist(),tracks()"), &[], &[]),
        // Repeated sub-selections merge.
        (Anonymous, Some("tracks(number),tracks(title)"), &[], &["number", "title"]),
    ];
    for (viewer, fields, artist, track) in cases {
        let value = json(*viewer, *fields);
        if !artist.is_empty() || value.get("artist").is_some() {
            assert_eq!(
                keys(&value["artist"]),
                *artist,
                "{viewer:?} {fields:?} artist"
            );
        }
        assert_eq!(
            keys(&value["tracks"][0]),
            *track,
            "{viewer:?} {fields:?} track"
        );
        assert_binary_is_json(*viewer, *fields, &value);
        for (name, value) in binary(*viewer, *fields) {
            assert_eq!(keys(&value["tracks"][0]), *track, "{fields:?} ({name})");
        }
        let Raw::Map(raw) = xml(*viewer, *fields) else {
            panic!("a map")
        };
        if let Some(artist_xml) = raw.get("artist") {
            assert_eq!(
                xml_keys(artist_xml),
                *artist,
                "{viewer:?} {fields:?} artist (XML)"
            );
        }
        let track_xml = first_item(raw.get("tracks").expect("tracks"), "track");
        assert_eq!(
            xml_keys(track_xml),
            *track,
            "{viewer:?} {fields:?} track (XML)"
        );
    }
}

#[test]
fn the_public_default_rendering_is_exact() {
    let text = render(Viewer::Anonymous, None, &Wire::Json).unwrap();
    assert_eq!(
        text,
        r#"{"id":7,"title":"Covers & <Friends>","artist":{"name":"Ann"},"tracks":[{"number":1,"title":"Hallelujah","duration_s":301},{"number":2,"title":"Jolene","duration_s":162}]}"#
    );
}

#[test]
fn the_public_default_rendering_is_exact_in_xml() {
    let text = render(Viewer::Anonymous, None, &Wire::Xml).unwrap();
    assert_eq!(
        text,
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            "<album><id>7</id><title>Covers &amp; &lt;Friends&gt;</title><artist><name>Ann</name></artist>",
            "<tracks><track><number>1</number><title>Hallelujah</title><duration_s>301</duration_s></track>",
            "<track><number>2</number><title>Jolene</title><duration_s>162</duration_s></track></tracks></album>",
        )
    );
}

#[test]
fn the_public_default_rendering_is_exact_in_cbor_and_messagepack() {
    let json: Value =
        serde_json::from_str(&render(Viewer::Anonymous, None, &Wire::Json).unwrap()).unwrap();
    assert_binary_is_json(Viewer::Anonymous, None, &json);
    // The bytes themselves: a map of four named fields, in order.
    let [(_, cbor), (_, msgpack)] = binary_wires()
        .map(|(name, wire)| (name, render_bytes(Viewer::Anonymous, None, &wire).unwrap()));
    assert_eq!(&cbor[..4], [0xa4, 0x62, b'i', b'd']);
    assert_eq!(&msgpack[..4], [0x84, 0xa2, b'i', b'd']);
}

#[test]
fn links_are_built_from_the_route_under_the_base_path() {
    let value = json(Viewer::Anonymous, Some("url"));
    assert_eq!(value["url"], "/api/albums/7");
}

#[test]
fn hidden_and_unknown_names_are_the_same_400_and_reveal_nothing() {
    use Viewer::*;
    #[rustfmt::skip]
    let cases: &[(Viewer, &str, &str)] = &[
        (Anonymous, "units_sold", "unknown field `units_sold`"),
        (Anonymous, "review_notes", "unknown field `review_notes`"),
        (Anonymous, "nope", "unknown field `nope`"),
        (Owner, "review_notes", "unknown field `review_notes`"),
        (Anonymous, "artist(email)", "unknown field `email`"),
        (Anonymous, "title(x)", "field `title` has no subfields"),
        (Anonymous, "tracks(license_status)", "unknown field `license_status`"),
    ];
    for (viewer, fields, message) in cases {
        let err = render(*viewer, Some(fields), &Wire::Json).unwrap_err();
        assert_eq!(err.status().as_u16(), 400, "{fields}");
        // The same refusal in every format: the selection is resolved
        // before any encoder runs.
        for (name, wire) in binary_wires().into_iter().chain([("XML", Wire::Xml)]) {
            let other = render_bytes(*viewer, Some(fields), &wire).unwrap_err();
            assert_eq!(other.status(), err.status(), "{fields} ({name})");
            assert_eq!(other.detail(), err.detail(), "{fields} ({name})");
        }
        let detail = err.detail().unwrap();
        assert!(detail.contains(message), "{fields}: {detail}");
        // The list of valid names never includes a field this caller
        // cannot see.
        for hidden in [
            "units_sold",
            "review_notes",
            "email",
            "following",
            "license_status",
        ] {
            let visible_to_caller = matches!(
                (viewer, hidden),
                (Owner, "units_sold" | "following" | "license_status")
            );
            if !visible_to_caller && !message.contains(hidden) {
                assert!(
                    !detail.contains(hidden),
                    "{viewer:?} {fields}: {detail} reveals {hidden}"
                );
            }
        }
    }
}

#[test]
fn a_predicate_hides_a_field_per_object() {
    let mut album = pale_tests::fixtures::album();
    album.sale_ends = None;
    let ctx = pale_tests::fixtures::context(Viewer::Admin, Some("*"));
    let meta = <pale_tests::fixtures::GetAlbum as pale_core::Endpoint>::META;
    let base = pale_core::select::Plan::defaults(
        <pale_tests::fixtures::Album as pale_core::Resource>::META,
    );
    let body =
        pale_core::reply::render_body(&album, &ctx, &base, meta.envelope, &Wire::Json).unwrap();
    let value: Value = serde_json::from_slice(&body).unwrap();
    assert!(value.get("sale_ends").is_none());
    assert!(value.get("review_notes").is_some());
}

mod inherited_viewers {
    //! A nested resource without a viewer of its own is seen as its parent
    //! is: an album's owner sees the owner-only fields of its tracks.

    use std::sync::Arc;

    use pale_core::format::Wire;
    use pale_core::prelude::*;
    use pale_core::render::Rendered;
    use pale_core::select::Plan;

    #[derive(Resource, Clone)]
    struct Child {
        a: u32,
        #[pale(audience = Owner)]
        secret: u32,
    }

    #[derive(Resource, Clone)]
    #[pale(context = (), viewer = Parent::viewer)]
    struct Parent {
        #[pale(nested)]
        many: Vec<Child>,
        #[pale(nested)]
        one: Child,
        #[pale(skip)]
        viewer: Audience,
    }

    impl Parent {
        fn viewer(&self, _: &Context<()>) -> Audience {
            self.viewer
        }
    }

    fn render(viewer: Audience) -> String {
        let child = Child { a: 1, secret: 2 };
        let parent = Parent {
            many: vec![child.clone()],
            one: child,
            viewer,
        };
        let ctx = Context::new(Arc::new(()));
        let plan = Plan::all(<Parent as Resource>::META);
        let rendered = Rendered::new(&parent, &ctx, plan.as_ref());
        String::from_utf8(pale_core::reply::encode(&Wire::Json, None, "p", &rendered).unwrap())
            .unwrap()
    }

    #[test]
    fn nested_resources_inherit_the_parents_viewer() {
        assert_eq!(
            render(Audience::Owner),
            r#"{"many":[{"a":1,"secret":2}],"one":{"a":1,"secret":2}}"#
        );
        assert_eq!(
            render(Audience::User),
            r#"{"many":[{"a":1}],"one":{"a":1}}"#
        );
    }
}
