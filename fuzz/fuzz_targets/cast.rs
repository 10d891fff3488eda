//! The argument cast of derived endpoints (`Arguments::from_input`, the
//! code `#[derive(Endpoint)]` writes), from every source at once: path,
//! query, headers and a body decoded from JSON, XML or a form, or built
//! as a tree.
//!
//! Properties, for any input:
//! - casting never panics; it succeeds with values that satisfy every
//!   declared constraint (ranges, lengths, pattern, choices, types), or
//!   fails with a 422 whose errors each carry a well-formed JSON pointer
//!   naming a declared argument (or, for a `deny_unknown` endpoint, a key
//!   the input has), with a known code;
//! - `from = query` arguments come from the query only.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use pale_core::argument::{Input, Raw, RawMap};
use pale_core::format::{DecodeLimits, Wire, decode_form};
use pale_core::{ApiError, Arguments};
use pale_fuzz::api::order::{ORDER_NAMES, PlaceOrder, STRICT_NAMES, Strict};
use pale_fuzz::pointer_tokens;
use pale_fuzz::raw::ArbRaw;

/// Every code the casts and constraints report (pale-core's `argument`
/// module and the derive's generated code).
const CODES: &[&str] = &[
    "missing",
    "duplicate",
    "unknown",
    "invalid_type",
    "invalid_value",
    "out_of_range",
    "empty",
    "too_short",
    "too_long",
    "pattern",
    "not_allowed",
    "invalid_url",
    "invalid_date",
    "invalid_money",
];

#[derive(Arbitrary, Debug)]
enum Body {
    None,
    Members(Vec<(u8, Value)>),
    Json(Vec<u8>),
    Xml(Vec<u8>),
    Form(Vec<u8>),
}

/// A value for a member: plausible for some argument, or any tree.
#[derive(Debug)]
struct Value(Raw);

impl<'a> Arbitrary<'a> for Value {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        const TEXTS: &[&str] = &[
            "1",
            "0",
            "-1",
            "42",
            "9999",
            "10000",
            "1.5",
            "5",
            "5.01",
            "NaN",
            "inf",
            "true",
            "false",
            "US",
            "us",
            "USA",
            "slow",
            "fast",
            "oldest",
            "newest",
            "Oldest",
            "a,b,,c",
            " x ",
            "2024-02-29",
            "2023-02-29",
            "https://a.example/",
            "javascript:alert(1)",
            "18446744073709551616",
            "-9223372036854775809",
            "9223372036854775807",
            "",
        ];
        Ok(Self(match u.int_in_range(0..=3)? {
            0 => Raw::Text((*u.choose(TEXTS)?).into()),
            1 => {
                let len = u.int_in_range(0..=11)?;
                let mut lines = Vec::with_capacity(len);
                for _ in 0..len {
                    let mut line = RawMap::new();
                    for key in ["units", "title", "price"] {
                        if u.ratio(7, 8)? {
                            line.insert(key, Raw::Text((*u.choose(TEXTS)?).into()));
                        }
                    }
                    lines.push(Raw::Map(line));
                }
                Raw::List(lines)
            }
            _ => ArbRaw::arbitrary(u)?.0,
        }))
    }
}

#[derive(Arbitrary, Debug)]
struct Case {
    strict: bool,
    shop: Option<String>,
    query: Vec<(u8, String)>,
    trace: Option<String>,
    body: Body,
}

