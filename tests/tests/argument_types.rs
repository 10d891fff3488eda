//! Table-driven behaviour of every built-in argument type: the value each input casts to, or the exact error (pointer, code, message).

use std::fmt::Debug;

use pale_core::FieldError;
use pale_core::argument::{
    Argument, Date, Errors, Money, PathUrl, Pointer, Raw, RawMap, Scopes, Timestamp, WebUrl,
};

/// The pointer every cast in this file reports at.
const AT: &str = "/arg";

/// One expected error: code and message (the pointer is [`AT`] unless said).
type Expected<'a> = (&'a str, &'a str);

/// Casts `raw` at `/arg`, checking the contract of `Argument::cast`: a value
/// and no error, or no value and at least one error.
fn cast<T: Argument>(raw: &Raw) -> Result<T, Vec<FieldError>> {
    let root = Pointer::root();
    let at = root.key("arg");
    let mut errors = Errors::new();
    let value = T::cast(raw, &at, &mut errors);
    let errors = errors.into_vec();
    match value {
        Some(value) => {
            assert!(
                errors.is_empty(),
                "a value and errors for {raw:?}: {errors:?}"
            );
            Ok(value)
        }
        None => {
            assert!(!errors.is_empty(), "no value and no error for {raw:?}");
            Err(errors)
        }
    }
}

#[track_caller]
fn assert_ok<T: Argument + PartialEq + Debug>(raw: &Raw, want: &T) {
    match cast::<T>(raw) {
        Ok(got) => assert_eq!(&got, want, "cast of {raw:?}"),
        Err(errors) => panic!("cast of {raw:?} failed: {errors:?}"),
    }
}

/// Asserts that casting fails with exactly one error, at [`AT`].
#[track_caller]
fn assert_err<T: Argument + Debug>(raw: &Raw, (code, message): Expected<'_>) {
    assert_errs::<T>(raw, &[(AT, code, message)]);
}

/// Asserts that casting fails with exactly these errors, in order.
#[track_caller]
fn assert_errs<T: Argument + Debug>(raw: &Raw, want: &[(&str, &str, &str)]) {
    match cast::<T>(raw) {
        Ok(got) => panic!("cast of {raw:?} succeeded with {got:?}"),
        Err(errors) => {
            let got: Vec<(&str, &str, &str)> = errors
                .iter()
                .map(|e| (e.pointer.as_str(), &*e.code, e.message.as_str()))
                .collect();
            assert_eq!(got, want, "cast of {raw:?}");
        }
    }
}

fn text(s: &str) -> Raw {
    Raw::from(s)
}

fn number(s: &str) -> Raw {
    Raw::Number(s.into())
}

fn list(items: &[&str]) -> Raw {
    Raw::List(items.iter().map(|s| text(s)).collect())
}

fn map(entries: &[(&str, Raw)]) -> Raw {
    Raw::Map(
        entries
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
    )
}

