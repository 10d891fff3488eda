//! The minimal impls emitted when a derive's input has errors.
//!
//! Without them, every use of the type would add "trait not implemented"
//! errors to the one the user has to fix; with them, the user sees the
//! root error alone (ARCHITECTURE.md, decision 12). They are all here, so
//! each trait's empty impl is written once, and each says as little as
//! possible: no arguments, no fields, no values.

use proc_macro2::TokenStream;
use quote::quote;

use super::arguments::nested_argument_impl;
use crate::internals::case::snake_case;
use crate::internals::model::Derive;

/// The impls `derive` would have written for `ident`, empty.
pub(crate) fn fallback(ident: &syn::Ident, derive: Derive) -> TokenStream {
    match derive {
        Derive::Arguments => {
            let arguments = arguments(ident);
            let nested = nested_argument_impl(ident);
            quote!(#arguments #nested)
        }
        Derive::Endpoint => {
            let arguments = arguments(ident);
            let endpoint = endpoint(ident);
            quote!(#arguments #endpoint)
        }
        Derive::Resource => resource(ident),
        Derive::ArgumentEnum => argument_enum(ident),
    }
}

/// `Arguments` with no arguments, which never casts.
fn arguments(ident: &syn::Ident) -> TokenStream {
    quote! {
        #[automatically_derived]
        impl ::pale_core::Arguments for #ident {
            const ARGUMENTS: &'static [::pale_core::argument::ArgumentMeta] = &[];
            fn cast_from<__L: ::pale_core::argument::Lookup + ?::core::marker::Sized>(
                _: &__L,
                _: &::pale_core::argument::Pointer<'_>,
                _: &mut ::pale_core::argument::Errors,
            ) -> ::core::option::Option<Self> {
                ::core::option::Option::None
            }
        }
    }
}

/// `Endpoint` at `GET /`, with no name.
fn endpoint(ident: &syn::Ident) -> TokenStream {
    quote! {
        #[automatically_derived]
        impl ::pale_core::Endpoint for #ident {
            const META: &'static ::pale_core::EndpointMeta = &::pale_core::EndpointMeta::new(
                ::pale_core::Method::Get, "/", "",
            );
        }
    }
}

/// `Resource` with no fields, and a `Render` for every app that renders
/// nothing.
fn resource(ident: &syn::Ident) -> TokenStream {
    let name = snake_case(&ident.to_string());
    quote! {
        #[automatically_derived]
        impl ::pale_core::Resource for #ident {
            const META: &'static ::pale_core::resource::ResourceMeta =
                &::pale_core::resource::ResourceMeta::new(#name, "", &[], ::pale_core::resource::FieldSet::EMPTY);
        }
        #[automatically_derived]
        impl<__A: ::pale_core::App> ::pale_core::Render<__A> for #ident {
            fn viewer(&self, _: &::pale_core::Context<__A>) -> ::pale_core::Audience {
                ::pale_core::Audience::Public
            }
            fn render_fields<__M: ::pale_core::__private::SerializeStruct>(
                &self,
                _: ::pale_core::resource::FieldSet,
                _: ::pale_core::select::PlanRef<'_>,
                _: &::pale_core::Context<__A>,
                _: &mut __M,
            ) -> ::core::result::Result<(), __M::Error> {
                ::core::result::Result::Ok(())
            }
        }
    }
}

/// `Argument` with no allowed value, which never casts.
fn argument_enum(ident: &syn::Ident) -> TokenStream {
    quote! {
        #[automatically_derived]
        impl ::pale_core::Argument for #ident {
            const SCHEMA: ::pale_core::argument::Schema = ::pale_core::argument::Schema::Enum(&[]);
            fn cast(
                _: &::pale_core::argument::Raw,
                _: &::pale_core::argument::Pointer<'_>,
                _: &mut ::pale_core::argument::Errors,
            ) -> ::core::option::Option<Self> {
                ::core::option::Option::None
            }
        }
    }
}
