//! Pagination over HTTP: `page`/`per_page` with their bounds, the `Link`
//! header and the body's `links` on every page, following `next` from
//! page 1 (every album once), links that keep `sort` and `fields`, and
//! `fields=` selecting the page's own members.

mod common;

use std::collections::BTreeSet;

use common::{Seeded, keys};
use http::StatusCode;
use pale::argument::Raw;
use pale::format::decode_form;
use serde_json::{Value, json};

/// Albums Maren creates, beside the four of the seed: enough for several
/// pages whose last one is short.
const CREATED: usize = 23;

async fn seed(s: &Seeded) {
    for i in 0..CREATED {
        let body = json!({"title": format!("Paged {i:02}"), "price_cents": 900});
        let created = s
            .client
            .post("/api/albums")
            .bearer(&s.tokens.maren)
            .json(&body)
            .await;
        assert_eq!(created.status(), StatusCode::CREATED, "{}", created.text());
    }
}

/// The `Link` header as (relation, link) pairs, in order.
fn link_header(value: &str) -> Vec<(String, String)> {
    value
        .split(", ")
        .map(|part| {
            let (target, rel) = part.split_once(">; rel=\"").expect("<…>; rel=\"…\"");
            let target = target.strip_prefix('<').expect("a <");
            let rel = rel.strip_suffix('"').expect("a closing quote");
            (rel.to_owned(), target.to_owned())
        })
        .collect()
}

/// A link's query, decoded as the server decodes it.
fn query_of(link: &str) -> Vec<(String, String)> {
    let (path, query) = link.split_once('?').expect("a query");
    assert!(path.starts_with("/api/"), "{link}");
    let map = decode_form(query.as_bytes()).expect("a valid query");
    map.iter()
        .map(|(k, v)| match v {
            Raw::Text(text) => (k.to_owned(), text.to_string()),
            other => panic!("{k} given twice: {other:?}"),
        })
        .collect()
}