/// A list, a map and null, with the kind each message names.
fn non_scalars() -> [(Raw, &'static str); 3] {
    [
        (list(&["1", "2"]), "a list"),
        (map(&[("a", text("1"))]), "an object"),
        (Raw::Null, "null"),
    ]
}

// ---------------------------------------------------------------- String

#[test]
fn string_takes_text_as_given() {
    for s in [
        "",
        "x",
        " padded ",
        "café ☕",
        "a\0b",
        "<script>",
        "1.5",
        "true",
    ] {
        assert_ok::<String>(&text(s), &s.to_owned());
    }
}

#[test]
fn string_rejects_everything_but_text() {
    let cases = [
        (number("42"), "expected text, found a number"),
        (Raw::Bool(true), "expected text, found a boolean"),
        (list(&["a"]), "expected text, found a list"),
        (map(&[("a", text("b"))]), "expected text, found an object"),
        (Raw::Null, "expected text, found null"),
    ];
    for (raw, message) in cases {
        assert_err::<String>(&raw, ("invalid_type", message));
    }
}

// ---------------------------------------------------------------- bool

#[test]
fn bool_accepts_eight_words_in_any_case() {
    let words = [
        ("true", true),
        ("false", false),
        ("1", true),
        ("0", false),
        ("yes", true),
        ("no", false),
        ("on", true),
        ("off", false),
    ];
    for (word, want) in words {
        let alternating: String = word
            .chars()
            .enumerate()
            .map(|(i, c)| {
                if i % 2 == 0 {
                    c.to_ascii_uppercase()
                } else {
                    c
                }
            })
            .collect();
        for spelling in [word.to_owned(), word.to_ascii_uppercase(), alternating] {
            assert_ok(&text(&spelling), &want);
        }
    }
    assert_ok(&Raw::Bool(true), &true);
    assert_ok(&Raw::Bool(false), &false);
    assert_ok(&number("1"), &true);
    assert_ok(&number("0"), &false);
}

#[test]
fn bool_rejects_anything_else() {
    const MESSAGE: &str = "expected a boolean (true, false, 1, 0, yes, no, on, off)";
    let texts = [
        "",
        " true",
        "true ",
        "t",
        "f",
        "y",
        "n",
        "2",
        "-1",
        "01",
        "00",
        "1.0",
        "truee",
        "yes!",
        "null",
        "none",
        "enabled",
        "ｔｒｕｅ",
        "tru\u{0}e",
    ];
    for t in texts {
        assert_err::<bool>(&text(t), ("invalid_type", MESSAGE));
    }
    for n in ["2", "1.0", "-0", "1e0"] {
        assert_err::<bool>(&number(n), ("invalid_type", MESSAGE));
    }
    // Several values, or a map, are named as such, not as a bad spelling.
    for (raw, kind) in non_scalars() {
        let message = format!("expected a boolean, found {kind}");
        assert_err::<bool>(&raw, ("invalid_type", &message));
    }
}

// ---------------------------------------------------------------- integers

/// Adds one to a string of decimal digits.
fn increment(digits: &str) -> String {
    let mut out: Vec<u8> = digits.bytes().collect();
    for b in out.iter_mut().rev() {
        if *b == b'9' {
            *b = b'0';
        } else {
            *b += 1;
            return String::from_utf8(out).expect("ASCII");
        }
    }
    format!("1{}", String::from_utf8(out).expect("ASCII"))
}

#[test]
fn increment_adds_one() {
    assert_eq!(increment("0"), "1");
    assert_eq!(increment("127"), "128");
    assert_eq!(increment("999"), "1000");
    assert_eq!(
        increment(&u128::MAX.to_string()),
        "340282366920938463463374607431768211456"
    );
}

/// The integer texts no width accepts, whatever their value.
const NOT_INTEGERS: &[&str] = &[
    "", " 7", "7 ", "\t7", "1.5", "1.0", "1.", ".5", "1e3", "1E3", "0x10", "0b1", "0o7", "1_000",
    "1,000", "--1", "+-1", "-+1", "++1", "-", "+", "seven", "٣", "７", "1\u{0}", "NaN", "inf",
];

macro_rules! integer_tables {
    ($($name:ident: $ty:ty),* $(,)?) => {$(
        #[test]
        fn $name() {
            let min = <$ty>::MIN;
            let max = <$ty>::MAX;
            let range = format!("must be between {min} and {max}");

            // In range, as text (query, XML) and as a JSON number.
            let zero: $ty = 0;
            let seven: $ty = 7;
            for (literal, want) in [
                ("0".to_owned(), zero),
                ("7".to_owned(), seven),
                ("+7".to_owned(), seven),
                ("007".to_owned(), seven),
                (format!("{}7", "0".repeat(1000)), seven),
                (min.to_string(), min),
                (max.to_string(), max),
            ] {
                assert_ok::<$ty>(&text(&literal), &want);
                assert_ok::<$ty>(&number(&literal), &want);
            }
            // `-0` is zero for every width, signed or not.
            assert_ok::<$ty>(&text("-0"), &zero);
            assert_ok::<$ty>(&number("-000"), &zero);

            // Just outside the range, far outside it, and 1000 digits long.
            let above = increment(&max.to_string());
            let below = match min.to_string().strip_prefix('-') {
                Some(magnitude) => format!("-{}", increment(magnitude)),
                None => "-1".to_owned(),
            };
            let huge = "9".repeat(1000);
            let huge_negative = format!("-{huge}");
            for literal in [&above, &below, &huge, &huge_negative] {
                assert_err::<$ty>(&text(literal), ("out_of_range", &range));
                assert_err::<$ty>(&number(literal), ("out_of_range", &range));
            }

            // Strict syntax.
            for literal in NOT_INTEGERS {
                assert_err::<$ty>(&text(literal), ("invalid_type", "expected an integer"));
                assert_err::<$ty>(&number(literal), ("invalid_type", "expected an integer"));
            }

            // Booleans, lists (`?n=1&n=2`), maps and null.
            assert_err::<$ty>(
                &Raw::Bool(true),
                ("invalid_type", "expected an integer, found a boolean"),
            );
            for (raw, kind) in non_scalars() {
                let message = format!("expected an integer, found {kind}");
                assert_err::<$ty>(&raw, ("invalid_type", &message));
            }
        }
    )*};
}

integer_tables! {
    integer_i8: i8, integer_i16: i16, integer_i32: i32, integer_i64: i64, integer_i128: i128,
    integer_isize: isize, integer_u8: u8, integer_u16: u16, integer_u32: u32, integer_u64: u64,
    integer_u128: u128, integer_usize: usize,
}

#[test]
fn integer_limits_survive_json_numbers() {
    // Near the limits, an f64 would round: the literal text must not.
    assert_ok(&number("9007199254740993"), &9_007_199_254_740_993_i64);
    assert_ok(&number("18446744073709551615"), &u64::MAX);
    assert_ok(&number("-9223372036854775808"), &i64::MIN);
}

// ---------------------------------------------------------------- floats

#[test]
fn floats_accept_finite_numbers() {
    let cases: [(&str, f64); 10] = [
        ("0", 0.0),
        ("1.5", 1.5),
        ("-0.25", -0.25),
        ("+1.5", 1.5),
        (".5", 0.5),
        ("1.", 1.0),
        ("1e3", 1000.0),
        ("1E-3", 0.001),
        ("-7", -7.0),
        ("1e-400", 0.0),
    ];
    for (literal, want) in cases {
        assert_ok::<f64>(&text(literal), &want);
        assert_ok::<f64>(&number(literal), &want);
        #[allow(clippy::cast_possible_truncation)]
        let narrow = want as f32;
        assert_ok::<f32>(&text(literal), &narrow);
    }
    assert_ok::<f32>(&number("3.4028235e38"), &f32::MAX);
    assert_ok::<f32>(&number("1e-50"), &0.0);
    assert_ok::<f64>(&number("1.7976931348623157e308"), &f64::MAX);
}

#[test]
fn floats_reject_nan_infinity_and_junk() {
    let texts = [
        "NaN",
        "nan",
        "-nan",
        "inf",
        "-inf",
        "+inf",
        "Infinity",
        "-infinity",
        "INF",
        "",
        " 1",
        "1 ",
        "1,5",
        "1_0",
        "0x1p3",
        "1e",
        "e3",
        ".",
        "-",
        "1..2",
        "１",
    ];
    for t in texts {
        assert_err::<f32>(&text(t), ("invalid_type", "expected a finite number"));
        assert_err::<f64>(&text(t), ("invalid_type", "expected a finite number"));
        assert_err::<f64>(&number(t), ("invalid_type", "expected a finite number"));
    }
    for (raw, kind) in non_scalars() {
        let message = format!("expected a number, found {kind}");
        assert_err::<f32>(&raw, ("invalid_type", &message));
        assert_err::<f64>(&raw, ("invalid_type", &message));
    }
    assert_err::<f64>(
        &Raw::Bool(false),
        ("invalid_type", "expected a number, found a boolean"),
    );
}

#[test]
fn floats_too_large_for_the_type_are_out_of_range() {
    const F32: &str = "must be between -3.4028235e38 and 3.4028235e38";
    const F64: &str = "must be between -1.7976931348623157e308 and 1.7976931348623157e308";
    let huge = "9".repeat(1000);
    for literal in ["1e39", "-1e39", "3.5e38", &huge] {
        assert_err::<f32>(&text(literal), ("out_of_range", F32));
        assert_err::<f32>(&number(literal), ("out_of_range", F32));
    }
    for literal in ["1e309", "-1e309", "2e308", &huge] {
        assert_err::<f64>(&number(literal), ("out_of_range", F64));
    }
    // 1e39 is an ordinary f64.
    assert_ok::<f64>(&number("1e39"), &1e39);
}

// ---------------------------------------------------------------- Option, Box

#[test]
fn option_reads_null_and_empty_text_as_none() {
    assert_ok::<Option<u32>>(&Raw::Null, &None);
    assert_ok::<Option<u32>>(&text(""), &None);
    assert_ok::<Option<String>>(&text(""), &None);
    assert_ok::<Option<Vec<u8>>>(&Raw::Null, &None);
    assert_ok::<Option<u32>>(&text("5"), &Some(5));
    assert_ok::<Option<String>>(&text(" "), &Some(" ".to_owned()));
    assert_ok::<Option<bool>>(&Raw::Bool(false), &Some(false));
    // A value that is there but wrong is an error, not `None`.
    assert_err::<Option<u32>>(&text(" "), ("invalid_type", "expected an integer"));
    assert_err::<Option<u8>>(&text("256"), ("out_of_range", "must be between 0 and 255"));
    assert_err::<Option<u32>>(
        &list(&["1", "2"]),
        ("invalid_type", "expected an integer, found a list"),
    );
}

#[test]
fn only_option_has_a_value_when_absent() {
    assert_eq!(<Option<u32>>::absent(), Some(None));
    assert_eq!(<Option<Option<u32>>>::absent(), Some(None));
    assert_eq!(u32::absent(), None);
    assert_eq!(String::absent(), None);
    assert_eq!(<Vec<u32>>::absent(), None);
    assert_eq!(Scopes::absent(), None);
}

#[test]
fn box_casts_its_content() {
    assert_ok(&text("3"), &Box::new(3_u8));
    assert_err::<Box<u8>>(&text("x"), ("invalid_type", "expected an integer"));
}

// ---------------------------------------------------------------- Vec

#[test]
fn vec_accepts_lists_single_values_and_the_xml_container() {
    let cases: [(Raw, Vec<u32>); 9] = [
        (list(&["1", "2", "3"]), vec![1, 2, 3]),
        (Raw::List(vec![number("1"), text("2")]), vec![1, 2]),
        (Raw::List(vec![]), vec![]),
        (Raw::Null, vec![]),
        // One value is a list of one (`?id=1`).
        (text("7"), vec![7]),
        (number("7"), vec![7]),
        // `<ids><id>1</id><id>2</id></ids>`: one key holding the items…
        (map(&[("id", list(&["1", "2"]))]), vec![1, 2]),
        // …or the single item.
        (map(&[("id", text("1"))]), vec![1]),
        (map(&[("id", Raw::List(vec![]))]), vec![]),
    ];
    for (raw, want) in cases {
        assert_ok(&raw, &want);
    }
    assert_ok(
        &list(&["a", "", "a"]),
        &vec!["a".to_owned(), String::new(), "a".to_owned()],
    );
}

#[test]
fn vec_rejects_maps_that_are_not_a_container() {
    for raw in [
        map(&[]),
        map(&[("a", text("1")), ("b", text("2"))]),
        map(&[("a", list(&["1"])), ("b", list(&["2"]))]),
    ] {
        assert_err::<Vec<u32>>(&raw, ("invalid_type", "expected a list, found an object"));
    }
}

#[test]
fn vec_item_errors_point_at_each_item() {
    assert_errs::<Vec<u32>>(
        &list(&["1", "x", "3", "-4"]),
        &[
            ("/arg/1", "invalid_type", "expected an integer"),
            ("/arg/3", "out_of_range", "must be between 0 and 4294967295"),
        ],
    );
    assert_errs::<Vec<u32>>(
        &map(&[("id", list(&["1", "2", "x"]))]),
        &[("/arg/2", "invalid_type", "expected an integer")],
    );
    assert_errs::<Vec<u32>>(
        &text("x"),
        &[("/arg/0", "invalid_type", "expected an integer")],
    );
    assert_errs::<Vec<Vec<u8>>>(
        &Raw::List(vec![list(&["1"]), list(&["2", "300"])]),
        &[("/arg/1/1", "out_of_range", "must be between 0 and 255")],
    );
    assert_errs::<Vec<String>>(
        &Raw::List(vec![text("a"), list(&["b"]), number("1")]),
        &[
            ("/arg/1", "invalid_type", "expected text, found a list"),
            ("/arg/2", "invalid_type", "expected text, found a number"),
        ],
    );
    assert_errs::<Vec<bool>>(
        &Raw::List(vec![Raw::Bool(true), map(&[("k", text("v"))])]),
        &[(
            "/arg/1",
            "invalid_type",
            "expected a boolean, found an object",
        )],
    );
}

#[test]
fn vec_of_options_keeps_blank_items_as_none() {
    assert_ok(
        &Raw::List(vec![text("1"), text(""), Raw::Null]),
        &vec![Some(1_u8), None, None],
    );
}

// ---------------------------------------------------------------- Date

#[test]
fn date_accepts_calendar_dates() {
    for literal in [
        "2024-05-01",
        "2024-02-29",
        "2000-02-29",
        "0001-01-01",
        "9999-12-31",
    ] {
        let date = cast::<Date>(&text(literal)).expect("a date");
        assert_eq!(date.to_string(), literal);
        assert_eq!(
            serde_json::to_string(&date).expect("serializes"),
            format!("\"{literal}\"")
        );
        assert_eq!(Date::parse(literal), Some(date));
    }
}

#[test]
fn date_rejects_anything_but_yyyy_mm_dd() {
    const WANT: Expected<'_> = ("invalid_date", "expected a date such as 2024-05-01");
    let texts = [
        "2023-02-29",
        "2023-02-30",
        "2024-04-31",
        "2024-13-01",
        "2024-00-10",
        "2024-05-00",
        "2024-05-32",
        "2024-5-1",
        "24-05-01",
        "02024-05-01",
        "+2024-05-01",
        "-0001-01-01",
        "20240501",
        "2024/05/01",
        "2024-05-01T00:00:00Z",
        " 2024-05-01",
        "2024-05-01 ",
        "",
        "yesterday",
        "２０２４-05-01",
    ];
    for t in texts {
        assert_err::<Date>(&text(t), WANT);
        assert_eq!(Date::parse(t), None, "{t:?}");
    }
    assert_err::<Date>(
        &number("20240501"),
        ("invalid_type", "expected a date, found a number"),
    );
    for (raw, kind) in non_scalars() {
        let message = format!("expected a date, found {kind}");
        assert_err::<Date>(&raw, ("invalid_type", &message));
    }
}

// ---------------------------------------------------------------- Timestamp

#[test]
fn timestamp_accepts_rfc3339_with_offsets() {
    let utc = |literal: &str| cast::<Timestamp>(&text(literal)).expect("a timestamp");
    let noon = utc("2024-05-01T12:00:00Z");
    assert_eq!(noon.to_string(), "2024-05-01T12:00:00Z");
    assert_eq!(
        serde_json::to_string(&noon).expect("serializes"),
        "\"2024-05-01T12:00:00Z\""
    );
    // The same instant, written with other offsets (RFC 3339 allows
    // lower-case `t`/`z`, a space for `T`, and `-00:00`).
    for same in [
        "2024-05-01T13:00:00+01:00",
        "2024-05-01T06:30:00-05:30",
        "2024-05-01T12:00:00.000Z",
        "2024-05-01t12:00:00z",
        "2024-05-01 12:00:00Z",
        "2024-05-01T12:00:00-00:00",
        "2024-05-01T12:00:00+00:00",
    ] {
        assert_eq!(utc(same), noon, "{same}");
    }
    // The offset given is the offset rendered.
    assert_eq!(
        utc("2024-05-01T13:00:00+01:00").to_string(),
        "2024-05-01T13:00:00+01:00"
    );
    assert_eq!(
        utc("2024-05-01T12:00:00.5Z").to_string(),
        "2024-05-01T12:00:00.5Z"
    );
    assert!(utc("2024-02-29T23:59:59Z") < utc("2024-03-01T00:00:00Z"));
}

#[test]
fn timestamp_rejects_impossible_and_partial_instants() {
    const WANT: Expected<'_> = (
        "invalid_timestamp",
        "expected an RFC 3339 timestamp such as 2024-05-01T12:00:00Z",
    );
    let texts = [
        "2023-02-30T00:00:00Z",
        "2023-02-29T00:00:00Z",
        "2024-13-01T00:00:00Z",
        "2024-05-01T24:00:00Z",
        "2024-05-01T12:60:00Z",
        "2024-05-01T12:00:61Z",
        "2024-05-01T12:00Z",
        "2024-05-01T12:00:00",
        "2024-05-01T12:00:00+24:00",
        "2024-05-01T12:00:00+0100",
        "2024-05-01T12:00:00 Z",
        "2024-05-01",
        "12:00:00Z",
        "1714564800",
        " 2024-05-01T12:00:00Z",
        "2024-05-01T12:00:00Z ",
        "",
        "now",
    ];
    for t in texts {
        assert_err::<Timestamp>(&text(t), WANT);
    }
    assert_err::<Timestamp>(
        &number("1714564800"),
        (
            "invalid_type",
            "expected an RFC 3339 timestamp, found a number",
        ),
    );
    for (raw, kind) in non_scalars() {
        let message = format!("expected an RFC 3339 timestamp, found {kind}");
        assert_err::<Timestamp>(&raw, ("invalid_type", &message));
    }
}

