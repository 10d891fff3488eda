//! Where clients reach the service, for the links that must be absolute.
//!
//! The API's own links (`links.self`) are paths under its base path, which
//! every client resolves against the URL it asked. Cover art is different:
//! a stored cover may be a path relative to the *site* (`covers/a.svg`,
//! served by a front such as band-site), and `cover_art_url` is an absolute
//! URL by its type. Only the front knows the site's public address (its
//! scheme and host, which a reverse proxy may change, and its base path),
//! so it puts a [`PublicUrl`] in each request's extensions; an album then
//! shows relative cover art resolved against it. Without one (the
//! `licensing` binary), a relative cover is not shown.

use pale::argument::WebUrl;

/// The site's public base URL, ending in `/` (for example
/// `https://example.com/band/`), as a request extension.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicUrl(String);

impl PublicUrl {
    /// The base URL `base`; a `/` is added when it does not end in one.
    pub fn new(base: impl Into<String>) -> Self {
        let mut base = base.into();
        if !base.ends_with('/') {
            base.push('/');
        }
        Self(base)
    }

    /// The base URL, ending in `/`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `stored` as an absolute web URL: as it is when it already is one,
    /// else joined to this base (`covers/a.svg` or `/covers/a.svg` are both
    /// under the base, never above it).
    pub fn resolve(&self, stored: &str) -> Option<WebUrl> {
        if let Ok(url) = WebUrl::parse(stored) {
            return Some(url);
        }
        let relative = stored.trim_start_matches('/');
        if relative.split('/').any(|segment| segment == "..") {
            return None;
        }
        WebUrl::parse(&format!("{}{relative}", self.0)).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_resolve_under_the_base() {
        let base = PublicUrl::new("https://example.com/band");
        assert_eq!(base.as_str(), "https://example.com/band/");
        let resolved = |s: &str| base.resolve(s).map(|u| u.to_string());
        assert_eq!(
            resolved("covers/a.svg").as_deref(),
            Some("https://example.com/band/covers/a.svg")
        );
        assert_eq!(
            resolved("/covers/a.svg").as_deref(),
            Some("https://example.com/band/covers/a.svg")
        );
        assert_eq!(
            resolved("https://img.example.org/x.png").as_deref(),
            Some("https://img.example.org/x.png")
        );
        assert_eq!(resolved("../secret"), None);
    }
}
