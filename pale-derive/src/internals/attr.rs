//! Typed `#[pale(...)]` attributes (STYLE.md 5, 6, 8).
//!
//! Each attribute is parsed into a slot ([`Attr`]) that reports a duplicate
//! on its second occurrence; an unknown name is reported with a suggestion
//! (or, when it belongs to another derive, with where it applies) and its
//! value skipped, so that parsing goes on and every mistake shows at once.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::parse::ParseStream;
use syn::punctuated::Punctuated;
use syn::{Expr, ExprPath, Ident, LitStr, Token};

use super::Ctxt;
use super::case::did_you_mean;
use super::symbol::*;

/// One attribute's value, with the tokens it was written with.
pub(crate) struct Attr<'c, T> {
    cx: &'c Ctxt,
    name: &'static str,
    tokens: TokenStream,
    value: Option<T>,
}

impl<'c, T> Attr<'c, T> {
    pub(crate) fn none(cx: &'c Ctxt, name: &'static str) -> Self {
        Self {
            cx,
            name,
            tokens: TokenStream::new(),
            value: None,
        }
    }

    /// Sets the value; a second occurrence is an error on its tokens.
    pub(crate) fn set<O: ToTokens>(&mut self, obj: O, value: T) {
        let tokens = obj.into_token_stream();
        if self.value.is_some() {
            self.cx
                .error_spanned_by(tokens, format!("duplicate pale attribute `{}`", self.name));
        } else {
            self.tokens = tokens;
            self.value = Some(value);
        }
    }

    pub(crate) fn get(self) -> Spanned<T> {
        Spanned {
            tokens: self.tokens,
            value: self.value,
        }
    }
}

/// A parsed attribute value and the tokens to point errors at.
pub(crate) struct Spanned<T> {
    pub(crate) tokens: TokenStream,
    pub(crate) value: Option<T>,
}

impl<T> Spanned<T> {
    pub(crate) fn is_some(&self) -> bool {
        self.value.is_some()
    }
}

/// A boolean flag attribute.
pub(crate) struct Flag<'c>(Attr<'c, ()>);

impl<'c> Flag<'c> {
    pub(crate) fn none(cx: &'c Ctxt, name: &'static str) -> Self {
        Self(Attr::none(cx, name))
    }

    pub(crate) fn set_true<O: ToTokens>(&mut self, obj: O) {
        self.0.set(obj, ());
    }

    pub(crate) fn get(self) -> Spanned<()> {
        self.0.get()
    }
}

/// Walks every `#[pale(...)]` in `attrs`, calling `each` with the name of
/// each item. Names outside `allowed` are reported (`what` says where we
/// are: "an argument field", "a resource", …) and their values skipped.
pub(crate) fn for_each_item(
    cx: &Ctxt,
    attrs: &[syn::Attribute],
    allowed: &[&str],
    what: &str,
    mut each: impl FnMut(&str, &ParseNestedMeta<'_>) -> syn::Result<()>,
) {
    for attr in attrs {
        if !attr.path().is_ident(PALE) {
            continue;
        }
        if let syn::Meta::Path(_) = attr.meta {
            cx.error_spanned_by(attr, "expected attributes inside `#[pale(...)]`");
            continue;
        }
        let result =
            attr.parse_nested_meta(|meta| dispatch(cx, &meta, allowed, what, &mut each));
        if let Err(err) = result {
            cx.syn_error(err);
        }
    }
}

/// Calls `each` for a known item name; reports and skips an unknown one.
pub(crate) fn dispatch(
    cx: &Ctxt,
    meta: &ParseNestedMeta<'_>,
    allowed: &[&str],
    what: &str,
    each: &mut impl FnMut(&str, &ParseNestedMeta<'_>) -> syn::Result<()>,
) -> syn::Result<()> {
    let name = meta
        .path
        .get_ident()
        .map(Ident::to_string)
        .unwrap_or_else(|| meta.path.to_token_stream().to_string().replace(' ', ""));
    if allowed.contains(&name.as_str()) {
        return each(&name, meta);
    }
    report_unknown(cx, meta, &name, allowed, what);
    skip_value(meta)
}

fn report_unknown(cx: &Ctxt, meta: &ParseNestedMeta<'_>, name: &str, allowed: &[&str], what: &str) {
    let elsewhere = [
        (ARGUMENT_FIELD, "argument fields (`#[derive(Arguments)]` or `#[derive(Endpoint)]`)"),
        (RESOURCE_FIELD, "resource fields (`#[derive(Resource)]`)"),
        (RESOURCE_CONTAINER, "a `#[derive(Resource)]` struct"),
        (ENDPOINT_CONTAINER, "a `#[derive(Endpoint)]` struct"),
    ];
    let message = match elsewhere.iter().find(|(set, _)| set.contains(&name)) {
        Some((_, place)) => format!("`{name}` is not allowed on {what}: it applies to {place}"),
        None => format!(
            "unknown pale attribute `{name}`{}",
            did_you_mean(name, allowed)
        ),
    };
    cx.error_spanned_by(&meta.path, message);
}

/// Consumes `= value` or `(...)` after a name we do not know.
fn skip_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        meta.input.parse::<Token![=]>()?;
        meta.input.parse::<Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        let _content;
        syn::parenthesized!(_content in meta.input);
        let _: TokenStream = _content.parse()?;
    }
    Ok(())
}

