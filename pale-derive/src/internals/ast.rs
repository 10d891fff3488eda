//! The derive input as a typed model, borrowing syn's nodes so that every
//! error can still point at the user's tokens (ARCHITECTURE.md,
//! decision 12).

use syn::{Data, DeriveInput, Fields, Ident, Type};

use super::Ctxt;

/// A struct with named fields; its fields are read separately, each into
/// the model of the derive at hand.
pub(crate) struct Container<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) doc: Doc,
    pub(crate) attrs: &'a [syn::Attribute],
}

/// One named field.
pub(crate) struct Field<'a> {
    pub(crate) member: &'a Ident,
    pub(crate) ty: &'a Type,
    pub(crate) doc: Doc,
    pub(crate) attrs: &'a [syn::Attribute],
}

/// A doc comment, split the way the docs show it.
#[derive(Default, Clone)]
pub(crate) struct Doc {
    /// The first paragraph.
    pub(crate) summary: String,
    /// Everything after it.
    pub(crate) rest: String,
}

impl Doc {
    pub(crate) fn from_attrs(attrs: &[syn::Attribute]) -> Self {
        let mut lines = Vec::new();
        for attr in attrs {
            if !attr.path().is_ident("doc") {
                continue;
            }
            if let syn::Meta::NameValue(nv) = &attr.meta
                && let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) = &nv.value
            {
                let line = s.value();
                lines.push(
                    line.strip_prefix(' ')
                        .unwrap_or(&line)
                        .trim_end()
                        .to_owned(),
                );
            }
        }
        let text = lines.join("\n");
        let text = text.trim();
        match text.split_once("\n\n") {
            Some((summary, rest)) => Self {
                summary: summary.replace('\n', " "),
                rest: rest.trim().to_owned(),
            },
            None => Self {
                summary: text.replace('\n', " "),
                rest: String::new(),
            },
        }
    }

    /// The whole text.
    pub(crate) fn full(&self) -> String {
        if self.rest.is_empty() {
            self.summary.clone()
        } else {
            format!("{}\n\n{}", self.summary, self.rest)
        }
    }
}

impl<'a> Container<'a> {
    /// Reads a struct with named fields; anything else is reported.
    pub(crate) fn from_struct(
        cx: &Ctxt,
        input: &'a DeriveInput,
        derive: &str,
    ) -> Option<(Self, Vec<Field<'a>>)> {
        let fields = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => &named.named,
                Fields::Unit => {
                    return Some((Self::new(input), Vec::new()));
                }
                Fields::Unnamed(_) => {
                    cx.error_spanned_by(
                        input.ident.clone(),
                        format!("`{derive}` needs a struct with named fields"),
                    );
                    return None;
                }
            },
            Data::Enum(e) => {
                // An enum of text values is an `ArgumentEnum`, which also
                // renders (as its text) in a resource field.
                let hint = match derive {
                    "Arguments" => "; for a string-backed enum argument, derive `ArgumentEnum`",
                    "Resource" => {
                        "; for a field holding one of a set of text values, derive `ArgumentEnum` on the enum"
                    }
                    _ => "",
                };
                cx.error_spanned_by(
                    e.enum_token,
                    format!("`{derive}` can only be derived for structs{hint}"),
                );
                return None;
            }
            Data::Union(u) => {
                cx.error_spanned_by(
                    u.union_token,
                    format!("`{derive}` can only be derived for structs"),
                );
                return None;
            }
        };
        if !input.generics.params.is_empty() {
            cx.error_spanned_by(
                &input.generics,
                format!(
                    "`{derive}` cannot be derived for generic structs: use concrete field types"
                ),
            );
            return None;
        }
        let fields = fields
            .iter()
            .map(|f| Field {
                member: f.ident.as_ref().expect("named field"),
                ty: &f.ty,
                doc: Doc::from_attrs(&f.attrs),
                attrs: &f.attrs,
            })
            .collect();
        Some((Self::new(input), fields))
    }

    fn new(input: &'a DeriveInput) -> Self {
        Self {
            ident: &input.ident,
            doc: Doc::from_attrs(&input.attrs),
            attrs: &input.attrs,
        }
    }
}

impl Field<'_> {
    /// The field's name without a raw-identifier prefix.
    pub(crate) fn name(&self) -> String {
        self.member.to_string().trim_start_matches("r#").to_owned()
    }
}

/// The last path segment's name and its first generic argument:
/// `Option<Vec<u8>>` → `("Option", Some(Vec<u8>))`.
pub(crate) fn outer_type(ty: &Type) -> Option<(String, Option<&Type>)> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    let inner = match &last.arguments {
        syn::PathArguments::AngleBracketed(args) => args.args.iter().find_map(|a| match a {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        _ => None,
    };
    Some((last.ident.to_string(), inner))
}

/// Whether the type is written `Option<…>`.
pub(crate) fn is_option(ty: &Type) -> bool {
    outer_type(ty).is_some_and(|(name, _)| name == "Option")
}

/// Whether the type is written `Create<…>`: an endpoint's create body,
/// which says what the endpoint writes (`pale::write::Create`).
pub(crate) fn is_create(ty: &Type) -> bool {
    outer_type(ty).is_some_and(|(name, inner)| name == "Create" && inner.is_some())
}

/// Whether the type is a list (`Vec<…>` or `Option<Vec<…>>`).
pub(crate) fn is_list(ty: &Type) -> bool {
    match outer_type(ty) {
        Some((name, _)) if name == "Vec" => true,
        Some((name, Some(inner))) if name == "Option" => is_list(inner),
        _ => false,
    }
}
