//! Issue 16 over real sockets: every page the site answers carries its
//! security headers (Content-Security-Policy, frame-ancestors,
//! Referrer-Policy, nosniff), the API's docs page carries pale-server's,
//! SVG covers are sandboxed, and no link is built from the client's
//! `Host` header.

mod common;

use band_site::SiteConfig;
use http::Method;
use pale::test::TestResponse;
use serde_json::Value;

use common::{Served, TempDir, loopback_proxy, options};

const PAGE_POLICY: &str = "default-src 'self'; img-src 'self' data:; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const SVG_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

fn assert_page_headers(reply: &TestResponse, what: &str) {
    assert_eq!(reply.status(), 200, "{what}");
    assert_eq!(
        reply.header("content-type"),
        Some("text/html; charset=utf-8"),
        "{what}"
    );
    assert_eq!(
        reply.header("content-security-policy"),
        Some(PAGE_POLICY),
        "{what}"
    );
    assert_eq!(reply.header("x-frame-options"), Some("DENY"), "{what}");
    assert_eq!(
        reply.header("referrer-policy"),
        Some("strict-origin-when-cross-origin"),
        "{what}"
    );
    assert_eq!(
        reply.header("x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
}

#[tokio::test]
async fn pages_have_the_sites_policy_and_the_docs_pale_servers() {
    let data = TempDir::new("headers");
    let site = Served::start(&options(data.path()));
    for path in ["/", "/index.html", "/albums/river-hymns"] {
        assert_page_headers(&site.client.get(path).await, path);
        assert_page_headers(&site.client.head(path).await, path);
    }
    let docs = site.client.get("/api/docs").await;
    assert_eq!(docs.status(), 200);
    let policy = docs.header("content-security-policy").unwrap();
    assert_eq!(
        policy,
        pale::SecurityHeaders::html_policy(),
        "the docs page is the API's"
    );
    assert!(policy.contains(pale::describe::HTML_STYLE_HASH));
    assert!(policy.ends_with("frame-ancestors 'none'"));
    assert_eq!(docs.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(docs.header("x-frame-options"), Some("DENY"));
    assert_eq!(docs.header("x-content-type-options"), Some("nosniff"));
    // The page itself has no inline script, and only its own files.
    let index = site.client.get("/").await.text();
    assert_eq!(index.matches("<script").count(), 1);
    assert!(index.contains("<script src=\"app.js\" defer></script>"));
    assert!(!index.contains("<style") && !index.contains("style="));
}

#[tokio::test]
async fn covers_are_sandboxed_and_other_files_get_no_page_policy() {
    let data = TempDir::new("svg");
    let site = Served::start(&options(data.path()));
    for method in [Method::GET, Method::HEAD] {
        let cover = site
            .client
            .request(method.clone(), "/covers/river-hymns.svg")
            .await;
        assert_eq!(cover.status(), 200, "{method}");
        assert_eq!(cover.header("content-type"), Some("image/svg+xml"));
        assert_eq!(cover.header("content-security-policy"), Some(SVG_POLICY));
        assert_eq!(cover.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(cover.header("referrer-policy"), None);
    }
    for path in ["/app.js", "/app.css", "/site.json", "/api/albums"] {
        let reply = site.client.get(path).await;
        assert_eq!(reply.status(), 200, "{path}");
        assert_eq!(reply.header("content-security-policy"), None, "{path}");
        assert_eq!(reply.header("x-frame-options"), None, "{path}");
    }
}

/// Every place a link could come out: the album list and one album, the
/// site's own JSON, the redirects; as text, headers included.
async fn everything_linked(
    site: &Served,
    base: &str,
    headers: &[(&str, &str)],
) -> Vec<TestResponse> {
    let list = site
        .client
        .get(format!(
            "{base}/api/albums?fields=id,title,cover_art_url,links&sort=title"
        ))
        .headers(headers.iter().copied())
        .await;
    assert_eq!(list.status(), 200, "{}", list.text());
    let id = list.json::<Value>()["items"][0]["id"].as_i64().unwrap();
    let one = site
        .client
        .get(format!("{base}/api/albums/{id}?fields=*"))
        .headers(headers.iter().copied())
        .await;
    assert_eq!(one.status(), 200);
    let mut replies = vec![list, one];
    for path in ["/site.json", "/docs", "", "/api/docs"] {
        let target = format!("{base}{path}");
        let target = if target.is_empty() { "/" } else { &target };
        replies.push(
            site.client
                .get(target)
                .headers(headers.iter().copied())
                .await,
        );
    }
    replies
}

fn assert_nowhere(replies: &[TestResponse], host: &str) {
    for reply in replies {
        let headers = format!("{:?}", reply.headers());
        assert!(!headers.contains(host), "{headers}");
        assert!(!reply.text().contains(host), "{}", reply.text());
    }
}

#[tokio::test]
async fn a_hostile_host_gets_into_no_link() {
    let hostile = [("Host", "evil.example")];
    let data = TempDir::new("host");
    // No public URL configured: no absolute link at all.
    let site = Served::start(&band_site::Options {
        site: SiteConfig {
            base_path: "/band".to_owned(),
            ..SiteConfig::default()
        },
        ..options(data.path())
    });
    let replies = everything_linked(&site, "/band", &hostile).await;
    assert_nowhere(&replies, "evil.example");
    let first = &replies[0].json::<Value>()["items"][0];
    assert_eq!(first["cover_art_url"], serde_json::Value::Null);
    assert_eq!(replies[3].header("location"), Some("/band/api/docs"));
    assert_eq!(replies[4].header("location"), Some("/band/"));
    drop(site);

    // A trusted proxy that sent no host of its own: still not the Host.
    let site = Served::start(&band_site::Options {
        site: SiteConfig {
            trusted_proxies: loopback_proxy(),
            ..SiteConfig::default()
        },
        ..options(data.path())
    });
    let replies = everything_linked(
        &site,
        "",
        &[("Host", "evil.example"), ("X-Forwarded-Proto", "https")],
    )
    .await;
    assert_nowhere(&replies, "evil.example");
    assert_eq!(
        replies[0].json::<Value>()["items"][0]["cover_art_url"],
        serde_json::Value::Null
    );
}

/// Forwarded headers from a connection that is not the trusted proxy (a
/// client reaching the site past the proxy) are the client's word, and
/// choose no link.
#[tokio::test]
async fn forwarded_headers_from_anyone_but_the_proxy_are_ignored() {
    let data = TempDir::new("untrusted-proxy");
    let forged = [
        ("Host", "127.0.0.1"),
        ("X-Forwarded-Proto", "https"),
        ("X-Forwarded-Host", "evil.example"),
        ("Forwarded", "proto=https;host=evil.example"),
    ];
    let elsewhere = pale::TrustedProxies::new([pale::parse_proxy("127.0.0.9").unwrap()]);
    let site = Served::start(&band_site::Options {
        site: SiteConfig {
            trusted_proxies: elsewhere,
            ..SiteConfig::default()
        },
        ..options(data.path())
    });
    let replies = everything_linked(&site, "", &forged).await;
    assert_nowhere(&replies, "evil.example");
    assert_eq!(
        replies[0].json::<Value>()["items"][0]["cover_art_url"],
        serde_json::Value::Null
    );
    drop(site);

    // The same headers from the proxy itself are believed.
    let site = Served::start(&band_site::Options {
        site: SiteConfig {
            trusted_proxies: loopback_proxy(),
            ..SiteConfig::default()
        },
        ..options(data.path())
    });
    let replies = everything_linked(&site, "", &forged).await;
    assert_eq!(
        replies[0].json::<Value>()["items"][0]["cover_art_url"],
        "https://evil.example/covers/night-ferry-blues.svg"
    );
}

#[tokio::test]
async fn a_configured_public_url_is_the_links_origin() {
    let data = TempDir::new("public-url");
    let site = Served::start(&band_site::Options {
        site: SiteConfig {
            base_path: "/band".to_owned(),
            public_url: Some("https://music.example.com".to_owned()),
            trusted_proxies: loopback_proxy(),
        },
        ..options(data.path())
    });
    // The configured URL wins over the Host and a proxy's headers alike.
    let spoofed = [
        ("Host", "evil.example"),
        ("X-Forwarded-Host", "evil.example"),
        ("Forwarded", "proto=http;host=evil.example"),
    ];
    let replies = everything_linked(&site, "/band", &spoofed).await;
    assert_nowhere(&replies, "evil.example");
    let first = &replies[0].json::<Value>()["items"][0];
    assert_eq!(
        first["cover_art_url"],
        "https://music.example.com/band/covers/night-ferry-blues.svg"
    );
    assert_eq!(
        replies[1].json::<Value>()["cover_art_url"],
        "https://music.example.com/band/covers/night-ferry-blues.svg"
    );
}
