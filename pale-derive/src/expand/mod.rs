//! Code generation. Generators only read the checked model and report no
//! errors of their own; every impl is
//! wrapped in `const _: () = { … };`, marked `#[automatically_derived]`,
//! and names `pale_core` by absolute path, so generated code cannot clash
//! with, or be changed by, names in the user's module (ARCHITECTURE.md,
//! decision 12).

mod argument_enum;
mod arguments;
mod endpoint;
pub(crate) mod fallback;
mod resource;

use proc_macro2::{Span, TokenStream};
use quote::quote;

use crate::internals::model::Model;

/// The impls of a checked model.
pub(crate) fn expand(model: &Model<'_>) -> TokenStream {
    match model {
        Model::Arguments(m) => arguments::expand(m),
        Model::Endpoint(m) => endpoint::expand(m),
        Model::Resource(m) => resource::expand(m),
        Model::ArgumentEnum(m) => argument_enum::expand(m),
    }
}

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
