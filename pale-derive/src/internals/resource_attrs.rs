//! The attributes of `#[derive(Resource)]`: on the struct and its fields.

use proc_macro2::Span;
use syn::{ExprPath, Ident, LitStr, Type};

use super::Ctxt;
use super::ast::{Container, Field};
use super::attr::{self, Attr, Flag, Spanned};
use super::case::{did_you_mean_or_list, one_of};
use super::constraint_attrs::{ConstraintSlots, Constraints};
use super::symbol::*;

/// `link = GetAlbum(id, …)`: an endpoint and the fields filling its path.
pub(crate) struct Link {
    pub(crate) endpoint: syn::Path,
    pub(crate) args: Vec<Ident>,
}

/// One resource field, with its attributes.
pub(crate) struct ResField<'a> {
    pub(crate) field: Field<'a>,
    /// The name clients see.
    pub(crate) name: String,
    pub(crate) rename: Spanned<LitStr>,
    pub(crate) skip: Spanned<()>,
    pub(crate) audience: Spanned<Ident>,
    pub(crate) visible: Spanned<ExprPath>,
    pub(crate) subfields: Spanned<Vec<(String, Span)>>,
    pub(crate) nested: Spanned<()>,
    pub(crate) getter: Spanned<ExprPath>,
    pub(crate) link: Spanned<Link>,
    /// The least audience that may write it.
    pub(crate) write: Spanned<Ident>,
    pub(crate) create_only: Spanned<()>,
    pub(crate) write_only: Spanned<()>,
    /// What a written value must satisfy.
    pub(crate) constraints: Constraints,
}

impl ResField<'_> {
    /// Whether the field renders a nested resource.
    pub(crate) fn is_nested(&self) -> bool {
        self.subfields.is_some() || self.nested.is_some()
    }

    /// Whether the field can be written by someone.
    pub(crate) fn is_writable(&self) -> bool {
        self.write.is_some()
    }
}

