//! The attributes of `#[derive(Endpoint)]`:
//! `#[pale(GET "/albums/{album_id}", name = "album", …)]`.

use pale_path::TemplateError;
use proc_macro2::TokenStream;
use syn::parse::{ParseStream, Parser};
use syn::{Ident, LitStr, Token};

use super::Ctxt;
use super::ast::Container;
use super::attr::{self, Attr, Flag, Spanned};
use super::rate_limit_attrs::{self, RateLimitAttr};
use super::resource_attrs::audience_ident;
use super::symbol::*;

/// `cors = "*"` or `cors("https://a.example", …)`.
pub(crate) enum CorsAttr {
    Any,
    Origins(Vec<LitStr>),
}

/// The struct-level attributes of an endpoint.
pub(crate) struct EndpointAttrs {
    /// The method, as written (the check step holds it to [`METHODS`]).
    pub(crate) method: Option<Ident>,
    /// The path template.
    pub(crate) path: Option<LitStr>,
    pub(crate) name: Spanned<LitStr>,
    pub(crate) cache: Spanned<LitStr>,
    pub(crate) cors: Spanned<CorsAttr>,
    pub(crate) envelope: Spanned<LitStr>,
    pub(crate) audience: Spanned<Ident>,
    pub(crate) deny_unknown: Spanned<()>,
    pub(crate) tags: Spanned<Vec<LitStr>>,
    /// Error statuses the handler answers beyond the pipeline's own,
    /// checked to be 400–599.
    pub(crate) errors: Spanned<Vec<u16>>,
    /// The resource a `from = document` body is written into, when it is
    /// not the output's (a track added to an album that is returned).
    pub(crate) writes: Spanned<syn::Type>,
    /// `rate_limit = "60/min"` or `rate_limit(public = …, user = …)`.
    pub(crate) rate_limits: Spanned<Vec<RateLimitAttr>>,
    /// Whether an attribute failed to parse: it may hold the method and
    /// path, so their absence is not reported on top of its error.
    pub(crate) unparsed: bool,
}

impl EndpointAttrs {
    pub(crate) fn parse(cx: &Ctxt, container: &Container<'_>) -> Self {
        let mut method = None;
        let mut path = None;
        let mut unparsed = false;
        let mut name = Attr::<LitStr>::none(cx, NAME);
        let mut cache = Attr::<LitStr>::none(cx, CACHE);
        let mut cors = Attr::<CorsAttr>::none(cx, CORS);
        let mut envelope = Attr::<LitStr>::none(cx, ENVELOPE);
        let mut audience = Attr::<Ident>::none(cx, AUDIENCE);
        let mut deny_unknown = Flag::none(cx, DENY_UNKNOWN);
        let mut tags = Attr::<Vec<LitStr>>::none(cx, TAGS);
        let mut errors = Attr::<Vec<u16>>::none(cx, ERRORS);
        let mut writes = Attr::<syn::Type>::none(cx, WRITES);
        let mut rate_limits = Attr::<Vec<RateLimitAttr>>::none(cx, RATE_LIMIT);

        let mut each = |item: &str, meta: &syn::meta::ParseNestedMeta<'_>| {
            match item {
                // name = "route_name"
                NAME => name.set(&meta.path, attr::name_str(cx, meta, "list_albums")?),
                // cache = "max-age=60"
                CACHE => cache.set(&meta.path, attr::lit_str(meta)?),
                // cors = "*" | cors("https://a.example", …)
                CORS => {
                    if let Some(c) = parse_cors(cx, meta)? {
                        cors.set(&meta.path, c);
                    }
                }
                // envelope = "album"
                ENVELOPE => envelope.set(&meta.path, attr::lit_str(meta)?),
                // audience = User
                AUDIENCE => {
                    if let Some(ident) = audience_ident(cx, meta)? {
                        audience.set(&meta.path, ident);
                    }
                }
                // deny_unknown
                DENY_UNKNOWN => deny_unknown.set_from(meta)?,
                // tags("albums", …)
                TAGS => tags.set(&meta.path, attr::str_list(meta)?),
                // errors(409, 412)
                ERRORS => errors.set(&meta.path, parse_errors(cx, meta)?),
                // writes = TrackInput
                WRITES => writes.set(&meta.path, meta.value()?.parse()?),
                // rate_limit = "60/min" | rate_limit(public = "60/min", …)
                RATE_LIMIT => rate_limits.set(&meta.path, rate_limit_attrs::parse(cx, meta)?),
                _ => unreachable!("`{item}` is in ENDPOINT_CONTAINER"),
            }
            Ok(())
        };

