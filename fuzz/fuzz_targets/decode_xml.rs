//! The XML body decoder (`Wire::Xml.decode`) and, through it, the XML
//! encoder.
//!
//! Properties:
//! - for any bytes, decoding never panics or overflows the stack, and
//!   every error is a 400 `malformed_body`;
//! - the depth limit holds: with limit `L` (from the first byte) a
//!   document decodes iff it decodes with a generous limit and nests at
//!   most `L` below its root, and then to the same tree, at most `2L`
//!   deep (each level may add a map and a list);
//! - what decodes re-encodes to a document that decodes, to the tree the
//!   encoding conventions predict (`pale_fuzz::xml_model::normalize`);
//! - the same holds for arbitrary trees (when the first byte is odd, the
//!   rest of the input builds a tree instead of being a document).
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use pale_core::argument::Raw;
use pale_core::format::{DecodeLimits, Wire};
use pale_fuzz::raw::ArbRaw;
use pale_fuzz::xml_model::normalize;

/// Deeper than any document of `-max_len` bytes can nest.
const GENEROUS: usize = 10_000;

fuzz_target!(|data: &[u8]| {
    let Some((&first, body)) = data.split_first() else {
        return;
    };
    if first % 2 == 1 {
        if let Ok(ArbRaw(tree)) = ArbRaw::arbitrary(&mut Unstructured::new(body)) {
            round_trip(&tree);
        }
        return;
    }
    let limit = usize::from(first / 2 % 40);
    let limited = Wire::Xml.decode(body, &DecodeLimits::with_max_depth(limit));
    let generous = Wire::Xml.decode(body, &DecodeLimits::with_max_depth(GENEROUS));
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
            assert!(
                small.depth() <= 2 * limit,
                "{} > 2 * {limit}",
                small.depth()
            );
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
    if let Ok(tree) = generous {
        round_trip(&tree);
    }
});

/// Encodes `tree` and decodes the document: it must be well-formed and
/// read back as the model says.
fn round_trip(tree: &Raw) {
    let mut encoded = Vec::new();
    Wire::Xml
        .encode("root", tree, &mut encoded)
        .expect("a tree encodes");
    let shown = String::from_utf8_lossy(&encoded);
    let again = Wire::Xml
        .decode(&encoded, &DecodeLimits::with_max_depth(GENEROUS))
        .unwrap_or_else(|e| panic!("{e}: {shown}"));
    assert_eq!(again, normalize(tree), "{tree:?} encoded as {shown}");
}
