//! The attributes of argument fields (`#[derive(Arguments)]` and
//! `#[derive(Endpoint)]`) and of the `Arguments` struct.

use syn::{Expr, LitStr};

use super::Ctxt;
use super::ast::{Container, Field};
use super::attr::{self, Attr, Flag, Spanned};
use super::case::suggest;
use super::constraint_attrs::{ConstraintSlots, Constraints};
use super::symbol::*;

/// Where `from = …` says an argument comes from.
pub(crate) enum SourceAttr {
    Path,
    Query,
    Body,
    Document,
    Header(LitStr),
}

/// One argument field, with its attributes.
pub(crate) struct ArgField<'a> {
    pub(crate) field: Field<'a>,
    /// The name clients use (`rename`, or the field's name).
    pub(crate) name: String,
    pub(crate) rename: Spanned<LitStr>,
    pub(crate) default: Spanned<Expr>,
    pub(crate) constraints: Constraints,
    pub(crate) separator: Spanned<LitStr>,
    pub(crate) from: Spanned<SourceAttr>,
    /// `flatten`: the field's type is an `Arguments` struct whose
    /// arguments are read as this struct's own (a `PageRequest`).
    pub(crate) flatten: Spanned<()>,
}

impl<'a> ArgField<'a> {
    /// Whether the field's arguments are read as its container's own.
    pub(crate) fn is_flattened(&self) -> bool {
        self.flatten.is_some()
    }

    pub(crate) fn parse(cx: &Ctxt, field: Field<'a>) -> Self {
        let mut rename = Attr::<LitStr>::none(cx, RENAME);
        let mut default = Attr::<Expr>::none(cx, DEFAULT);
        let mut constraints = ConstraintSlots::new(cx);
        let mut separator = Attr::<LitStr>::none(cx, SEPARATOR);
        let mut from = Attr::<SourceAttr>::none(cx, FROM);
        let mut flatten = Flag::none(cx, FLATTEN);

        attr::for_each_item(
            cx,
            field.attrs,
            ARGUMENT_FIELD,
            "an argument field",
            |name, meta| {
                match name {
                    // rename = "client_name"
                    RENAME => rename.set(&meta.path, attr::name_str(cx, meta, "sort_by")?),
                    // default = <expression>
                    DEFAULT => default.set(&meta.path, meta.value()?.parse()?),
                    // range, len, pattern, one_of
                    RANGE | LEN | PATTERN | ONE_OF => constraints.parse(cx, name, meta)?,
                    // separator = ","
                    SEPARATOR => {
                        let lit = attr::lit_str(meta)?;
                        if lit.value().is_empty() {
                            cx.error_spanned_by(&lit, "`separator` must not be empty");
                        }
                        separator.set(&meta.path, lit);
                    }
                    // from = path | query | body | document | header("X-Name")
                    FROM => {
                        let expr: Expr = meta.value()?.parse()?;
                        if let Some(source) = parse_source(cx, &expr) {
                            from.set(&meta.path, source);
                        }
                    }
                    // flatten
                    FLATTEN => flatten.set_from(meta)?,
                    _ => unreachable!("`{name}` is in ARGUMENT_FIELD"),
                }
                Ok(())
            },
        );

        let rename = rename.get();
        let name = rename
            .value
            .as_ref()
            .map_or_else(|| field.name(), LitStr::value);
        Self {
            field,
            name,
            rename,
            default: default.get(),
            constraints: constraints.get(),
            separator: separator.get(),
            from: from.get(),
            flatten: flatten.get(),
        }
    }
}

fn parse_source(cx: &Ctxt, expr: &Expr) -> Option<SourceAttr> {
    let unknown = |what: &dyn quote::ToTokens, name: &str| {
        let hint = match suggest(name, SOURCES) {
            Some(s) => format!(", did you mean `{s}`?"),
            None => {
                "; expected `path`, `query`, `body`, `document` or `header(\"X-Name\")`".to_owned()
            }
        };
        cx.error_spanned_by(what, format!("unknown argument source `{name}`{hint}"));
        None
    };
    match expr {
        Expr::Path(p) if p.path.get_ident().is_some() => {
            let name = p
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            match name.as_str() {
                "path" => Some(SourceAttr::Path),
                "query" => Some(SourceAttr::Query),
                "body" => Some(SourceAttr::Body),
                "document" => Some(SourceAttr::Document),
                "header" => {
                    cx.error_spanned_by(
                        p,
                        "`header` needs the header's name: `header(\"X-Name\")`",
                    );
                    None
                }
                other => unknown(p, other),
            }
        }
        Expr::Call(call) => {
            let name = quote::ToTokens::to_token_stream(&call.func).to_string();
            if name != "header" {
                return unknown(&call.func, &name);
            }
            match call.args.first() {
                Some(Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(lit),
                    ..
                })) if call.args.len() == 1 => {
                    let value = lit.value();
                    let valid = !value.is_empty()
                        && value
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
                    if !valid {
                        cx.error_spanned_by(
                            lit,
                            format!(
                                "`{value}` is not a valid HTTP header name: use letters, digits and `-`, like `{}`",
                                example_header(&value)
                            ),
                        );
                        return None;
                    }
                    Some(SourceAttr::Header(lit.clone()))
                }
                _ => {
                    cx.error_spanned_by(call, "expected `header(\"X-Name\")` with one string");
                    None
                }
            }
        }
        other => {
            cx.error_spanned_by(
                other,
                "expected `path`, `query`, `body`, `document` or `header(\"X-Name\")`",
            );
            None
        }
    }
}

/// `X Request Id` → `X-Request-Id`: the name as it was probably meant.
fn example_header(value: &str) -> String {
    let words: Vec<&str> = value
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        "X-Name".to_owned()
    } else {
        words.join("-")
    }
}

/// The attributes of a `#[derive(Arguments)]` struct.
pub(crate) struct ArgumentsAttrs {
    pub(crate) deny_unknown: Spanned<()>,
}

impl ArgumentsAttrs {
    pub(crate) fn parse(cx: &Ctxt, container: &Container<'_>) -> Self {
        let mut deny_unknown = Flag::none(cx, DENY_UNKNOWN);
        attr::for_each_item(
            cx,
            container.attrs,
            ARGUMENTS_CONTAINER,
            "an `Arguments` struct",
            |name, meta| {
                match name {
                    // deny_unknown
                    DENY_UNKNOWN => deny_unknown.set_from(meta)?,
                    _ => unreachable!("`{name}` is in ARGUMENTS_CONTAINER"),
                }
                Ok(())
            },
        );
        Self {
            deny_unknown: deny_unknown.get(),
        }
    }
}
