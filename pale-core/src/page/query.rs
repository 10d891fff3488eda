//! The query of a page's links: the request's own, `page` and `after`
//! aside (each link sets one of them), each
//! pair decoded as the server decodes a query and encoded again.
//!
//! Decoding follows `format::decode_form` (`+` is a space, `%XX` a byte, a
//! `%` without two hex digits itself, pairs with an empty key dropped), so
//! a link parses back to the query the client sent. Encoding is
//! conservative: only unreserved characters and `()*!:@/` go as they are;
//! everything else, `,`, `;`, `<`, `>` and quotes included, is
//! percent-encoded, so a link is safe inside `Link: <…>` even for clients
//! that split the header on commas.

/// Appends `query` (raw, as in the request target) to `out` without its
/// `page` and `after` pairs, re-encoded, each pair followed by `&`.
pub(super) fn push_without_page(query: &str, out: &mut String) {
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if key.is_empty() || Decoded::new(key).eq(*b"page") || Decoded::new(key).eq(*b"after") {
            continue;
        }
        push_encoded(key, out);
        out.push('=');
        push_encoded(value, out);
        out.push('&');
    }
}

/// Appends the decoded bytes of `component`, percent-encoded again.
fn push_encoded(component: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in Decoded::new(component) {
        if byte.is_ascii_alphanumeric() || b"-._~()*!:@/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 15)]));
        }
    }
}

/// The bytes a form component stands for.
struct Decoded<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Decoded<'a> {
    fn new(component: &'a str) -> Self {
        Self {
            bytes: component.as_bytes(),
            at: 0,
        }
    }
}

impl Iterator for Decoded<'_> {
    type Item = u8;

    fn next(&mut self) -> Option<u8> {
        let byte = *self.bytes.get(self.at)?;
        self.at += 1;
        match byte {
            b'+' => Some(b' '),
            b'%' => {
                let hex = |i: usize| self.bytes.get(i).and_then(|&b| char::from(b).to_digit(16));
                match (hex(self.at), hex(self.at + 1)) {
                    (Some(high), Some(low)) => {
                        self.at += 2;
                        // Two hex digits: at most 255.
                        u8::try_from(high * 16 + low).ok()
                    }
                    _ => Some(b'%'),
                }
            }
            other => Some(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::argument::{Raw, RawMap};
    use crate::format::decode_form;
    use proptest::prelude::*;

    fn without_page(query: &str) -> String {
        let mut out = String::new();
        push_without_page(query, &mut out);
        out
    }

    #[test]
    fn keeps_every_pair_but_page_and_encodes_it_canonically() {
        let cases = [
            ("page=2", ""),
            ("sort=title&page=2", "sort=title&"),
            (
                "page=2&sort=-release_date&fields=id,title",
                "sort=-release_date&fields=id%2Ctitle&",
            ),
            (
                "fields=total,items(title)&page=3",
                "fields=total%2Citems(title)&",
            ),
            ("q=caf%C3%A9+au+lait", "q=caf%C3%A9%20au%20lait&"),
            ("q=%3Cb%3E&x=a>b", "q=%3Cb%3E&x=a%3Eb&"),
            ("p%61ge=4&pages=2", "pages=2&"),
            (
                "after=MTIuYQ&sort=title&afterwards=1",
                "sort=title&afterwards=1&",
            ),
            ("tag=a&tag=b&&=x", "tag=a&tag=b&"),
            ("flag&q=100%", "flag=&q=100%25&"),
            ("q=%zz", "q=%25zz&"),
        ];
        for (query, expected) in cases {
            assert_eq!(without_page(query), expected, "{query}");
        }
    }

    fn pair() -> impl Strategy<Value = (String, String)> {
        let text = "[a-z_()*,;:@/?&=+% <>\"'#é\u{1F600}-]{0,8}";
        (text, text)
    }

    /// What a query means to the server, `page` aside.
    fn meaning(query: &str) -> RawMap {
        let mut map = decode_form(query.as_bytes()).unwrap();
        map.remove("page");
        map.remove("after");
        map
    }

    proptest! {
        /// A link's query decodes, exactly as the server decodes the
        /// next request, to the pairs of the request's query, in order,
        /// with `page` replaced; and it holds nothing `Link: <…>` or a
        /// naive comma split could misread.
        #[test]
        fn a_link_parses_back_to_the_same_query(pairs in prop::collection::vec(pair(), 0..6), page in 1u64..1000) {
            let query = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(&pairs)
                .finish();
            let mut link = String::new();
            push_without_page(&query, &mut link);
            link.push_str("page=");
            link.push_str(&page.to_string());
            prop_assert!(!link.bytes().any(|b| b"<>\", ;#".contains(&b) || !b.is_ascii()), "{}", link);
            let back = decode_form(link.as_bytes()).unwrap();
            prop_assert_eq!(back.get("page"), Some(&Raw::from(page.to_string().as_str())));
            prop_assert_eq!(meaning(&link), meaning(&query));
        }
    }
}