fn param(link: &str, name: &str) -> Option<String> {
    query_of(link)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

#[tokio::test(flavor = "multi_thread")]
async fn following_next_visits_every_album_once() {
    let s = Seeded::start("pages-next").await;
    seed(&s).await;
    let maren = Some(s.tokens.maren.as_str());
    let everything = s
        .client
        .get("/api/albums?per_page=100&fields=id")
        .bearer_opt(maren)
        .await
        .json::<Value>();
    let all: BTreeSet<i64> = everything["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|a| a["id"].as_i64().expect("an id"))
        .collect();
    let total = everything["total"].as_u64().expect("a total");
    assert_eq!(all.len() as u64, total);
    assert!(total > (CREATED as u64), "{total}");
    let pages = total.div_ceil(5);

    let mut seen = Vec::new();
    let mut next = Some("/api/albums?sort=-release_date&per_page=5&fields=id,title".to_owned());
    let mut number = 0;
    while let Some(path) = next.take() {
        number += 1;
        assert!(number <= pages, "more pages than {pages}");
        let reply = s.client.get(&path).bearer_opt(maren).await;
        assert_eq!(reply.status(), StatusCode::OK, "{}", reply.text());
        let body = reply.json::<Value>();
        assert_eq!(body["page"], number, "{path}");
        assert_eq!(
            (body["pages"].as_u64(), body["total"].as_u64()),
            (Some(pages), Some(total))
        );
        for item in body["items"].as_array().expect("items") {
            // The client's `fields` held on every page it followed.
            assert_eq!(keys(item), ["id", "title"]);
            seen.push(item["id"].as_i64().expect("an id"));
        }
        let links = &body["links"];
        let header = link_header(reply.header("link").expect("a Link header"));
        // The header and the body carry the same links, in one order.
        let in_body: Vec<(String, String)> = links
            .as_object()
            .expect("links")
            .iter()
            .map(|(rel, link)| (rel.clone(), link.as_str().expect("text").to_owned()))
            .collect();
        let mut sorted_header = header.clone();
        sorted_header.sort();
        let mut sorted_body = in_body.clone();
        sorted_body.sort();
        assert_eq!(sorted_header, sorted_body, "{path}");
        let rels: Vec<&str> = header.iter().map(|(rel, _)| rel.as_str()).collect();
        let expected: &[&str] = match number {
            1 => &["self", "first", "next", "last"],
            n if n == pages => &["self", "first", "prev", "last"],
            _ => &["self", "first", "prev", "next", "last"],
        };
        assert_eq!(rels, expected, "page {number}");
        for (rel, link) in &header {
            // Every link keeps the request's `sort`, `fields` and
            // `per_page`, and changes only `page`.
            assert_eq!(
                param(link, "sort").as_deref(),
                Some("-release_date"),
                "{rel}"
            );
            assert_eq!(param(link, "fields").as_deref(), Some("id,title"), "{rel}");
            assert_eq!(param(link, "per_page").as_deref(), Some("5"), "{rel}");
            let target = match rel.as_str() {
                "self" => number,
                "first" => 1,
                "prev" => number - 1,
                "next" => number + 1,
                _ => pages,
            };
            assert_eq!(
                param(link, "page"),
                Some(target.to_string()),
                "{rel}: {link}"
            );
        }
        next = links["next"].as_str().map(str::to_owned);
    }
    assert_eq!(number, pages);
    let unique: BTreeSet<i64> = seen.iter().copied().collect();
    assert_eq!(seen.len(), unique.len(), "an album twice: {seen:?}");
    assert_eq!(unique, all);
}

#[tokio::test(flavor = "multi_thread")]
async fn fields_select_the_pages_members() {
    let s = Seeded::start("pages-fields").await;
    seed(&s).await;
    let maren = Some(s.tokens.maren.as_str());
    let total = s
        .client
        .get("/api/albums?fields=id")
        .bearer_opt(maren)
        .await
        .json::<Value>()["total"]
        .clone();

    let body = s
        .client
        .get("/api/albums?sort=title&per_page=2&fields=total,items(title)")
        .bearer_opt(maren)
        .await
        .json::<Value>();
    let titles = s
        .client
        .get("/api/albums?sort=title&per_page=2&fields=title")
        .bearer_opt(maren)
        .await
        .json::<Value>();
    assert_eq!(body, json!({"total": total, "items": titles["items"]}));

    let cases: &[(&str, Value)] = &[
        ("fields=total", json!({"total": total})),
        (
            "fields=page,per_page&page=2&per_page=3",
            json!({"page": 2, "per_page": 3}),
        ),
        ("fields=items()&per_page=2", json!({"items": [{}, {}]})),
    ];
    for (query, expected) in cases {
        let reply = s
            .client
            .get(format!("/api/albums?{query}"))
            .bearer_opt(maren)
            .await;
        assert_eq!(reply.status(), StatusCode::OK, "{query}: {}", reply.text());
        assert_eq!(&reply.json::<Value>(), expected, "{query}");
        // The header is there whatever the body holds.
        assert!(reply.header("link").is_some(), "{query}");
    }
    // The page's links beside another member; alone, `links` is still the
    // albums' own field, as before pages had members.
    let links = s
        .client
        .get("/api/albums?fields=links,pages&per_page=100")
        .bearer_opt(maren)
        .await
        .json::<Value>();
    assert_eq!(keys(&links), ["links", "pages"]);
    assert!(
        links["links"]["self"]
            .as_str()
            .unwrap()
            .starts_with("/api/albums?")
    );
    let own = s
        .client
        .get("/api/albums?fields=links&per_page=1")
        .bearer_opt(maren)
        .await
        .json::<Value>();
    assert!(own["items"][0]["links"]["self"].is_string(), "{own}");
    assert_eq!(own["total"], total);

    // A field the caller may not see is refused inside `items(…)` as at
    // the top level, and the error names no hidden field.
    let hidden = s
        .client
        .get("/api/albums?fields=total,items(revenue_cents)")
        .await;
    assert_eq!(hidden.status(), StatusCode::BAD_REQUEST);
    assert_eq!(hidden.json::<Value>()["code"], "unknown_field");
    assert!(!hidden.text().contains("units_sold"), "{}", hidden.text());
    let mixed = s.client.get("/api/albums?fields=title,total").await;
    assert_eq!(mixed.status(), StatusCode::BAD_REQUEST);
    assert!(mixed.text().contains("items("), "{}", mixed.text());
    let scalar = s.client.get("/api/albums?fields=total(x)").await;
    assert_eq!(
        (scalar.status(), scalar.json::<Value>()["code"].clone()),
        (StatusCode::BAD_REQUEST, json!("invalid_selection"))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn page_bounds_are_a_422_at_the_argument() {
    let s = Seeded::start("pages-bounds").await;
    let cases = [
        ("page=0", "/page", "must be between 1 and 1000000"),
        ("page=1000001", "/page", "must be between 1 and 1000000"),
        ("per_page=0", "/per_page", "must be between 1 and 100"),
        ("per_page=101", "/per_page", "must be between 1 and 100"),
        ("per_page=x", "/per_page", ""),
    ];
    for path in ["/api/albums", "/api/compositions"] {
        for (query, pointer, message) in cases {
            let reply = s.client.get(format!("{path}?{query}")).await;
            assert_eq!(
                reply.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "{path}?{query}"
            );
            let errors = reply.json::<Value>()["errors"].clone();
            assert_eq!(errors.as_array().map(Vec::len), Some(1), "{errors}");
            assert_eq!(errors[0]["pointer"], pointer, "{query}");
            if !message.is_empty() {
                assert_eq!(errors[0]["message"], message, "{query}");
            }
        }
    }
    // Both at once: every error, each at its own argument.
    let both = s
        .client
        .get("/api/albums?page=0&per_page=500")
        .await
        .json::<Value>();
    let pointers: Vec<&str> = both["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(pointers, ["/page", "/per_page"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn every_list_is_a_page_with_links() {
    let s = Seeded::start("pages-lists").await;
    let a = s.albums;
    let maren = s.tokens.maren_id;
    // (path, token, read by key: the next link carries a cursor)
    let lists = [
        (
            format!("/api/artists/{maren}/albums?per_page=1"),
            Some(s.tokens.maren.as_str()),
            true,
        ),
        ("/api/compositions?per_page=1".to_owned(), None, false),
        (
            format!("/api/albums/{}/licenses?per_page=1", a.changed_words),
            Some(s.tokens.admin.as_str()),
            false,
        ),
    ];
    for (path, token, by_key) in &lists {
        let reply = s.client.get(path).bearer_opt(*token).await;
        assert_eq!(reply.status(), StatusCode::OK, "{path}: {}", reply.text());
        let body = reply.json::<Value>();
        assert_eq!(body["items"].as_array().map(Vec::len), Some(1), "{path}");
        assert!(body["total"].as_u64().unwrap() >= 2, "{path}: {body}");
        let header = link_header(reply.header("link").expect("a Link header"));
        let route = path.split('?').next().unwrap();
        assert!(body["links"].get("prev").is_none());
        if *by_key {
            // Itself and the first page by number, the next by cursor;
            // no last page (no key to start it from).
            let next = body["links"]["next"].as_str().unwrap();
            assert!(
                next.starts_with(&format!("{route}?per_page=1&after=")),
                "{next}"
            );
            assert!(body["links"].get("last").is_none(), "{body}");
            let rels: Vec<&str> = header.iter().map(|(rel, _)| rel.as_str()).collect();
            assert_eq!(rels, ["self", "first", "next"]);
            // The next page, by its cursor, knows its number.
            let second = s.client.get(next).bearer_opt(*token).await.json::<Value>();
            assert_eq!(second["page"], 2, "{second}");
            continue;
        }
        for (_, link) in &header {
            assert!(
                link.starts_with(&format!("{route}?per_page=1&page=")),
                "{link}"
            );
        }
        assert_eq!(body["links"]["next"], format!("{route}?per_page=1&page=2"));
    }
    // In XML, the links are elements of `<links>`, escaped as XML.
    let xml = s
        .client
        .get("/api/compositions?per_page=1")
        .accept("application/xml")
        .await;
    assert_eq!(xml.status(), StatusCode::OK);
    let expected = "<links><self>/api/compositions?per_page=1&amp;page=1</self>\
                    <first>/api/compositions?per_page=1&amp;page=1</first>\
                    <next>/api/compositions?per_page=1&amp;page=2</next><last>";
    assert!(xml.text().contains(expected), "{}", xml.text());
}
