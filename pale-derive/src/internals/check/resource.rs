//! Rules of a `Resource` struct: how its fields render and are written.

use super::super::Ctxt;
use super::super::attr::Spanned;
use super::super::case::did_you_mean_or_list;
use super::super::resource_attrs::{ResField, ResourceAttrs};
use super::names::is_element_name;

const ELEMENT_NAME: &str = "use letters, digits, `_` and `-`, starting with a letter";

/// A skipped field is never rendered, so any other attribute on it is a
/// mistake (most often `skip` added to the wrong field).
pub(super) fn skip_alone(cx: &Ctxt, field: &ResField<'_>) {
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
pub(super) fn one_value_source(cx: &Ctxt, field: &ResField<'_>) {
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

/// A viewer function takes the context of one app; without `context` the
/// resource renders for every app and cannot name the viewer's type.
pub(super) fn viewer_needs_context(cx: &Ctxt, attrs: &ResourceAttrs) {
    if attrs.viewer.is_some() && !attrs.context.is_some() {
        cx.error_spanned_by(
            &attrs.viewer.tokens,
            "`viewer` needs the app type too: add `context = YourApp`",
        );
    }
}

/// `default_fields` names must be rendered fields of this resource: a typo
/// would otherwise silently drop a field from every default response.
pub(super) fn default_fields_exist(cx: &Ctxt, attrs: &ResourceAttrs, fields: &[ResField<'_>]) {
    let Some(names) = &attrs.default_fields.value else {
        return;
    };
    if names.is_empty() {
        cx.error_spanned_by(
            &attrs.default_fields.tokens,
            "`default_fields()` lists no field, so a response would be empty: name the fields, or remove it to default to every field",
        );
    }
    for (i, (name, span)) in names.iter().enumerate() {
        if names[..i].iter().any(|(earlier, _)| earlier == name) {
            cx.syn_error(syn::Error::new(
                *span,
                format!("`{name}` is listed twice in `default_fields`"),
            ));
        }
    }
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
pub(super) fn at_most_64_fields(cx: &Ctxt, ident: &syn::Ident, count: usize) {
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
pub(super) fn write_rules(cx: &Ctxt, field: &ResField<'_>) {
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

/// A resource's name is the root element of its XML responses and its
/// schema's name in the OpenAPI document.
pub(super) fn name_is_an_element_name(cx: &Ctxt, name: &Spanned<syn::LitStr>) {
    let Some(lit) = &name.value else { return };
    let value = lit.value();
    if !value.trim().is_empty() && !is_element_name(&value) {
        cx.error_spanned_by(
            lit,
            format!("a resource's name is the root element of its XML responses: {ELEMENT_NAME}, like `\"album\"`"),
        );
    }
}

/// A field's name is an XML element, a JSON key and a token of `fields=`
/// (where `,`, `(`, `)` and spaces separate names).
pub(super) fn rename_is_an_element_name(cx: &Ctxt, field: &ResField<'_>) {
    let Some(lit) = &field.rename.value else {
        return;
    };
    let value = lit.value();
    if !value.trim().is_empty() && !is_element_name(&value) {
        cx.error_spanned_by(
            lit,
            format!("a field's name is an XML element and a `fields=` token: {ELEMENT_NAME}, like `\"release_date\"`"),
        );
    }
}

/// `creator = Owner` is made true by the viewer function (the handler's
/// starting value names the caller as its owner, and the viewer answers
/// `Owner` for them), and it only matters for fields someone may write:
/// without either, the declaration could not hold or would mean nothing.
pub(super) fn creator_is_a_viewer(cx: &Ctxt, attrs: &ResourceAttrs, fields: &[ResField<'_>]) {
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