        for attribute in container.attrs {
            if !attribute.path().is_ident(PALE) {
                continue;
            }
            let syn::Meta::List(list) = &attribute.meta else {
                cx.error_spanned_by(attribute, "expected `#[pale(GET \"/path\", name = \"…\")]`");
                continue;
            };
            let parser = |input: ParseStream<'_>| -> syn::Result<()> {
                // `GET, "/path"`: the method and the path are one item.
                if input.peek(Ident) && input.peek2(Token![,]) {
                    let fork = input.fork();
                    let m: Ident = fork.parse()?;
                    fork.parse::<Token![,]>()?;
                    let p = fork
                        .parse::<LitStr>()
                        .map_or_else(|_| "/path".to_owned(), |p| p.value());
                    if METHODS.contains(&m.to_string().to_uppercase().as_str()) {
                        return Err(syn::Error::new(
                            m.span(),
                            format!(
                                "write the method and the path together, with no comma: `{m} {p:?}`"
                            ),
                        ));
                    }
                }
                if input.peek(Ident) && input.peek2(LitStr) {
                    let m: Ident = input.parse()?;
                    let p: LitStr = input.parse()?;
                    if method.is_some() {
                        cx.error_spanned_by(
                            &m,
                            "the method and path are given twice: an endpoint has one of each",
                        );
                    } else {
                        check_path(cx, &p);
                        method = Some(m);
                        path = Some(p);
                    }
                    if input.is_empty() {
                        return Ok(());
                    }
                    if !input.peek(Token![,]) {
                        return Err(input.error("expected `,` after the path"));
                    }
                    input.parse::<Token![,]>()?;
                }
                let rest: TokenStream = input.parse()?;
                syn::meta::parser(|meta| {
                    attr::dispatch(
                        cx,
                        &meta,
                        ENDPOINT_CONTAINER,
                        "an `Endpoint` struct",
                        &mut each,
                    )
                })
                .parse2(rest)
            };
            if let Err(err) = parser.parse2(list.tokens.clone()) {
                cx.syn_error(err);
                unparsed = true;
            }
        }

        Self {
            method,
            path,
            name: name.get(),
            cache: cache.get(),
            cors: cors.get(),
            envelope: envelope.get(),
            audience: audience.get(),
            deny_unknown: deny_unknown.get(),
            tags: tags.get(),
            errors: errors.get(),
            writes: writes.get(),
            rate_limits: rate_limits.get(),
            unparsed,
        }
    }
}

/// `errors(409, 412)`: the error statuses a handler answers itself (a
/// conflict, a failed precondition), so the docs list them. Each must be
/// an error status: the success status comes from the output type.
fn parse_errors(cx: &Ctxt, meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<Vec<u16>> {
    if !meta.input.peek(syn::token::Paren) {
        return Err(meta.error("expected a list of statuses, like `errors(409, 412)`"));
    }
    let content;
    syn::parenthesized!(content in meta.input);
    let items = syn::punctuated::Punctuated::<syn::LitInt, Token![,]>::parse_terminated(&content)?;
    let mut statuses: Vec<u16> = Vec::new();
    for lit in &items {
        match lit.base10_parse::<u16>() {
            Ok(status) if (400..=599).contains(&status) => {
                if statuses.contains(&status) {
                    cx.error_spanned_by(lit, format!("status {status} is listed twice"));
                } else {
                    statuses.push(status);
                }
            }
            _ => cx.error_spanned_by(
                lit,
                format!(
                    "`errors` lists error statuses, from 400 to 599: `{lit}` is not one (the success status comes from the output type)"
                ),
            ),
        }
    }
    Ok(statuses)
}

/// Reports the first way `path` breaks the template rules, which
/// `pale-path` holds for the derive and the runtime alike.
fn check_path(cx: &Ctxt, path: &LitStr) {
    let value = path.value();
    let message = match pale_path::parse(&value) {
        Ok(_) => return,
        Err(TemplateError::NoLeadingSlash) => format!("a path must start with `/`: `\"/{value}\"`"),
        Err(TemplateError::PartialSegment { segment }) => {
            format!("a path parameter must be a whole segment, like `/{{name}}`, not `/{segment}`")
        }
        Err(TemplateError::DuplicateName { name }) => {
            format!("the path parameter `{name}` appears twice: give each parameter its own name")
        }
        Err(TemplateError::InvalidName { name }) => {
            format!("`{{{name}}}` is not a valid path parameter: use a field name")
        }
        Err(other) => other.to_string(),
    };
    cx.error_spanned_by(path, message);
}

fn parse_cors(cx: &Ctxt, meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<Option<CorsAttr>> {
    if meta.input.peek(Token![=]) {
        let lit = attr::lit_str(meta)?;
        if lit.value() == "*" {
            return Ok(Some(CorsAttr::Any));
        }
        cx.error_spanned_by(
            &lit,
            "expected `cors = \"*\"`, or a list of origins: `cors(\"https://app.example\")`",
        );
        return Ok(None);
    }
    let origins = attr::str_list(meta)?;
    let mut ok = !origins.is_empty();
    if origins.is_empty() {
        cx.error_spanned_by(&meta.path, "`cors(...)` needs at least one origin");
    }
    for origin in &origins {
        let value = origin.value();
        if value == "*" {
            cx.error_spanned_by(origin, "write `cors = \"*\"` to allow any origin");
            ok = false;
        } else if !is_origin(&value) {
            cx.error_spanned_by(
                origin,
                "an origin is a scheme, a host and an optional port, with no path: `https://app.example`",
            );
            ok = false;
        }
    }
    Ok(ok.then_some(CorsAttr::Origins(origins)))
}

fn is_origin(value: &str) -> bool {
    let Some((scheme, rest)) = value.split_once("://") else {
        return false;
    };
    matches!(scheme, "http" | "https")
        && !rest.is_empty()
        && !rest.contains(['/', '?', '#', '@', ' '])
}
