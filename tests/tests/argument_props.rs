//! Property tests: casting arbitrary raw trees into every built-in argument type never panics and yields a value or an error; numbers, dates and booleans cast exactly; `decode_form` never panics and round-trips through percent-encoding.

use pale_core::__private::{argument, field};
use pale_core::argument::{
    Argument, Date, Errors, Input, Money, PathUrl, Pointer, Raw, RawMap, Scopes, Source, Timestamp,
    WebUrl,
};
use pale_core::format::decode_form;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

/// Every code a built-in type (or `field`, or `Input`) may report.
const CODES: &[&str] = &[
    "invalid_type",
    "out_of_range",
    "invalid_date",
    "invalid_timestamp",
    "invalid_money",
    "invalid_url",
    "invalid_scope",
    "missing",
    "duplicate",
];

/// Text that looks like what arguments parse, and text that does not.
fn scalar_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[-+]?[0-9]{0,40}(\\.[0-9]{0,5})?([eE][-+]?[0-9]{1,4})?",
        "(?i)(true|false|yes|no|on|off|1|0|nan|inf|infinity|-inf)",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,3})?(Z|[+-][0-9]{2}:[0-9]{2}))?",
        "(https?|javascript|data|file|ftp)?:?(//)?[a-z.]{0,10}(:[0-9]{1,5})?/?[ -~]{0,10}",
        "[/\\\\]{0,2}[ -~\t\n\r]{0,12}",
        "( ?[!-~]{0,6}){0,4}",
        "[0-9, ]{0,12}",
    ]
}

/// Raw trees: scalars at the leaves, lists and maps up to four deep.
fn raw_tree() -> impl Strategy<Value = Raw> {
    let leaf = prop_oneof![
        Just(Raw::Null),
        any::<bool>().prop_map(Raw::Bool),
        scalar_text().prop_map(|text| Raw::Text(text.into())),
        scalar_text().prop_map(|text| Raw::Number(text.into())),
    ];
    leaf.prop_recursive(4, 48, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Raw::List),
            prop::collection::vec(("[a-c]{1,2}", inner), 0..4)
                .prop_map(|entries| Raw::Map(entries.into_iter().collect::<RawMap>())),
        ]
    })
}

/// Checks one finished cast: a value xor errors, every error well formed.
fn check_outcome<T>(
    value: Option<&T>,
    errors: Errors,
    base: &str,
    nothing_wrong: bool,
) -> Result<(), TestCaseError> {
    let errors = errors.into_vec();
    if nothing_wrong {
        prop_assert!(
            value.is_some() == errors.is_empty(),
            "value: {}, errors: {errors:?}",
            value.is_some()
        );
    }
    for error in &errors {
        prop_assert!(CODES.contains(&&*error.code), "code {}", error.code);
        prop_assert!(error.message.len() <= 100, "message {}", error.message);
        // Below the base, only list indexes (built-in types have no keys).
        let rest = error.pointer.strip_prefix(base);
        prop_assert!(rest.is_some(), "pointer {}", error.pointer);
        let rest = rest.unwrap_or_default();
        prop_assert!(
            rest.split('/')
                .skip(1)
                .all(|index| !index.is_empty() && index.bytes().all(|b| b.is_ascii_digit())),
            "pointer {}",
            error.pointer
        );
    }
    Ok(())
}

/// Casts `raw` into `T` directly, and through `field` from a map, a request
/// input and a separated list.
fn check_type<T: Argument>(raw: &Raw) -> Result<(), TestCaseError> {
    let root = Pointer::root();
    let at = root.key("arg");
    let mut errors = Errors::new();
    let value = T::cast(raw, &at, &mut errors);
    check_outcome(value.as_ref(), errors, "/arg", true)?;

    let mut map = RawMap::new();
    map.insert("arg", raw.clone());
    let mut input = Input::new();
    input.query.insert("arg", raw.clone());
    for separator in [None, Some(","), Some(" ")] {
        let mut errors = Errors::new();
        let value = field::<T, _>(
            &map,
            "arg",
            Source::Any,
            &root,
            &mut errors,
            None,
            separator,
            argument::<T>(),
        );
        check_outcome(value.as_ref(), errors, "/arg", true)?;
        let mut errors = Errors::new();
        let value = field::<T, _>(
            &input,
            "arg",
            Source::Any,
            &root,
            &mut errors,
            None,
            separator,
            argument::<T>(),
        );
        check_outcome(value.as_ref(), errors, "/arg", true)?;
    }
    Ok(())
}

