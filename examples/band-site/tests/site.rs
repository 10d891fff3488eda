//! The site over real sockets: static files (types, ETag and 304, HEAD,
//! 405, no traversal), the API and its docs under the base path, and links
//! right behind a reverse proxy.

mod common;

use band_site::SiteConfig;
use http::Method;
use serde_json::Value;

use common::{Served, TempDir, loopback_proxy, options, owner_token};

#[tokio::test]
async fn files_have_their_types_and_tags() {
    let data = TempDir::new("files");
    let site = Served::start(&options(data.path()));
    for (path, content_type) in [
        ("/", "text/html; charset=utf-8"),
        ("/index.html", "text/html; charset=utf-8"),
        ("/app.css", "text/css; charset=utf-8"),
        ("/app.js", "text/javascript; charset=utf-8"),
        ("/covers/river-hymns.svg", "image/svg+xml"),
        ("/site.json", "application/json"),
    ] {
        let reply = site.client.get(path).await;
        assert_eq!(reply.status(), 200, "{path}");
        assert_eq!(reply.header("content-type"), Some(content_type), "{path}");
        assert_eq!(reply.header("cache-control"), Some("no-cache"), "{path}");
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
        let etag = reply.header("etag").expect("an ETag").to_owned();
        assert!(etag.starts_with('"') && !etag.starts_with("W/"), "{etag}");
        assert_eq!(
            reply.header("content-length"),
            Some(reply.bytes().len().to_string().as_str())
        );

        let again = site.client.get(path).header("If-None-Match", &etag).await;
        assert_eq!(again.status(), 304, "{path}");
        assert!(again.bytes().is_empty());
        assert_eq!(again.header("etag"), Some(etag.as_str()));
        let stale = site
            .client
            .get(path)
            .header("If-None-Match", "\"other\"")
            .await;
        assert_eq!(stale.status(), 200);

        let head = site.client.head(path).await;
        assert_eq!(head.status(), 200);
        assert!(head.bytes().is_empty());
        assert_eq!(head.header("content-type"), Some(content_type));
        assert_eq!(
            head.header("content-length"),
            Some(reply.bytes().len().to_string().as_str())
        );
    }
    let index = site.client.get("/").await.text();
    assert!(index.contains("<script src=\"app.js\""), "{index}");
    let site_json = site.client.get("/site.json").await.json::<Value>();
    assert_eq!(site_json["name"], "The Lamplight Parlour");
    assert_eq!(site_json["api"], "/api");
}

#[tokio::test]
async fn other_methods_unknown_files_and_traversal_are_refused() {
    let data = TempDir::new("refused");
    let site = Served::start(&options(data.path()));
    for method in [Method::POST, Method::PUT, Method::DELETE, Method::PATCH] {
        let reply = site
            .client
            .request(method.clone(), "/app.css")
            .header("Content-Length", "0")
            .await;
        assert_eq!(reply.status(), 405, "{method}");
        assert_eq!(reply.header("allow"), Some("GET, HEAD"));
    }
    for path in [
        "/missing.css",
        "/covers/missing.svg",
        "/../Cargo.toml",
        "/covers/../../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/covers/%2e%2e/%2e%2e/catalogue.toml",
        "/covers/..%2f..%2fCargo.toml",
        "/..%5c..%5cCargo.toml",
        "//etc/passwd",
        "/build.rs",
        "/catalogue.toml",
    ] {
        let reply = site.client.get(path).await;
        assert_eq!(reply.status(), 404, "{path}: {}", reply.text());
        assert_eq!(reply.text(), "not found\n", "{path}");
    }
    // A clean URL (no extension) is the front end's to route.
    let clean = site.client.get("/albums/river-hymns").await;
    assert_eq!(clean.status(), 200);
    assert_eq!(
        clean.header("content-type"),
        Some("text/html; charset=utf-8")
    );
}