fn name(index: u8, names: &[&'static str]) -> String {
    let index = usize::from(index);
    match names.get(index % (names.len() + 2)) {
        Some(name) => (*name).to_owned(),
        None => format!("unknown{}", index % 3),
    }
}

fn input(case: &Case, names: &[&'static str]) -> Option<Input> {
    let mut input = Input::new();
    if let Some(shop) = &case.shop {
        input.path.insert("shop", Raw::Text(shop.as_str().into()));
    }
    for (index, text) in &case.query {
        input
            .query
            .append(name(*index, names), Raw::Text(text.as_str().into()));
    }
    if let Some(trace) = &case.trace {
        input
            .headers
            .insert("x-trace", Raw::Text(trace.as_str().into()));
    }
    let limits = DecodeLimits::default();
    input.body = match &case.body {
        Body::None => None,
        Body::Members(members) => {
            let mut map = RawMap::new();
            for (index, Value(value)) in members {
                map.insert(name(*index, names), value.clone());
            }
            Some(Raw::Map(map))
        }
        Body::Json(bytes) => Some(Wire::Json.decode(bytes, &limits).ok()?),
        Body::Xml(bytes) => Some(Wire::Xml.decode(bytes, &limits).ok()?),
        Body::Form(bytes) => Some(Raw::Map(decode_form(bytes).ok()?)),
    };
    Some(input)
}

fuzz_target!(|case: Case| {
    if case.strict {
        let Some(input) = input(&case, STRICT_NAMES) else {
            return;
        };
        match Strict::from_input(&input) {
            Ok(strict) => {
                assert!(strict.count <= 10);
                for key in input
                    .query
                    .keys()
                    .chain(input.body_map().into_iter().flat_map(RawMap::keys))
                {
                    assert!(STRICT_NAMES.contains(&key), "accepted unknown {key}");
                }
            }
            Err(e) => check_error(&e, &input, STRICT_NAMES, true),
        }
        return;
    }
    let Some(input) = input(&case, ORDER_NAMES) else {
        return;
    };
    match PlaceOrder::from_input(&input) {
        Ok(order) => check_order(&order, &input),
        Err(e) => check_error(&e, &input, ORDER_NAMES, false),
    }
});

fn chars(text: &str) -> usize {
    text.chars().count()
}

fn check_order(order: &PlaceOrder, input: &Input) {
    assert!((1..=9999).contains(&order.shop));
    assert!((1..=40).contains(&chars(&order.name)), "{:?}", order.name);
    assert!(order.country.len() == 2 && order.country.bytes().all(|b| b.is_ascii_uppercase()));
    assert!(["slow", "fast"].contains(&order.speed.as_str()));
    assert!(order.page >= 1);
    assert!(order.discount.is_none_or(|d| (-100..=100).contains(&d)));
    assert!(
        order.rating.is_none_or(|r| (0.0..=5.0).contains(&r)),
        "{:?}",
        order.rating
    );
    assert!(order.tags.len() <= 5);
    assert!((1..=10).contains(&order.lines.len()));
    for line in &order.lines {
        assert!((1..=1000).contains(&line.units));
        assert!((1..=20).contains(&chars(&line.title)));
        assert!(line.price.0 <= i64::MAX as u64);
    }
    assert!(order.trace.as_deref().is_none_or(|t| chars(t) <= 16));
    if let Some(site) = &order.site {
        assert!(["http", "https"].contains(&site.as_url().scheme()));
    }
    if order.q.is_some() {
        assert!(
            input.query.get("q").is_some(),
            "q came from outside the query"
        );
    }
}

fn check_error(e: &ApiError, input: &Input, names: &[&str], strict: bool) {
    assert_eq!(e.status().as_u16(), 422, "{e}");
    assert!(!e.errors().is_empty(), "a 422 with no errors");
    for error in e.errors() {
        assert!(
            CODES.contains(&&*error.code),
            "code {} ({})",
            error.code,
            error.message
        );
        let tokens = pointer_tokens(&error.pointer)
            .unwrap_or_else(|| panic!("malformed pointer {:?}", error.pointer));
        let first = tokens
            .first()
            .unwrap_or_else(|| panic!("an error at the root: {error:?}"));
        let known = names.contains(&first.as_str());
        let unknown_given = strict
            && error.code == "unknown"
            && (input.query.contains_key(first)
                || input.body_map().is_some_and(|b| b.contains_key(first)));
        assert!(
            known || unknown_given,
            "{} names no argument: {error:?}",
            error.pointer
        );
    }
}
