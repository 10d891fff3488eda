//! `impl Endpoint` (the `const` description), its `Arguments`, and the
//! typed path builder used for reverse routing.

use pale_path::Segment;
use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned as _;

use super::arguments::arguments_impl;
use super::{fallback, opt_str};
use crate::internals::argument_attrs::{ArgField, SourceAttr};
use crate::internals::ast::is_create;
use crate::internals::case::snake_case;
use crate::internals::endpoint_attrs::CorsAttr;
use crate::internals::model::{Derive, Endpoint};

pub(crate) fn expand(model: &Endpoint<'_>) -> TokenStream {
    let (container, attrs, fields) = (&model.container, &model.attrs, &model.fields[..]);
    let ident = container.ident;
    // The check step reports a missing method or path, so a checked model
    // has both; stay total all the same.
    let (Some(method), Some(path)) = (&attrs.method, &attrs.path) else {
        return fallback::fallback(ident, Derive::Endpoint);
    };
    let template = path.value();
    let params: Vec<String> = pale_path::segments(&template)
        .filter_map(|s| match s {
            Ok(Segment::Param(name)) => Some(name.to_owned()),
            _ => None,
        })
        .collect();
    let arguments = arguments_impl(ident, fields, attrs.deny_unknown.is_some(), &params);
    let method = format_ident!(
        "{}",
        match method.to_string().as_str() {
            "GET" => "Get",
            "POST" => "Post",
            "PUT" => "Put",
            "PATCH" => "Patch",
            _ => "Delete",
        }
    );
    let name = attrs
        .name
        .value
        .as_ref()
        .map_or_else(|| snake_case(&ident.to_string()), syn::LitStr::value);
    let summary = &container.doc.summary;
    let description = &container.doc.rest;
    let cache = attrs
        .cache
        .value
        .as_ref()
        .map_or_else(|| "no-cache".to_owned(), syn::LitStr::value);
    let cors = match &attrs.cors.value {
        None => quote!(::pale_core::Cors::Off),
        Some(CorsAttr::Any) => quote!(::pale_core::Cors::Any),
        Some(CorsAttr::Origins(list)) => quote!(::pale_core::Cors::Origins(&[#(#list),*])),
    };
    let envelope = opt_str(attrs.envelope.value.as_ref().map(syn::LitStr::value));
    let audience = match &attrs.audience.value {
        Some(a) => quote!(::pale_core::Audience::#a),
        None => quote!(::pale_core::Audience::Public),
    };
    let deny_unknown = attrs.deny_unknown.is_some();
    let tags = attrs.tags.value.iter().flatten();
    let errors = attrs.errors.value.iter().flatten();
    // The type must be a resource: rustc says so at the user's span. A
    // `Create<T>` body says it by its type (the check step refused both).
    let writes = match (&attrs.writes.value, create_body(fields)) {
        (Some(ty), _) => Some(quote_spanned! {ty.span()=>
            writes: ::core::option::Option::Some(<#ty as ::pale_core::resource::Resource>::META),
        }),
        (None, Some(ty)) => Some(quote_spanned! {ty.span()=>
            writes: ::core::option::Option::Some(<#ty as ::pale_core::__private::CreateBody>::WRITES),
        }),
        (None, None) => None,
    };
    let rate_limits = attrs.rate_limits.value.iter().flatten().map(|limit| {
        let audience = &limit.audience;
        let quota = match limit.quota {
            Some((count, secs)) => quote!(::core::option::Option::Some(
                ::pale_core::rate::Quota::new(#count, #secs)
            )),
            None => quote!(::core::option::Option::None),
        };
        quote!(::pale_core::rate::RateLimit {
            audience: ::pale_core::Audience::#audience,
            quota: #quota,
        })
    });
    let builder = path_builder(ident, &template, fields);
    quote! {
        #arguments

        #[automatically_derived]
        impl ::pale_core::Endpoint for #ident {
            const META: &'static ::pale_core::EndpointMeta = &::pale_core::EndpointMeta {
                summary: #summary,
                description: #description,
                cache: #cache,
                cors: #cors,
                envelope: #envelope,
                audience: #audience,
                arguments: <Self as ::pale_core::Arguments>::ARGUMENTS,
                deny_unknown: #deny_unknown,
                tags: &[#(#tags),*],
                errors: &[#(#errors),*],
                rate_limits: &[#(#rate_limits),*],
                #writes
                ..::pale_core::EndpointMeta::new(::pale_core::Method::#method, #path, #name)
            };
        }

        #builder
    }
}

/// The type of the endpoint's `Create<T>` body, if it has one: the
/// `from = document` field whose type is named `Create`.
pub(crate) fn create_body<'a>(fields: &'a [ArgField<'_>]) -> Option<&'a syn::Type> {
    fields
        .iter()
        .filter(|f| matches!(f.from.value, Some(SourceAttr::Document)))
        .map(|f| f.field.ty)
        .find(|ty| is_create(ty))
}

/// `GetAlbum::path(album_id)`: the route's path with each parameter
/// percent-encoded as one segment, so links cannot drift from routes.
fn path_builder(ident: &syn::Ident, template: &str, fields: &[ArgField<'_>]) -> TokenStream {
    let mut params = Vec::new();
    let mut pushes = Vec::new();
    // The template was checked: every segment parses.
    for segment in pale_path::segments(template).flatten() {
        match segment {
            Segment::Param(param) => {
                let Some(field) = fields.iter().find(|f| !f.is_flattened() && f.name == param)
                else {
                    continue;
                };
                let member = format_ident!("{}", field.field.name());
                let ty = field.field.ty;
                pushes.push(quote! {
                    __path.push('/');
                    ::pale_core::__private::PathValue::<#ty>::push_to(&#member, &mut __path);
                });
                params.push(quote_spanned!(ty.span()=> #member: impl ::pale_core::__private::PathValue<#ty>));
            }
            Segment::Literal(text) => {
                let literal = format!("/{text}");
                pushes.push(quote!(__path.push_str(#literal);));
            }
        }
    }
    let doc = format!("The path of this endpoint (`{template}`), each parameter percent-encoded.");
    quote! {
        #[automatically_derived]
        impl #ident {
            #[doc = #doc]
            #[allow(dead_code)]
            pub fn path(#(#params),*) -> ::std::string::String {
                let mut __path = ::std::string::String::new();
                #(#pushes)*
                if __path.is_empty() {
                    __path.push('/');
                }
                __path
            }
        }
    }
}
