//! `#[derive(Arguments)]`, `#[derive(Endpoint)]` and `#[derive(ArgumentEnum)]`
//! in behaviour: every attribute, every source, every error collected with
//! its pointer and code.

use pale_core::argument::{Input, Raw, RawMap, Source};
use pale_core::prelude::*;
use pale_core::{ArgumentEnum, FieldError};

/// How a track is sold.
#[derive(ArgumentEnum, Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Physical,
    PermanentDownload,
    #[pale(rename = "stream")]
    InteractiveStream,
}

/// One line of a sales report.
#[derive(Arguments, Debug, PartialEq)]
struct Line {
    /// The track.
    #[pale(range = 1..=99)]
    track: u32,
    /// Units sold.
    units: u64,
    /// How it was sold.
    #[pale(default = Format::Physical)]
    format: Format,
}

/// Every attribute at once.
#[derive(Arguments, Debug, PartialEq)]
#[pale(deny_unknown)]
struct Everything {
    /// Year, defaulting to 2015.
    #[pale(default = 2015)]
    year: i32,
    /// Month.
    #[pale(range = 1..=12)]
    month: u8,
    /// Optional day.
    #[pale(range = 1..=31)]
    day: Option<u8>,
    /// A name between 3 and 20 characters.
    #[pale(len = 3..=20)]
    name: Option<String>,
    /// Tags, comma separated or repeated.
    #[pale(separator = ",", len = ..=3, default = Vec::new())]
    tags: Vec<String>,
    /// A code of capital letters.
    #[pale(pattern = "[A-Z]{2,4}", default = "ABC")]
    code: String,
    /// A sort order.
    #[pale(one_of("title", "-title"), default = "title")]
    sort: String,
    /// Renamed on the wire.
    #[pale(rename = "per-page", default = 20, range = 1..=100)]
    per_page: u32,
    /// Sales lines (nested arguments).
    #[pale(default = Vec::new())]
    lines: Vec<Line>,
    /// A flag.
    #[pale(default = false)]
    dry_run: bool,
}

