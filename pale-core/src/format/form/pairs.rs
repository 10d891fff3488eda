//! Splitting a form into its `key=value` pairs, before any decoding.
//!
//! One pass over the bytes finds where each pair, key and value lie, and
//! notes whether a component holds a `+` or a `%`: one without either is
//! already its own text, and is used as it is.

use std::ops::Range;

/// Where one component lies in the input, and whether it holds a `+` or
/// a `%` (and so needs decoding).
pub(super) struct Component {
    pub(super) range: Range<usize>,
    pub(super) escaped: bool,
}

/// A non-empty `key=value` (or bare `key`) piece of the input.
pub(super) struct Pair {
    pub(super) key: Component,
    pub(super) value: Component,
}

/// The pairs of a form, found in one pass over its bytes (short
/// components are the rule, and a byte loop costs less on them than
/// searching for each delimiter in turn).
pub(super) struct Pairs<'i> {
    bytes: &'i [u8],
    at: usize,
}

impl<'i> Pairs<'i> {
    pub(super) fn new(bytes: &'i [u8]) -> Self {
        Self { bytes, at: 0 }
    }
}

/// The bytes that end or split a pair, or mark a component as escaped.
const DELIMITER: [bool; 256] = {
    let mut table = [false; 256];
    table[b'&' as usize] = true;
    table[b'=' as usize] = true;
    table[b'+' as usize] = true;
    table[b'%' as usize] = true;
    table
};

impl Iterator for Pairs<'_> {
    type Item = Pair;

    fn next(&mut self) -> Option<Pair> {
        let bytes = self.bytes;
        while self.at < bytes.len() {
            let start = self.at;
            let mut at = start;
            let mut split: Option<usize> = None;
            let (mut key_escaped, mut value_escaped) = (false, false);
            while let Some(&byte) = bytes.get(at) {
                if !DELIMITER[usize::from(byte)] {
                    at += 1;
                    continue;
                }
                match byte {
                    b'&' => break,
                    b'=' if split.is_none() => split = Some(at),
                    b'=' => {}
                    _ if split.is_none() => key_escaped = true,
                    _ => value_escaped = true,
                }
                at += 1;
            }
            self.at = at + 1;
            if at == start {
                continue;
            }
            let (key, value) = match split {
                Some(split) => (start..split, split + 1..at),
                None => (start..at, at..at),
            };
            return Some(Pair {
                key: Component {
                    range: key,
                    escaped: key_escaped,
                },
                value: Component {
                    range: value,
                    escaped: value_escaped,
                },
            });
        }
        None
    }
}
