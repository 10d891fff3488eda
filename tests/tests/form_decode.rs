//! `decode_form`: query strings and form bodies into a `RawMap`, exactly (order, repeats, `+`, percent-encoding, 400 on invalid UTF-8).

use pale_core::argument::Raw;
use pale_core::format::decode_form;

fn t(s: &str) -> Raw {
    Raw::from(s)
}

fn pairs(input: &[u8]) -> Vec<(String, Raw)> {
    decode_form(input)
        .unwrap_or_else(|e| panic!("{:?} failed: {e:?}", String::from_utf8_lossy(input)))
        .iter()
        .map(|(k, v)| (k.to_owned(), v.clone()))
        .collect()
}

/// An input and the pairs it decodes to, in order.
type Case = (&'static [u8], Vec<(&'static str, Raw)>);

#[test]
fn decodes_pairs_exactly() {
    let cases: Vec<Case> = vec![
        (b"", vec![]),
        (b"&&&", vec![]),
        (b"=", vec![]),
        (b"=x&=y", vec![]),
        (b"a=1&b=2", vec![("a", t("1")), ("b", t("2"))]),
        (b"b=2&a=1", vec![("b", t("2")), ("a", t("1"))]),
        (b"a", vec![("a", t(""))]),
        (b"a=", vec![("a", t(""))]),
        (b"a=1&&b=2&", vec![("a", t("1")), ("b", t("2"))]),
        (b"a=b=c", vec![("a", t("b=c"))]),
        (b"a+b=c+d", vec![("a b", t("c d"))]),
        (b"a%20b=c%20d", vec![("a b", t("c d"))]),
        (b"%2B=%26", vec![("+", t("&"))]),
        (b"a%3Db=c%26d", vec![("a=b", t("c&d"))]),
        (b"%41%62=%e2%82%ac", vec![("Ab", t("€"))]),
        (b"q=caf%C3%A9+au+lait", vec![("q", t("café au lait"))]),
        (b"a=1;b=2", vec![("a", t("1;b=2"))]),
        (b"a=%00", vec![("a", t("\0"))]),
        (b"k=\xc3\xa9", vec![("k", t("é"))]),
        (
            b"n=1&n=2&n=3",
            vec![("n", Raw::List(vec![t("1"), t("2"), t("3")]))],
        ),
        (
            b"n=1&m=x&n=",
            vec![("n", Raw::List(vec![t("1"), t("")])), ("m", t("x"))],
        ),
        // A `%` not followed by two hex digits is kept as it is.
        (b"a=100%", vec![("a", t("100%"))]),
        (
            b"a=%zz&b=%4&c=%",
            vec![("a", t("%zz")), ("b", t("%4")), ("c", t("%"))],
        ),
        (b"a=%%41", vec![("a", t("%A"))]),
    ];
    for (input, want) in cases {
        let want: Vec<(String, Raw)> = want.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        assert_eq!(pairs(input), want, "{:?}", String::from_utf8_lossy(input));
    }
}

#[test]
fn invalid_utf8_is_a_400_that_does_not_echo_the_input() {
    let secret = "sekrit-token-1234567890";
    let cases: [Vec<u8>; 9] = [
        b"a=%FF".to_vec(),
        b"a=%C3".to_vec(),
        b"%FF=1".to_vec(),
        b"a=\xff".to_vec(),
        b"a=%C0%AF".to_vec(),
        b"a=%ED%A0%80".to_vec(),
        b"a=%F4%90%80%80".to_vec(),
        b"ok=1&a=%C3%28".to_vec(),
        format!("{secret}=%FE{secret}").into_bytes(),
    ];
    for input in cases {
        let error = decode_form(&input).expect_err("invalid UTF-8");
        assert_eq!(error.status().as_u16(), 400);
        assert_eq!(error.code(), "malformed_query");
        assert_eq!(
            error.detail(),
            Some("a form or query value is not valid UTF-8 once percent-decoded")
        );
        assert!(error.errors().is_empty());
        assert!(!format!("{error:?}").contains(secret));
    }
}

#[test]
fn many_keys_and_long_values_decode() {
    let long = "x".repeat(100_000);
    let map = decode_form(format!("v={long}").as_bytes()).expect("decodes");
    assert_eq!(map.get("v"), Some(&Raw::from(long.as_str())));

    let repeated = "n=1&".repeat(10_000);
    let map = decode_form(repeated.as_bytes()).expect("decodes");
    match map.get("n") {
        Some(Raw::List(items)) => assert_eq!(items.len(), 10_000),
        other => panic!("expected a list, got {other:?}"),
    }

    let distinct: String = (0..2_000).map(|i| format!("k{i}={i}&")).collect();
    let map = decode_form(distinct.as_bytes()).expect("decodes");
    assert_eq!(map.len(), 2_000);
    assert_eq!(map.get("k1999"), Some(&Raw::from("1999")));
}
