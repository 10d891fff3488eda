//! `#[derive(ArgumentEnum)]`: a string-backed enum that casts from text,
//! renders as text, and lists its values for the docs.

use proc_macro2::TokenStream;
use quote::quote;

use crate::internals::enum_attrs::ArgumentEnum;

pub(crate) fn expand(model: &ArgumentEnum<'_>) -> TokenStream {
    let (ident, variants) = (model.ident, &model.variants);
    let names: Vec<&String> = variants.iter().map(|v| &v.name).collect();
    let idents: Vec<&syn::Ident> = variants.iter().map(|v| v.ident).collect();
    let message = format!(
        "must be one of: {}",
        names
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    quote! {
        #[automatically_derived]
        impl #ident {
            /// Every value, as clients write it.
            pub const VALUES: &'static [&'static str] = &[#(#names),*];

            /// This value as clients write it.
            pub const fn as_str(&self) -> &'static str {
                match self {
                    #(Self::#idents => #names,)*
                }
            }

            /// The value clients write as `text`.
            pub fn from_name(text: &str) -> ::core::option::Option<Self> {
                match text {
                    #(#names => ::core::option::Option::Some(Self::#idents),)*
                    _ => ::core::option::Option::None,
                }
            }
        }

        #[automatically_derived]
        impl ::pale_core::Argument for #ident {
            const SCHEMA: ::pale_core::argument::Schema =
                ::pale_core::argument::Schema::Enum(Self::VALUES);

            fn cast(
                raw: &::pale_core::argument::Raw,
                at: &::pale_core::argument::Pointer<'_>,
                errors: &mut ::pale_core::argument::Errors,
            ) -> ::core::option::Option<Self> {
                let found = match raw {
                    ::pale_core::argument::Raw::Text(text) => Self::from_name(text),
                    other => {
                        errors.invalid_type(at, "text", other);
                        return ::core::option::Option::None;
                    }
                };
                if found.is_none() {
                    errors.push(at, "not_allowed", #message);
                }
                found
            }

            fn to_text(&self) -> ::core::option::Option<::std::string::String> {
                ::core::option::Option::Some(::std::string::ToString::to_string(self.as_str()))
            }
        }

        #[automatically_derived]
        impl ::pale_core::__private::Serialize for #ident {
            fn serialize<__S: ::pale_core::__private::Serializer>(
                &self,
                serializer: __S,
            ) -> ::core::result::Result<__S::Ok, __S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        #[automatically_derived]
        impl ::core::fmt::Display for #ident {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}