fn map(pairs: &[(&str, Raw)]) -> RawMap {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

fn text(s: &str) -> Raw {
    Raw::from(s)
}

fn errors(result: Result<Everything, ApiError>) -> Vec<(String, String)> {
    let err = result.expect_err("should fail");
    assert_eq!(err.status().as_u16(), 422);
    err.errors()
        .iter()
        .map(|e: &FieldError| (e.pointer.clone(), e.code.to_string()))
        .collect()
}

#[test]
fn defaults_fill_in_what_is_absent() {
    let args = Everything::from_map(&map(&[("month", text("3"))])).unwrap();
    assert_eq!(
        args,
        Everything {
            year: 2015,
            month: 3,
            day: None,
            name: None,
            tags: vec![],
            code: "ABC".into(),
            sort: "title".into(),
            per_page: 20,
            lines: vec![],
            dry_run: false,
        }
    );
}

#[test]
fn every_attribute_accepts_good_input() {
    let line = |track: &str, units: &str, format: Option<&str>| {
        let mut m = map(&[("track", text(track)), ("units", Raw::Number(units.into()))]);
        if let Some(f) = format {
            m.insert("format", text(f));
        }
        Raw::Map(m)
    };
    let input = map(&[
        ("year", Raw::Number("1999".into())),
        ("month", text("12")),
        ("day", text("31")),
        ("name", text("Ann")),
        ("tags", Raw::List(vec![text("a, b"), text("c")])),
        ("code", text("XYZ")),
        ("sort", text("-title")),
        ("per-page", text("100")),
        (
            "lines",
            Raw::List(vec![line("1", "10", None), line("2", "5", Some("stream"))]),
        ),
        ("dry_run", text("YES")),
    ]);
    let args = Everything::from_map(&input).unwrap();
    assert_eq!(args.tags, ["a", "b", "c"]);
    assert_eq!(args.per_page, 100);
    assert_eq!(
        args.lines,
        [
            Line {
                track: 1,
                units: 10,
                format: Format::Physical
            },
            Line {
                track: 2,
                units: 5,
                format: Format::InteractiveStream
            },
        ]
    );
    assert!(args.dry_run);
    assert_eq!(args.name.as_deref(), Some("Ann"));
}

#[test]
fn every_problem_is_reported_at_once_with_its_pointer_and_code() {
    let bad_line = Raw::Map(map(&[("track", text("100")), ("format", text("vinyl"))]));
    let input = map(&[
        ("year", text("1.5")),
        ("month", text("13")),
        ("day", text("0")),
        ("name", text("Al")),
        ("tags", text("a,b,c,d")),
        ("code", text("abc")),
        ("sort", text("price")),
        ("per-page", text("0")),
        ("lines", Raw::List(vec![bad_line])),
        ("dry_run", text("maybe")),
        ("surprise", text("1")),
    ]);
    let found = errors(Everything::from_map(&input));
    let expected: Vec<(String, String)> = [
        ("/surprise", "unknown"),
        ("/year", "invalid_type"),
        ("/lines/0/units", "missing"),
        ("/lines/0/format", "not_allowed"),
        ("/lines/0/track", "out_of_range"),
        ("/dry_run", "invalid_type"),
        ("/month", "out_of_range"),
        ("/day", "out_of_range"),
        ("/name", "too_short"),
        ("/tags", "too_long"),
        ("/code", "pattern"),
        ("/sort", "not_allowed"),
        ("/per-page", "out_of_range"),
    ]
    .iter()
    .map(|(p, c)| ((*p).to_owned(), (*c).to_owned()))
    .collect();
    let mut found_sorted = found.clone();
    found_sorted.sort();
    let mut expected_sorted = expected;
    expected_sorted.sort();
    assert_eq!(found_sorted, expected_sorted, "found {found:?}");
}

#[test]
fn a_nested_errors_range_check_applies_inside_the_list() {
    let line = Raw::Map(map(&[("track", text("100")), ("units", text("1"))]));
    let input = map(&[("month", text("1")), ("lines", Raw::List(vec![line]))]);
    assert_eq!(
        errors(Everything::from_map(&input)),
        [("/lines/0/track".to_owned(), "out_of_range".to_owned())]
    );
}

#[test]
fn required_means_present_and_not_blank() {
    for month in [None, Some(text("")), Some(Raw::Null)] {
        let mut input = RawMap::new();
        if let Some(m) = month {
            input.insert("month", m);
        }
        assert_eq!(
            errors(Everything::from_map(&input)),
            [("/month".to_owned(), "missing".to_owned())]
        );
    }
}

#[test]
fn cardinality_is_explicit() {
    let cases = [
        (
            "month",
            Raw::List(vec![text("1"), text("2")]),
            "/month",
            "invalid_type",
        ),
        (
            "month",
            Raw::Map(map(&[("a", text("1"))])),
            "/month",
            "invalid_type",
        ),
        (
            "name",
            Raw::List(vec![text("abc")]),
            "/name",
            "invalid_type",
        ),
        ("lines", text("x"), "/lines/0", "invalid_type"),
    ];
    for (key, value, pointer, code) in cases {
        let mut input = map(&[("month", text("1"))]);
        input.insert(key, value);
        assert_eq!(
            errors(Everything::from_map(&input)),
            [(pointer.to_owned(), code.to_owned())],
            "{key}"
        );
    }
}

/// Parse a time.
#[derive(Endpoint, Debug)]
#[pale(POST "/things/{thing_id}/parts/{part}", name = "thing_part")]
struct ThingPart {
    thing_id: u32,
    part: String,
    #[pale(from = query)]
    q: Option<String>,
    #[pale(from = body)]
    note: Option<String>,
    #[pale(from = header("X-Request-Tag"))]
    tag: Option<String>,
    #[pale(default = 1)]
    count: u32,
}

fn input(path: &[(&str, &str)], query: &[(&str, &str)], body: &[(&str, &str)]) -> Input {
    let to_map = |pairs: &[(&str, &str)]| -> RawMap {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), text(v)))
            .collect()
    };
    Input {
        path: to_map(path),
        query: to_map(query),
        body: Some(Raw::Map(to_map(body))),
        headers: RawMap::new(),
    }
}

