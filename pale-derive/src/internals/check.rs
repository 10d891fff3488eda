//! The check step: rules over a parsed model, one function each, with the
//! reason it exists.
//!
//! [`check`] is the one entry: each derive parses its input completely
//! into a [`Model`], then this runs every rule that applies to it, in a
//! fixed order, reporting to the same accumulator, so the user gets every
//! mistake at once. Parsing reports what cannot be read into the model
//! (an unknown or repeated attribute, a value not of its attribute's
//! form); the rules here weigh what was read: whether it fits what the
//! generated code makes of it (a method, a header value, an XML element
//! name), and how attributes, fields and types relate.

use quote::ToTokens;

use super::Ctxt;
use super::argument_attrs::{ArgField, SourceAttr};
use super::ast::{is_create, is_list, is_option, outer_type};
use super::attr::{Bounds, Spanned};
use super::case::{did_you_mean, did_you_mean_or_list};
use super::constraint_attrs::Constraints;
use super::enum_attrs::ArgumentEnum;
use super::model::{self, Model};
use super::resource_attrs::{ResField, ResourceAttrs};
use super::symbol::METHODS;

/// Runs every rule that applies to `model`.
pub(crate) fn check(cx: &Ctxt, model: &Model<'_>) {
    match model {
        Model::Arguments(m) => arguments(cx, m),
        Model::Endpoint(m) => endpoint(cx, m),
        Model::Resource(m) => resource(cx, m),
        Model::ArgumentEnum(m) => argument_enum(cx, m),
    }
}

fn arguments(cx: &Ctxt, model: &model::Arguments<'_>) {
    argument_fields(cx, &model.fields);
    for field in &model.fields {
        no_path_source(cx, field);
    }
}

fn endpoint(cx: &Ctxt, model: &model::Endpoint<'_>) {
    let attrs = &model.attrs;
    method_and_path_given(cx, model);
    if let Some(method) = &attrs.method {
        method_is_known(cx, method);
    }
    cache_is_a_header_value(cx, &attrs.cache);
    envelope_is_an_element_name(cx, &attrs.envelope);
    argument_fields(cx, &model.fields);
    create_body_is_the_document(cx, model);
    if let Some(path) = &attrs.path {
        path_params(cx, path, &model.fields);
    }
}

fn resource(cx: &Ctxt, model: &model::Resource<'_>) {
    let (attrs, fields) = (&model.attrs, &model.fields);
    let rendered = || fields.iter().filter(|f| !f.skip.is_some());
    unique_names(cx, rendered().map(|f| (f.name.clone(), f.field.member)));
    viewer_needs_context(cx, attrs);
    creator_is_a_viewer(cx, attrs, fields);
    default_fields_exist(cx, attrs, fields);
    at_most_64_fields(cx, model.container.ident, rendered().count());
    for field in fields {
        skip_alone(cx, field);
        one_value_source(cx, field);
        write_rules(cx, field);
        bounds_in_order(cx, &field.constraints);
    }
}

fn argument_enum(cx: &Ctxt, model: &ArgumentEnum<'_>) {
    has_variants(cx, model);
    unique_variant_names(cx, model);
}