fn check_every_type(raw: &Raw) -> Result<(), TestCaseError> {
    check_type::<String>(raw)?;
    check_type::<bool>(raw)?;
    check_type::<i8>(raw)?;
    check_type::<i16>(raw)?;
    check_type::<i32>(raw)?;
    check_type::<i64>(raw)?;
    check_type::<i128>(raw)?;
    check_type::<isize>(raw)?;
    check_type::<u8>(raw)?;
    check_type::<u16>(raw)?;
    check_type::<u32>(raw)?;
    check_type::<u64>(raw)?;
    check_type::<u128>(raw)?;
    check_type::<usize>(raw)?;
    check_type::<f32>(raw)?;
    check_type::<f64>(raw)?;
    check_type::<Option<u32>>(raw)?;
    check_type::<Option<String>>(raw)?;
    check_type::<Option<Option<bool>>>(raw)?;
    check_type::<Box<i64>>(raw)?;
    check_type::<Vec<u8>>(raw)?;
    check_type::<Vec<String>>(raw)?;
    check_type::<Vec<Option<f64>>>(raw)?;
    check_type::<Vec<Vec<i32>>>(raw)?;
    check_type::<Option<Vec<Date>>>(raw)?;
    check_type::<Date>(raw)?;
    check_type::<Timestamp>(raw)?;
    check_type::<Money>(raw)?;
    check_type::<WebUrl>(raw)?;
    check_type::<PathUrl>(raw)?;
    check_type::<Scopes>(raw)?;
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_type_casts_any_raw_tree_without_panicking(raw in raw_tree()) {
        check_every_type(&raw)?;
    }

    #[test]
    fn lookups_in_any_input_yield_a_value_or_an_error(
        path in prop::option::of(raw_tree()),
        body in prop::option::of(raw_tree()),
        query in prop::option::of(raw_tree()),
    ) {
        let mut input = Input::new();
        let given = [&path, &body, &query].iter().filter(|v| v.is_some()).count();
        if let Some(raw) = path { input.path.insert("n", raw); }
        if let Some(raw) = body { input.body_map_mut().insert("n", raw); }
        if let Some(raw) = query { input.query.insert("n", raw); }
        let root = Pointer::root();
        let mut errors = Errors::new();
        let value = field::<Option<u32>, _>(
            &input,
            "n",
            Source::Any,
            &root,
            &mut errors,
            None,
            None,
            argument::<Option<u32>>(),
        );
        let duplicate = errors.into_vec().iter().any(|e| e.code == "duplicate" && e.pointer == "/n");
        prop_assert_eq!(duplicate, given > 1);
        if given > 1 {
            prop_assert!(value.is_none());
        }
    }
}

// ---------------------------------------------------------------- exact casts

fn cast<T: Argument>(raw: &Raw) -> Result<T, Vec<(String, String)>> {
    let mut errors = Errors::new();
    let value = T::cast(raw, &Pointer::root(), &mut errors);
    value.ok_or_else(|| {
        errors
            .into_vec()
            .into_iter()
            .map(|e| (e.code.into_owned(), e.message))
            .collect()
    })
}

macro_rules! integer_matches_try_from {
    ($($name:ident: $ty:ty),* $(,)?) => {$(
        proptest! {
            #[test]
            fn $name(signed in any::<i128>(), unsigned in any::<u128>()) {
                let range = format!("must be between {} and {}", <$ty>::MIN, <$ty>::MAX);
                let literals = [signed.to_string(), unsigned.to_string()];
                let wanted = [<$ty>::try_from(signed).ok(), <$ty>::try_from(unsigned).ok()];
                for (literal, want) in literals.iter().zip(wanted) {
                    for raw in [Raw::Text(literal.as_str().into()), Raw::Number(literal.as_str().into())] {
                        let got = cast::<$ty>(&raw);
                        match want {
                            Some(n) => prop_assert_eq!(got, Ok(n)),
                            None => prop_assert_eq!(
                                got,
                                Err(vec![("out_of_range".to_owned(), range.clone())])
                            ),
                        }
                    }
                }
            }
        }
    )*};
}