// ---------------------------------------------------------------- Money

#[test]
fn money_is_whole_minor_units() {
    let cases = [
        ("0", 0),
        ("1250", 1250),
        ("007", 7),
        ("9223372036854775807", 9_223_372_036_854_775_807),
    ];
    for (literal, cents) in cases {
        assert_ok(&text(literal), &Money(cents));
        assert_ok(&number(literal), &Money(cents));
    }
    assert_eq!(
        serde_json::to_string(&Money(1250)).expect("serializes"),
        "1250"
    );
}

#[test]
fn money_rejects_negatives_decimals_and_huge_amounts() {
    const WANT: Expected<'_> = (
        "invalid_money",
        "expected a whole, non-negative number of minor units (cents)",
    );
    for literal in [
        "-1", "-0", "12.50", "12.", ".5", "1e3", "+5", " 5", "5 ", "", "1,000", "1_000", "abc",
        "٣", "NaN",
    ] {
        assert_err::<Money>(&text(literal), WANT);
        assert_err::<Money>(&number(literal), WANT);
    }
    let huge = "9".repeat(1000);
    for literal in [
        "9223372036854775808",
        "18446744073709551615",
        "18446744073709551616",
        &huge,
    ] {
        assert_err::<Money>(
            &text(literal),
            ("out_of_range", "must be at most 9223372036854775807"),
        );
    }
    assert_err::<Money>(
        &Raw::Bool(true),
        (
            "invalid_type",
            "expected an amount in minor units, found a boolean",
        ),
    );
    for (raw, kind) in non_scalars() {
        let message = format!("expected an amount in minor units, found {kind}");
        assert_err::<Money>(&raw, ("invalid_type", &message));
    }
}

