//! Rules of an `Endpoint` struct: its method, path, headers it sends and
//! where its arguments come from.

use super::super::Ctxt;
use super::super::argument_attrs::{ArgField, SourceAttr};
use super::super::ast::{is_create, is_option};
use super::super::attr::Spanned;
use super::super::case::{did_you_mean, did_you_mean_or_list};
use super::super::model;
use super::super::symbol::METHODS;
use super::names::{is_element_name, is_name};

/// An endpoint without a method and path cannot be routed. When one of
/// its attributes did not parse, that attribute may hold them: its error
/// is the one to read, so this one is not added.
pub(super) fn method_and_path_given(cx: &Ctxt, model: &model::Endpoint<'_>) {
    if model.attrs.method.is_none() && !model.attrs.unparsed {
        cx.error_spanned_by(
            model.container.ident,
            "an endpoint needs a method and a path: add `#[pale(GET \"/path\")]`",
        );
    }
}

/// The method becomes a `pale_core::Method` variant; HTTP methods are
/// case-sensitive, and `get` is the most likely slip.
pub(super) fn method_is_known(cx: &Ctxt, method: &syn::Ident) {
    let text = method.to_string();
    if !METHODS.contains(&text.as_str()) {
        let upper = text.to_uppercase();
        let message = if METHODS.contains(&upper.as_str()) {
            format!("write the HTTP method in capitals: `{upper}`")
        } else {
            format!(
                "unknown HTTP method `{text}`{}",
                did_you_mean_or_list(&text, METHODS)
            )
        };
        cx.error_spanned_by(method, message);
    }
}

/// `cache` is sent as the `Cache-Control` header of every success: an
/// empty value or a control character would make that header invalid.
pub(super) fn cache_is_a_header_value(cx: &Ctxt, cache: &Spanned<syn::LitStr>) {
    let Some(lit) = &cache.value else { return };
    let value = lit.value();
    if value.trim().is_empty() || value.chars().any(char::is_control) {
        cx.error_spanned_by(
            lit,
            "`cache` needs a `Cache-Control` value, like `\"max-age=60\"` or `\"no-store\"`",
        );
    }
}

/// The envelope key is the root element of XML responses, so it must be
/// a name an XML parser accepts.
pub(super) fn envelope_is_an_element_name(cx: &Ctxt, envelope: &Spanned<syn::LitStr>) {
    let Some(lit) = &envelope.value else { return };
    if !is_element_name(&lit.value()) {
        cx.error_spanned_by(
            lit,
            "an envelope key is used as an XML element: use letters, digits, `_` and `-`, like `\"album\"`",
        );
    }
}

