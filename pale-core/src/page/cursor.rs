//! [`Cursor`]: where the next page of a list read by key (keyset
//! pagination) starts, as the opaque `after` token of a `next` link.
//!
//! A list sorted by a unique key can be read from a key onwards at the cost
//! of one index seek, however deep: `WHERE (title, id) > (?, ?) ORDER BY
//! title, id LIMIT 20`. An `OFFSET` instead skips every row before the
//! page, so the millionth page costs a million rows, and a row inserted
//! before the page moves every later page by one. A cursor holds the key
//! of the last item a page showed (the store chooses its text) and the
//! number of the page it leads to, so a page reached by cursor still says
//! which page it is.
//!
//! The token is the URL-safe base64 of `{page}.{key}`: opaque to clients,
//! who only follow links, but not secret and not signed. A forged token
//! can only start a list the caller may read at another key of it (the
//! store applies the same filters to every page), so validating it is
//! enough: a token that does not decode, names no page or holds a key the
//! store cannot read is a 422 at `/after`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::MAX_PAGE;

/// The start of a page after another, on a list read by key: the key of
/// the last item before it, and its page number.
///
/// ```
/// use pale_core::page::Cursor;
///
/// let cursor = Cursor::new(3, "title:Blue Train:42");
/// let token = cursor.token();
/// assert_eq!(Cursor::parse(&token), Some(cursor));
/// assert_eq!(Cursor::parse("not a token"), None);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Cursor {
    page: u32,
    key: String,
}

impl Cursor {
    /// The longest key a cursor holds, in bytes: room for a sort key and an
    /// id, not for a payload.
    pub const MAX_KEY: usize = 512;

    /// The cursor of page `page`, which starts after the item whose key is
    /// `key`. A page past [`MAX_PAGE`] is counted as [`MAX_PAGE`].
    pub fn new(page: u32, key: impl Into<String>) -> Self {
        Self {
            page: page.clamp(1, MAX_PAGE),
            key: key.into(),
        }
    }

    /// The number of the page this cursor leads to.
    pub fn page(&self) -> u32 {
        self.page
    }

    /// The key of the last item before that page, as the store wrote it.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The cursor as a link carries it: URL-safe base64, no padding.
    pub fn token(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!("{}.{}", self.page, self.key))
    }

    /// The cursor a token stands for, or `None` if it is not one: not
    /// base64, not text, no page number from 2 to [`MAX_PAGE`] (the first
    /// page needs no cursor), or an empty or over-long key.
    pub fn parse(token: &str) -> Option<Self> {
        // 4 characters for every 3 bytes, and a page number's 8 digits.
        if token.len() > (Self::MAX_KEY + 8).div_ceil(3) * 4 {
            return None;
        }
        let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        let (digits, key) = text.split_once('.')?;
        // Digits only, no leading zero: one token per cursor.
        let canonical = digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0');
        let page: u32 = digits.parse().ok()?;
        let fits = canonical
            && (2..=MAX_PAGE).contains(&page)
            && !key.is_empty()
            && key.len() <= Self::MAX_KEY;
        fits.then(|| Self {
            page,
            key: key.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn refuses_what_no_link_carries() {
        let token = |text: &str| URL_SAFE_NO_PAD.encode(text);
        let long = format!("2.{}", "k".repeat(Cursor::MAX_KEY + 1));
        let cases = [
            ("", None),
            ("%%%", None),
            ("AAAA====", None),
            (&token("2.key")[..], Some((2, "key"))),
            (&token("2.a.b")[..], Some((2, "a.b"))),
            (&token("1.key")[..], None),
            (&token("0.key")[..], None),
            (&token("02.key")[..], None),
            (&token("+2.key")[..], None),
            (&token("1000001.key")[..], None),
            (&token("2.")[..], None),
            (&token("key")[..], None),
            (&token(&long)[..], None),
            (&URL_SAFE_NO_PAD.encode([b'2', b'.', 0xff])[..], None),
        ];
        for (given, expected) in cases {
            let got = Cursor::parse(given);
            let got = got.as_ref().map(|c| (c.page(), c.key()));
            assert_eq!(got, expected, "{given:?}");
        }
    }

    proptest! {
        /// Every cursor a page makes reads back as itself, and its token
        /// needs no escaping in a query string or a `Link` header.
        #[test]
        fn a_token_reads_back(page in 2u32..=MAX_PAGE, key in "\\PC{1,60}") {
            let cursor = Cursor::new(page, key);
            let token = cursor.token();
            prop_assert!(token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
            prop_assert_eq!(Cursor::parse(&token), Some(cursor));
        }
    }
}
