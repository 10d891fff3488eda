//! The CBOR and MessagePack body decoders (`Cbor`, `MessagePack` through
//! `Format::decode`): the formats a user could add with `SerdeFormat`,
//! reading the most hostile input a binary format allows (length
//! prefixes, tags, extension types, floats of every width).
//!
//! Properties, for any bytes (the first byte picks the format and the
//! depth limit):
//! - it never panics, overflows the stack or allocates what a length
//!   prefix claims, and every error is a 400 `malformed_body`;
//! - the depth limit is exact: with limit `L` a document decodes iff it
//!   decodes with a generous limit and nests at most `L` deep, and then to
//!   the same tree;
//! - what decodes re-encodes (the response encoder) and decodes to the
//!   same tree, unless it holds an integer wider than 64 bits (the tree
//!   keeps it exactly; the encoder writes it as a float).
#![no_main]

use libfuzzer_sys::fuzz_target;
use pale_core::argument::Raw;
use pale_core::format::{Cbor, DecodeLimits, Format, MessagePack};

/// Beyond every limit a request uses, below both crates' own recursion
/// limits (256 and 1024).
const GENEROUS: usize = 100;

fn wide(raw: &Raw) -> bool {
    match raw {
        Raw::Number(n) => n.parse::<f64>().is_ok() && n.parse::<i64>().is_err() && n.parse::<u64>().is_err() && !n.contains(['.', 'e', 'E']),
        Raw::List(items) => items.iter().any(wide),
        Raw::Map(map) => map.iter().any(|(_, v)| wide(v)),
        _ => false,
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, body)) = data.split_first() else {
        return;
    };
    let format: &dyn Format = if first & 0x80 == 0 { &Cbor } else { &MessagePack };
    let limit = usize::from(first % 40);
    let limited = format.decode(body, &DecodeLimits::with_max_depth(limit));
    let generous = format.decode(body, &DecodeLimits::with_max_depth(GENEROUS));
    for err in [&limited, &generous]
        .into_iter()
        .filter_map(|r| r.as_ref().err())
    {
        assert_eq!(err.status().as_u16(), 400);
        assert_eq!(err.code(), "malformed_body");
    }
    match (&limited, &generous) {
        (Ok(small), Ok(big)) => {
            assert_eq!(small, big);
            assert!(small.depth() <= limit, "{} > {limit}", small.depth());
        }
        (Ok(_), Err(e)) => panic!("decodes with limit {limit} but not {GENEROUS}: {e}"),
        (Err(e), Ok(big)) => {
            assert!(
                big.depth() > limit,
                "{limit}: refused a tree of depth {}: {e}",
                big.depth()
            );
            assert!(e.detail().unwrap_or("").contains("nests too deeply"), "{e}");
        }
        (Err(_), Err(_)) => {}
    }
    let Ok(tree) = generous else { return };
    if wide(&tree) {
        return;
    }
    let erased: &dyn pale_core::format::erased_serde::Serialize = &tree;
    let mut encoded = Vec::new();
    format
        .encode("root", erased, &mut encoded)
        .expect("a decoded tree encodes");
    let again = format
        .decode(&encoded, &DecodeLimits::with_max_depth(GENEROUS))
        .unwrap_or_else(|e| panic!("{e}: {encoded:?}"));
    assert_eq!(again, tree, "{encoded:?}");
});
