//! Where arguments come from: `Input` lookups by source (path, body, query, headers), duplicates, and `__private::field` (absent, blank, default, separated, cardinality).

use pale_core::__private::{argument, field};
use pale_core::argument::{Errors, Input, Lookup, Pointer, Raw, RawMap, Source};
use pale_core::format::decode_form;

/// The errors as `(pointer, code, message)`.
fn triples(errors: Errors) -> Vec<(String, String, String)> {
    errors
        .into_vec()
        .into_iter()
        .map(|e| (e.pointer, e.code.into_owned(), e.message))
        .collect()
}

fn one(pointer: &str, code: &str, message: &str) -> Vec<(String, String, String)> {
    vec![(pointer.to_owned(), code.to_owned(), message.to_owned())]
}

fn raw_map(entries: &[(&str, &str)]) -> RawMap {
    entries
        .iter()
        .map(|(k, v)| ((*k).to_owned(), Raw::from(*v)))
        .collect()
}

/// An input with `name` given in each listed source, valued by the source's
/// name.
fn input_with(name: &str, sources: &[Source]) -> Input {
    let mut input = Input::new();
    for source in sources {
        let value = Raw::from(source.as_str());
        match source {
            Source::Path => input.path.insert(name, value),
            Source::Body => input.body_map_mut().insert(name, value),
            Source::Query => input.query.insert(name, value),
            _ => unreachable!("only the three sources"),
        }
    }
    input
}

fn lookup(
    input: &impl Lookup,
    name: &str,
    source: Source,
) -> (Option<Raw>, Vec<(String, String, String)>) {
    let mut errors = Errors::new();
    let found = input
        .lookup(name, source, &Pointer::root(), &mut errors)
        .cloned();
    (found, triples(errors))
}

// ---------------------------------------------------------------- Input

#[test]
fn any_source_reads_whichever_single_source_has_the_name() {
    for source in [Source::Path, Source::Body, Source::Query] {
        let input = input_with("id", &[source]);
        assert_eq!(
            lookup(&input, "id", Source::Any),
            (Some(Raw::from(source.as_str())), vec![])
        );
    }
    assert_eq!(lookup(&Input::new(), "id", Source::Any), (None, vec![]));
}

#[test]
fn the_same_name_in_two_sources_is_one_duplicate_error() {
    let cases: [(&[Source], &str); 4] = [
        (
            &[Source::Path, Source::Query],
            "given in more than one place (path, query)",
        ),
        (
            &[Source::Path, Source::Body],
            "given in more than one place (path, body)",
        ),
        (
            &[Source::Body, Source::Query],
            "given in more than one place (body, query)",
        ),
        (
            &[Source::Query, Source::Body, Source::Path],
            "given in more than one place (path, body, query)",
        ),
    ];
    for (sources, message) in cases {
        let input = input_with("price", sources);
        assert_eq!(
            lookup(&input, "price", Source::Any),
            (None, one("/price", "duplicate", message)),
            "{sources:?}"
        );
    }
}

#[test]
fn a_blank_value_still_counts_as_given() {
    let mut input = Input::new();
    input.query.insert("q", Raw::from(""));
    input.body_map_mut().insert("q", Raw::Null);
    let (found, errors) = lookup(&input, "q", Source::Any);
    assert_eq!(found, None);
    assert_eq!(
        errors,
        one(
            "/q",
            "duplicate",
            "given in more than one place (body, query)"
        )
    );
}

#[test]
fn duplicate_errors_point_below_a_nested_location() {
    let input = input_with("name", &[Source::Path, Source::Query]);
    let root = Pointer::root();
    let outer = root.key("outer");
    let mut errors = Errors::new();
    assert_eq!(input.lookup("name", Source::Any, &outer, &mut errors), None);
    assert_eq!(
        triples(errors),
        one(
            "/outer/name",
            "duplicate",
            "given in more than one place (path, query)"
        )
    );
}

#[test]
fn a_declared_source_reads_only_that_source() {
    const SOURCES: [Source; 3] = [Source::Path, Source::Body, Source::Query];
    for source in SOURCES {
        assert_eq!(
            lookup(&input_with("id", &[source]), "id", source),
            (Some(Raw::from(source.as_str())), vec![]),
            "{source:?}"
        );
        // Given in one other source only: absent for this argument, and
        // not an error (unknown arguments are ignored).
        for other in SOURCES.into_iter().filter(|s| *s != source) {
            assert_eq!(
                lookup(&input_with("id", &[other]), "id", source),
                (None, vec![]),
                "{source:?} {other:?}"
            );
        }
    }
}

