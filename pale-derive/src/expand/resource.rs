//! `impl Resource` (the `const` field table) and `impl Render` (the
//! straight-line serialization of the fields).

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::span_of;
use crate::internals::ast::Container;
use crate::internals::case::snake_case;
use crate::internals::resource_attrs::{ResField, ResourceAttrs};

pub(crate) fn expand(container: &Container<'_>, attrs: &ResourceAttrs, all: &[ResField<'_>]) -> TokenStream {
    let ident = container.ident;
    let fields: Vec<&ResField<'_>> = all.iter().filter(|f| !f.skip.is_some()).collect();
    let name = attrs
        .name
        .value
        .as_ref()
        .map_or_else(|| snake_case(&ident.to_string()), syn::LitStr::value);
    let description = container.doc.full();
    let metas = fields.iter().map(|f| field_meta(f));
    let defaults = match &attrs.default_fields.value {
        Some(names) => {
            let indices = names
                .iter()
                .filter_map(|(n, _)| fields.iter().position(|f| f.name == *n));
            quote!(::pale_core::resource::FieldSet::EMPTY #(.with(#indices))*)
        }
        None => {
            let n = fields.len();
            quote!(::pale_core::resource::FieldSet::first(#n))
        }
    };
    let asserts = fields.iter().map(|f| assertions(f));
    let renders = fields.iter().enumerate().map(|(i, f)| render_field(i, f));
    // Fields whose value comes from a getter or a link are still read, so
    // that declaring them (often as `()`) raises no dead-code warning.
    let computed = fields
        .iter()
        .filter(|f| f.getter.is_some() || f.link.is_some())
        .map(|f| f.field.member);
    let (impl_generics, app) = match &attrs.context.value {
        Some(ty) => (quote!(), quote!(#ty)),
        None => (quote!(<__A: ::pale_core::App>), quote!(__A)),
    };
    let viewer = match &attrs.viewer.value {
        Some(path) => quote_spanned!(path.span()=> #path(self, __ctx)),
        None => quote!(::pale_core::Audience::Public),
    };
    let predicates: Vec<TokenStream> = fields
        .iter()
        .enumerate()
        .filter_map(|(i, f)| {
            let path = f.visible.value.as_ref()?;
            Some(quote_spanned! {path.span()=>
                if !#path(self, __ctx) {
                    __set = __set.without(::pale_core::resource::FieldSet::one(#i));
                }
            })
        })
        .collect();
    let visible = (!predicates.is_empty()).then(|| {
        quote! {
            #[inline]
            fn visible(
                &self,
                __viewer: ::pale_core::Audience,
                __ctx: &::pale_core::Context<#app>,
            ) -> ::pale_core::resource::FieldSet {
                let mut __set = <Self as ::pale_core::Resource>::META.visible_to(__viewer);
                #(#predicates)*
                __set
            }
        }
    });
    quote! {
        #(#asserts)*

        // A `const` item of its own, not an argument of `new`: the table is
        // then 'static by the const's own lifetime extension rather than by
        // promotion, which a read such as `<T as Resource>::META.defaults`
        // (a nested field without `subfields`) would not allow.
        const __PALE_FIELDS: &[::pale_core::resource::FieldMeta] = &[#(#metas),*];

        #[automatically_derived]
        impl ::pale_core::Resource for #ident {
            const META: &'static ::pale_core::resource::ResourceMeta =
                &::pale_core::resource::ResourceMeta::new(#name, #description, __PALE_FIELDS, #defaults);
        }

        #[automatically_derived]
        impl #impl_generics ::pale_core::Render<#app> for #ident {
            #[inline]
            fn viewer(&self, __ctx: &::pale_core::Context<#app>) -> ::pale_core::Audience {
                #viewer
            }

            #visible

            #[inline]
            fn render_fields<__M: ::pale_core::__private::SerializeStruct>(
                &self,
                __emit: ::pale_core::resource::FieldSet,
                __plan: ::pale_core::resource::PlanRef<'_>,
                __ctx: &::pale_core::Context<#app>,
                __out: &mut __M,
            ) -> ::core::result::Result<(), __M::Error> {
                let _ = (&__plan, &__ctx);
                #(let _ = &self.#computed;)*
                #(#renders)*
                ::core::result::Result::Ok(())
            }
        }
    }
}

fn nested_meta(ty: &syn::Type) -> TokenStream {
    quote_spanned!(ty.span()=>
        <<#ty as ::pale_core::resource::Nested>::Item as ::pale_core::Resource>::META)
}

fn field_meta(field: &ResField<'_>) -> TokenStream {
    let name = &field.name;
    let description = field.field.doc.full();
    let audience = match &field.audience.value {
        Some(ident) => quote!(::pale_core::Audience::#ident),
        None => quote!(::pale_core::Audience::Public),
    };
    let predicate = field.visible.is_some();
    let link = field.link.is_some();
    let nested = if field.is_nested() {
        let ty = field.field.ty;
        let meta = nested_meta(ty);
        let subfields = match &field.subfields.value {
            Some(names) => {
                let names = names.iter().map(|(n, _)| n);
                quote!(#meta.field_set(&[#(#names),*]))
            }
            None => quote!(#meta.defaults),
        };
        quote! {
            nested: ::core::option::Option::Some(#meta),
            many: <#ty as ::pale_core::resource::Nested>::MANY,
            subfields: #subfields,
        }
    } else {
        TokenStream::new()
    };
    quote! {
        ::pale_core::resource::FieldMeta {
            description: #description,
            audience: #audience,
            predicate: #predicate,
            link: #link,
            #nested
            ..::pale_core::resource::FieldMeta::new(#name)
        }
    }
}

/// Trait assertions at the user's tokens (STYLE.md 10): a nested field's
/// type must be a resource, each `subfields` name a field of it, a plain
/// field's type `Serialize`.
fn assertions(field: &ResField<'_>) -> TokenStream {
    let ty = field.field.ty;
    if !field.is_nested() {
        if field.getter.is_some() || field.link.is_some() {
            return TokenStream::new();
        }
        return quote_spanned! {ty.span()=>
            const _: fn() = ::pale_core::__private::assert_serialize::<#ty>;
        };
    }
    let meta = nested_meta(ty);
    let mut out = quote_spanned! {ty.span()=>
        const _: () = ::pale_core::__private::assert_nested::<#ty>();
    };
    for (name, span) in field.subfields.value.iter().flatten() {
        out.extend(quote_spanned! {*span=>
            const _: () = ::pale_core::__private::assert_subfield(#meta, #name);
        });
    }
    out
}

fn render_field(index: usize, field: &ResField<'_>) -> TokenStream {
    let name = &field.name;
    let member = field.field.member;
    let ty = field.field.ty;
    let value = if let Some(link) = &field.link.value {
        let endpoint = &link.endpoint;
        let args = link.args.iter();
        let span = span_of(&field.link.tokens);
        quote_spanned!(span=> &__ctx.link(&#endpoint::path(#(&self.#args),*)))
    } else if let Some(getter) = &field.getter.value {
        quote_spanned!(getter.span()=> &#getter(self))
    } else {
        quote!(&self.#member)
    };
    if field.is_nested() {
        let meta = quote!(<Self as ::pale_core::Resource>::META);
        quote_spanned! {ty.span()=>
            if __emit.contains(#index) {
                let __value: &#ty = #value;
                __out.serialize_field(
                    #name,
                    &::pale_core::resource::Rendered::new(
                        __value,
                        __ctx,
                        __plan.child(#index, #meta.fields[#index].subfields),
                    ),
                )?;
            }
        }
    } else {
        quote! {
            if __emit.contains(#index) {
                __out.serialize_field(#name, #value)?;
            }
        }
    }
}
