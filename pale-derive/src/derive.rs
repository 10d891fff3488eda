//! Each derive's pipeline: parse into the model, check it, generate — and
//! on any error, every error at once plus a fallback impl.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::expand::{self, argument_enum::Variant, dummy_const};
use crate::internals::argument_attrs::{ArgField, ArgumentsAttrs};
use crate::internals::ast::Container;
use crate::internals::endpoint_attrs::EndpointAttrs;
use crate::internals::resource_attrs::{ResField, ResourceAttrs};
use crate::internals::{Ctxt, attr, case, check, symbol};

fn finish(
    cx: Ctxt,
    input: &DeriveInput,
    generated: Option<TokenStream>,
    fallback: &TokenStream,
) -> TokenStream {
    // The derives reject generic types, and a fallback naming `Type` without
    // its parameters (or with them, unbounded) would only add errors of its
    // own to that one.
    let fallback = input
        .generics
        .params
        .is_empty()
        .then(|| dummy_const(fallback));
    match (cx.check(), generated) {
        (Ok(()), Some(tokens)) => dummy_const(&tokens),
        (Err(err), _) => {
            let errors = err.to_compile_error();
            quote!(#errors #fallback)
        }
        (Ok(()), None) => quote!(#fallback),
    }
}

/// Parses the argument fields of an `Arguments` or `Endpoint` struct and
/// runs the checks both share, so a rule added here holds for both.
fn argument_fields<'a>(cx: &Ctxt, container: &'a Container<'a>) -> Vec<ArgField<'a>> {
    let fields: Vec<ArgField<'_>> = container
        .fields
        .iter()
        .map(|f| ArgField::parse(cx, f))
        .collect();
    check::unique_names(cx, fields.iter().map(|f| (f.name.clone(), f.field.member)));
    for field in &fields {
        check::separator_needs_list(cx, field);
        check::default_not_on_option(cx, field);
        check::default_literal_fits(cx, field);
        check::bounds_in_order(cx, &field.constraints);
    }
    fields
}

pub(crate) fn arguments(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let generated = (|| {
        let container = Container::from_struct(&cx, input, "Arguments")?;
        let attrs = ArgumentsAttrs::parse(&cx, &container);
        let fields = argument_fields(&cx, &container);
        for field in &fields {
            check::no_path_source(&cx, field);
        }
        let ident = container.ident;
        let args =
            expand::arguments::arguments_impl(ident, &fields, attrs.deny_unknown.is_some(), &[]);
        let nested = expand::arguments::nested_argument_impl(ident);
        Some(quote!(#args #nested))
    })();
    let ident = &input.ident;
    let fallback = arguments_fallback(ident);
    finish(cx, input, generated, &fallback)
}

fn arguments_fallback(ident: &syn::Ident) -> TokenStream {
    let nested = expand::arguments::nested_argument_impl(ident);
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
        #nested
    }
}

pub(crate) fn resource(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let generated = (|| {
        let container = Container::from_struct(&cx, input, "Resource")?;
        let attrs = ResourceAttrs::parse(&cx, &container);
        let fields: Vec<ResField<'_>> = container
            .fields
            .iter()
            .map(|f| ResField::parse(&cx, f))
            .collect();
        let rendered = || fields.iter().filter(|f| !f.skip.is_some());
        check::unique_names(&cx, rendered().map(|f| (f.name.clone(), f.field.member)));
        check::viewer_needs_context(&cx, &attrs);
        check::default_fields_exist(&cx, &attrs, &fields);
        check::at_most_64_fields(&cx, container.ident, rendered().count());
        for field in &fields {
            check::skip_alone(&cx, field);
            check::one_value_source(&cx, field);
            check::write_rules(&cx, field);
            check::bounds_in_order(&cx, &field.constraints);
        }
        Some(expand::resource::expand(&container, &attrs, &fields))
    })();
    let ident = &input.ident;
    let name = case::snake_case(&ident.to_string());
    let fallback = quote! {
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
    };
    finish(cx, input, generated, &fallback)
}

pub(crate) fn endpoint(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let generated = (|| {
        let container = Container::from_struct(&cx, input, "Endpoint")?;
        let attrs = EndpointAttrs::parse(&cx, &container);
        let fields = argument_fields(&cx, &container);
        if let Some(path) = &attrs.path {
            check::path_params(&cx, path, &fields);
        }
        Some(expand::endpoint::expand(&container, &attrs, &fields))
    })();
    let fallback = expand::endpoint::fallback(&input.ident);
    finish(cx, input, generated, &fallback)
}

pub(crate) fn argument_enum(input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let ident = &input.ident;
    let generated = (|| {
        let syn::Data::Enum(data) = &input.data else {
            cx.error_spanned_by(
                ident,
                "`ArgumentEnum` can only be derived for enums of unit variants",
            );
            return None;
        };
        let mut rename_all = attr::Attr::<syn::LitStr>::none(&cx, symbol::RENAME_ALL);
        attr::for_each_item(
            &cx,
            &input.attrs,
            symbol::ENUM_CONTAINER,
            "an `ArgumentEnum`",
            |name, meta| {
                match name {
                    // rename_all = "snake_case" | "lowercase" | "UPPERCASE" | "kebab-case" | "SCREAMING_SNAKE_CASE"
                    symbol::RENAME_ALL => {
                        let lit = attr::lit_str(meta)?;
                        if !case::RENAME_RULES.contains(&lit.value().as_str()) {
                            cx.error_spanned_by(
                                &lit,
                                format!(
                                    "unknown `rename_all` rule `{}`{}",
                                    lit.value(),
                                    case::did_you_mean_or_list(&lit.value(), case::RENAME_RULES),
                                ),
                            );
                        }
                        rename_all.set(&meta.path, lit);
                    }
                    _ => unreachable!("`{name}` is in ENUM_CONTAINER"),
                }
                Ok(())
            },
        );
        let rule = rename_all
            .get()
            .value
            .map_or_else(|| "snake_case".to_owned(), |l| l.value());
        if data.variants.is_empty() {
            cx.error_spanned_by(ident, "an `ArgumentEnum` needs at least one variant");
        }
        let mut variants = Vec::new();
        for variant in &data.variants {
            if !matches!(variant.fields, syn::Fields::Unit) {
                cx.error_spanned_by(
                    &variant.fields,
                    "`ArgumentEnum` variants carry no data: each is one allowed text value",
                );
                continue;
            }
            let mut rename = attr::Attr::<syn::LitStr>::none(&cx, symbol::RENAME);
            attr::for_each_item(
                &cx,
                &variant.attrs,
                symbol::ENUM_VARIANT,
                "an enum variant",
                |name, meta| {
                    match name {
                        // rename = "text"
                        symbol::RENAME => rename.set(&meta.path, attr::lit_str(meta)?),
                        _ => unreachable!("`{name}` is in ENUM_VARIANT"),
                    }
                    Ok(())
                },
            );
            let name = rename.get().value.map_or_else(
                || case::convert(&variant.ident.to_string(), &rule),
                |l| l.value(),
            );
            if variants.iter().any(|v: &Variant<'_>| v.name == name) {
                cx.error_spanned_by(&variant.ident, format!("two variants are named `{name}`"));
            }
            variants.push(Variant {
                ident: &variant.ident,
                name,
            });
        }
        Some(expand::argument_enum::expand(ident, &variants))
    })();
    let fallback = quote! {
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
    };
    finish(cx, input, generated, &fallback)
}
