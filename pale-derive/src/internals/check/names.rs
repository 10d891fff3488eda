//! Rules over names clients write: unique per struct or enum, and fit for
//! where they end up (an XML element, an `operationId`).

use super::super::Ctxt;
use super::super::enum_attrs::ArgumentEnum;

/// Two fields answering to one client name would make one of them
/// unreachable (arguments) or the output ambiguous (resources).
pub(super) fn unique_names<'a>(cx: &Ctxt, names: impl Iterator<Item = (String, &'a syn::Ident)>) {
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

/// An enum with no variants accepts no value at all: every request that
/// gives the argument would fail.
pub(super) fn has_variants(cx: &Ctxt, model: &ArgumentEnum<'_>) {
    if model.declares_none {
        cx.error_spanned_by(model.ident, "an `ArgumentEnum` needs at least one variant");
    }
}

/// Two variants answering to one text could never both be chosen.
pub(super) fn unique_variant_names(cx: &Ctxt, model: &ArgumentEnum<'_>) {
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

/// Whether `name` can be an XML element name as Pale writes them:
/// letters, digits, `_` and `-`, not starting with a digit or `-`. Field
/// names and envelope keys become elements of XML responses, and a
/// `fields=` selection names them.
pub(super) fn is_element_name(name: &str) -> bool {
    is_name(name, b"_-")
}

/// Whether `name` starts with a letter or `_` and goes on with letters,
/// digits and the bytes of `also`.
pub(super) fn is_name(name: &str, also: &[u8]) -> bool {
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || also.contains(&b))
}