#[test]
fn a_declared_source_still_reports_a_name_given_twice() {
    // `?thing_id=6` on `/things/5` is a client bug to show, not to resolve.
    let cases: [(Source, &[Source], &str); 3] = [
        (
            Source::Path,
            &[Source::Path, Source::Query],
            "given in more than one place (path, query)",
        ),
        (
            Source::Query,
            &[Source::Body, Source::Query],
            "given in more than one place (body, query)",
        ),
        (
            Source::Body,
            &[Source::Path, Source::Query],
            "given in more than one place (path, query)",
        ),
    ];
    for (source, given, message) in cases {
        assert_eq!(
            lookup(&input_with("id", given), "id", source),
            (None, one("/id", "duplicate", message)),
            "{source:?} {given:?}"
        );
    }
}

#[test]
fn headers_are_read_by_lower_case_name() {
    let mut input = input_with("x-request-id", &[Source::Query]);
    input.headers.insert("x-request-id", Raw::from("abc"));
    for declared in ["X-Request-Id", "x-request-id", "X-REQUEST-ID"] {
        assert_eq!(
            lookup(&input, "request_id", Source::Header(declared)),
            (Some(Raw::from("abc")), vec![])
        );
    }
    assert_eq!(
        lookup(&input, "request_id", Source::Header("Authorization")),
        (None, vec![])
    );
    // Headers are never read by `Any`.
    assert_eq!(lookup(&input, "x-request-id", Source::Any).1, vec![]);
    assert_eq!(
        lookup(&input, "x-request-id", Source::Any).0,
        Some(Raw::from("query"))
    );
}

#[test]
fn a_raw_map_ignores_the_source() {
    let map = raw_map(&[("a", "1")]);
    for source in [
        Source::Any,
        Source::Path,
        Source::Query,
        Source::Body,
        Source::Header("a"),
    ] {
        assert_eq!(lookup(&map, "a", source), (Some(Raw::from("1")), vec![]));
    }
}

#[test]
fn deny_unknown_reports_each_unknown_key() {
    let map = raw_map(&[("a", "1"), ("b/c", "2"), ("d", "3")]);
    let mut errors = Errors::new();
    map.deny_unknown(&["a"], &Pointer::root(), &mut errors);
    assert_eq!(
        triples(errors),
        vec![
            (
                "/b~1c".to_owned(),
                "unknown".to_owned(),
                "unknown argument".to_owned()
            ),
            (
                "/d".to_owned(),
                "unknown".to_owned(),
                "unknown argument".to_owned()
            ),
        ]
    );

    // For a request: the query and the body; path parameters are the
    // route's own.
    let mut input = Input::new();
    input.path.insert("p", Raw::from("1"));
    input.query.insert("q", Raw::from("1"));
    input.body_map_mut().insert("b", Raw::from("1"));
    input.headers.insert("h", Raw::from("1"));
    let mut errors = Errors::new();
    input.deny_unknown(&[], &Pointer::root(), &mut errors);
    let pointers: Vec<String> = triples(errors).into_iter().map(|e| e.0).collect();
    assert_eq!(pointers, ["/q", "/b"]);
}

// ---------------------------------------------------------------- field

/// Calls `field` at the root for argument `name`.
fn cast_field<T: pale_core::Argument>(
    input: &impl Lookup,
    name: &'static str,
    source: Source,
    default: Option<fn() -> T>,
    separator: Option<&str>,
) -> (Option<T>, Vec<(String, String, String)>) {
    let mut errors = Errors::new();
    let value = field::<T, _>(
        input,
        name,
        source,
        &Pointer::root(),
        &mut errors,
        default,
        separator,
        argument::<T>(),
    );
    (value, triples(errors))
}

fn query(text: &str) -> Input {
    let mut input = Input::new();
    input.query = decode_form(text.as_bytes()).expect("a valid query");
    input
}

#[test]
fn field_casts_a_present_value() {
    let input = query("n=42&s=hi");
    assert_eq!(
        cast_field::<u32>(&input, "n", Source::Any, None, None),
        (Some(42), vec![])
    );
    assert_eq!(
        cast_field::<String>(&input, "s", Source::Query, None, None),
        (Some("hi".to_owned()), vec![])
    );
    assert_eq!(
        cast_field::<u8>(&query("n=300"), "n", Source::Any, None, None),
        (None, one("/n", "out_of_range", "must be between 0 and 255"))
    );
}

#[test]
fn absent_and_blank_are_the_same() {
    // `?n=`, `?n`, a JSON null and no `n` at all.
    let mut null_body = Input::new();
    null_body.body_map_mut().insert("n", Raw::Null);
    let inputs = [query("n="), query("n"), query("other=1"), null_body];
    for input in &inputs {
        assert_eq!(
            cast_field::<u32>(input, "n", Source::Any, None, None),
            (None, one("/n", "missing", "this argument is required")),
            "{input:?}"
        );
        assert_eq!(
            cast_field::<Option<u32>>(input, "n", Source::Any, None, None),
            (Some(None), vec![])
        );
        assert_eq!(
            cast_field::<u32>(input, "n", Source::Any, Some(|| 10), None),
            (Some(10), vec![])
        );
        assert_eq!(
            cast_field::<Option<u32>>(input, "n", Source::Any, Some(|| Some(3)), None),
            (Some(Some(3)), vec![])
        );
        assert_eq!(
            cast_field::<Vec<u32>>(input, "n", Source::Any, None, None),
            (None, one("/n", "missing", "this argument is required"))
        );
    }
}