// ---------------------------------------------------------------- WebUrl

#[test]
fn web_url_accepts_absolute_http_urls() {
    let cases = [
        ("https://example.com/a?b=c#d", "https://example.com/a?b=c#d"),
        ("http://example.com", "http://example.com/"),
        ("HTTPS://Example.COM/Path", "https://example.com/Path"),
        ("http://127.0.0.1:8080/x", "http://127.0.0.1:8080/x"),
        ("https://[::1]/", "https://[::1]/"),
        (
            "https://example.com/caf%C3%A9",
            "https://example.com/caf%C3%A9",
        ),
        ("https://例え.jp/", "https://xn--r8jz45g.jp/"),
    ];
    for (given, canonical) in cases {
        let url = cast::<WebUrl>(&text(given)).expect("a URL");
        assert_eq!(url.to_string(), canonical);
        assert_eq!(url.as_url().as_str(), canonical);
        assert_eq!(
            serde_json::to_string(&url).expect("serializes"),
            format!("\"{canonical}\"")
        );
        assert_eq!(WebUrl::parse(given).as_ref(), Ok(&url));
    }
}

#[test]
fn web_url_rejects_other_schemes_relative_refs_and_hidden_characters() {
    const SCHEME: &str = "the URL scheme must be http or https";
    const ABSOLUTE: &str = "expected an absolute URL";
    const HIDDEN: &str = "a URL must not contain spaces or control characters";
    const USERINFO: &str = "a URL must not contain a user name or password";
    let cases = [
        ("https://bank.example@evil.example/", USERINFO),
        ("https://user:pass@example.com/", USERINFO),
        ("javascript:alert(1)", SCHEME),
        ("JaVaScRiPt:alert(1)", SCHEME),
        ("data:text/html,<script>alert(1)</script>", SCHEME),
        ("data:text/html;base64,PHNjcmlwdD4=", SCHEME),
        ("file:///etc/passwd", SCHEME),
        ("ftp://example.com/", SCHEME),
        ("mailto:a@example.com", SCHEME),
        ("ws://example.com/", SCHEME),
        ("/relative", ABSOLUTE),
        ("relative/path", ABSOLUTE),
        ("//evil.com", ABSOLUTE),
        ("?q=1", ABSOLUTE),
        ("#top", ABSOLUTE),
        ("", ABSOLUTE),
        ("https://", ABSOLUTE),
        ("http://[::1", ABSOLUTE),
        ("http://exa mple.com", HIDDEN),
        ("java\nscript:alert(1)", HIDDEN),
        ("java\tscript:alert(1)", HIDDEN),
        (" https://example.com", HIDDEN),
        ("https://example.com ", HIDDEN),
        ("https://example.com/a b", HIDDEN),
        ("https://exa\tmple.com/", HIDDEN),
        ("https://example.com/\r\nSet-Cookie: a=b", HIDDEN),
        ("https://example.com/\u{0}", HIDDEN),
        ("\u{1}https://example.com/", HIDDEN),
        ("https://example.com/\u{a0}", HIDDEN),
    ];
    for (given, message) in cases {
        assert_err::<WebUrl>(&text(given), ("invalid_url", message));
        assert_eq!(WebUrl::parse(given), Err(message), "{given:?}");
    }
    assert_err::<WebUrl>(
        &number("1"),
        ("invalid_type", "expected a URL, found a number"),
    );
    for (raw, kind) in non_scalars() {
        let message = format!("expected a URL, found {kind}");
        assert_err::<WebUrl>(&raw, ("invalid_type", &message));
    }
}

