//! Bearer tokens (RFC 6750): reading `Authorization: Bearer <token>` and
//! refusing a bad one the way clients expect, so an app's
//! [`App::authenticate`](crate::App::authenticate) says only which user a
//! token names.
//!
//! Every app with tokens parsed the header by hand, and got it subtly
//! wrong in the same ways: the scheme compared case-sensitively
//! (`bearer x` refused, though RFC 9110 §11.1 makes schemes
//! case-insensitive), a 401 with no `error` for the client to act on.
//! Here is the one reading:
//!
//! | `Authorization` | [`bearer_token`] |
//! |---|---|
//! | absent | `Ok(None)`: an anonymous caller |
//! | `Bearer <token>`, any case of the scheme | `Ok(Some(token))` |
//! | another scheme (`Basic …`) | 401, `WWW-Authenticate: Bearer` |
//! | `Bearer` with no token, two tokens, characters outside RFC 6750's `b64token`, or a token over [`MAX_TOKEN_LEN`] bytes | 401, `WWW-Authenticate: Bearer error="invalid_token"` |
//! | the header twice | 400, `WWW-Authenticate: Bearer error="invalid_request"` |
//!
//! A well-formed token the app does not know is the app's to refuse, with
//! [`invalid_token`].

use http::HeaderValue;
use http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use http::request::Parts;

use crate::ApiError;

/// The longest token read, in bytes; longer ones are refused unread.
pub const MAX_TOKEN_LEN: usize = 4096;

/// The bearer token `request` carries, if it carries one; an error (401,
/// or 400 for a repeated header) when its `Authorization` header is not a
/// well-formed bearer credential. See the [module docs](self).
///
/// ```
/// use pale_core::auth::bearer_token;
///
/// let (parts, ()) = http::Request::get("/")
///     .header("authorization", "bearer abc.DEF-1")
///     .body(())
///     .unwrap()
///     .into_parts();
/// assert_eq!(bearer_token(&parts).unwrap(), Some("abc.DEF-1"));
///
/// let (parts, ()) = http::Request::get("/")
///     .header("authorization", "Basic dXNlcjpwdw==")
///     .body(())
///     .unwrap()
///     .into_parts();
/// assert_eq!(bearer_token(&parts).unwrap_err().status(), 401);
/// ```
pub fn bearer_token(request: &Parts) -> Result<Option<&str>, ApiError> {
    let mut values = request.headers.get_all(AUTHORIZATION).iter();
    let Some(value) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(
            ApiError::bad_request("send one `Authorization` header").with_header(
                WWW_AUTHENTICATE,
                HeaderValue::from_static(r#"Bearer error="invalid_request""#),
            ),
        );
    }
    let text = value.to_str().map_err(|_| invalid_token())?;
    let (scheme, rest) = text.split_once(' ').unwrap_or((text, ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(
            ApiError::unauthorized("Bearer").with_detail("send `Authorization: Bearer <token>`")
        );
    }
    let token = rest.trim_matches(' ');
    if is_b64token(token) {
        Ok(Some(token))
    } else {
        Err(invalid_token())
    }
}

/// 401 for a bearer token that is malformed or names no one:
/// `WWW-Authenticate: Bearer error="invalid_token"`.
pub fn invalid_token() -> ApiError {
    ApiError::unauthorized(r#"Bearer error="invalid_token""#)
        .with_detail("the bearer token is malformed, unknown or revoked")
}

/// RFC 6750 §2.1: `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`,
/// at most [`MAX_TOKEN_LEN`] bytes.
fn is_b64token(token: &str) -> bool {
    let body = token.trim_end_matches('=');
    !body.is_empty()
        && token.len() <= MAX_TOKEN_LEN
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~+/".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(values: &[&str]) -> Parts {
        let mut request = http::Request::get("/");
        for value in values {
            request = request.header(AUTHORIZATION, *value);
        }
        request.body(()).unwrap().into_parts().0
    }

    fn challenge(error: &ApiError) -> Option<&str> {
        error
            .headers()
            .get(WWW_AUTHENTICATE)
            .and_then(|v| v.to_str().ok())
    }

    /// What `bearer_token` answers: the token, or the status and challenge.
    type Outcome<'a> = Result<Option<&'a str>, (u16, Option<&'a str>)>;

    #[test]
    fn the_authorization_header_reads_as_rfc_6750_says() {
        let long = format!("Bearer {}", "a".repeat(MAX_TOKEN_LEN + 1));
        let longest = format!("Bearer {}", "a".repeat(MAX_TOKEN_LEN));
        let invalid_token = Err((401, Some(r#"Bearer error="invalid_token""#)));
        #[rustfmt::skip]
        let cases: &[(&[&str], Outcome<'_>)] = &[
            (&[], Ok(None)),
            (&["Bearer abc"], Ok(Some("abc"))),
            (&["bearer abc"], Ok(Some("abc"))),
            (&["BEARER abc"], Ok(Some("abc"))),
            (&["Bearer   abc  "], Ok(Some("abc"))),
            (&["Bearer lic_0f.A-b~c+d/e=="], Ok(Some("lic_0f.A-b~c+d/e=="))),
            (&[longest.as_str()], Ok(Some(&longest[7..]))),
            (&["Basic dXNlcjpwdw=="], Err((401, Some("Bearer")))),
            (&["Bearerabc"], Err((401, Some("Bearer")))),
            (&["Bearer"], invalid_token),
            (&["Bearer "], invalid_token),
            (&["Bearer a b"], invalid_token),
            (&["Bearer a,b"], invalid_token),
            (&["Bearer ==="], invalid_token),
            (&["Bearer a=b"], invalid_token),
            (&[long.as_str()], invalid_token),
            (&["Bearer a", "Bearer b"], Err((400, Some(r#"Bearer error="invalid_request""#)))),
        ];
        for (values, expected) in cases {
            let request = parts(values);
            let got = bearer_token(&request)
                .map_err(|e| (e.status().as_u16(), challenge(&e).map(str::to_owned)));
            let expected = expected.map_err(|(s, c)| (s, c.map(str::to_owned)));
            assert_eq!(got, expected, "{values:?}");
        }
    }

    #[test]
    fn a_header_that_is_not_text_is_an_invalid_token() {
        let mut request = parts(&[]);
        request.headers.insert(
            AUTHORIZATION,
            HeaderValue::from_bytes(b"Bearer \xff").unwrap(),
        );
        let error = bearer_token(&request).unwrap_err();
        assert_eq!(error.status(), 401);
        assert_eq!(challenge(&error), Some(r#"Bearer error="invalid_token""#));
    }
}
