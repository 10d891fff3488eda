//! `range`, `len`, `pattern` and `one_of`: the constraints an input value
//! must meet, shared by argument fields and writable resource fields.

use syn::LitStr;

use super::Ctxt;
use super::attr::{self, Attr, Bounds, Spanned};
use super::symbol::*;

/// A field's constraints, as parsed.
pub(crate) struct Constraints {
    pub(crate) range: Spanned<Bounds>,
    pub(crate) len: Spanned<Bounds>,
    pub(crate) pattern: Spanned<LitStr>,
    pub(crate) one_of: Spanned<Vec<LitStr>>,
}

impl Constraints {
    /// The tokens of the first constraint given, to point errors at.
    pub(crate) fn first_tokens(&self) -> Option<&proc_macro2::TokenStream> {
        [
            (self.range.is_some(), &self.range.tokens),
            (self.len.is_some(), &self.len.tokens),
            (self.pattern.is_some(), &self.pattern.tokens),
            (self.one_of.is_some(), &self.one_of.tokens),
        ]
        .into_iter()
        .find_map(|(present, tokens)| present.then_some(tokens))
    }
}

/// The slots constraints are parsed into.
pub(crate) struct ConstraintSlots<'c> {
    range: Attr<'c, Bounds>,
    len: Attr<'c, Bounds>,
    pattern: Attr<'c, LitStr>,
    one_of: Attr<'c, Vec<LitStr>>,
}

impl<'c> ConstraintSlots<'c> {
    pub(crate) fn new(cx: &'c Ctxt) -> Self {
        Self {
            range: Attr::none(cx, RANGE),
            len: Attr::none(cx, LEN),
            pattern: Attr::none(cx, PATTERN),
            one_of: Attr::none(cx, ONE_OF),
        }
    }

    /// Parses one constraint item (`range`, `len`, `pattern` or `one_of`).
    pub(crate) fn parse(
        &mut self,
        cx: &Ctxt,
        name: &str,
        meta: &syn::meta::ParseNestedMeta<'_>,
    ) -> syn::Result<()> {
        match name {
            // range = 1..=12 | 1.. | ..=12
            RANGE => {
                if let Some(b) = attr::bounds(cx, meta)? {
                    self.range.set(&meta.path, b);
                }
            }
            // len = 3..=20 | 1.. | ..=20
            LEN => {
                if let Some(b) = attr::bounds(cx, meta)? {
                    self.len.set(&meta.path, b);
                }
            }
            // pattern = "^[a-z]+$"
            PATTERN => {
                let lit = attr::lit_str(meta)?;
                if let Err(err) = regex_lite::Regex::new(&lit.value()) {
                    cx.error_spanned_by(&lit, format!("invalid `pattern`: {err}"));
                }
                self.pattern.set(&meta.path, lit);
            }
            // one_of("a", "b")
            ONE_OF => {
                let list = attr::str_list(meta)?;
                if list.is_empty() {
                    cx.error_spanned_by(
                        &meta.path,
                        "`one_of` needs at least one value: `one_of(\"a\", \"b\")`",
                    );
                }
                self.one_of.set(&meta.path, list);
            }
            _ => unreachable!("`{name}` is not a constraint"),
        }
        Ok(())
    }

    pub(crate) fn get(self) -> Constraints {
        Constraints {
            range: self.range.get(),
            len: self.len.get(),
            pattern: self.pattern.get(),
            one_of: self.one_of.get(),
        }
    }
}