// ---------------------------------------------------------------- PathUrl

#[test]
fn path_url_accepts_local_paths() {
    for path in [
        "/",
        "/albums/7?x=1#top",
        "/a/b%20c",
        "/a//b",
        "/caf%C3%A9",
        "/é",
        "/a/../b",
    ] {
        let parsed = cast::<PathUrl>(&text(path)).expect("a path");
        assert_eq!(parsed.as_str(), path);
        assert_eq!(
            serde_json::to_string(&parsed).expect("serializes"),
            serde_json::to_string(path).expect("serializes")
        );
    }
}

#[test]
fn path_url_rejects_other_hosts_and_hidden_characters() {
    const START: &str = "expected a path starting with /";
    const HOST: &str = "a path must not start with // or /\\";
    const HIDDEN: &str = "a path must not contain spaces, backslashes or control characters";
    let cases = [
        ("//evil.com", HOST),
        ("///evil.com", HOST),
        ("/\\evil.com", HOST),
        ("https://x", START),
        ("javascript:alert(1)", START),
        ("evil.com", START),
        ("\\/evil.com", START),
        (" /a", START),
        ("", START),
        ("/\t/evil.com", HIDDEN),
        ("/a\\b", HIDDEN),
        ("/a b", HIDDEN),
        ("/a\tb", HIDDEN),
        ("/a\nb", HIDDEN),
        ("/a\r\nLocation: https://evil.com", HIDDEN),
        ("/\u{0}", HIDDEN),
        ("/\u{7f}", HIDDEN),
        ("/\u{85}", HIDDEN),
        ("/\u{2028}", HIDDEN),
        ("/\u{3000}", HIDDEN),
    ];
    for (given, message) in cases {
        assert_err::<PathUrl>(&text(given), ("invalid_url", message));
        assert_eq!(PathUrl::parse(given), Err(message), "{given:?}");
    }
    for (raw, kind) in non_scalars() {
        let message = format!("expected a path, found {kind}");
        assert_err::<PathUrl>(&raw, ("invalid_type", &message));
    }
}