#[tokio::test]
async fn the_api_and_its_docs_are_served_beside_the_files() {
    let data = TempDir::new("api");
    let site = Served::start_at_own_url(&options(data.path()));
    let albums = site
        .client
        .get("/api/albums?fields=title,links,cover_art_url")
        .await;
    assert_eq!(albums.status(), 200);
    let page = albums.json::<Value>();
    let items = page["items"].as_array().expect("items");
    let mut titles: Vec<&str> = items.iter().map(|a| a["title"].as_str().unwrap()).collect();
    titles.sort_unstable();
    assert_eq!(
        titles,
        [
            "Night Ferry Blues",
            "Old Roads Home",
            "Parlour Songs",
            "River Hymns"
        ]
    );
    let river = items.iter().find(|a| a["title"] == "River Hymns").unwrap();
    let host = site.addr.to_string();
    assert_eq!(
        river["cover_art_url"],
        format!("http://{host}/covers/river-hymns.svg")
    );
    assert!(
        river["links"]["self"]
            .as_str()
            .unwrap()
            .starts_with("/api/albums/")
    );

    let docs = site.client.get("/docs").await;
    assert_eq!(docs.status(), 302);
    assert_eq!(docs.header("location"), Some("/api/docs"));
    let html = site.client.get("/api/docs").await;
    assert_eq!(html.status(), 200);
    assert!(
        html.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert_eq!(site.client.get("/api/openapi.json").await.status(), 200);
    // API errors stay the API's: problem documents.
    let missing = site.client.get("/api/albums/999").await;
    assert_eq!(missing.status(), 404);
    assert_eq!(
        missing.header("content-type"),
        Some("application/problem+json")
    );
}

#[tokio::test]
async fn the_owner_sees_revenue_and_the_public_does_not() {
    let data = TempDir::new("owner");
    let site = Served::start(&options(data.path()));
    let token = format!("Bearer {}", owner_token(data.path()));
    let target = "/api/albums?fields=title,units_sold,revenue_cents,licenses";
    let owner = site
        .client
        .get(target)
        .header("Authorization", &token)
        .await
        .json::<Value>();
    let river = owner["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "River Hymns")
        .unwrap()
        .clone();
    // 48 + 12 + 31 units at $8.00, from the catalogue's sales.
    assert_eq!(river["units_sold"], 91);
    assert_eq!(river["revenue_cents"], 72_800);
    assert_eq!(river["licenses"][0]["status"], "active");
    let public = site
        .client
        .get("/api/albums?fields=title,revenue_cents")
        .await;
    assert_eq!(
        public.status(),
        400,
        "the public cannot even name the field"
    );
    let public = site
        .client
        .get("/api/albums?fields=*")
        .await
        .json::<Value>();
    assert!(public["items"][0].get("revenue_cents").is_none());
}

#[tokio::test]
async fn a_base_path_and_trusted_forwarded_headers_give_the_right_links() {
    let data = TempDir::new("proxy");
    let site = Served::start(&band_site::Options {
        site: SiteConfig {
            base_path: "/band".to_owned(),
            trusted_proxies: loopback_proxy(),
            public_url: None,
        },
        ..options(data.path())
    });
    let proxied = [
        ("Host", "127.0.0.1:8080"),
        ("X-Forwarded-Proto", "https"),
        ("X-Forwarded-Host", "music.example.com"),
    ];
    let target = "/band/api/albums?fields=title,links,cover_art_url&sort=title";
    let page = site
        .client
        .get(target)
        .headers(proxied)
        .await
        .json::<Value>();
    let first = &page["items"][0];
    assert_eq!(first["title"], "Night Ferry Blues");
    assert_eq!(
        first["cover_art_url"],
        "https://music.example.com/band/covers/night-ferry-blues.svg"
    );
    let self_link = first["links"]["self"].as_str().unwrap();
    assert!(self_link.starts_with("/band/api/albums/"), "{self_link}");
    assert_eq!(
        site.client.get(self_link).headers(proxied).await.status(),
        200
    );

    let rfc = [
        ("Host", "127.0.0.1:8080"),
        ("Forwarded", "proto=https;host=site.example"),
    ];
    let page = site.client.get(target).headers(rfc).await.json::<Value>();
    assert_eq!(
        page["items"][0]["cover_art_url"],
        "https://site.example/band/covers/night-ferry-blues.svg"
    );

    assert_eq!(site.client.get("/band/").await.status(), 200);
    assert_eq!(
        site.client
            .get("/band/covers/river-hymns.svg")
            .await
            .status(),
        200
    );
    let slash = site.client.get("/band").await;
    assert_eq!(slash.status(), 308);
    assert_eq!(slash.header("location"), Some("/band/"));
    let docs = site.client.get("/band/docs").await;
    assert_eq!(docs.header("location"), Some("/band/api/docs"));
    assert_eq!(site.client.get("/band/api/docs").await.status(), 200);
    assert_eq!(site.client.get("/api/albums").await.status(), 404);
    assert_eq!(site.client.get("/").await.status(), 404);
    assert_eq!(
        site.client.get("/band/site.json").await.json::<Value>()["api"],
        "/band/api"
    );
}

#[tokio::test]
async fn forwarded_headers_are_ignored_unless_trusted() {
    let data = TempDir::new("untrusted");
    let site = Served::start_at_own_url(&options(data.path()));
    let spoofed = [
        ("Host", "127.0.0.1:8080"),
        ("X-Forwarded-Proto", "https"),
        ("X-Forwarded-Host", "evil.example"),
        ("Forwarded", "proto=https;host=evil.example"),
    ];
    let page = site
        .client
        .get("/api/albums?fields=cover_art_url&sort=title")
        .headers(spoofed)
        .await
        .json::<Value>();
    // Issue 16: the configured URL (here the site's own address), not
    // the `Host` header the client sent (127.0.0.1:8080).
    assert_eq!(
        page["items"][0]["cover_art_url"],
        format!("http://{}/covers/night-ferry-blues.svg", site.addr)
    );
}
