//! Declared rate limits on real sockets: each audience gets its own quota,
//! each caller (address, or credential) its own budget, the `RateLimit`
//! headers on every counted response and a 429 with `Retry-After` past the
//! quota; a store the app shares between servers makes one budget of
//! them; a failing store lets calls through.

mod common;

use std::net::IpAddr;
use std::sync::Arc;

use pale_core::prelude::*;
use pale_core::rate::{Quota, RateLimitStore, SpendFuture, StoreUnavailable};
use pale_server::{MemoryRateLimitStore, TrustedProxies, parse_proxy};

use common::{Members, TestServer, exchange_from, loopback};

/// Searches, a few times a minute.
#[derive(Endpoint)]
#[pale(GET "/search", name = "search",
       rate_limit(public = "3/min", user = "5/min", admin = "unlimited"))]
struct Search {}

impl Handler<Members> for Search {
    type Output = Plain<&'static str>;
    async fn handle(self, _: &Context<Members>) -> Result<Self::Output, ApiError> {
        Ok(Plain::new("found", "found"))
    }
}

/// Greets, as often as asked.
#[derive(Endpoint)]
#[pale(GET "/hello", name = "hello")]
struct Hello {}

impl Handler<Members> for Hello {
    type Output = Plain<&'static str>;
    async fn handle(self, _: &Context<Members>) -> Result<Self::Output, ApiError> {
        Ok(Plain::new("greeting", "hello"))
    }
}

/// Writes, once an hour for everyone.
#[derive(Endpoint)]
#[pale(POST "/posts", name = "post", audience = User, rate_limit = "1/hour")]
struct Post {
    /// The text.
    text: String,
}

impl Handler<Members> for Post {
    type Output = NoContent;
    async fn handle(self, _: &Context<Members>) -> Result<NoContent, ApiError> {
        let _ = self.text;
        Ok(NoContent)
    }
}

fn api(app: Members) -> Api<Members> {
    Api::builder(app)
        .base_path("/api")
        .mount::<Search>()
        .mount::<Hello>()
        .mount::<Post>()
        .build()
        .unwrap()
}

/// What one request got: status, `RateLimit-Policy`, `RateLimit`,
/// `Retry-After`, the problem's `detail`.
#[derive(Debug, PartialEq)]
struct Seen {
    status: u16,
    policy: Option<String>,
    state: Option<String>,
    retry_after: Option<String>,
}

async fn call(server: &TestServer, from: IpAddr, request: &str) -> Seen {
    let bytes = request.replace('\n', "\r\n");
    let reply = exchange_from(from, server.addr, bytes.as_bytes())
        .await
        .unwrap();
    let header = |name: &str| reply.header(name).map(str::to_owned);
    if reply.status == 429 {
        assert_eq!(
            reply.header("content-type"),
            Some("application/problem+json")
        );
        let detail = reply.json()["detail"].as_str().unwrap().to_owned();
        assert!(detail.starts_with("this endpoint allows "), "{detail}");
    }
    Seen {
        status: reply.status,
        policy: header("ratelimit-policy"),
        state: header("ratelimit"),
        retry_after: header("retry-after"),
    }
}

fn get(path: &str, token: Option<&str>) -> String {
    let auth = token.map_or(String::new(), |t| format!("Authorization: bearer {t}\n"));
    format!("GET /api{path} HTTP/1.1\nHost: t\nConnection: close\n{auth}\n")
}

fn seen(status: u16, policy: Option<&str>, state: Option<&str>, retry: Option<&str>) -> Seen {
    Seen {
        status,
        policy: policy.map(str::to_owned),
        state: state.map(str::to_owned),
        retry_after: retry.map(str::to_owned),
    }
}

const PUBLIC: Option<&str> = Some("\"search\";q=3;w=60");
const USER: Option<&str> = Some("\"search\";q=5;w=60");