#[test]
fn sources_are_read_as_declared() {
    let mut inp = input(
        &[("thing_id", "5"), ("part", "a b")],
        &[("q", "x"), ("count", "3")],
        &[("note", "n")],
    );
    inp.headers.insert("x-request-tag", text("t1"));
    let args = ThingPart::from_input(&inp).unwrap();
    assert_eq!((args.thing_id, args.part.as_str()), (5, "a b"));
    assert_eq!(
        (args.q.as_deref(), args.note.as_deref()),
        (Some("x"), Some("n"))
    );
    assert_eq!((args.tag.as_deref(), args.count), (Some("t1"), 3));

    // A query-only argument given in the body is not read (and is not an
    // error: unknown arguments are ignored unless `deny_unknown`).
    let args = ThingPart::from_input(&input(
        &[("thing_id", "5"), ("part", "p")],
        &[],
        &[("q", "x")],
    ))
    .unwrap();
    assert_eq!(args.q, None);
}

#[test]
fn a_name_in_two_sources_is_a_duplicate() {
    for (query, body) in [
        (&[("count", "1")][..], &[("count", "2")][..]),
        (&[("thing_id", "6")][..], &[][..]),
        (&[][..], &[("part", "x")][..]),
    ] {
        let err = ThingPart::from_input(&input(&[("thing_id", "5"), ("part", "p")], query, body))
            .unwrap_err();
        assert_eq!(err.status().as_u16(), 422);
        assert_eq!(err.errors()[0].code, "duplicate", "{query:?} {body:?}");
    }
}

#[test]
fn endpoint_metadata_is_what_was_declared() {
    let meta = <ThingPart as Endpoint>::META;
    assert_eq!(meta.name, "thing_part");
    assert_eq!(meta.method, pale_core::Method::Post);
    assert_eq!(meta.summary, "Parse a time.");
    assert_eq!(meta.cache, "no-cache");
    let sources: Vec<(&str, Source, bool)> = meta
        .arguments
        .iter()
        .map(|a| (a.name, a.source, a.required))
        .collect();
    assert_eq!(
        sources,
        [
            ("thing_id", Source::Path, true),
            ("part", Source::Path, true),
            ("q", Source::Query, false),
            ("note", Source::Body, false),
            ("tag", Source::Header("X-Request-Tag"), false),
            ("count", Source::Any, false),
        ]
    );
    let everything = <Everything as pale_core::Arguments>::ARGUMENTS;
    let month = everything.iter().find(|a| a.name == "month").unwrap();
    assert_eq!((month.minimum, month.maximum), (Some(1.0), Some(12.0)));
    let name = everything.iter().find(|a| a.name == "name").unwrap();
    assert_eq!(
        (name.min_length, name.max_length, name.required),
        (Some(3), Some(20), false)
    );
    let year = everything.iter().find(|a| a.name == "year").unwrap();
    assert_eq!(year.default, Some("2015"));
    assert_eq!(year.description, "Year, defaulting to 2015.");
}

#[test]
fn path_builders_percent_encode_each_segment() {
    assert_eq!(ThingPart::path(5, "a b/c"), "/things/5/parts/a%20b%2Fc");
    assert_eq!(ThingPart::path(0, "é?#"), "/things/0/parts/%C3%A9%3F%23");
}

#[test]
fn argument_enums_cast_render_and_list_their_values() {
    assert_eq!(Format::VALUES, ["physical", "permanent_download", "stream"]);
    assert_eq!(Format::InteractiveStream.to_string(), "stream");
    assert_eq!(
        serde_json::to_string(&Format::PermanentDownload).unwrap(),
        "\"permanent_download\""
    );
    let mut errs = pale_core::argument::Errors::new();
    let at = pale_core::argument::Pointer::root();
    assert_eq!(
        Format::cast(&text("stream"), &at, &mut errs),
        Some(Format::InteractiveStream)
    );
    assert_eq!(Format::cast(&text("Stream"), &at, &mut errs), None);
    let errs = errs.into_vec();
    assert_eq!(
        errs[0].message,
        "must be one of: physical, permanent_download, stream"
    );
}

/// What a client (or another Pale API) would send, as serde sees it.
#[derive(serde::Serialize)]
struct Outgoing {
    month: u8,
    name: Option<&'static str>,
    tags: Vec<&'static str>,
    lines: Vec<OutgoingLine>,
    dry_run: bool,
}

#[derive(serde::Serialize)]
#[serde(rename = "line")]
struct OutgoingLine {
    track: u32,
    units: u64,
    format: &'static str,
}

