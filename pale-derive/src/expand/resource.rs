//! `impl Resource` (the `const` field table) and `impl Render` (the
//! straight-line serialization of the fields).

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::arguments::{constraint_checks, constraint_meta};
use super::span_of;
use crate::internals::ast::is_option;
use crate::internals::case::snake_case;
use crate::internals::model::Resource;
use crate::internals::resource_attrs::ResField;

pub(crate) fn expand(model: &Resource<'_>) -> TokenStream {
    let (container, attrs, all) = (&model.container, &model.attrs, &model.fields);
    let ident = container.ident;
    let fields: Vec<&ResField<'_>> = all.iter().filter(|f| !f.skip.is_some()).collect();
    let name = attrs
        .name
        .value
        .as_ref()
        .map_or_else(|| snake_case(&ident.to_string()), syn::LitStr::value);
    let description = container.doc.full();
    let metas = fields
        .iter()
        .enumerate()
        .map(|(i, f)| field_meta(ident, i, f));
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
    let asserts = fields
        .iter()
        .enumerate()
        .map(|(i, f)| nested_items(i, f, attrs.context.value.as_ref()));
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
    let renders = fields
        .iter()
        .enumerate()
        .map(|(i, f)| render_field(i, f, &app));
    // The user's functions are passed to helpers with an `FnOnce` bound
    // rather than called: a wrong signature is then reported on the whole
    // path as "expected to take 2 arguments", not as a call to fix inside
    // the attribute.
    let viewer = match &attrs.viewer.value {
        Some(path) => {
            quote_spanned!(path.span()=> ::pale_core::__private::viewer(#path, self, __ctx))
        }
        None => quote!(__ctx.audience()),
    };
    let inherits = attrs.viewer.value.is_none().then(|| {
        quote!(
            const INHERITS_VIEWER: bool = true;
        )
    });
    let versioned = attrs.etag.value.is_some().then(|| quote!(.versioned()));
    let creator = attrs
        .creator
        .value
        .as_ref()
        .map(|a| quote!(.created_by(::pale_core::Audience::#a)));
    let etag = attrs.etag.value.as_ref().map(|path| {
        quote_spanned! {path.span()=>
            fn etag(&self) -> ::core::option::Option<::std::string::String> {
                #path(self)
            }
        }
    });
    let dated = attrs.modified.value.is_some().then(|| quote!(.dated()));
    let modified = attrs.modified.value.as_ref().map(|path| {
        quote_spanned! {path.span()=>
            fn modified(&self) -> ::core::option::Option<::std::time::SystemTime> {
                #path(self)
            }
        }
    });
    let writable = fields
        .iter()
        .any(|f| f.is_writable())
        .then(|| writable_impl(ident, &impl_generics, &app, &fields));
    let predicates: Vec<TokenStream> = fields
        .iter()
        .enumerate()
        .filter_map(|(i, f)| {
            let path = f.visible.value.as_ref()?;
            Some(quote_spanned! {path.span()=>
                if !::pale_core::__private::visible(#path, self, __ctx) {
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
                &::pale_core::resource::ResourceMeta::new(#name, #description, __PALE_FIELDS, #defaults)#versioned #dated #creator;
        }

        #[automatically_derived]
        impl #impl_generics ::pale_core::Render<#app> for #ident {
            #inherits

            #[inline]
            fn viewer(&self, __ctx: &::pale_core::Context<#app>) -> ::pale_core::Audience {
                #viewer
            }

            #etag
            #modified

            #visible

            #[inline]
            fn render_fields<__M: ::pale_core::__private::SerializeStruct>(
                &self,
                __emit: ::pale_core::resource::FieldSet,
                __plan: ::pale_core::select::PlanRef<'_>,
                __ctx: &::pale_core::Context<#app>,
                __out: &mut __M,
            ) -> ::core::result::Result<(), __M::Error> {
                let _ = (&__plan, &__ctx);
                #(let _ = &self.#computed;)*
                #(#renders)*
                ::core::result::Result::Ok(())
            }
        }

        #writable
    }
}

/// The name of the `const` holding a nested field's resource table and
/// whether it is a list: `(&ResourceMeta, bool)`.
fn nested_const(index: usize) -> syn::Ident {
    format_ident!("__PALE_NESTED_{}", index)
}

fn field_meta(ident: &syn::Ident, index: usize, field: &ResField<'_>) -> TokenStream {
    let name = &field.name;
    let description = field.field.doc.full();
    let audience = match &field.audience.value {
        Some(ident) => quote!(::pale_core::Audience::#ident),
        None => quote!(::pale_core::Audience::Public),
    };
    let predicate = field.visible.is_some();
    let link = field.link.is_some();
    let link_to = match &field.link.value {
        Some(link) => {
            let endpoint = &link.endpoint;
            let span = span_of(&field.link.tokens);
            quote_spanned!(span=> ::core::option::Option::Some(<#endpoint as ::pale_core::Endpoint>::META.name))
        }
        None => quote!(::core::option::Option::None),
    };
    let nullable = is_option(field.field.ty);
    let nested = if field.is_nested() {
        let nested = nested_const(index);
        let subfields = match &field.subfields.value {
            Some(names) => {
                let names = names.iter().map(|(n, _)| n);
                quote!(#nested.0.field_set(&[#(#names),*]))
            }
            None => quote!(#nested.0.defaults),
        };
        quote! {
            nested: ::core::option::Option::Some(#nested.0),
            many: #nested.1,
            subfields: #subfields,
        }
    } else {
        TokenStream::new()
    };
    let write = write_meta(field);
    // Not for nested fields (their schema is the nested resource's) nor
    // links (a URI): for the rest, the type's `Describe` schema, else its
    // `Argument` schema, found by autoref specialization at the concrete
    // type (a getter's return type, for a computed field).
    let schema = (!field.is_nested() && !field.link.is_some()).then(|| {
        let ty = field.field.ty;
        let probe = match &field.getter.value {
            Some(getter) => quote!(::pale_core::__private::GetterProbe::<#ident, _>::new(#getter)),
            None => quote!(::pale_core::__private::SchemaProbe::<#ty>::new()),
        };
        quote! {
            schema: || {
                #[allow(unused_imports)]
                use ::pale_core::__private::{ViaArgument as _, ViaDescribe as _, ViaNothing as _};
                (&&&#probe).schema()
            },
        }
    });
    quote! {
        ::pale_core::resource::FieldMeta {
            #schema
            description: #description,
            audience: #audience,
            predicate: #predicate,
            link: #link,
            link_to: #link_to,
            nullable: #nullable,
            #nested
            #write
            ..::pale_core::resource::FieldMeta::new(#name)
        }
    }
}

/// The write rule and input description of a field.
fn write_meta(field: &ResField<'_>) -> TokenStream {
    let Some(audience) = &field.write.value else {
        return TokenStream::new();
    };
    let ty = field.field.ty;
    let create_only = field.create_only.is_some();
    let write_only = field.write_only.is_some();
    // A nested resource is written field by field, by its own rules: it
    // is never required as a whole.
    let required = !is_option(ty) && !field.is_nested();
    let input = if field.is_nested() {
        quote!(::core::option::Option::None)
    } else {
        let name = &field.name;
        let description = field.field.doc.full();
        let constraints = constraint_meta(&field.constraints);
        let schema = quote_spanned!(ty.span()=> &<#ty as ::pale_core::Argument>::SCHEMA);
        quote! {
            ::core::option::Option::Some(&::pale_core::argument::ArgumentMeta {
                description: #description,
                required: #required,
                #constraints
                ..::pale_core::argument::ArgumentMeta::new(#name, #schema)
            })
        }
    };
    quote! {
        write: ::pale_core::resource::WriteRule {
            audience: ::core::option::Option::Some(::pale_core::Audience::#audience),
            create_only: #create_only,
            write_only: #write_only,
            required: #required,
        },
        input: #input,
    }
}

/// `impl Writable`: casts a written value with the field's own argument
/// type and constraints, or writes into a nested resource field by field.
fn writable_impl(
    ident: &syn::Ident,
    impl_generics: &TokenStream,
    app: &TokenStream,
    fields: &[&ResField<'_>],
) -> TokenStream {
    let arms = fields.iter().enumerate().filter(|(_, f)| f.is_writable()).map(|(index, field)| {
        let member = field.field.member;
        let ty = field.field.ty;
        if field.is_nested() {
            quote_spanned! {ty.span()=>
                #index => ::pale_core::write::write_nested(&mut self.#member, __value, __at, __state, __ctx),
            }
        } else {
            let checks = constraint_checks(&field.constraints, ty);
            quote_spanned! {ty.span()=>
                #index => {
                    if let ::core::option::Option::Some(__written) =
                        ::pale_core::write::cast_value::<#ty>(__value, __at, __state)
                    {
                        let __v = &__written;
                        let __here = *__at;
                        let __errors = __state.errors();
                        let _ = (&__v, &__here, &__errors);
                        #checks
                        self.#member = __written;
                    }
                }
            }
        }
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics ::pale_core::write::Writable<#app> for #ident {
            fn write_field(
                &mut self,
                __index: usize,
                __value: &::pale_core::argument::Raw,
                __at: &::pale_core::argument::Pointer<'_>,
                __state: &mut ::pale_core::write::WriteState,
                __ctx: &::pale_core::Context<#app>,
            ) {
                let _ = &__ctx;
                match __index {
                    #(#arms)*
                    _ => {}
                }
            }
        }
    }
}

/// Items checked at the user's tokens, so rustc reports a wrong type where
/// the user wrote it (ARCHITECTURE.md, decision 12): a nested field's type
/// must hold resources that render for the app, and each `subfields` name
/// must be a field of that resource.
///
/// The nested resource's table is named once, in a `const` of its own, so
/// that the field table and each `subfields` name do not report a type that
/// is not a resource again. The `NestedIn` bound is checked in a function
/// generic over the app exactly as the `Render` impl is (`__A`, or the
/// `context`), so that its error reads the same as the one the rendering
/// code reports, and rustc shows it once.
fn nested_items(index: usize, field: &ResField<'_>, context: Option<&syn::Type>) -> TokenStream {
    let ty = field.field.ty;
    if !field.is_nested() {
        return TokenStream::new();
    }
    let nested = nested_const(index);
    let check = format_ident!("__pale_nested_{}", index);
    let (generics, app, instance) = match context {
        Some(app) => (quote!(), quote!(#app), quote!()),
        None => (quote!(<__A: ::pale_core::App>), quote!(__A), quote!(::<()>)),
    };
    let mut out = quote_spanned! {ty.span()=>
        const fn #check #generics () -> (&'static ::pale_core::resource::ResourceMeta, bool) {
            ::pale_core::__private::nested_meta::<#ty, #app>()
        }
        const #nested: (&'static ::pale_core::resource::ResourceMeta, bool) = #check #instance ();
    };
    let ty_text = ty.to_token_stream().to_string().replace(' ', "");
    for (name, span) in field.subfields.value.iter().flatten() {
        // The panic is written here, not in a helper, so that the error is
        // this message at the name, without a backtrace into pale-core.
        let message = format!(
            "`{name}` is not a field of the resource nested in `{ty_text}`: check `subfields(...)`"
        );
        out.extend(quote_spanned! {*span=>
            const _: () = if !::pale_core::__private::has_field(#nested.0, #name) {
                ::core::panic!(#message)
            };
        });
    }
    out
}

fn render_field(index: usize, field: &ResField<'_>, app: &TokenStream) -> TokenStream {
    let name = &field.name;
    let member = field.field.member;
    let ty = field.field.ty;
    let value = if let Some(link) = &field.link.value {
        let endpoint = &link.endpoint;
        let args = link.args.iter();
        let span = span_of(&field.link.tokens);
        quote_spanned!(span=> &__ctx.link(&#endpoint::path(#(&self.#args),*)))
    } else if let Some(getter) = &field.getter.value {
        quote_spanned!(getter.span()=> &::pale_core::__private::getter(#getter, self))
    } else {
        // The whole expression at the type, the member name included.
        let mut member = member.clone();
        member.set_span(ty.span());
        quote_spanned!(ty.span()=> &self.#member)
    };
    if field.is_nested() {
        let meta = quote!(<Self as ::pale_core::Resource>::META);
        // `nested_meta` first: its error is the one `nested_items` reports
        // too; `Rendered`'s bounds fail on the same predicate at the same
        // span, so rustc drops them as implied.
        quote_spanned! {ty.span()=>
            if __emit.contains(#index) {
                let _ = ::pale_core::__private::nested_meta::<#ty, #app>;
                let __value: &#ty = #value;
                __out.serialize_field(
                    #name,
                    &::pale_core::render::Rendered::new(
                        __value,
                        __ctx,
                        __plan.child(#index, #meta.fields[#index].subfields),
                    ),
                )?;
            }
        }
    } else {
        // The value goes through `plain`, whose `PlainField` bound explains
        // what to do with a type that is not `Serialize`; the call is
        // spanned like that bound, so `serialize_field`'s own `Serialize`
        // bound, implied by it, is not reported a second time.
        let span = match (&field.link.value, &field.getter.value) {
            (Some(_), _) => span_of(&field.link.tokens),
            (None, Some(getter)) => getter.span(),
            (None, None) => ty.span(),
        };
        quote_spanned! {span=>
            if __emit.contains(#index) {
                __out.serialize_field(#name, ::pale_core::__private::plain(#value))?;
            }
        }
    }
}