impl<'a> ResField<'a> {
    pub(crate) fn parse(cx: &Ctxt, field: Field<'a>) -> Self {
        let mut rename = Attr::<LitStr>::none(cx, RENAME);
        let mut skip = Flag::none(cx, SKIP);
        let mut audience = Attr::<Ident>::none(cx, AUDIENCE);
        let mut visible = Attr::<ExprPath>::none(cx, VISIBLE);
        let mut subfields = Attr::<Vec<(String, Span)>>::none(cx, SUBFIELDS);
        let mut nested = Flag::none(cx, NESTED);
        let mut getter = Attr::<ExprPath>::none(cx, GETTER);
        let mut link = Attr::<Link>::none(cx, LINK);
        let mut write = Attr::<Ident>::none(cx, WRITE);
        let mut create_only = Flag::none(cx, CREATE_ONLY);
        let mut write_only = Flag::none(cx, WRITE_ONLY);
        let mut constraints = ConstraintSlots::new(cx);

        attr::for_each_item(
            cx,
            field.attrs,
            RESOURCE_FIELD,
            "a resource field",
            |name, meta| {
                match name {
                    // rename = "client_name"
                    RENAME => rename.set(&meta.path, attr::name_str(cx, meta, "release_date")?),
                    // skip
                    SKIP => skip.set_from(meta)?,
                    // audience = Public | User | Owner | Admin
                    AUDIENCE => {
                        if let Some(ident) = audience_ident(cx, meta)? {
                            audience.set(&meta.path, ident);
                        }
                    }
                    // visible = path::to::predicate
                    VISIBLE => visible.set(&meta.path, attr::expr_path(meta)?),
                    // subfields(a, b) | subfields(*)
                    SUBFIELDS => subfields.set(&meta.path, attr::name_list(meta)?),
                    // nested
                    NESTED => nested.set_from(meta)?,
                    // getter = Self::method
                    GETTER => getter.set(&meta.path, attr::expr_path(meta)?),
                    // write = Public | User | Owner | Admin
                    WRITE => {
                        if let Some(ident) = audience_ident(cx, meta)? {
                            write.set(&meta.path, ident);
                        }
                    }
                    // create_only
                    CREATE_ONLY => create_only.set_from(meta)?,
                    // write_only
                    WRITE_ONLY => write_only.set_from(meta)?,
                    // range, len, pattern, one_of (checked on writes)
                    RANGE | LEN | PATTERN | ONE_OF => constraints.parse(cx, name, meta)?,
                    // link = Endpoint(field, …)
                    LINK => {
                        let expr: syn::Expr = meta.value()?.parse()?;
                        if let Some(l) = parse_link(cx, &expr) {
                            link.set(&meta.path, l);
                        }
                    }
                    _ => unreachable!("`{name}` is in RESOURCE_FIELD"),
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
            skip: skip.get(),
            audience: audience.get(),
            visible: visible.get(),
            subfields: subfields.get(),
            nested: nested.get(),
            getter: getter.get(),
            link: link.get(),
            write: write.get(),
            create_only: create_only.get(),
            write_only: write_only.get(),
            constraints: constraints.get(),
        }
    }
}

/// `audience = Owner`, checked against the four audiences.
pub(crate) fn audience_ident(
    cx: &Ctxt,
    meta: &syn::meta::ParseNestedMeta<'_>,
) -> syn::Result<Option<Ident>> {
    let input = meta.value()?;
    // `audience = "Owner"`: the audiences are names, not text.
    if input.peek(syn::LitStr) {
        let lit: syn::LitStr = input.parse()?;
        let value = lit.value();
        let message = if AUDIENCES.contains(&value.as_str()) {
            format!("write the audience without quotes: `audience = {value}`")
        } else {
            format!(
                "expected `audience = Owner`; the audiences are {}",
                one_of(AUDIENCES)
            )
        };
        cx.error_spanned_by(&lit, message);
        return Ok(None);
    }
    let path: syn::Path = input.parse()?;
    let Some(last) = path.segments.last() else {
        return Ok(None);
    };
    let ident = last.ident.clone();
    if AUDIENCES.contains(&ident.to_string().as_str()) {
        Ok(Some(ident))
    } else {
        cx.error_spanned_by(
            &path,
            format!(
                "unknown audience `{ident}`{}",
                did_you_mean_or_list(&ident.to_string(), AUDIENCES)
            ),
        );
        Ok(None)
    }
}

fn parse_link(cx: &Ctxt, expr: &syn::Expr) -> Option<Link> {
    match expr {
        syn::Expr::Path(p) => Some(Link {
            endpoint: p.path.clone(),
            args: Vec::new(),
        }),
        syn::Expr::Call(call) => {
            let syn::Expr::Path(func) = &*call.func else {
                cx.error_spanned_by(&call.func, "expected an endpoint type");
                return None;
            };
            let mut args = Vec::new();
            for arg in &call.args {
                match arg {
                    syn::Expr::Path(p) if p.path.get_ident().is_some() => {
                        args.push(p.path.get_ident().cloned().expect("checked"));
                    }
                    other => {
                        cx.error_spanned_by(other, "expected the name of a field of this resource");
                        return None;
                    }
                }
            }
            Some(Link {
                endpoint: func.path.clone(),
                args,
            })
        }
        other => {
            cx.error_spanned_by(other, "expected `Endpoint` or `Endpoint(field, …)`");
            None
        }
    }
}

/// The attributes of a `#[derive(Resource)]` struct.
pub(crate) struct ResourceAttrs {
    pub(crate) context: Spanned<Type>,
    pub(crate) viewer: Spanned<ExprPath>,
    pub(crate) default_fields: Spanned<Vec<(String, Span)>>,
    pub(crate) name: Spanned<LitStr>,
    pub(crate) etag: Spanned<ExprPath>,
    pub(crate) modified: Spanned<ExprPath>,
    /// `creator = Owner`: the audience whoever creates one holds over it.
    pub(crate) creator: Spanned<Ident>,
}

impl ResourceAttrs {
    pub(crate) fn parse(cx: &Ctxt, container: &Container<'_>) -> Self {
        let mut context = Attr::<Type>::none(cx, CONTEXT);
        let mut viewer = Attr::<ExprPath>::none(cx, VIEWER);
        let mut default_fields = Attr::<Vec<(String, Span)>>::none(cx, DEFAULT_FIELDS);
        let mut name = Attr::<LitStr>::none(cx, NAME);
        let mut etag = Attr::<ExprPath>::none(cx, ETAG);
        let mut modified = Attr::<ExprPath>::none(cx, MODIFIED);
        let mut creator = Attr::<Ident>::none(cx, CREATOR);
        attr::for_each_item(
            cx,
            container.attrs,
            RESOURCE_CONTAINER,
            "a `Resource` struct",
            |item, meta| {
                match item {
                    // context = AppType
                    CONTEXT => context.set(&meta.path, meta.value()?.parse()?),
                    // viewer = Self::viewer
                    VIEWER => viewer.set(&meta.path, attr::expr_path(meta)?),
                    // default_fields(a, b)
                    DEFAULT_FIELDS => default_fields.set(&meta.path, attr::name_list(meta)?),
                    // name = "album"
                    NAME => name.set(&meta.path, attr::name_str(cx, meta, "album")?),
                    // etag = Self::etag
                    ETAG => etag.set(&meta.path, attr::expr_path(meta)?),
                    // modified = Self::modified
                    MODIFIED => modified.set(&meta.path, attr::expr_path(meta)?),
                    // creator = Owner
                    CREATOR => {
                        if let Some(ident) = audience_ident(cx, meta)? {
                            creator.set(&meta.path, ident);
                        }
                    }
                    _ => unreachable!("`{item}` is in RESOURCE_CONTAINER"),
                }
                Ok(())
            },
        );
        Self {
            context: context.get(),
            viewer: viewer.get(),
            default_fields: default_fields.get(),
            name: name.get(),
            etag: etag.get(),
            modified: modified.get(),
            creator: creator.get(),
        }
    }
}
