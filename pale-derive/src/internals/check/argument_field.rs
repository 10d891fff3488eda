//! Rules of one argument field, in an `Arguments` or an `Endpoint` struct:
//! attributes that make no sense together or on the field's type.

use super::super::Ctxt;
use super::super::argument_attrs::{ArgField, SourceAttr};
use super::super::ast::{is_list, is_option};

/// A flattened field has no name of its own and no value of its own: its
/// type's arguments, with their own names, defaults and constraints, are
/// read in its place. Anything else said of the field would be ignored.
pub(super) fn flatten_alone(cx: &Ctxt, field: &ArgField<'_>) {
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
pub(super) fn separator_needs_list(cx: &Ctxt, field: &ArgField<'_>) {
    if field.separator.is_some() && !is_list(field.field.ty) {
        cx.error_spanned_by(
            &field.separator.tokens,
            "`separator` splits text into a list: make the field a `Vec<T>` (or `Option<Vec<T>>`), or remove `separator`",
        );
    }
}

/// A `default` on an `Option` could never be told apart from the field's
/// own `None`; say so instead of silently picking one.
pub(super) fn default_not_on_option(cx: &Ctxt, field: &ArgField<'_>) {
    if field.default.is_some() && is_option(field.field.ty) {
        cx.error_spanned_by(
            &field.default.tokens,
            "an `Option` field is already optional: drop `default`, or make the field non-optional",
        );
    }
}

/// Path parameters only exist on endpoints.
pub(super) fn no_path_source(cx: &Ctxt, field: &ArgField<'_>) {
    if let Some(SourceAttr::Path) = field.from.value {
        cx.error_spanned_by(
            &field.from.tokens,
            "`from = path` only applies to an `Endpoint` field named in its path: remove it here",
        );
    }
}
