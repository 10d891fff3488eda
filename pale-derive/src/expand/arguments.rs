//! `impl Arguments` (and `impl Argument` for nested argument structs).

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::{opt_str, span_of};
use crate::internals::argument_attrs::{ArgField, SourceAttr};
use crate::internals::ast::is_option;
use crate::internals::attr::Bounds;
use crate::internals::constraint_attrs::Constraints;
use crate::internals::model::Arguments;

/// `#[derive(Arguments)]`: the `Arguments` impl, and the `Argument` impl
/// that lets the struct nest inside another.
pub(crate) fn expand(model: &Arguments<'_>) -> TokenStream {
    let ident = model.container.ident;
    let deny_unknown = model.attrs.deny_unknown.is_some();
    let args = arguments_impl(ident, &model.fields, deny_unknown, &[]);
    let nested = nested_argument_impl(ident);
    quote!(#args #nested)
}

/// The `Arguments` impl of `ident`. `path_params` are the names the
/// endpoint's path template declares (empty for a plain `Arguments`).
pub(crate) fn arguments_impl(
    ident: &syn::Ident,
    fields: &[ArgField<'_>],
    deny_unknown: bool,
    path_params: &[String],
) -> TokenStream {
    let metas = arguments_meta(fields, path_params);
    let vars: Vec<_> = (0..fields.len())
        .map(|i| format_ident!("__f{}", i))
        .collect();
    let casts = fields.iter().map(|f| cast(f, path_params));
    let checks = fields.iter().zip(&vars).map(|(f, var)| checks(f, var));
    let members = fields.iter().map(|f| f.field.member);
    let deny = deny_unknown.then(|| {
        if fields.iter().any(ArgField::is_flattened) {
            // The names of flattened arguments are their type's: read
            // them from the table, which holds every name once.
            return quote! {
                let __known: ::std::vec::Vec<&str> = <Self as ::pale_core::Arguments>::ARGUMENTS
                    .iter()
                    .map(|__a| __a.name)
                    .collect();
                ::pale_core::argument::Lookup::deny_unknown(__input, &__known, __at, __errors);
            };
        }
        let known = fields.iter().map(|f| &f.name);
        quote!(::pale_core::argument::Lookup::deny_unknown(__input, &[#(#known),*], __at, __errors);)
    });
    quote! {
        #[automatically_derived]
        impl ::pale_core::Arguments for #ident {
            const ARGUMENTS: &'static [::pale_core::argument::ArgumentMeta] = #metas;

            fn cast_from<__L: ::pale_core::argument::Lookup + ?::core::marker::Sized>(
                __input: &__L,
                __at: &::pale_core::argument::Pointer<'_>,
                __errors: &mut ::pale_core::argument::Errors,
            ) -> ::core::option::Option<Self> {
                let __before = __errors.len();
                #deny
                #(let #vars = #casts;)*
                #(#checks)*
                if __errors.len() > __before {
                    return ::core::option::Option::None;
                }
                ::core::option::Option::Some(Self { #(#members: #vars?),* })
            }
        }
    }
}

/// `impl Argument` for a nested argument struct: cast from a map.
pub(crate) fn nested_argument_impl(ident: &syn::Ident) -> TokenStream {
    quote! {
        #[automatically_derived]
        impl ::pale_core::Argument for #ident {
            const SCHEMA: ::pale_core::argument::Schema = ::pale_core::argument::Schema::Object(
                <Self as ::pale_core::Arguments>::ARGUMENTS,
            );

            fn cast(
                raw: &::pale_core::argument::Raw,
                at: &::pale_core::argument::Pointer<'_>,
                errors: &mut ::pale_core::argument::Errors,
            ) -> ::core::option::Option<Self> {
                ::pale_core::__private::nested::<Self>(raw, at, errors)
            }
        }
    }
}

/// The `ARGUMENTS` table: the fields' descriptions in order, a flattened
/// field's type's table spliced in at its place. With a flattened field,
/// the table is built at compile time, and two arguments answering to one
/// name (one of them flattened) fail the build there.
fn arguments_meta(fields: &[ArgField<'_>], path_params: &[String]) -> TokenStream {
    if !fields.iter().any(ArgField::is_flattened) {
        let metas = fields.iter().map(|f| meta(f, path_params));
        return quote!(&[#(#metas),*]);
    }
    let parts = fields.iter().map(|f| {
        if f.is_flattened() {
            let ty = f.field.ty;
            quote_spanned!(ty.span()=> <#ty as ::pale_core::Arguments>::ARGUMENTS)
        } else {
            let meta = meta(f, path_params);
            quote!(&[#meta])
        }
    });
    quote! {{
        const __PARTS: &[&[::pale_core::argument::ArgumentMeta]] = &[#(#parts),*];
        const __LEN: usize = ::pale_core::__private::arguments_len(__PARTS);
        const __ALL: [::pale_core::argument::ArgumentMeta; __LEN] =
            ::pale_core::__private::concat_arguments(__PARTS);
        const _: () = ::pale_core::__private::assert_unique_arguments(&__ALL);
        &__ALL
    }}
}

fn source(field: &ArgField<'_>, path_params: &[String]) -> TokenStream {
    if path_params.contains(&field.name) {
        return quote!(::pale_core::argument::Source::Path);
    }
    match &field.from.value {
        None => quote!(::pale_core::argument::Source::Any),
        Some(SourceAttr::Path) => quote!(::pale_core::argument::Source::Path),
        Some(SourceAttr::Query) => quote!(::pale_core::argument::Source::Query),
        Some(SourceAttr::Body) => quote!(::pale_core::argument::Source::Body),
        Some(SourceAttr::Document) => quote!(::pale_core::argument::Source::Document),
        Some(SourceAttr::Header(name)) => quote!(::pale_core::argument::Source::Header(#name)),
    }
}

fn meta(field: &ArgField<'_>, path_params: &[String]) -> TokenStream {
    let name = &field.name;
    let ty = field.field.ty;
    let description = field.field.doc.full();
    let source = source(field, path_params);
    let required = field.default.value.is_none() && !is_option(ty);
    let default = opt_str(
        field
            .default
            .value
            .as_ref()
            .map(|e| e.to_token_stream().to_string()),
    );
    let default_text = default_text(field.default.value.as_ref(), ty);
    let constraints = constraint_meta(&field.constraints);
    let separator = opt_str(field.separator.value.as_ref().map(syn::LitStr::value));
    let schema = quote_spanned!(ty.span()=> &<#ty as ::pale_core::Argument>::SCHEMA);
    quote! {
        ::pale_core::argument::ArgumentMeta {
            description: #description,
            source: #source,
            required: #required,
            default: #default,
            default_text: #default_text,
            #constraints
            separator: #separator,
            ..::pale_core::argument::ArgumentMeta::new(#name, #schema)
        }
    }
}

/// For a default written as an expression (`Sort::Title`), a function
/// the docs generator calls for its text; literals are documented as
/// written, so they need none.
fn default_text(default: Option<&syn::Expr>, ty: &syn::Type) -> TokenStream {
    match default {
        Some(expr) if !is_literal(expr) => quote! {
            ::core::option::Option::Some(|| {
                let __value: #ty = #expr;
                ::pale_core::Argument::to_text(&__value)
            })
        },
        _ => quote!(::core::option::Option::None),
    }
}

/// `20`, `-1`, `"x"`, `true`.
fn is_literal(expr: &syn::Expr) -> bool {
    match expr {
        syn::Expr::Lit(_) => true,
        syn::Expr::Unary(unary) => matches!(unary.op, syn::UnOp::Neg(_)) && is_literal(&unary.expr),
        syn::Expr::Group(group) => is_literal(&group.expr),
        syn::Expr::Paren(paren) => is_literal(&paren.expr),
        _ => false,
    }
}

/// The constraint members of an `ArgumentMeta` (`minimum: …, one_of: …,`).
pub(crate) fn constraint_meta(constraints: &Constraints) -> TokenStream {
    let as_f64 = |e: Option<&syn::Expr>| match e {
        Some(e) => quote!(::core::option::Option::Some((#e) as f64)),
        None => quote!(::core::option::Option::None),
    };
    let as_usize = |e: Option<&syn::Expr>| match e {
        Some(e) => quote!(::core::option::Option::Some((#e) as usize)),
        None => quote!(::core::option::Option::None),
    };
    let range = constraints.range.value.as_ref();
    let minimum = as_f64(range.and_then(|r| r.min.as_ref()));
    let maximum = as_f64(range.and_then(|r| r.max.as_ref()));
    let len = constraints.len.value.as_ref();
    let min_length = as_usize(len.and_then(|r| r.min.as_ref()));
    let max_length = as_usize(len.and_then(|r| r.max.as_ref()));
    let pattern = opt_str(constraints.pattern.value.as_ref().map(syn::LitStr::value));
    let one_of = constraints.one_of.value.iter().flatten();
    quote! {
        minimum: #minimum,
        maximum: #maximum,
        min_length: #min_length,
        max_length: #max_length,
        pattern: #pattern,
        one_of: &[#(#one_of),*],
    }
}

fn cast(field: &ArgField<'_>, path_params: &[String]) -> TokenStream {
    let name = &field.name;
    let ty = field.field.ty;
    if field.is_flattened() {
        // Read from the same input, at the same place: its arguments are
        // this struct's own, and their errors point at `/page`, not at
        // `/paging/page`.
        return quote_spanned! {ty.span()=>
            <#ty as ::pale_core::Arguments>::cast_from(__input, __at, __errors)
        };
    }
    let source = source(field, path_params);
    let default = match &field.default.value {
        Some(syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(lit),
            ..
        })) => {
            let from_text =
                quote_spanned!(lit.span()=> ::pale_core::__private::FromText::from_text(#lit));
            quote!(::core::option::Option::Some((|| -> #ty { #from_text }) as fn() -> #ty))
        }
        Some(expr) => quote!(::core::option::Option::Some((|| -> #ty { #expr }) as fn() -> #ty)),
        None => quote!(::core::option::Option::None),
    };
    let separator = opt_str(field.separator.value.as_ref().map(syn::LitStr::value));
    quote_spanned! {ty.span()=>
        ::pale_core::__private::field::<#ty, __L>(
            __input, #name, #source, __at, __errors, #default, #separator,
            (<#ty as ::pale_core::Argument>::cast, <#ty as ::pale_core::Argument>::absent),
        )
    }
}

fn checks(field: &ArgField<'_>, var: &syn::Ident) -> TokenStream {
    let name = &field.name;
    let body = constraint_checks(&field.constraints, field.field.ty);
    if body.is_empty() {
        return TokenStream::new();
    }
    let restated = range_restatement(&field.constraints, field.field.ty);
    quote! {
        if let ::core::option::Option::Some(__v) = &#var {
            let __here = __at.key(#name);
            #body
        } else {
            let __here = __at.key(#name);
            #restated
        }
    }
}

/// When the cast itself found the number out of its type's range, the
/// declared range's words instead (`restate_range`).
fn range_restatement(constraints: &Constraints, ty: &syn::Type) -> TokenStream {
    let Some(range) = &constraints.range.value else {
        return TokenStream::new();
    };
    let (min, max) = range_bounds(range, ty);
    quote_spanned! {ty.span()=>
        ::pale_core::__private::restate_range::<#ty>(__errors, &__here, #min, #max);
    }
}

/// A range's bounds as `Option<T::Number>` expressions, spanned at the
/// field's type, like the `T: HasRange` obligation of the turbofish: when
/// `T` has no range, typing the bounds as `Option<T::Number>` fails that
/// obligation again, and rustc only drops the repeat when it is reported
/// at the same span. A bound of the wrong type is still reported at the
/// bound itself.
fn range_bounds(range: &Bounds, ty: &syn::Type) -> (TokenStream, TokenStream) {
    let span = ty.span();
    let bound = |e: Option<&syn::Expr>| match e {
        Some(e) => quote_spanned! {span=>
            ::core::option::Option::Some({
                let __bound: <#ty as ::pale_core::argument::HasRange>::Number = #e;
                __bound
            })
        },
        None => quote_spanned!(span=> ::core::option::Option::None),
    };
    (bound(range.min.as_ref()), bound(range.max.as_ref()))
}

/// The checks of `constraints` on a value of type `ty`, as statements over
/// `__v: &ty`, `__here: Pointer` and `__errors: &mut Errors`.
pub(crate) fn constraint_checks(constraints: &Constraints, ty: &syn::Type) -> TokenStream {
    let mut body = Vec::new();
    let some = |e: Option<&syn::Expr>| match e {
        Some(e) => quote!(::core::option::Option::Some(#e)),
        None => quote!(::core::option::Option::None),
    };
    if let Some(range) = &constraints.range.value {
        let (min, max) = range_bounds(range, ty);
        body.push(quote_spanned! {ty.span()=>
            ::pale_core::__private::check_range::<#ty>(__v, #min, #max, &__here, __errors);
        });
    }
    if let Some(len) = &constraints.len.value {
        let span = span_of(&constraints.len.tokens);
        let min = len.min.as_ref().map_or_else(|| quote!(0), |e| quote!(#e));
        let max = some(len.max.as_ref());
        body.push(quote_spanned! {span=>
            ::pale_core::__private::check_len::<#ty>(__v, #min, #max, &__here, __errors);
        });
    }
    if let Some(pattern) = &constraints.pattern.value {
        let span = span_of(&constraints.pattern.tokens);
        let anchored = format!("^(?:{})$", pattern.value());
        body.push(quote_spanned! {span=>
            {
                static __PATTERN: ::pale_core::__private::LazyLock<::pale_core::__private::Regex> =
                    ::pale_core::__private::LazyLock::new(|| {
                        // The pattern was compiled once already, by the derive.
                        ::pale_core::__private::Regex::new(#anchored).expect("checked at compile time")
                    });
                ::pale_core::__private::check_pattern::<#ty>(__v, &__PATTERN, #pattern, &__here, __errors);
            }
        });
    }
    if let Some(values) = &constraints.one_of.value {
        let span = span_of(&constraints.one_of.tokens);
        body.push(quote_spanned! {span=>
            ::pale_core::__private::check_one_of::<#ty>(__v, &[#(#values),*], &__here, __errors);
        });
    }
    quote!(#(#body)*)
}
