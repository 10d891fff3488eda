//! Where the generated code finds pale's items: `::pale_core`, or the
//! `pale` facade's re-export of it when that is what the user's crate
//! depends on (or either, renamed in its `Cargo.toml`).
//!
//! The expansions are written against `::pale_core::…`; this module then
//! renames that one identifier after `::` throughout the output, so the
//! 140-odd paths in the expansions stay readable and cannot disagree.
//! The dependency is read from the user's `Cargo.toml` by
//! `proc-macro-crate` (cached per manifest by that crate).

use proc_macro_crate::{FoundCrate, crate_name};
use proc_macro2::{Group, Ident, Spacing, TokenStream, TokenTree};

/// The name the user's crate knows pale's items by, when it is not
/// `pale_core`: a `pale` facade dependency, or `pale-core` renamed.
fn replacement() -> Option<String> {
    match crate_name("pale-core") {
        // The crate itself (its tests say `extern crate self as
        // pale_core`), or a dependency under its own name.
        Ok(FoundCrate::Itself) => None,
        Ok(FoundCrate::Name(name)) => (name != "pale_core").then_some(name),
        Err(_) => match crate_name("pale") {
            Ok(FoundCrate::Name(name)) => Some(name),
            // The facade's own tests: it says `extern crate self as pale`.
            Ok(FoundCrate::Itself) => Some("pale".to_owned()),
            // Neither: leave `pale_core`, whose "unresolved" error names
            // the crate to add.
            Err(_) => None,
        },
    }
}

/// `tokens` with every `::pale_core` renamed as [`replacement`] says.
pub(crate) fn resolve(tokens: TokenStream) -> TokenStream {
    match replacement() {
        Some(name) => rename(tokens, &name),
        None => tokens,
    }
}

fn rename(tokens: TokenStream, name: &str) -> TokenStream {
    let mut out = Vec::new();
    // Whether the last two tokens were `::` (a joint `:` then a `:`).
    let mut colons = 0;
    for token in tokens {
        let after_path_sep = colons == 2;
        colons = match &token {
            TokenTree::Punct(p) if p.as_char() == ':' && p.spacing() == Spacing::Joint => 1,
            TokenTree::Punct(p) if p.as_char() == ':' && colons == 1 => 2,
            _ => 0,
        };
        out.push(match token {
            TokenTree::Ident(ident) if after_path_sep && ident == "pale_core" => {
                TokenTree::Ident(Ident::new(name, ident.span()))
            }
            TokenTree::Group(group) => {
                let mut renamed = Group::new(group.delimiter(), rename(group.stream(), name));
                renamed.set_span(group.span());
                TokenTree::Group(renamed)
            }
            other => other,
        });
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::rename;

    #[test]
    fn only_paths_starting_with_pale_core_are_renamed() {
        let before = quote! {
            impl ::pale_core::Endpoint for X {
                const META: &'static ::pale_core::EndpointMeta = &pale_core::Other { a: ::other::pale_core };
            }
        };
        let after = rename(before, "pale").to_string();
        let expected = quote! {
            impl ::pale::Endpoint for X {
                const META: &'static ::pale::EndpointMeta = &pale_core::Other { a: ::other::pale };
            }
        };
        // `::other::pale_core` is renamed too: every `::pale_core` is, and
        // the expansions never write another crate's `pale_core`.
        assert_eq!(after, expected.to_string());
    }
}
