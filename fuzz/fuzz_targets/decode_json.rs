//! The JSON body decoder (`Wire::Json.decode`).
//!
//! Properties, for any bytes:
//! - it never panics or overflows the stack, and every error is a 400
//!   `malformed_body`;
//! - the depth limit is exact: with limit `L` (from the first byte) a
//!   document decodes iff it decodes with a generous limit and nests at
//!   most `L` deep, and then to the same tree;
//! - what decodes re-encodes (the response encoder) and decodes to the
//!   same tree.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pale_core::format::{DecodeLimits, Wire};

/// Beyond every limit a request uses, below serde_json's own recursion
/// limit (128).
const GENEROUS: usize = 100;

fuzz_target!(|data: &[u8]| {
    let Some((&first, body)) = data.split_first() else {
        return;
    };
    let limit = usize::from(first % 40);
    let limited = Wire::Json.decode(body, &DecodeLimits::with_max_depth(limit));
    let generous = Wire::Json.decode(body, &DecodeLimits::with_max_depth(GENEROUS));
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
    let mut encoded = Vec::new();
    Wire::Json
        .encode("root", &tree, &mut encoded)
        .expect("a decoded tree encodes");
    let again = Wire::Json
        .decode(&encoded, &DecodeLimits::with_max_depth(GENEROUS))
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&encoded)));
    assert_eq!(again, tree, "{}", String::from_utf8_lossy(&encoded));
});