#[test]
fn a_default_does_not_hide_an_invalid_value() {
    assert_eq!(
        cast_field::<u32>(&query("n=x"), "n", Source::Any, Some(|| 10), None),
        (None, one("/n", "invalid_type", "expected an integer"))
    );
}

#[test]
fn a_duplicate_is_one_error_not_also_missing() {
    let input = input_with("n", &[Source::Path, Source::Query]);
    for default in [None, Some((|| 1) as fn() -> u32)] {
        assert_eq!(
            cast_field::<u32>(&input, "n", Source::Any, default, None),
            (
                None,
                one(
                    "/n",
                    "duplicate",
                    "given in more than one place (path, query)"
                )
            )
        );
    }
    assert_eq!(
        cast_field::<Option<u32>>(&input, "n", Source::Any, None, None),
        (
            None,
            one(
                "/n",
                "duplicate",
                "given in more than one place (path, query)"
            )
        )
    );
    // Declared from the query, the same: one error, nothing else.
    assert_eq!(
        cast_field::<Option<String>>(&input, "n", Source::Query, None, None),
        (
            None,
            one(
                "/n",
                "duplicate",
                "given in more than one place (path, query)"
            )
        )
    );
}

#[test]
fn repeated_query_keys_for_a_scalar_are_a_clear_invalid_type() {
    let input = query("n=1&n=2");
    assert_eq!(
        cast_field::<u32>(&input, "n", Source::Any, None, None),
        (
            None,
            one("/n", "invalid_type", "expected an integer, found a list")
        )
    );
    assert_eq!(
        cast_field::<Option<bool>>(&input, "n", Source::Any, None, None),
        (
            None,
            one("/n", "invalid_type", "expected a boolean, found a list")
        )
    );
    assert_eq!(
        cast_field::<String>(&query("s=a&s="), "s", Source::Any, None, None),
        (
            None,
            one("/s", "invalid_type", "expected text, found a list")
        )
    );
    assert_eq!(
        cast_field::<Vec<u32>>(&input, "n", Source::Any, None, None),
        (Some(vec![1, 2]), vec![])
    );
}

#[test]
fn separated_lists_split_trim_and_skip_empty_items() {
    let cases: [(&str, &[&str]); 6] = [
        ("tags=a,b,c", &["a", "b", "c"]),
        ("tags=+a+,+b+", &["a", "b"]),
        ("tags=a,,b,", &["a", "b"]),
        ("tags=a,b&tags=c", &["a", "b", "c"]),
        ("tags=a", &["a"]),
        ("tags=,,,", &[]),
    ];
    for (q, want) in cases {
        let want: Vec<String> = want.iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(
            cast_field::<Vec<String>>(&query(q), "tags", Source::Any, None, Some(",")),
            (Some(want), vec![]),
            "{q}"
        );
    }
    assert_eq!(
        cast_field::<Vec<u32>>(&query("ids=1;x;3;-1"), "ids", Source::Any, None, Some(";")),
        (
            None,
            vec![
                (
                    "/ids/1".to_owned(),
                    "invalid_type".to_owned(),
                    "expected an integer".to_owned()
                ),
                (
                    "/ids/3".to_owned(),
                    "out_of_range".to_owned(),
                    "must be between 0 and 4294967295".to_owned()
                ),
            ]
        )
    );
    // A JSON array of numbers passes through untouched.
    let mut body = Input::new();
    body.body_map_mut().insert(
        "ids",
        Raw::List(vec![Raw::Number("1".into()), Raw::Number("2".into())]),
    );
    assert_eq!(
        cast_field::<Vec<u32>>(&body, "ids", Source::Any, None, Some(",")),
        (Some(vec![1, 2]), vec![])
    );
    // Blank input is absent before it is split.
    assert_eq!(
        cast_field::<Option<Vec<String>>>(&query("tags="), "tags", Source::Any, None, Some(",")),
        (Some(None), vec![])
    );
}

#[test]
fn pointers_escape_names() {
    let mut input = Input::new();
    input.body_map_mut().insert("a/b~c", Raw::Bool(true));
    assert_eq!(
        cast_field::<u8>(&input, "a/b~c", Source::Any, None, None),
        (
            None,
            one(
                "/a~1b~0c",
                "invalid_type",
                "expected an integer, found a boolean"
            )
        )
    );
}
