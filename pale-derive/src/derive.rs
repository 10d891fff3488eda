//! The steps every derive takes: parse the input into its model, check the
//! model, generate from it — and on any error, every error at once plus a
//! fallback impl.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::crate_path;
use crate::expand::{self, dummy_const, fallback};
use crate::internals::model::{Derive, Model};
use crate::internals::{Ctxt, check};

/// Runs `derive` on `input`.
pub(crate) fn derive(input: &DeriveInput, derive: Derive) -> TokenStream {
    let cx = Ctxt::new();
    let model = Model::parse(&cx, input, derive);
    if let Some(model) = &model {
        check::check(&cx, model);
    }
    // The derives reject generic types, and a fallback naming `Type` without
    // its parameters (or with them, unbounded) would only add errors of its
    // own to that one.
    let fallback = || {
        input
            .generics
            .params
            .is_empty()
            .then(|| dummy_const(&fallback::fallback(&input.ident, derive)))
    };
    let output = match (cx.check(), model) {
        (Ok(()), Some(model)) => dummy_const(&expand::expand(&model)),
        (Err(err), _) => {
            let errors = err.to_compile_error();
            let fallback = fallback();
            quote!(#errors #fallback)
        }
        (Ok(()), None) => {
            let fallback = fallback();
            quote!(#fallback)
        }
    };
    crate_path::resolve(output)
}
