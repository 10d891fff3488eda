//! The security headers of the site's own files: its pages, and the cover
//! art, which may be SVG, and SVG can carry script.
//!
//! The page's policy allows only what the front end is: `index.html`
//! loads `app.css` and `app.js` from the site (no inline script or style
//! anywhere), fetches the API on the same origin, shows covers from the
//! site (and from the origins of covers the catalogue names by URL) and
//! an empty `data:` icon, and is framed by nobody. The owner's token lives
//! in `sessionStorage`, so no script but the site's own may run there.
//!
//! `Referrer-Policy: strict-origin-when-cross-origin`: the store links
//! (Bandcamp, Spotify) learn that a listener came from the band's site,
//! which a band wants, but never the page's path, and nothing at all over
//! plain HTTP from an HTTPS site.
//!
//! Covers get pale-server's SVG policy (`default-src 'none'; style-src
//! 'unsafe-inline'; sandbox`): a cover opened on its own draws, and runs
//! no script, in an opaque origin that cannot read the site's storage.
//! The API's responses (and its `/api/docs` page) get pale-server's own
//! defaults from the `PaleService`.

use http::HeaderValue;
use http::header::{CONTENT_SECURITY_POLICY, REFERRER_POLICY};
use pale::SecurityHeaders;
use pale::argument::WebUrl;

use crate::Catalogue;

/// The headers for the site's files, with `catalogue`'s cover origins
/// allowed as image sources.
pub fn site_headers(catalogue: &Catalogue) -> SecurityHeaders {
    let policy = HeaderValue::try_from(page_policy(catalogue))
        .expect("origins are ASCII without separators");
    SecurityHeaders::default()
        .html(CONTENT_SECURITY_POLICY, policy)
        .html(
            REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        )
}

/// The pages' `Content-Security-Policy`.
pub fn page_policy(catalogue: &Catalogue) -> String {
    let mut images = String::from("'self' data:");
    let mut origins: Vec<String> = catalogue
        .albums
        .iter()
        .filter_map(|album| album.cover.as_deref())
        .filter_map(|cover| WebUrl::parse(cover).ok())
        .map(|url| url.as_url().origin().ascii_serialization())
        .collect();
    origins.sort_unstable();
    origins.dedup();
    for origin in origins {
        images.push(' ');
        images.push_str(&origin);
    }
    format!(
        "default-src 'self'; img-src {images}; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_named_by_url_are_the_only_other_image_sources() {
        let mut catalogue =
            Catalogue::parse(crate::catalogue::EXAMPLE_NAME, crate::catalogue::EXAMPLE).unwrap();
        assert_eq!(
            page_policy(&catalogue),
            "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; \
             form-action 'self'; frame-ancestors 'none'"
        );
        catalogue.albums[0].cover = Some("https://img.example.org/a.png".to_owned());
        catalogue.albums[1].cover = Some("https://img.example.org:8443/b.png".to_owned());
        catalogue.albums[2].cover = Some("https://img.example.org/c.png".to_owned());
        assert!(page_policy(&catalogue).contains(
            "img-src 'self' data: https://img.example.org https://img.example.org:8443;"
        ));
        let headers = site_headers(&catalogue);
        assert_eq!(
            headers.html_headers()[REFERRER_POLICY],
            "strict-origin-when-cross-origin"
        );
        assert_eq!(
            headers.svg_headers()[CONTENT_SECURITY_POLICY],
            SecurityHeaders::SVG_POLICY
        );
    }
}
