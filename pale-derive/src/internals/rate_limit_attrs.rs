//! `rate_limit = "60/min"` and `rate_limit(public = "60/min", user =
//! "600/min", admin = "unlimited")` on an endpoint: read and checked here,
//! so a limit that cannot mean anything ("0/min", "60 a minute") is a
//! compile error at the string, not a surprise in production.

use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned as _;
use syn::{Ident, LitStr};

use super::Ctxt;
use super::attr;

/// One audience's limit: `None` for `"unlimited"`, else (count, seconds).
pub(crate) struct RateLimitAttr {
    /// `Public`, `User` or `Admin`.
    pub(crate) audience: Ident,
    pub(crate) quota: Option<(u32, u32)>,
}

/// The audiences a caller can have when an endpoint is called: "owner" is
/// a relation to an object, unknown until the handler loads it.
const CALLERS: &[(&str, &str)] = &[("public", "Public"), ("user", "User"), ("admin", "Admin")];

/// Reads either form; reports each mistake and returns the limits that
/// made sense.
pub(crate) fn parse(cx: &Ctxt, meta: &ParseNestedMeta<'_>) -> syn::Result<Vec<RateLimitAttr>> {
    if !meta.input.peek(syn::token::Paren) {
        let lit = attr::lit_str(meta)?;
        let audience = Ident::new("Public", lit.span());
        return Ok(quota(cx, &lit)
            .map(|quota| RateLimitAttr { audience, quota })
            .into_iter()
            .collect());
    }
    let mut limits: Vec<RateLimitAttr> = Vec::new();
    meta.parse_nested_meta(|item| {
        let name = item.path.get_ident().map(Ident::to_string).unwrap_or_default();
        let lit = attr::lit_str(&item)?;
        let Some((_, audience)) = CALLERS.iter().find(|(key, _)| *key == name) else {
            let message = if name == "owner" {
                "a caller owns objects, not endpoints: limit `user` (every authenticated caller) instead".to_owned()
            } else {
                format!("expected `public`, `user` or `admin` (the caller's audience), not `{name}`")
            };
            cx.error_spanned_by(&item.path, message);
            return Ok(());
        };
        if limits.iter().any(|l| l.audience == audience) {
            cx.error_spanned_by(&item.path, format!("`{name}` is limited twice"));
            return Ok(());
        }
        if let Some(quota) = quota(cx, &lit) {
            let audience = Ident::new(audience, item.path.span());
            limits.push(RateLimitAttr { audience, quota });
        }
        Ok(())
    })?;
    Ok(limits)
}

/// `"60/min"`, `"1000/hour"`, `"5/10s"`, or `"unlimited"`.
fn quota(cx: &Ctxt, lit: &LitStr) -> Option<Option<(u32, u32)>> {
    let value = lit.value();
    if value == "unlimited" {
        return Some(None);
    }
    match parse_quota(&value) {
        Ok(quota) => Some(Some(quota)),
        Err(message) => {
            cx.error_spanned_by(lit, message);
            None
        }
    }
}

fn parse_quota(value: &str) -> Result<(u32, u32), String> {
    let expected = || {
        format!(
            "expected a rate like \"60/min\", \"1000/hour\" or \"5/10s\" (or \"unlimited\"), not {value:?}"
        )
    };
    let (count, per) = value.split_once('/').ok_or_else(expected)?;
    let count: u32 = count.trim().parse().map_err(|_| expected())?;
    if count == 0 {
        return Err(
            "a rate limit allows at least one request: to refuse every call, raise the endpoint's `audience`"
                .to_owned(),
        );
    }
    let per = per.trim();
    let digits = per.find(|c: char| !c.is_ascii_digit()).unwrap_or(per.len());
    let (times, unit) = per.split_at(digits);
    let times: u32 = if times.is_empty() {
        1
    } else {
        times.parse().map_err(|_| expected())?
    };
    let unit_secs = match unit {
        "s" | "sec" | "second" | "seconds" => 1,
        "m" | "min" | "minute" | "minutes" => 60,
        "h" | "hour" | "hours" => 3600,
        "d" | "day" | "days" => 86_400,
        _ => return Err(expected()),
    };
    match times.checked_mul(unit_secs) {
        Some(secs) if secs > 0 => Ok((count, secs)),
        _ => Err(expected()),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_quota;

    #[test]
    fn rates_read_as_count_and_seconds() {
        let cases: &[(&str, Option<(u32, u32)>)] = &[
            ("60/min", Some((60, 60))),
            ("1000/hour", Some((1000, 3600))),
            ("5/10s", Some((5, 10))),
            ("5 / 15min", Some((5, 900))),
            ("2/day", Some((2, 86_400))),
            ("0/min", None),
            ("60 a minute", None),
            ("60/fortnight", None),
            ("60/0s", None),
            ("-1/s", None),
            ("/s", None),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_quota(text).ok(), *expected, "{text}");
        }
    }
}
