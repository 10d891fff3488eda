//! Derive macros for `pale-core`. Depend on `pale-core`, which re-exports
//! them with their documentation.
use proc_macro::TokenStream;

/// See `pale_core::Arguments`.
#[proc_macro_derive(Arguments, attributes(pale))]
pub fn derive_arguments(input: TokenStream) -> TokenStream { let _ = input; TokenStream::new() }
/// See `pale_core::Resource`.
#[proc_macro_derive(Resource, attributes(pale))]
pub fn derive_resource(input: TokenStream) -> TokenStream { let _ = input; TokenStream::new() }
/// See `pale_core::Endpoint`.
#[proc_macro_derive(Endpoint, attributes(pale))]
pub fn derive_endpoint(input: TokenStream) -> TokenStream { let _ = input; TokenStream::new() }
/// See `pale_core::ArgumentEnum`.
#[proc_macro_derive(ArgumentEnum, attributes(pale))]
pub fn derive_argument_enum(input: TokenStream) -> TokenStream { let _ = input; TokenStream::new() }