// ---------------------------------------------------------------- Scopes

fn scopes(items: &[&str]) -> Scopes {
    Scopes(items.iter().map(|s| (*s).to_owned()).collect())
}

#[test]
fn scopes_split_on_spaces_and_drop_duplicates() {
    let cases: [(Raw, Scopes); 7] = [
        (text("read write"), scopes(&["read", "write"])),
        (text("  read   write read  "), scopes(&["read", "write"])),
        (text("write read write"), scopes(&["write", "read"])),
        (text(""), scopes(&[])),
        (text("a:b/c!#[]{}~^_`|"), scopes(&["a:b/c!#[]{}~^_`|"])),
        (
            list(&["read write", "admin read"]),
            scopes(&["read", "write", "admin"]),
        ),
        (Raw::List(vec![]), scopes(&[])),
    ];
    for (raw, want) in cases {
        assert_ok(&raw, &want);
    }
    let granted = scopes(&["read", "write"]);
    assert!(granted.contains("read"));
    assert!(!granted.contains("rea"));
    assert_eq!(granted.to_string(), "read write");
    assert_eq!(
        serde_json::to_string(&granted).expect("serializes"),
        "\"read write\""
    );
}

#[test]
fn scopes_reject_invalid_characters_and_other_kinds() {
    const INVALID: &str = "a scope may hold only visible ASCII other than \" and \\";
    for t in [
        "read \"write\"",
        "read\\write",
        "read\twrite",
        "read\nwrite",
        "réad",
        "read\u{7f}",
        "read\u{0}",
        "read\u{a0}write",
    ] {
        assert_err::<Scopes>(&text(t), ("invalid_scope", INVALID));
    }
    assert_err::<Scopes>(&list(&["read", "wr\"ite"]), ("invalid_scope", INVALID));
    assert_err::<Scopes>(
        &number("1"),
        (
            "invalid_type",
            "expected space-separated scopes, found a number",
        ),
    );
    assert_err::<Scopes>(
        &map(&[("a", text("read"))]),
        (
            "invalid_type",
            "expected space-separated scopes, found an object",
        ),
    );
    assert_err::<Scopes>(
        &Raw::List(vec![text("read"), number("1")]),
        ("invalid_type", "expected scope text, found a number"),
    );
}