/// The rules every argument field follows, in an `Arguments` or an
/// `Endpoint` struct alike, so a rule added here holds for both.
fn argument_fields(cx: &Ctxt, fields: &[ArgField<'_>]) {
    let named = fields.iter().filter(|f| !f.is_flattened());
    unique_names(cx, named.map(|f| (f.name.clone(), f.field.member)));
    for field in fields {
        flatten_alone(cx, field);
        separator_needs_list(cx, field);
        default_not_on_option(cx, field);
        default_literal_fits(cx, field);
        bounds_in_order(cx, &field.constraints);
    }
}

/// An endpoint without a method and path cannot be routed. When one of
/// its attributes did not parse, that attribute may hold them: its error
/// is the one to read, so this one is not added.
fn method_and_path_given(cx: &Ctxt, model: &model::Endpoint<'_>) {
    if model.attrs.method.is_none() && !model.attrs.unparsed {
        cx.error_spanned_by(
            model.container.ident,
            "an endpoint needs a method and a path: add `#[pale(GET \"/path\")]`",
        );
    }
}

/// The method becomes a `pale_core::Method` variant; HTTP methods are
/// case-sensitive, and `get` is the most likely slip.
fn method_is_known(cx: &Ctxt, method: &syn::Ident) {
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
fn cache_is_a_header_value(cx: &Ctxt, cache: &Spanned<syn::LitStr>) {
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
fn envelope_is_an_element_name(cx: &Ctxt, envelope: &Spanned<syn::LitStr>) {
    let Some(lit) = &envelope.value else { return };
    let value = lit.value();
    let mut bytes = value.bytes();
    let valid = bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !valid {
        cx.error_spanned_by(
            lit,
            "an envelope key is used as an XML element: use letters, digits, `_` and `-`, like `\"album\"`",
        );
    }
}

/// An enum with no variants accepts no value at all: every request that
/// gives the argument would fail.
fn has_variants(cx: &Ctxt, model: &ArgumentEnum<'_>) {
    if model.declares_none {
        cx.error_spanned_by(model.ident, "an `ArgumentEnum` needs at least one variant");
    }
}

/// Two variants answering to one text could never both be chosen.
fn unique_variant_names(cx: &Ctxt, model: &ArgumentEnum<'_>) {
    let mut seen: Vec<&str> = Vec::new();
    for variant in &model.variants {
        if seen.contains(&variant.name.as_str()) {
            cx.error_spanned_by(
                variant.ident,
                format!("two variants are named `{}`", variant.name),
            );
        }
        seen.push(&variant.name);
    }
}

/// Two fields answering to one client name would make one of them
/// unreachable (arguments) or the output ambiguous (resources).
fn unique_names<'a>(cx: &Ctxt, names: impl Iterator<Item = (String, &'a syn::Ident)>) {
    let mut seen: Vec<String> = Vec::new();
    for (name, ident) in names {
        if seen.contains(&name) {
            cx.error_spanned_by(
                ident,
                format!("two fields are named `{name}` (check `rename`)"),
            );
        }
        seen.push(name);
    }
}

/// A flattened field has no name of its own and no value of its own: its
/// type's arguments, with their own names, defaults and constraints, are
/// read in its place. Anything else said of the field would be ignored.
fn flatten_alone(cx: &Ctxt, field: &ArgField<'_>) {
    if !field.is_flattened() {
        return;
    }
    let c = &field.constraints;
    let others = [
        (field.rename.is_some(), &field.rename.tokens),
        (field.default.is_some(), &field.default.tokens),
        (field.separator.is_some(), &field.separator.tokens),
        (field.from.is_some(), &field.from.tokens),
        (c.range.is_some(), &c.range.tokens),
        (c.len.is_some(), &c.len.tokens),
        (c.pattern.is_some(), &c.pattern.tokens),
        (c.one_of.is_some(), &c.one_of.tokens),
    ];
    for (present, tokens) in others {
        if present {
            cx.error_spanned_by(
                tokens,
                "a `flatten`ed field's arguments keep their own names, defaults and constraints: remove this attribute or `flatten`",
            );
        }
    }
}

/// `separator` splits text into a list; on a scalar field every value would
/// become a list and be rejected, which is never what was meant.
fn separator_needs_list(cx: &Ctxt, field: &ArgField<'_>) {
    if field.separator.is_some() && !is_list(field.field.ty) {
        cx.error_spanned_by(
            &field.separator.tokens,
            "`separator` splits text into a list: make the field a `Vec<T>` (or `Option<Vec<T>>`), or remove `separator`",
        );
    }
}

/// A `default` on an `Option` could never be told apart from the field's
/// own `None`; say so instead of silently picking one.
fn default_not_on_option(cx: &Ctxt, field: &ArgField<'_>) {
    if field.default.is_some() && is_option(field.field.ty) {
        cx.error_spanned_by(
            &field.default.tokens,
            "an `Option` field is already optional: drop `default`, or make the field non-optional",
        );
    }
}

/// `default = "20"` on a number is the habit of query strings, and rustc
/// alone would answer with a list of `From` impls; for the primitive types,
/// say which literal to write.
fn default_literal_fits(cx: &Ctxt, field: &ArgField<'_>) {
    const NUMBERS: &[&str] = &[
        "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize",
        "f32", "f64",
    ];
    let Some(syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(lit),
        ..
    })) = &field.default.value
    else {
        return;
    };
    let Some((ty, None)) = outer_type(field.field.ty) else {
        return;
    };
    let text = lit.value();
    let (kind, fits) = match ty.as_str() {
        "bool" => ("`true` or `false`", text.parse::<bool>().is_ok()),
        ty if NUMBERS.contains(&ty) => ("a number", text.trim().parse::<f64>().is_ok()),
        _ => return,
    };
    let example = if fits {
        format!(": `default = {}`", text.trim())
    } else {
        String::new()
    };
    cx.error_spanned_by(
        lit,
        format!("the default of a `{ty}` field is {kind}, not text{example}"),
    );
}

