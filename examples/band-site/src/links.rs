//! Where the site's absolute links point (cover art in API responses):
//! the public URL from configuration, or from a trusted proxy's headers,
//! and never from the client's `Host` header.
//!
//! Why: any client can send any `Host`. A link built from it points
//! wherever the client says, and a cache or a crawler that keeps the
//! response hands that link to everyone else (cache poisoning). So:
//!
//! 1. `--public-url` (`PALE_PUBLIC_URL`), when set, is the origin of every
//!    absolute link;
//! 2. otherwise, on a request whose connection comes from a trusted proxy
//!    (`--trusted-proxy`, [`pale::Peer`]), the host and scheme the
//!    proxy wrote into `Forwarded` (RFC 7239, first element) or
//!    `X-Forwarded-Host` / `X-Forwarded-Proto`; the proxy must set (not
//!    pass on) them. The same headers from any other address are ignored:
//!    a client reaching the site past the proxy cannot choose the links;
//! 3. otherwise there is no public URL, and a cover stored as a path is
//!    not shown as a link. The binary never leaves it so: without a
//!    public URL it uses the address it listens on (see `main.rs`).
//!
//! Links to the API itself (`links.self`) are root-relative paths and need
//! none of this.

use licensing::api::PublicUrl;
use pale::Peer;
use pale::argument::WebUrl;

use crate::site::SiteConfig;

/// Checks and normalises a public URL given as configuration: `http` or
/// `https`, a host, an optional port, and nothing else (the path is the
/// base path's business). `https://Music.Example.com/` →
/// `https://music.example.com`.
pub fn normalise_public_url(text: &str) -> Result<String, String> {
    let refuse = |why: &str| {
        Err(format!(
            "`{text}` is not a public URL such as https://music.example.com: {why}"
        ))
    };
    let url = match WebUrl::parse(text.trim()) {
        Ok(url) => url,
        Err(why) => return refuse(why),
    };
    let url = url.as_url();
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return refuse("give the scheme and host only (the path is --base-path)");
    }
    Ok(url.origin().ascii_serialization())
}

/// The public base URL for the request whose head is `parts` (the origin
/// and the base path), or `None` when neither the configuration nor a
/// trusted proxy says it.
pub(crate) fn public_url(parts: &http::request::Parts, config: &SiteConfig) -> Option<PublicUrl> {
    let from_proxy = Peer::of(parts).is_some_and(|peer| peer.trusted_proxy);
    let origin = match &config.public_url {
        Some(origin) => origin.clone(),
        None if from_proxy => forwarded_origin(&parts.headers)?,
        None => return None,
    };
    Some(PublicUrl::new(format!("{origin}{}/", config.base_path)))
}

/// `scheme://host` from a proxy's headers: `Forwarded` first, then
/// `X-Forwarded-*`; `None` without a host, or with one that is not a plain
/// host name or address.
fn forwarded_origin(headers: &http::HeaderMap) -> Option<String> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let first = |value: &str| {
        value
            .split(',')
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned()
    };
    let (proto, host) = text("forwarded").map_or((None, None), forwarded);
    let host = host.or_else(|| text("x-forwarded-host").map(first))?;
    let scheme = proto
        .or_else(|| text("x-forwarded-proto").map(first))
        .map(|p| p.to_ascii_lowercase())
        .filter(|p| p == "http" || p == "https")
        .unwrap_or_else(|| "http".to_owned());
    let host_ok = !host.is_empty()
        && host.len() <= 255
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    host_ok.then(|| format!("{scheme}://{}", host.to_ascii_lowercase()))
}