// ---------------------------------------------------------------- hostile input

/// Casts `raw` into every built-in type and returns every error message.
fn messages_from_every_type(raw: &Raw) -> Vec<String> {
    fn collect<T: Argument>(raw: &Raw, out: &mut Vec<String>) {
        if let Err(errors) = cast::<T>(raw) {
            out.extend(errors.into_iter().map(|e| e.message));
        }
    }
    let mut out = Vec::new();
    collect::<String>(raw, &mut out);
    collect::<bool>(raw, &mut out);
    collect::<i8>(raw, &mut out);
    collect::<i64>(raw, &mut out);
    collect::<i128>(raw, &mut out);
    collect::<u8>(raw, &mut out);
    collect::<u64>(raw, &mut out);
    collect::<usize>(raw, &mut out);
    collect::<f32>(raw, &mut out);
    collect::<f64>(raw, &mut out);
    collect::<Option<u32>>(raw, &mut out);
    collect::<Vec<u32>>(raw, &mut out);
    collect::<Vec<Vec<bool>>>(raw, &mut out);
    collect::<Date>(raw, &mut out);
    collect::<Timestamp>(raw, &mut out);
    collect::<Money>(raw, &mut out);
    collect::<WebUrl>(raw, &mut out);
    collect::<PathUrl>(raw, &mut out);
    collect::<Scopes>(raw, &mut out);
    out
}

