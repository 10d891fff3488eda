//! What the fuzz targets share: a bounded generator of raw input trees,
//! JSON pointer checks, and the small API (resources and endpoints) the
//! targets exercise through the real derives.
//!
//! The targets live in `fuzz_targets/`, one per parser; each asserts
//! properties of what it parses, not only that nothing panics. See
//! `README.md` for how to run them and what they have reached.

pub mod api;
pub mod raw;
pub mod xml_model;

/// Splits an RFC 6901 pointer into its unescaped tokens, or `None` when
/// it is not a well-formed pointer (`""`, or `/`-separated tokens in which
/// every `~` is followed by `0` or `1`).
pub fn pointer_tokens(pointer: &str) -> Option<Vec<String>> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    let rest = pointer.strip_prefix('/')?;
    rest.split('/')
        .map(|token| {
            let mut out = String::new();
            let mut chars = token.chars();
            while let Some(c) = chars.next() {
                match c {
                    '~' => match chars.next() {
                        Some('0') => out.push('~'),
                        Some('1') => out.push('/'),
                        _ => return None,
                    },
                    c => out.push(c),
                }
            }
            Some(out)
        })
        .collect()
}