/// `name = "text"`.
pub(crate) fn lit_str(meta: &ParseNestedMeta<'_>) -> syn::Result<LitStr> {
    meta.value()?.parse()
}

/// `name = some::path`.
pub(crate) fn expr_path(meta: &ParseNestedMeta<'_>) -> syn::Result<ExprPath> {
    meta.value()?.parse()
}

/// `name(a, b, *)`: identifiers (or `*`), with their spans.
pub(crate) fn name_list(meta: &ParseNestedMeta<'_>) -> syn::Result<Vec<(String, Span)>> {
    let content;
    syn::parenthesized!(content in meta.input);
    let items = Punctuated::<NameOrStar, Token![,]>::parse_terminated(&content)?;
    Ok(items.into_iter().map(|n| (n.0, n.1)).collect())
}

struct NameOrStar(String, Span);

impl syn::parse::Parse for NameOrStar {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        if input.peek(Token![*]) {
            let star: Token![*] = input.parse()?;
            return Ok(Self("*".to_owned(), star.span));
        }
        if input.peek(LitStr) {
            let lit: LitStr = input.parse()?;
            return Ok(Self(lit.value(), lit.span()));
        }
        let ident = syn::ext::IdentExt::parse_any(input)?;
        let ident: Ident = ident;
        Ok(Self(ident.to_string().trim_start_matches("r#").to_owned(), ident.span()))
    }
}

/// `name("a", "b")`: string literals.
pub(crate) fn str_list(meta: &ParseNestedMeta<'_>) -> syn::Result<Vec<LitStr>> {
    let content;
    syn::parenthesized!(content in meta.input);
    let items = Punctuated::<LitStr, Token![,]>::parse_terminated(&content)?;
    Ok(items.into_iter().collect())
}

/// A range bound pair from `a..=b`, `a..` or `..=b`.
pub(crate) struct Bounds {
    pub(crate) min: Option<Expr>,
    pub(crate) max: Option<Expr>,
}

/// `name = a..=b` (inclusive; either side may be left out).
pub(crate) fn bounds(cx: &Ctxt, meta: &ParseNestedMeta<'_>) -> syn::Result<Option<Bounds>> {
    let expr: Expr = meta.value()?.parse()?;
    let Expr::Range(range) = &expr else {
        cx.error_spanned_by(&expr, "expected a range such as `1..=12`, `1..` or `..=12`");
        return Ok(None);
    };
    if matches!(range.limits, syn::RangeLimits::HalfOpen(_)) && range.end.is_some() {
        cx.error_spanned_by(
            &expr,
            "use an inclusive range (`a..=b`): bounds are allowed values",
        );
        return Ok(None);
    }
    if range.start.is_none() && range.end.is_none() {
        cx.error_spanned_by(&expr, "a range needs at least one bound");
        return Ok(None);
    }
    Ok(Some(Bounds {
        min: range.start.as_deref().cloned(),
        max: range.end.as_deref().cloned(),
    }))
}