/// `range = 100..=1` accepts no value at all: every request would fail
/// validation, which a test might not catch. Only literal bounds (and
/// negated literals) can be compared here; others are left as they are.
fn bounds_in_order(cx: &Ctxt, constraints: &Constraints) {
    for (attr, bounds) in [("range", &constraints.range), ("len", &constraints.len)] {
        let Some(Bounds {
            min: Some(min),
            max: Some(max),
            range,
        }) = &bounds.value
        else {
            continue;
        };
        let (Some(low), Some(high)) = (literal_number(min), literal_number(max)) else {
            continue;
        };
        if low > high {
            let (min, max) = (
                min.to_token_stream().to_string(),
                max.to_token_stream().to_string(),
            );
            cx.error_spanned_by(
                range,
                format!("the bounds of `{attr}` are reversed, so no value is allowed: write `{attr} = {max}..={min}`"),
            );
        }
    }
}

/// The value of `12`, `-3` or `0.5`.
fn literal_number(expr: &syn::Expr) -> Option<f64> {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(i),
            ..
        }) => i.base10_digits().parse().ok(),
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Float(f),
            ..
        }) => f.base10_digits().parse().ok(),
        syn::Expr::Unary(syn::ExprUnary {
            op: syn::UnOp::Neg(_),
            expr,
            ..
        }) => literal_number(expr).map(|n| -n),
        syn::Expr::Paren(p) => literal_number(&p.expr),
        _ => None,
    }
}

