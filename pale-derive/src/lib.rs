//! Derive macros for `pale-core`. Depend on `pale-core`, which re-exports
//! them with their documentation; this crate is an implementation detail.

mod crate_path;
mod derive;
mod expand;
mod internals;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

use crate::internals::model::Derive;

/// Derives `pale_core::Arguments`; documented on the re-export.
#[proc_macro_derive(Arguments, attributes(pale))]
pub fn derive_arguments(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    derive::derive(&input, Derive::Arguments).into()
}

/// Derives `pale_core::Resource` and `pale_core::Render`; documented on the
/// re-export.
#[proc_macro_derive(Resource, attributes(pale))]
pub fn derive_resource(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    derive::derive(&input, Derive::Resource).into()
}

/// Derives `pale_core::Endpoint` and its `Arguments`; documented on the
/// re-export.
#[proc_macro_derive(Endpoint, attributes(pale))]
pub fn derive_endpoint(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    derive::derive(&input, Derive::Endpoint).into()
}

/// Derives `pale_core::Argument` for a string-backed enum; documented on
/// the re-export.
#[proc_macro_derive(ArgumentEnum, attributes(pale))]
pub fn derive_argument_enum(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    derive::derive(&input, Derive::ArgumentEnum).into()
}
