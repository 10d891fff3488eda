//! Code generation. Generators only read the checked model; every impl is
//! wrapped in `const _: () = { … };`, marked `#[automatically_derived]`,
//! and names `pale_core` by absolute path, so generated code cannot clash
//! with, or be changed by, names in the user's module (ARCHITECTURE.md,
//! decision 12).

pub(crate) mod argument_enum;
pub(crate) mod arguments;
pub(crate) mod endpoint;
pub(crate) mod resource;

use proc_macro2::{Span, TokenStream};
use quote::quote;

/// The span of the first token of `tokens`, for errors about an attribute.
pub(crate) fn span_of(tokens: &TokenStream) -> Span {
    tokens
        .clone()
        .into_iter()
        .next()
        .map_or_else(Span::call_site, |t| t.span())
}

/// Wraps impls so that their helper items cannot clash with user code.
pub(crate) fn dummy_const(body: &TokenStream) -> TokenStream {
    quote! {
        #[doc(hidden)]
        #[allow(non_upper_case_globals, unused_qualifications, clippy::all)]
        const _: () = {
            #body
        };
    }
}

/// `Some("text")` / `None` as tokens.
pub(crate) fn opt_str(value: Option<String>) -> TokenStream {
    match value {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    }
}
