//! The model of `#[derive(ArgumentEnum)]`: the enum, its `rename_all` rule
//! and each variant with the text clients write for it.

use syn::{DeriveInput, Ident, LitStr};

use super::Ctxt;
use super::attr::{self, Attr};
use super::case;
use super::symbol::*;

/// One variant and the text that selects it.
pub(crate) struct Variant<'a> {
    pub(crate) ident: &'a Ident,
    /// The text clients write (`rename`, or the `rename_all` rule applied).
    pub(crate) name: String,
}

/// A string-backed enum, parsed.
pub(crate) struct ArgumentEnum<'a> {
    pub(crate) ident: &'a Ident,
    /// The unit variants; a variant carrying data is reported and left out.
    pub(crate) variants: Vec<Variant<'a>>,
    /// Whether the enum declares no variant at all (as opposed to only
    /// variants that were left out).
    pub(crate) declares_none: bool,
}

impl<'a> ArgumentEnum<'a> {
    /// Reads an enum of unit variants; anything else is reported.
    pub(crate) fn parse(cx: &Ctxt, input: &'a DeriveInput) -> Option<Self> {
        let ident = &input.ident;
        let syn::Data::Enum(data) = &input.data else {
            cx.error_spanned_by(
                ident,
                "`ArgumentEnum` can only be derived for enums of unit variants",
            );
            return None;
        };
        let rule = rename_all(cx, input);
        let mut variants = Vec::new();
        for variant in &data.variants {
            if !matches!(variant.fields, syn::Fields::Unit) {
                cx.error_spanned_by(
                    &variant.fields,
                    "`ArgumentEnum` variants carry no data: each is one allowed text value",
                );
                continue;
            }
            let name = rename(cx, variant).map_or_else(
                || case::convert(&variant.ident.to_string(), &rule),
                |l| l.value(),
            );
            variants.push(Variant {
                ident: &variant.ident,
                name,
            });
        }
        Some(Self {
            ident,
            variants,
            declares_none: data.variants.is_empty(),
        })
    }
}

/// The container's `rename_all` rule, `snake_case` when absent.
fn rename_all(cx: &Ctxt, input: &DeriveInput) -> String {
    let mut rename_all = Attr::<LitStr>::none(cx, RENAME_ALL);
    attr::for_each_item(
        cx,
        &input.attrs,
        ENUM_CONTAINER,
        "an `ArgumentEnum`",
        |name, meta| {
            match name {
                // rename_all = "snake_case" | "lowercase" | "UPPERCASE" | "kebab-case" | "SCREAMING_SNAKE_CASE"
                RENAME_ALL => {
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
    rename_all
        .get()
        .value
        .map_or_else(|| "snake_case".to_owned(), |l| l.value())
}

/// A variant's own `rename`, if it has one.
fn rename(cx: &Ctxt, variant: &syn::Variant) -> Option<LitStr> {
    let mut rename = Attr::<LitStr>::none(cx, RENAME);
    attr::for_each_item(
        cx,
        &variant.attrs,
        ENUM_VARIANT,
        "an enum variant",
        |name, meta| {
            match name {
                // rename = "text"
                RENAME => rename.set(&meta.path, attr::name_str(cx, meta, "newest")?),
                _ => unreachable!("`{name}` is in ENUM_VARIANT"),
            }
            Ok(())
        },
    );
    rename.get().value
}