/// Path parameters and fields must match both ways: a template parameter
/// with no field could never be read, and a field declared `from = path`
/// that the template does not name could never be given.
fn path_params(cx: &Ctxt, path: &syn::LitStr, fields: &[ArgField<'_>]) {
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

/// Path parameters only exist on endpoints.
fn no_path_source(cx: &Ctxt, field: &ArgField<'_>) {
    if let Some(SourceAttr::Path) = field.from.value {
        cx.error_spanned_by(
            &field.from.tokens,
            "`from = path` only applies to an `Endpoint` field named in its path: remove it here",
        );
    }
}

/// A skipped field is never rendered, so any other attribute on it is a
/// mistake (most often `skip` added to the wrong field).
fn skip_alone(cx: &Ctxt, field: &ResField<'_>) {
    if !field.skip.is_some() {
        return;
    }
    let others = [
        (field.audience.is_some(), &field.audience.tokens),
        (field.visible.is_some(), &field.visible.tokens),
        (field.subfields.is_some(), &field.subfields.tokens),
        (field.nested.is_some(), &field.nested.tokens),
        (field.getter.is_some(), &field.getter.tokens),
        (field.link.is_some(), &field.link.tokens),
        (field.write.is_some(), &field.write.tokens),
        (field.create_only.is_some(), &field.create_only.tokens),
        (field.write_only.is_some(), &field.write_only.tokens),
    ];
    for (present, tokens) in others {
        if present {
            cx.error_spanned_by(
                tokens,
                "a `skip`ped field is never rendered: remove this attribute or `skip`",
            );
        }
    }
}

/// A field's value comes from one place: the field, a getter or a link.
fn one_value_source(cx: &Ctxt, field: &ResField<'_>) {
    if field.getter.is_some() && field.link.is_some() {
        cx.error_spanned_by(
            &field.link.tokens,
            "a field has either a `getter` or a `link`, not both: remove one",
        );
    }
    if field.link.is_some() && field.is_nested() {
        cx.error_spanned_by(
            &field.link.tokens,
            "a `link` renders a URL: it has no subfields",
        );
    }
    if field.subfields.is_some() && field.nested.is_some() {
        cx.error_spanned_by(
            &field.nested.tokens,
            "`subfields(...)` already makes the field nested: remove `nested`",
        );
    }
}

/// A `Create<T>` body is the whole request body (the resource's fields
/// are its members), and it already says what the endpoint writes: read
/// as one member, or beside `writes = …`, it would say something else. It
/// creates: a `PATCH` would be documented as a merge patch and written as
/// a create (required fields demanded, `create_only` ones taken).
fn create_body_is_the_document(cx: &Ctxt, model: &model::Endpoint<'_>) {
    let mut bodies = 0;
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
        bodies += 1;
        if bodies > 1 {
            cx.error_spanned_by(field.field.ty, "an endpoint has one `Create<…>` body");
        }
        if model.attrs.writes.is_some() {
            cx.error_spanned_by(
                &model.attrs.writes.tokens,
                "the `Create<…>` body already says what this endpoint writes: remove `writes`",
            );
        }
    }
}

/// A viewer function takes the context of one app; without `context` the
/// resource renders for every app and cannot name the viewer's type.
fn viewer_needs_context(cx: &Ctxt, attrs: &ResourceAttrs) {
    if attrs.viewer.is_some() && !attrs.context.is_some() {
        cx.error_spanned_by(
            &attrs.viewer.tokens,
            "`viewer` needs the app type too: add `context = YourApp`",
        );
    }
}

/// `creator = Owner` is made true by the viewer function (the handler's
/// starting value names the caller as its owner, and the viewer answers
/// `Owner` for them), and it only matters for fields someone may write:
/// without either, the declaration could not hold or would mean nothing.
fn creator_is_a_viewer(cx: &Ctxt, attrs: &ResourceAttrs, fields: &[ResField<'_>]) {
    if !attrs.creator.is_some() {
        return;
    }
    if !attrs.viewer.is_some() {
        cx.error_spanned_by(
            &attrs.creator.tokens,
            "`creator` needs a `viewer` function, which is what makes the creator that \
             audience over the new object: add `viewer = Self::viewer`",
        );
    }
    if !fields.iter().any(ResField::is_writable) {
        cx.error_spanned_by(
            &attrs.creator.tokens,
            "`creator` says who writes a new one, but no field is writable: add \
             `write = …` to the fields a creator sets, or remove `creator`",
        );
    }
}

/// `default_fields` names must be rendered fields of this resource: a typo
/// would otherwise silently drop a field from every default response.
fn default_fields_exist(cx: &Ctxt, attrs: &ResourceAttrs, fields: &[ResField<'_>]) {
    let Some(names) = &attrs.default_fields.value else {
        return;
    };
    let rendered: Vec<&str> = fields
        .iter()
        .filter(|f| !f.skip.is_some())
        .map(|f| f.name.as_str())
        .collect();
    for (name, span) in names {
        if name == "*" {
            cx.syn_error(syn::Error::new(
                *span,
                "`default_fields` lists names; leave it out to default to every field",
            ));
        } else if fields.iter().any(|f| f.skip.is_some() && f.name == *name) {
            cx.syn_error(syn::Error::new(*span, format!("`{name}` is skipped, so it cannot be a default field: remove it from `default_fields`")));
        } else if !rendered.contains(&name.as_str()) {
            cx.syn_error(syn::Error::new(
                *span,
                format!(
                    "`{name}` is not a field of this resource{}",
                    did_you_mean_or_list(name, &rendered)
                ),
            ));
        }
    }
}

/// Field sets are 64-bit masks (one `and` per object at render time).
fn at_most_64_fields(cx: &Ctxt, ident: &syn::Ident, count: usize) {
    if count > 64 {
        cx.error_spanned_by(
            ident,
            format!(
                "a resource may have at most 64 rendered fields; this one has {count}: nest some"
            ),
        );
    }
}

/// Write rules must make sense together: a computed value (a getter or a
/// link) has nowhere to store a write; `create_only`, `write_only` and the
/// constraints describe writes, so without `write` they would be silently
/// ignored; a write-only field is never rendered, so it has no subfields
/// and no read audience.
fn write_rules(cx: &Ctxt, field: &ResField<'_>) {
    if field.is_writable() {
        for (present, what) in [
            (field.getter.is_some(), "`getter`"),
            (field.link.is_some(), "`link`"),
        ] {
            if present {
                cx.error_spanned_by(
                    &field.write.tokens,
                    format!("a field computed by a {what} cannot be written: remove `write`, or store the value in the field"),
                );
            }
        }
    } else {
        for (present, tokens, what) in [
            (
                field.create_only.is_some(),
                &field.create_only.tokens,
                "create_only",
            ),
            (
                field.write_only.is_some(),
                &field.write_only.tokens,
                "write_only",
            ),
        ] {
            if present {
                cx.error_spanned_by(
                    tokens,
                    format!("`{what}` needs `write = …` too: say who may write the field"),
                );
            }
        }
        if let Some(tokens) = field.constraints.first_tokens() {
            cx.error_spanned_by(
                tokens,
                "constraints check written values: add `write = …`, or remove the constraint (read-only fields are not validated)",
            );
        }
    }
    if field.write_only.is_some() {
        if field.is_nested() {
            cx.error_spanned_by(
                &field.write_only.tokens,
                "a nested resource cannot be write-only: it is rendered field by field",
            );
        }
        if field.audience.is_some() {
            cx.error_spanned_by(
                &field.audience.tokens,
                "a `write_only` field is never rendered, so it has no read `audience`: remove it",
            );
        }
    }
}