#[tokio::test]
async fn each_audience_gets_its_quota_and_each_caller_its_budget() {
    let server = TestServer::start_api(api(Members::default()), TrustedProxies::default()).await;
    let (anon, other) = (loopback(0, 21), loopback(0, 22));
    #[rustfmt::skip]
    let cases: Vec<(IpAddr, String, Seen)> = vec![
        (anon, get("/search", None), seen(200, PUBLIC, Some("\"search\";r=2;t=20"), None)),
        (anon, get("/search", None), seen(200, PUBLIC, Some("\"search\";r=1;t=40"), None)),
        (anon, get("/search", None), seen(200, PUBLIC, Some("\"search\";r=0;t=60"), None)),
        (anon, get("/search", None), seen(429, PUBLIC, Some("\"search\";r=0;t=20"), Some("20"))),
        // An endpoint with no limit, from the same address: untouched.
        (anon, get("/hello", None), seen(200, None, None, None)),
        // Another address has its own budget.
        (other, get("/search", None), seen(200, PUBLIC, Some("\"search\";r=2;t=20"), None)),
        // A member at the refused address: counted by credential, with the user quota.
        (anon, get("/search", Some("ann")), seen(200, USER, Some("\"search\";r=4;t=12"), None)),
        // An administrator is not limited.
        (anon, get("/search", Some("root")), seen(200, None, None, None)),
    ];
    for (i, (from, request, expected)) in cases.into_iter().enumerate() {
        assert_eq!(
            call(&server, from, &request).await,
            expected,
            "case {i}: {request}"
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn a_limit_for_everyone_counts_writes_before_their_body_is_read() {
    let server = TestServer::start_api(api(Members::default()), TrustedProxies::default()).await;
    let post = |token: &str, body: &str| {
        format!(
            "POST /api/posts HTTP/1.1\nHost: t\nConnection: close\nAuthorization: Bearer {token}\nContent-Type: application/json\nContent-Length: {}\n\n{body}",
            body.len()
        )
    };
    let from = loopback(0, 23);
    let policy = Some("\"post\";q=1;w=3600");
    #[rustfmt::skip]
    let cases = [
        (post("bob", r#"{"text": "hi"}"#), seen(204, policy, Some("\"post\";r=0;t=3600"), None)),
        // Past the quota: refused before the body (malformed here) is read.
        (post("bob", "{"), seen(429, policy, Some("\"post\";r=0;t=3600"), Some("3600"))),
        // Admins have no limit of their own: the one for everyone applies.
        (post("root", r#"{"text": "hi"}"#), seen(204, policy, Some("\"post\";r=0;t=3600"), None)),
        (post("root", r#"{"text": "hi"}"#), seen(429, policy, Some("\"post\";r=0;t=3600"), Some("3600"))),
    ];
    for (i, (request, expected)) in cases.into_iter().enumerate() {
        assert_eq!(call(&server, from, &request).await, expected, "case {i}");
    }
    // An anonymous caller is refused by the endpoint's audience, not counted.
    let anonymous = "POST /api/posts HTTP/1.1\nHost: t\nConnection: close\nContent-Length: 0\n\n";
    assert_eq!(call(&server, from, anonymous).await.status, 401);
    server.stop().await;
}

#[tokio::test]
async fn a_shared_store_makes_one_budget_of_several_servers() {
    let store: Arc<dyn RateLimitStore> = Arc::new(MemoryRateLimitStore::default());
    let members = || Members {
        store: Some(Arc::clone(&store)),
    };
    let one = TestServer::start_api(api(members()), TrustedProxies::default()).await;
    let two = TestServer::start_api(api(members()), TrustedProxies::default()).await;
    let from = loopback(0, 24);
    let mut statuses = Vec::new();
    for server in [&one, &two, &one, &two] {
        statuses.push(call(server, from, &get("/search", None)).await.status);
    }
    assert_eq!(statuses, [200, 200, 200, 429]);
    one.stop().await;
    two.stop().await;
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_client_is_counted() {
    let proxies = TrustedProxies::new([parse_proxy("127.0.0.25").unwrap()]);
    let server = TestServer::start_api(api(Members::default()), proxies).await;
    let proxy = loopback(0, 25);
    let forwarded = |client: &str| {
        format!(
            "GET /api/search HTTP/1.1\nHost: t\nConnection: close\nX-Forwarded-For: {client}\n\n"
        )
    };
    let mut statuses = Vec::new();
    for client in [
        "198.51.100.1",
        "198.51.100.1",
        "198.51.100.1",
        "198.51.100.1",
        "198.51.100.2",
    ] {
        statuses.push(call(&server, proxy, &forwarded(client)).await.status);
    }
    assert_eq!(statuses, [200, 200, 200, 429, 200]);
    server.stop().await;
}

/// A store whose database is down.
struct Down;

impl RateLimitStore for Down {
    fn spend<'a>(&'a self, _: &'a str, _: Quota) -> SpendFuture<'a> {
        Box::pin(async { Err(StoreUnavailable("connection refused".to_owned())) })
    }
}

#[tokio::test]
async fn a_failing_store_lets_calls_through_without_headers() {
    let members = Members {
        store: Some(Arc::new(Down)),
    };
    let server = TestServer::start_api(api(members), TrustedProxies::default()).await;
    for _ in 0..5 {
        let got = call(&server, loopback(0, 26), &get("/search", None)).await;
        assert_eq!(got, seen(200, None, None, None));
    }
    server.stop().await;
}
