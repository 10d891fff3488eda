//! Rules over literal values written in attributes: bounds in order, and
//! defaults that the field's own type and constraints would accept.

use quote::ToTokens;

use super::super::Ctxt;
use super::super::argument_attrs::ArgField;
use super::super::ast::outer_type;
use super::super::attr::Bounds;
use super::super::constraint_attrs::Constraints;

/// `default = "20"` on a number is the habit of query strings, and rustc
/// alone would answer with a list of `From` impls; for the primitive types,
/// say which literal to write.
pub(super) fn default_literal_fits(cx: &Ctxt, field: &ArgField<'_>) {
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
pub(super) fn bounds_in_order(cx: &Ctxt, constraints: &Constraints) {
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
pub(super) fn literal_number(expr: &syn::Expr) -> Option<f64> {
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

/// A value listed twice in `one_of` is a slip (often a copy-paste meant to
/// be another value); the list is also the enum of the OpenAPI schema,
/// where duplicates are invalid.
pub(super) fn one_of_unique(cx: &Ctxt, constraints: &Constraints) {
    let Some(values) = &constraints.one_of.value else {
        return;
    };
    for (i, lit) in values.iter().enumerate() {
        if values[..i]
            .iter()
            .any(|earlier| earlier.value() == lit.value())
        {
            cx.error_spanned_by(
                lit,
                format!("`{:?}` is listed twice in `one_of`", lit.value()),
            );
        }
    }
}

/// A default is what the handler gets when the client says nothing; one
/// the field's own constraints refuse could never have been sent, and the
/// document would advertise a default that is invalid. Literal defaults
/// are compared with literal constraints; anything else is left to run
/// time.
pub(super) fn default_meets_constraints(cx: &Ctxt, field: &ArgField<'_>) {
    let Some(default) = &field.default.value else {
        return;
    };
    let c = &field.constraints;
    let refusal = match default {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) => text_refusal(c, &text.value()),
        number => literal_number(number)
            .and_then(|n| outside("range", &c.range.value, n, &format!("{n} is"))),
    };
    if let Some(reason) = refusal {
        cx.error_spanned_by(
            default,
            format!("this default is refused by the field's own constraints: {reason}"),
        );
    }
}

/// Why `constraints` refuse the text `value`, if they do.
fn text_refusal(c: &Constraints, value: &str) -> Option<String> {
    let chars = value.chars().count();
    let unit = if chars == 1 {
        "character"
    } else {
        "characters"
    };
    if let Some(reason) = outside(
        "len",
        &c.len.value,
        chars as f64,
        &format!("{value:?} has {chars} {unit},"),
    ) {
        return Some(reason);
    }
    if let Some(values) = &c.one_of.value
        && !values.iter().any(|v| v.value() == value)
    {
        let listed: Vec<String> = values.iter().map(|v| format!("{:?}", v.value())).collect();
        return Some(format!("{value:?} is not one of {}", listed.join(", ")));
    }
    if let Some(pattern) = &c.pattern.value {
        let matches = regex_lite::Regex::new(&pattern.value()).is_ok_and(|re| re.is_match(value));
        if !matches {
            return Some(format!(
                "{value:?} does not match `pattern = {:?}`",
                pattern.value()
            ));
        }
    }
    None
}

/// Why `n` falls outside `attr = bounds`, if it does; `subject` says what
/// was measured (`"500 is"`, `"\"\" has 0 characters,"`).
fn outside(attr: &str, bounds: &Option<Bounds>, n: f64, subject: &str) -> Option<String> {
    let bounds = bounds.as_ref()?;
    let min = bounds.min.as_ref().and_then(literal_number);
    let max = bounds.max.as_ref().and_then(literal_number);
    let written = bounds.range.to_token_stream().to_string().replace(' ', "");
    let out = min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m);
    out.then(|| format!("{subject} outside `{attr} = {written}`"))
}