#[test]
fn xml_written_by_pale_reads_back_as_the_same_arguments() {
    use pale_core::format::{DecodeLimits, Wire};
    let cases = [
        Outgoing {
            month: 3,
            name: Some("Ann"),
            tags: vec!["a", "b"],
            lines: vec![
                OutgoingLine {
                    track: 1,
                    units: 2,
                    format: "stream",
                },
                OutgoingLine {
                    track: 2,
                    units: 3,
                    format: "physical",
                },
            ],
            dry_run: true,
        },
        // One item, no tags, no name: the edge cases of the container form.
        Outgoing {
            month: 12,
            name: None,
            tags: vec![],
            lines: vec![OutgoingLine {
                track: 9,
                units: 1,
                format: "permanent_download",
            }],
            dry_run: false,
        },
    ];
    for outgoing in cases {
        let mut xml = Vec::new();
        Wire::Xml.encode("everything", &outgoing, &mut xml).unwrap();
        let raw = Wire::Xml.decode(&xml, &DecodeLimits::default()).unwrap();
        let Raw::Map(map) = raw else { panic!("a map") };
        let args = Everything::from_map(&map).unwrap_or_else(|e| panic!("{e}: {:?}", e.errors()));
        assert_eq!(args.month, outgoing.month);
        assert_eq!(args.name.as_deref(), outgoing.name);
        assert_eq!(args.tags, outgoing.tags);
        assert_eq!(args.dry_run, outgoing.dry_run);
        let lines: Vec<(u32, u64, &str)> = args
            .lines
            .iter()
            .map(|l| (l.track, l.units, l.format.as_str()))
            .collect();
        let expected: Vec<(u32, u64, &str)> = outgoing
            .lines
            .iter()
            .map(|l| (l.track, l.units, l.format))
            .collect();
        assert_eq!(lines, expected);
    }
}

/// Takes the whole body as an object.
#[derive(Arguments, Debug)]
struct WholeBody {
    #[pale(from = document)]
    document: RawMap,
}

#[test]
fn a_document_argument_points_its_errors_at_the_body_root() {
    let mut input = Input::new();
    input.body = Some(Raw::List(vec![Raw::from("a")]));
    let err = WholeBody::from_input(&input).unwrap_err();
    assert_eq!(
        err.errors(),
        [FieldError::new(
            "",
            "invalid_type",
            "expected an object, found a list"
        )]
    );

    let err = WholeBody::from_input(&Input::new()).unwrap_err();
    assert_eq!(
        err.errors(),
        [FieldError::new("", "missing", "this argument is required")]
    );

    input.body = Some(Raw::Map(RawMap::new()));
    assert_eq!(
        WholeBody::from_input(&input).unwrap().document,
        RawMap::new()
    );
}

/// Bounds that the messages must state (only its errors are read).
#[derive(Arguments, Debug)]
#[allow(dead_code)]
struct Bounded {
    /// Seconds.
    #[pale(range = 1..=3600)]
    seconds: Option<u32>,
    /// At least one name.
    #[pale(len = 1..)]
    names: Option<Vec<String>>,
    /// Two or three characters.
    #[pale(len = 2..=3)]
    code: Option<String>,
    /// At most one character.
    #[pale(len = ..=1)]
    initial: Option<String>,
    /// At most two tags.
    #[pale(len = ..=2, separator = ",")]
    tags: Option<Vec<String>>,
}

#[test]
fn messages_state_the_declared_bounds_in_the_right_number() {
    #[rustfmt::skip]
    let cases: [(&str, Raw, &str, &str); 8] = [
        // Past the type's range: the declared range is what the client must meet.
        ("seconds", text("99999999999"), "out_of_range", "must be between 1 and 3600"),
        ("seconds", text("-1"), "out_of_range", "must be between 1 and 3600"),
        ("seconds", text("3601"), "out_of_range", "must be between 1 and 3600"),
        ("names", Raw::List(vec![]), "empty", "must not be empty"),
        ("code", text("a"), "too_short", "must have at least 2 characters"),
        ("initial", text("ab"), "too_long", "must have at most 1 character"),
        ("tags", text("a,b,c"), "too_long", "must have at most 2 items"),
        ("seconds", text("x"), "invalid_type", "expected an integer"),
    ];
    for (name, value, code, message) in cases {
        let err = Bounded::from_map(&map(&[(name, value)])).unwrap_err();
        let got: Vec<(&str, &str, &str)> = err
            .errors()
            .iter()
            .map(|e| (e.pointer.as_str(), &*e.code, e.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [(format!("/{name}").as_str(), code, message)],
            "{name}"
        );
    }
}