/// Path parameters and fields must match both ways: a template parameter
/// with no field could never be read, and a field declared `from = path`
/// that the template does not name could never be given.
pub(super) fn path_params(cx: &Ctxt, path: &syn::LitStr, fields: &[ArgField<'_>]) {
    let template = path.value();
    let params: Vec<&str> = pale_path::segments(&template)
        .filter_map(|s| match s {
            Ok(pale_path::Segment::Param(name)) => Some(name),
            _ => None,
        })
        .collect();
    // A flattened field's own name is no argument's: it cannot be a
    // path parameter.
    let names: Vec<&str> = fields
        .iter()
        .filter(|f| !f.is_flattened())
        .map(|f| f.name.as_str())
        .collect();
    for param in &params {
        if !names.contains(param) {
            let hint = match did_you_mean(param, &names) {
                hint if hint.is_empty() => {
                    format!(": add a field `{param}`, or `rename` one to it")
                }
                hint => hint,
            };
            cx.error_spanned_by(
                path,
                format!("the path parameter `{param}` has no matching field{hint}"),
            );
        }
    }
    for field in fields.iter().filter(|f| !f.is_flattened()) {
        let in_path = params.contains(&field.name.as_str());
        match &field.from.value {
            Some(SourceAttr::Path) if !in_path => cx.error_spanned_by(
                &field.from.tokens,
                format!(
                    "`{}` is `from = path` but the path has no `{{{}}}`",
                    field.name, field.name
                ),
            ),
            Some(_) if in_path => cx.error_spanned_by(
                &field.from.tokens,
                format!(
                    "`{}` is a path parameter: it can only come from the path",
                    field.name
                ),
            ),
            _ => {}
        }
        if in_path && is_option(field.field.ty) {
            cx.error_spanned_by(
                field.field.ty,
                "a path parameter is always present: it cannot be an `Option`",
            );
        }
        if in_path && field.default.is_some() {
            cx.error_spanned_by(
                &field.default.tokens,
                "a path parameter is always present: it cannot have a `default`",
            );
        }
    }
}

/// The route name is the OpenAPI `operationId` (an identifier in every
/// generated client) and the name links and logs use.
pub(super) fn name_is_a_route_name(cx: &Ctxt, name: &Spanned<syn::LitStr>) {
    let Some(lit) = &name.value else { return };
    let value = lit.value();
    if !value.trim().is_empty() && !is_name(&value, b"_-.") {
        cx.error_spanned_by(
            lit,
            "a route name is the OpenAPI `operationId` and names the route in links and logs: use letters, digits and `_`, like `\"list_albums\"`",
        );
    }
}

/// A `GET` or `HEAD` request carries no body (RFC 9110 §9.3.1: a body
/// has no defined meaning, and proxies may drop it), so an argument read
/// from it could never be given.
pub(super) fn no_body_on_reads(cx: &Ctxt, method: &syn::Ident, fields: &[ArgField<'_>]) {
    if !matches!(method.to_string().as_str(), "GET" | "HEAD") {
        return;
    }
    for field in fields {
        if let Some(SourceAttr::Body | SourceAttr::Document) = field.from.value {
            cx.error_spanned_by(
                &field.from.tokens,
                format!(
                    "a `{method}` request has no body: read `{}` from the query (remove `from`)",
                    field.name
                ),
            );
        }
    }
}

/// `from = document` takes the whole body: a second one, or a body member
/// beside it, would read the same bytes as something else.
pub(super) fn one_document(cx: &Ctxt, fields: &[ArgField<'_>]) {
    let documents: Vec<&ArgField<'_>> = fields
        .iter()
        .filter(|f| matches!(f.from.value, Some(SourceAttr::Document)))
        .collect();
    let Some(first) = documents.first() else {
        return;
    };
    for extra in &documents[1..] {
        cx.error_spanned_by(
            &extra.from.tokens,
            format!("`{}` already takes the whole body (`from = document`): an endpoint has one document", first.name),
        );
    }
    for member in fields
        .iter()
        .filter(|f| matches!(f.from.value, Some(SourceAttr::Body)))
    {
        cx.error_spanned_by(
            &member.from.tokens,
            format!("`{}` takes the whole body (`from = document`), so no field can be a member of it: read `{}` from the document, or remove `from = document`", first.name, member.name),
        );
    }
}

/// A tag groups operations in the document and the HTML reference: an
/// empty list or an empty name groups nothing.
pub(super) fn tags_named(cx: &Ctxt, tags: &Spanned<Vec<syn::LitStr>>) {
    let Some(list) = &tags.value else { return };
    if list.is_empty() {
        cx.error_spanned_by(
            &tags.tokens,
            "`tags()` names no tag: add one, like `tags(\"albums\")`, or remove it",
        );
    }
    for tag in list.iter().filter(|t| t.value().trim().is_empty()) {
        cx.error_spanned_by(tag, "a tag needs a name, like `\"albums\"`");
    }
}

/// A query string in the template would be matched against the path and
/// never found: query arguments are fields.
pub(super) fn no_query_in_path(cx: &Ctxt, path: &syn::LitStr) {
    let template = path.value();
    let Some((_, query)) = template.split_once(['?', '#']) else {
        return;
    };
    let name = query.split(['=', '&']).next().unwrap_or_default();
    let hint = if name.is_empty() {
        String::new()
    } else {
        format!(": declare a field `{name}` (fields not in the path are read from the query)")
    };
    cx.error_spanned_by(
        path,
        format!("a path template has no query string or fragment{hint}"),
    );
}

/// A `Create<T>` body is the whole request body (the resource's fields
/// are its members), and it already says what the endpoint writes: read
/// as one member, or beside `writes = …`, it would say something else. It
/// creates: a `PATCH` would be documented as a merge patch and written as
/// a create (required fields demanded, `create_only` ones taken).
pub(super) fn create_body_is_the_document(cx: &Ctxt, model: &model::Endpoint<'_>) {
    for field in &model.fields {
        if !is_create(field.field.ty) {
            continue;
        }
        if !matches!(field.from.value, Some(SourceAttr::Document)) {
            cx.error_spanned_by(
                field.field.ty,
                "a `Create<…>` body is the whole request body: add `#[pale(from = document)]`",
            );
            continue;
        }
        if model.attrs.method.as_ref().is_some_and(|m| m == "PATCH") {
            cx.error_spanned_by(
                field.field.ty,
                "a `Create<…>` body creates: a `PATCH` takes its merge patch as `Raw` and \
                 writes it with `write::apply(…, WriteMode::Patch)`",
            );
        }
        if model.attrs.writes.is_some() {
            cx.error_spanned_by(
                &model.attrs.writes.tokens,
                "the `Create<…>` body already says what this endpoint writes: remove `writes`",
            );
        }
    }
}