/// `proto` and `host` of the first element of a `Forwarded` header (the
/// one the proxy nearest the client added).
fn forwarded(value: &str) -> (Option<String>, Option<String>) {
    let element = value.split(',').next().unwrap_or_default();
    let mut proto = None;
    let mut host = None;
    for pair in element.split(';') {
        let Some((name, value)) = pair.split_once('=') else {
            continue;
        };
        let value = value.trim().trim_matches('"').to_owned();
        match name.trim().to_ascii_lowercase().as_str() {
            "proto" => proto = Some(value),
            "host" => host = Some(value),
            _ => {}
        }
    }
    (proto, host)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A request with `pairs` as headers, from a trusted proxy or not.
    fn request(
        pairs: &[(&'static str, &'static str)],
        trusted_proxy: bool,
    ) -> http::request::Parts {
        let mut builder = http::Request::builder();
        for (name, value) in pairs {
            builder = builder.header(*name, *value);
        }
        let (mut parts, ()) = builder.body(()).unwrap().into_parts();
        parts.extensions.insert(Peer {
            addr: "10.0.0.1:40000".parse().unwrap(),
            trusted_proxy,
        });
        parts
    }

    /// `(public URL, from a trusted proxy)`.
    fn config(public_url: Option<&str>, trusted_proxy: bool) -> (SiteConfig, bool) {
        let config = SiteConfig {
            base_path: "/band".to_owned(),
            public_url: public_url.map(str::to_owned),
            ..SiteConfig::default()
        };
        (config, trusted_proxy)
    }

    fn url(
        pairs: &[(&'static str, &'static str)],
        (config, trusted_proxy): &(SiteConfig, bool),
    ) -> Option<String> {
        public_url(&request(pairs, *trusted_proxy), config).map(|u| u.as_str().to_owned())
    }

    #[test]
    fn a_request_with_no_peer_is_not_from_a_proxy() {
        let (config, _) = config(None, true);
        let (parts, ()) = http::Request::builder()
            .header("x-forwarded-host", "music.example.com")
            .body(())
            .unwrap()
            .into_parts();
        assert_eq!(public_url(&parts, &config), None);
    }

    #[test]
    fn the_host_header_is_never_used() {
        let hostile = [("host", "evil.example")];
        assert_eq!(url(&hostile, &config(None, false)), None);
        assert_eq!(url(&hostile, &config(None, true)), None);
        assert_eq!(
            url(&hostile, &config(Some("https://music.example.com"), false)).as_deref(),
            Some("https://music.example.com/band/")
        );
    }

    #[test]
    fn forwarded_headers_count_only_when_trusted_and_no_url_is_configured() {
        let proxied = [
            ("host", "127.0.0.1:8080"),
            ("x-forwarded-proto", "https"),
            ("x-forwarded-host", "music.example.com, proxy.internal"),
        ];
        assert_eq!(
            url(&proxied, &config(None, true)).as_deref(),
            Some("https://music.example.com/band/")
        );
        assert_eq!(url(&proxied, &config(None, false)), None);
        assert_eq!(
            url(&proxied, &config(Some("https://band.example"), true)).as_deref(),
            Some("https://band.example/band/")
        );
        let rfc = [
            ("host", "127.0.0.1:8080"),
            (
                "forwarded",
                "for=192.0.2.60;proto=https;host=\"Site.example\", for=10.0.0.1",
            ),
            ("x-forwarded-host", "ignored.example"),
        ];
        assert_eq!(
            url(&rfc, &config(None, true)).as_deref(),
            Some("https://site.example/band/")
        );
        let odd = [
            ("x-forwarded-host", "evil.example/<script>"),
            ("x-forwarded-proto", "javascript"),
        ];
        assert_eq!(url(&odd, &config(None, true)), None);
        let proto_only = [("x-forwarded-proto", "https"), ("host", "evil.example")];
        assert_eq!(url(&proto_only, &config(None, true)), None);
        let plain = [("x-forwarded-host", "site.example:8443")];
        assert_eq!(
            url(&plain, &config(None, true)).as_deref(),
            Some("http://site.example:8443/band/")
        );
    }

    #[test]
    fn public_urls_are_origins() {
        let n = normalise_public_url;
        assert_eq!(
            n("https://Music.Example.com/").unwrap(),
            "https://music.example.com"
        );
        assert_eq!(n("http://127.0.0.1:8080").unwrap(), "http://127.0.0.1:8080");
        assert_eq!(n("https://a.example:443").unwrap(), "https://a.example");
        for bad in [
            "music.example.com",
            "ftp://a.example",
            "https://a.example/band",
            "https://a.example/?x=1",
            "https://user@a.example",
            "https://",
        ] {
            assert!(n(bad).is_err(), "{bad}");
        }
    }
}
