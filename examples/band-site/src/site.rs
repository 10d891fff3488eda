//! The site as one `tower::Service`: the licensing API under `/api`, a
//! redirect from `/docs` to the API's docs, `/site.json` for the front
//! end, and the embedded files everywhere else, all under an optional base
//! path.
//!
//! **Static files** are answered here, not by the API: `GET` and `HEAD`
//! only (405 with `Allow` otherwise), a strong `ETag` and `304 Not
//! Modified` for `If-None-Match`, `Cache-Control: no-cache` (revalidate
//! every time: the names carry no hash), `X-Content-Type-Options:
//! nosniff`. `/` is `index.html`; a path with no extension that names no
//! file is `index.html` too, so the front end may use clean URLs
//! (`/albums/river-hymns`); any other unknown path is a 404. A path is
//! looked up in the in-memory table, never on disk, and one with `..`,
//! `%`, a backslash or an empty segment is refused outright.
//!
//! Every file also gets the site's security headers (`crate::headers`):
//! a Content-Security-Policy on the pages, a sandboxing one on SVG covers.
//!
//! **Behind a reverse proxy**, `--base-path /band` serves the whole site
//! under `/band/` (the proxy passes the path through unchanged), and
//! links in API responses include it. Absolute links (cover art) need the
//! public scheme and host: from `--public-url`, or from the `Forwarded` or
//! `X-Forwarded-*` headers of a connection from a `--trusted-proxy`;
//! never from the client's `Host` (`crate::links`).

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context as TaskContext, Poll};

use bytes::Bytes;
use http::header::{self, HeaderValue};
use http::{Method, Request, Response, StatusCode};
use http_body::Body;
use http_body_util::Full;
use licensing::api::Licensing;
use pale::{PaleService, SecurityHeaders, TrustedProxies};

use crate::assets::{Asset, Assets};
use crate::links::public_url;

/// How the site is reached.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SiteConfig {
    /// The path the site lives under: empty, or `/band` (no trailing `/`).
    pub base_path: String,
    /// The reverse proxies in front of the site, for the server to know
    /// (`pale::Server::trusted_proxies`): requests from them are
    /// believed about the public scheme and host (their `Forwarded` and
    /// `X-Forwarded-*` headers), requests from anyone else are not.
    pub trusted_proxies: TrustedProxies,
    /// The origin clients reach the site at (`https://music.example.com`,
    /// see [`crate::links::normalise_public_url`]), for absolute links.
    /// Without it (and without a trusted proxy's headers) a cover stored
    /// as a path is not shown as a link: the client's `Host` is never used.
    pub public_url: Option<String>,
}

impl SiteConfig {
    /// Checks and normalises a base path: `""`, `"/"` → `""`; `"band"`,
    /// `"/band/"` → `"/band"`. Segments are letters, digits, `-`, `_`, `.`.
    pub fn normalise_base_path(text: &str) -> Result<String, String> {
        let trimmed = text.trim().trim_matches('/');
        if trimmed.is_empty() {
            return Ok(String::new());
        }
        let ok = trimmed.split('/').all(|s| {
            !s.is_empty()
                && s != "."
                && s != ".."
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        });
        if ok {
            Ok(format!("/{trimmed}"))
        } else {
            Err(format!(
                "`{text}` is not a base path such as /band (letters, digits, `-`, `_`, `.`)"
            ))
        }
    }
}

/// The response body.
pub type SiteBody = Full<Bytes>;

/// The whole site; cheap to clone.
#[derive(Clone)]
pub struct Site {
    inner: Arc<Inner>,
}

struct Inner {
    api: PaleService<Licensing>,
    assets: Assets,
    config: SiteConfig,
    security: SecurityHeaders,
}

/// Where a request goes.
enum Route<'a> {
    Api,
    Docs,
    File(&'a str),
    RedirectToSlash,
    NotFound,
}

impl Site {
    /// The site over `api` (whose base path must be the site's base path
    /// plus `/api`), serving `assets` with `security` headers (see
    /// [`crate::headers::site_headers`]).
    pub fn new(
        api: PaleService<Licensing>,
        assets: Assets,
        config: SiteConfig,
        security: SecurityHeaders,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                api,
                assets,
                config,
                security,
            }),
        }
    }
}

impl<B> tower::Service<Request<B>> for Site
where
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    type Response = Response<SiteBody>;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response<SiteBody>, Infallible>> + Send>>;

    fn poll_ready(&mut self, _: &mut TaskContext<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let inner = Arc::clone(&self.inner);
        let route = route(request.uri().path(), &inner.config.base_path);
        let mut response = match route {
            // The API logs its own requests.
            Route::Api => {
                let (mut parts, body) = request.into_parts();
                if let Some(base) = public_url(&parts, &inner.config) {
                    parts.extensions.insert(base);
                }
                let mut api = inner.api.clone();
                let request = Request::from_parts(parts, body);
                return Box::pin(async move { tower::Service::call(&mut api, request).await });
            }
            Route::Docs => {
                let target = format!("{}/api/docs", inner.config.base_path);
                only_get(request.method()).unwrap_or_else(|| redirect(StatusCode::FOUND, &target))
            }
            Route::RedirectToSlash => {
                let target = format!("{}/", inner.config.base_path);
                redirect(StatusCode::PERMANENT_REDIRECT, &target)
            }
            Route::File(path) => {
                only_get(request.method()).unwrap_or_else(|| match find(&inner.assets, path) {
                    Some(asset) => file(&request, asset),
                    None => plain(StatusCode::NOT_FOUND, "not found\n"),
                })
            }
            Route::NotFound => plain(StatusCode::NOT_FOUND, "not found\n"),
        };
        inner.security.apply(response.headers_mut());
        tracing::info!(
            method = %request.method(),
            path = %request.uri().path(),
            status = response.status().as_u16(),
            "served"
        );
        Box::pin(async move { Ok(response) })
    }
}

