//! Typed `#[pale(...)]` attributes.
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
use super::case::did_you_mean_or_list;
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

    /// Sets the flag from `name`, written alone. `name = true` is reported
    /// on its value (and skipped), not left to syn's "expected `,`".
    pub(crate) fn set_from(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
        if meta.input.peek(Token![=]) || meta.input.peek(syn::token::Paren) {
            let name = self.0.name;
            let value = take_value(meta)?;
            self.0.cx.error_spanned_by(
                value,
                format!("`{name}` takes no value: write `{name}` alone, or leave it out"),
            );
            return Ok(());
        }
        self.0.set(&meta.path, ());
        Ok(())
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
        let result = attr.parse_nested_meta(|meta| dispatch(cx, &meta, allowed, what, &mut each));
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
        (
            ARGUMENT_FIELD,
            "an argument field (of an `Arguments` or `Endpoint` struct)",
        ),
        (RESOURCE_FIELD, "a resource field"),
        (ARGUMENTS_CONTAINER, "an `Arguments` struct"),
        (RESOURCE_CONTAINER, "a `Resource` struct"),
        (ENDPOINT_CONTAINER, "an `Endpoint` struct"),
        (ENUM_CONTAINER, "an `ArgumentEnum` enum"),
        (ENUM_VARIANT, "an `ArgumentEnum` variant"),
    ];
    let places: Vec<&str> = elsewhere
        .iter()
        .filter(|(set, _)| set.contains(&name))
        .map(|(_, place)| *place)
        .collect();
    let message = match places.split_last() {
        Some((last, [])) => format!("`{name}` is not allowed on {what}: it applies to {last}"),
        Some((last, rest)) => format!(
            "`{name}` is not allowed on {what}: it applies to {} or {last}",
            rest.join(", ")
        ),
        None => format!(
            "unknown pale attribute `{name}`{}",
            did_you_mean_or_list(name, allowed)
        ),
    };
    cx.error_spanned_by(&meta.path, message);
}

/// Consumes `= value` or `(...)` after a name we do not know.
fn skip_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    take_value(meta).map(drop)
}

/// Consumes and returns `= value` or `(...)`, if there is one.
fn take_value(meta: &ParseNestedMeta<'_>) -> syn::Result<TokenStream> {
    let mut tokens = TokenStream::new();
    if meta.input.peek(Token![=]) {
        meta.input.parse::<Token![=]>()?;
        meta.input.parse::<Expr>()?.to_tokens(&mut tokens);
    } else if meta.input.peek(syn::token::Paren) {
        let content;
        let paren = syn::parenthesized!(content in meta.input);
        let inner: TokenStream = content.parse()?;
        paren.surround(&mut tokens, |t| t.extend(inner));
    }
    Ok(tokens)
}

/// The name of an item as written: `rename`, `default`, ….
fn name_of(meta: &ParseNestedMeta<'_>) -> String {
    meta.path.to_token_stream().to_string().replace(' ', "")
}

/// `name = <value>`, with the error saying what `<value>` should look like
/// (`example`) in place of syn's bare "expected string literal".
fn value<T: syn::parse::Parse>(meta: &ParseNestedMeta<'_>, example: &str) -> syn::Result<T> {
    let message = format!("expected `{} = {example}`", name_of(meta));
    // No `=` at all: point at the name; a wrong value: point at the value.
    let input = meta
        .value()
        .map_err(|_| syn::Error::new_spanned(&meta.path, &message))?;
    input
        .parse()
        .map_err(|err| syn::Error::new(err.span(), &message))
}

/// `name = "text"`.
pub(crate) fn lit_str(meta: &ParseNestedMeta<'_>) -> syn::Result<LitStr> {
    value(meta, "\"…\"")
}

/// `name = "text"` where the text names something (a field, a value, a
/// route): an empty name could never be written by a client, so it is
/// reported here, at the literal, whatever the attribute. `example` is a
/// name of the kind expected, for the message.
pub(crate) fn name_str(
    cx: &Ctxt,
    meta: &ParseNestedMeta<'_>,
    example: &str,
) -> syn::Result<LitStr> {
    let lit = lit_str(meta)?;
    if lit.value().trim().is_empty() {
        let attr = name_of(meta);
        cx.error_spanned_by(
            &lit,
            format!("`{attr} = \"\"` names nothing: write a name, like `{attr} = \"{example}\"`"),
        );
    }
    Ok(lit)
}

/// `name = some::path`.
pub(crate) fn expr_path(meta: &ParseNestedMeta<'_>) -> syn::Result<ExprPath> {
    value(meta, "Self::function")
}

/// A list is written `name(…)`; `name = …` gets that said, at the name,
/// rather than syn's bare "expected parentheses".
fn expect_parens(meta: &ParseNestedMeta<'_>, example: &str) -> syn::Result<()> {
    if meta.input.peek(syn::token::Paren) {
        return Ok(());
    }
    let message = format!("expected a list: `{}({example})`", name_of(meta));
    Err(syn::Error::new_spanned(&meta.path, message))
}

/// `name(a, b, *)`: identifiers (or `*`), with their spans.
pub(crate) fn name_list(meta: &ParseNestedMeta<'_>) -> syn::Result<Vec<(String, Span)>> {
    expect_parens(meta, "a, b")?;
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
        Ok(Self(
            ident.to_string().trim_start_matches("r#").to_owned(),
            ident.span(),
        ))
    }
}

/// `name("a", "b")`: string literals.
pub(crate) fn str_list(meta: &ParseNestedMeta<'_>) -> syn::Result<Vec<LitStr>> {
    expect_parens(meta, "\"a\", \"b\"")?;
    let content;
    syn::parenthesized!(content in meta.input);
    let items = Punctuated::<LitStr, Token![,]>::parse_terminated(&content)?;
    Ok(items.into_iter().collect())
}

/// A range bound pair from `a..=b`, `a..` or `..=b`.
pub(crate) struct Bounds {
    pub(crate) min: Option<Expr>,
    pub(crate) max: Option<Expr>,
    /// The range as written, for errors about it.
    pub(crate) range: TokenStream,
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
        range: expr.to_token_stream(),
    }))
}