#[test]
fn messages_never_echo_input() {
    let hostile: String = "<script>alert('x')</script>\"}{]%00\u{202e}"
        .chars()
        .cycle()
        .take(10 * 1024)
        .collect();
    let digits = format!("1{}", "7".repeat(10 * 1024));
    let url = format!("https://evil.com/{hostile}");
    let path = format!("/{}", "a".repeat(10 * 1024));
    let scope = format!("{} \"", "s".repeat(10 * 1024));
    let mut key_map = RawMap::new();
    key_map.insert(hostile.clone(), text(&hostile));
    key_map.insert("second", text(&hostile));
    for needle in [&hostile, &digits, &url, &path, &scope] {
        let raws = [
            text(needle),
            number(needle),
            Raw::List(vec![text(needle), number(needle)]),
            map(&[("only", text(needle))]),
            Raw::Map(key_map.clone()),
        ];
        for raw in &raws {
            let messages = messages_from_every_type(raw);
            assert!(!messages.is_empty());
            for message in messages {
                assert!(!message.contains(needle.as_str()), "echoed: {message:.80}");
                assert!(message.len() <= 100, "unbounded message: {message:.80}");
            }
        }
    }
}

#[test]
fn a_list_where_a_scalar_was_expected_is_one_clear_error() {
    let two = list(&["1", "2"]);
    assert_err::<u32>(&two, ("invalid_type", "expected an integer, found a list"));
    assert_err::<String>(&two, ("invalid_type", "expected text, found a list"));
    assert_err::<f64>(&two, ("invalid_type", "expected a number, found a list"));
    assert_err::<bool>(&two, ("invalid_type", "expected a boolean, found a list"));
    assert_err::<Date>(&two, ("invalid_type", "expected a date, found a list"));
    assert_err::<Money>(
        &two,
        (
            "invalid_type",
            "expected an amount in minor units, found a list",
        ),
    );
    // Deep nesting where one value was expected is the same single error.
    let mut deep = text("1");
    for _ in 0..1000 {
        deep = Raw::List(vec![deep]);
    }
    assert_err::<u32>(&deep, ("invalid_type", "expected an integer, found a list"));
    assert_errs::<Vec<u32>>(
        &deep,
        &[(
            "/arg/0",
            "invalid_type",
            "expected an integer, found a list",
        )],
    );
}