/// Routes `path` under `base` (`""` or `/band`).
fn route<'a>(path: &'a str, base: &str) -> Route<'a> {
    let Some(rest) = path.strip_prefix(base) else {
        return Route::NotFound;
    };
    if rest.is_empty() {
        return if base.is_empty() {
            Route::File("index.html")
        } else {
            Route::RedirectToSlash
        };
    }
    let Some(rest) = rest.strip_prefix('/') else {
        return Route::NotFound; // `/bandx` is not under `/band`
    };
    if rest == "api" || rest.starts_with("api/") {
        return Route::Api;
    }
    if rest == "docs" || rest == "docs/" {
        return Route::Docs;
    }
    if rest.is_empty() {
        return Route::File("index.html");
    }
    let safe = !rest.contains(['%', '\\', '\0'])
        && rest
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != "..");
    if safe {
        Route::File(rest)
    } else {
        Route::NotFound
    }
}

/// The file for `path`, with `index.html` for a clean URL (no extension).
fn find<'a>(assets: &'a Assets, path: &str) -> Option<&'a Asset> {
    if let Some(asset) = assets.get(path) {
        return Some(asset);
    }
    let last = path.rsplit('/').next().unwrap_or(path);
    if last.contains('.') {
        None
    } else {
        assets.get("index.html")
    }
}

/// `None` for the methods a file answers; a 405 otherwise.
fn only_get(method: &Method) -> Option<Response<SiteBody>> {
    if method == Method::GET || method == Method::HEAD {
        return None;
    }
    let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n");
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
    Some(response)
}

/// Answers `request` with `asset`: 304 when the client has it, the bytes
/// otherwise (none for `HEAD`).
fn file<B>(request: &Request<B>, asset: &Asset) -> Response<SiteBody> {
    let fresh = request
        .headers()
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .any(|value| etag_matches(value, &asset.etag));
    let (status, body) = if fresh {
        (StatusCode::NOT_MODIFIED, Bytes::new())
    } else if request.method() == Method::HEAD {
        (StatusCode::OK, Bytes::new())
    } else {
        (StatusCode::OK, asset.bytes.clone())
    };
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::ETAG, asset.etag.clone());
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if !fresh {
        headers.insert(header::CONTENT_TYPE, asset.content_type.clone());
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(asset.bytes.len()));
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
    }
    response
}

/// `If-None-Match` uses the weak comparison (RFC 9110 §13.1.2): `W/"x"`
/// matches `"x"`; `*` matches anything.
fn etag_matches(header: &HeaderValue, etag: &HeaderValue) -> bool {
    let Ok(text) = header.to_str() else {
        return false;
    };
    let ours = etag.to_str().unwrap_or_default();
    text.split(',').map(str::trim).any(|candidate| {
        candidate == "*" || candidate.strip_prefix("W/").unwrap_or(candidate) == ours
    })
}

fn plain(status: StatusCode, text: &'static str) -> Response<SiteBody> {
    let mut response = Response::new(Full::new(Bytes::from_static(text.as_bytes())));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

fn redirect(status: StatusCode, target: &str) -> Response<SiteBody> {
    let mut response = plain(status, "see the Location header\n");
    if let Ok(location) = HeaderValue::try_from(target) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_route_under_the_base() {
        let name = |path: &str, base: &str| match route(path, base) {
            Route::Api => "api".to_owned(),
            Route::Docs => "docs".to_owned(),
            Route::File(f) => format!("file {f}"),
            Route::RedirectToSlash => "slash".to_owned(),
            Route::NotFound => "404".to_owned(),
        };
        assert_eq!(name("/", ""), "file index.html");
        assert_eq!(name("/api/albums", ""), "api");
        assert_eq!(name("/api", ""), "api");
        assert_eq!(name("/apix", ""), "file apix");
        assert_eq!(name("/docs", ""), "docs");
        assert_eq!(name("/app.css", ""), "file app.css");
        assert_eq!(name("/../etc/passwd", ""), "404");
        assert_eq!(name("/covers/%2e%2e/x", ""), "404");
        assert_eq!(name("/a//b", ""), "404");
        assert_eq!(name("/band", "/band"), "slash");
        assert_eq!(name("/band/", "/band"), "file index.html");
        assert_eq!(name("/band/api/albums", "/band"), "api");
        assert_eq!(name("/bandx/api", "/band"), "404");
        assert_eq!(name("/api/albums", "/band"), "404");
    }

    #[test]
    fn base_paths_are_normalised() {
        let n = SiteConfig::normalise_base_path;
        assert_eq!(n("").unwrap(), "");
        assert_eq!(n("/").unwrap(), "");
        assert_eq!(n("band").unwrap(), "/band");
        assert_eq!(n("/music/band/").unwrap(), "/music/band");
        assert!(n("/a/../b").is_err());
        assert!(n("/a b").is_err());
    }

    #[test]
    fn if_none_match_uses_the_weak_comparison() {
        let ours = HeaderValue::from_static("\"abc\"");
        let matches = |h: &'static str| etag_matches(&HeaderValue::from_static(h), &ours);
        assert!(matches("\"abc\""));
        assert!(matches("W/\"abc\""));
        assert!(matches("\"x\", \"abc\""));
        assert!(matches("*"));
        assert!(!matches("\"abcd\""));
    }
}
