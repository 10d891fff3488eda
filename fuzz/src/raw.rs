//! Arbitrary raw input trees ([`Raw`]) of bounded size, for the targets
//! that need well-formed trees rather than bytes (merge patches, encoder
//! round trips).

use arbitrary::{Arbitrary, Result, Unstructured};
use pale_core::argument::{Raw, RawMap};

/// The deepest tree generated: well under every decoder's limit.
pub const MAX_DEPTH: usize = 6;

/// A [`Raw`] tree the fuzzer builds from its bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct ArbRaw(pub Raw);

impl<'a> Arbitrary<'a> for ArbRaw {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        raw(u, MAX_DEPTH).map(ArbRaw)
    }
}

/// Short keys from a small alphabet collide often, which is where merge
/// semantics are interesting; some keys are arbitrary text.
fn key(u: &mut Unstructured<'_>) -> Result<String> {
    if u.ratio(1, 8)? {
        return String::arbitrary(u);
    }
    const KEYS: &[&str] = &["a", "b", "c", "id", "name", "entry", "item", "x y", ""];
    Ok((*u.choose(KEYS)?).to_owned())
}

fn number(u: &mut Unstructured<'_>) -> Result<Raw> {
    let text = match u.int_in_range(0..=2)? {
        0 => i64::arbitrary(u)?.to_string(),
        1 => u64::arbitrary(u)?.to_string(),
        _ => {
            let f = f64::arbitrary(u)?;
            if !f.is_finite() {
                return Ok(Raw::Null);
            }
            // The literal the JSON decoder keeps for a float.
            ryu::Buffer::new().format_finite(f).to_owned()
        }
    };
    Ok(Raw::Number(text.into()))
}

/// A tree at most `depth` levels deep.
pub fn raw(u: &mut Unstructured<'_>, depth: usize) -> Result<Raw> {
    let choices = if depth == 0 { 4 } else { 6 };
    Ok(match u.choose_index(choices)? {
        0 => Raw::Null,
        1 => Raw::Bool(bool::arbitrary(u)?),
        2 => Raw::Text(String::arbitrary(u)?.into()),
        3 => number(u)?,
        4 => {
            let len = u.int_in_range(0..=4)?;
            let mut items = Vec::with_capacity(len);
            for _ in 0..len {
                items.push(raw(u, depth - 1)?);
            }
            Raw::List(items)
        }
        _ => {
            let len = u.int_in_range(0..=5)?;
            let mut map = RawMap::new();
            for _ in 0..len {
                let key = key(u)?;
                let value = raw(u, depth - 1)?;
                map.insert(key, value);
            }
            Raw::Map(map)
        }
    })
}