integer_matches_try_from! {
    i8_matches_try_from: i8, i16_matches_try_from: i16, i32_matches_try_from: i32,
    i64_matches_try_from: i64, i128_matches_try_from: i128, isize_matches_try_from: isize,
    u8_matches_try_from: u8, u16_matches_try_from: u16, u32_matches_try_from: u32,
    u64_matches_try_from: u64, u128_matches_try_from: u128, usize_matches_try_from: usize,
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

proptest! {
    #[test]
    fn finite_floats_round_trip(wide in any::<f64>(), narrow in any::<f32>()) {
        if wide.is_finite() {
            prop_assert_eq!(cast::<f64>(&Raw::Number(wide.to_string().into())), Ok(wide));
            prop_assert_eq!(cast::<f64>(&Raw::Number(format!("{wide:e}").into())), Ok(wide));
        } else {
            prop_assert!(cast::<f64>(&Raw::Text(wide.to_string().into())).is_err());
        }
        if narrow.is_finite() {
            prop_assert_eq!(cast::<f32>(&Raw::Text(narrow.to_string().into())), Ok(narrow));
        } else {
            prop_assert!(cast::<f32>(&Raw::Text(narrow.to_string().into())).is_err());
        }
    }

    #[test]
    fn money_accepts_exactly_the_non_negative_i64s(n in any::<u64>(), negative in 1..=u64::MAX) {
        let got = cast::<Money>(&Raw::Text(n.to_string().into()));
        if i64::try_from(n).is_ok() {
            prop_assert_eq!(got, Ok(Money(n)));
        } else {
            prop_assert_eq!(got.map_err(|e| e[0].0.clone()), Err("out_of_range".to_owned()));
        }
        let got = cast::<Money>(&Raw::Number(format!("-{negative}").into()));
        prop_assert_eq!(got.map_err(|e| e[0].0.clone()), Err("invalid_money".to_owned()));
    }

    #[test]
    fn bool_accepts_exactly_eight_words(text in "(?i)[a-z0-9 ]{0,6}|(?i)(true|false|yes|no|on|off)") {
        let want = match text.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Some(true),
            "false" | "0" | "no" | "off" => Some(false),
            _ => None,
        };
        prop_assert_eq!(cast::<bool>(&Raw::Text(text.into())).ok(), want);
    }

    #[test]
    fn dates_are_exactly_the_calendar_days(year in 0u32..=9999, month in 0u32..=13, day in 0u32..=32) {
        let text = format!("{year:04}-{month:02}-{day:02}");
        let valid = (1..=12).contains(&month) && (1..=days_in_month(year, month)).contains(&day);
        match cast::<Date>(&Raw::Text(text.clone().into())) {
            Ok(date) => {
                prop_assert!(valid, "{text} accepted");
                prop_assert_eq!(date.to_string(), text);
            }
            Err(_) => prop_assert!(!valid, "{text} rejected"),
        }
    }

    #[test]
    fn accepted_paths_stay_on_this_site(text in "[/\\\\]{0,2}[ -~\t\r\n\u{80}-\u{a0}\u{2028}]{0,10}|\\PC{0,10}") {
        if let Ok(path) = PathUrl::parse(&text) {
            let mut chars = path.as_str().chars();
            prop_assert_eq!(chars.next(), Some('/'));
            prop_assert!(!matches!(chars.next(), Some('/' | '\\')));
            prop_assert!(!text.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\'));
        }
    }

    #[test]
    fn accepted_urls_are_http_with_a_host(text in "(?i)(https?|javascript|data|file)?:?[/\\\\]{0,3}[ -~\t\n]{0,16}") {
        if let Ok(url) = WebUrl::parse(&text) {
            prop_assert!(matches!(url.as_url().scheme(), "http" | "https"));
            prop_assert!(url.as_url().host_str().is_some_and(|h| !h.is_empty()));
            prop_assert!(!text.chars().any(|c| c.is_control() || c.is_whitespace()));
        }
    }

    #[test]
    fn accepted_scopes_are_unique_visible_tokens(raw in raw_tree()) {
        if let Ok(Scopes(tokens)) = cast::<Scopes>(&raw) {
            for (i, token) in tokens.iter().enumerate() {
                prop_assert!(!token.is_empty());
                prop_assert!(token.bytes().all(|b| (0x21..=0x7e).contains(&b) && b != b'"' && b != b'\\'));
                prop_assert!(!tokens[..i].contains(token));
            }
        }
    }
}

// ---------------------------------------------------------------- decode_form

/// Percent-encodes every byte but the unreserved ones; spaces as `+` when
/// `plus` is set.
fn encode(text: &str, plus: bool) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        match b {
            b' ' if plus => out.push('+'),
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(char::from(b));
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Writes a decoded map back as a form, repeated keys for lists.
fn encode_map(map: &RawMap, plus: bool) -> Result<String, TestCaseError> {
    let mut parts = Vec::new();
    for (key, value) in map.iter() {
        let items = match value {
            Raw::List(items) => items.as_slice(),
            one => std::slice::from_ref(one),
        };
        for item in items {
            let Raw::Text(text) = item else {
                return Err(TestCaseError::fail(format!("not text: {item:?}")));
            };
            parts.push(format!("{}={}", encode(key, plus), encode(text, plus)));
        }
    }
    Ok(parts.join("&"))
}

/// Bytes biased toward what a form decoder must get right.
fn form_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        any::<u8>().prop_map(|b| vec![b]),
        Just(b"&".to_vec()),
        Just(b"=".to_vec()),
        Just(b"+".to_vec()),
        Just(b"%".to_vec()),
        "%[0-9a-fA-FgG]{0,2}".prop_map(String::into_bytes),
        "[a-z]{1,3}".prop_map(String::into_bytes),
        any::<char>().prop_map(|c| c.to_string().into_bytes()),
    ];
    prop::collection::vec(piece, 0..32).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn decode_form_never_panics_and_round_trips(input in form_bytes()) {
        match decode_form(&input) {
            Err(error) => {
                prop_assert_eq!(error.status().as_u16(), 400);
                prop_assert_eq!(error.code(), "malformed_query");
            }
            Ok(map) => {
                for (key, value) in map.iter() {
                    prop_assert!(!key.is_empty());
                    let items = match value {
                        Raw::List(items) => {
                            prop_assert!(items.len() >= 2);
                            items.as_slice()
                        }
                        one => std::slice::from_ref(one),
                    };
                    // Each pair, percent-encoded, decodes to itself.
                    for item in items {
                        let Raw::Text(text) = item else {
                            return Err(TestCaseError::fail(format!("not text: {item:?}")));
                        };
                        for plus in [false, true] {
                            let pair = format!("{}={}", encode(key, plus), encode(text, plus));
                            let again = decode_form(pair.as_bytes());
                            prop_assert!(again.is_ok());
                            let again = again.unwrap_or_default();
                            prop_assert_eq!(again.len(), 1);
                            prop_assert_eq!(again.get(key), Some(item));
                        }
                    }
                }
                // The whole map, written back, decodes to the same map.
                for plus in [false, true] {
                    let form = encode_map(&map, plus)?;
                    let again = decode_form(form.as_bytes());
                    prop_assert_eq!(again.ok(), Some(map.clone()));
                }
            }
        }
    }

    #[test]
    fn encoded_pairs_decode_to_what_was_encoded(
        pairs in prop::collection::vec(("\\PC{1,8}|[a-c&=+% ]{1,3}", "\\PC{0,8}|[a-c&=+% ]{0,3}"), 0..8),
        plus in any::<bool>(),
    ) {
        let form: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k, plus), encode(v, plus)))
            .collect();
        let mut want = RawMap::new();
        for (k, v) in &pairs {
            want.append(k.clone(), Raw::Text(v.clone().into()));
        }
        prop_assert_eq!(decode_form(form.join("&").as_bytes()).ok(), Some(want));
    }
}
