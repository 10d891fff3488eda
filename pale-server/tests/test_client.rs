//! The test client (`pale_server::test`): the same requests, in process
//! and over a loopback socket, get the same answers; its helpers put on
//! the wire what they say; requests in process come from an address, so
//! per-address rules hold.

mod common;

use std::net::IpAddr;

use pale_core::prelude::*;
use pale_server::test::{TestClient, TestResponse, TestServer};
use serde_json::{Value, json};

use common::Members;

/// Echoes what the request carried.
#[derive(Endpoint)]
#[pale(PATCH "/echo/{id}", name = "echo", audience = User, rate_limit = "10/min")]
struct Echo {
    /// The path parameter.
    id: u32,
    /// `If-Match`.
    #[pale(from = header("If-Match"))]
    if_match: Option<String>,
    /// The patch's `note`.
    note: Option<String>,
}

impl SignedInHandler<Members> for Echo {
    type Output = Plain<Value>;
    async fn handle(self, caller: &String, _: &Context<Members>) -> Result<Plain<Value>, ApiError> {
        Ok(Plain::new(
            "echo",
            json!({"id": self.id, "caller": caller, "if_match": self.if_match, "note": self.note}),
        ))
    }
}

/// Searches: three times a minute for each address.
#[derive(Endpoint)]
#[pale(GET "/search", name = "search", rate_limit = "3/min")]
struct Search {}

impl Handler<Members> for Search {
    type Output = Plain<&'static str>;
    async fn handle(self, _: &Context<Members>) -> Result<Plain<&'static str>, ApiError> {
        Ok(Plain::new("found", "found"))
    }
}

fn api() -> Api<Members> {
    Api::builder(Members::default())
        .base_path("/api")
        .mount::<Echo>()
        .mount::<Search>()
        .build()
        .unwrap()
}

/// Status, content type and body: what both transports must agree on.
fn seen(reply: &TestResponse) -> (u16, Option<String>, String) {
    (
        reply.status().as_u16(),
        reply.header("content-type").map(str::to_owned),
        reply.text(),
    )
}

async fn exchanges(client: &TestClient<Members>) -> Vec<(u16, Option<String>, String)> {
    let mut seen_all = Vec::new();
    let requests = [
        client
            .patch(Echo::path(7))
            .bearer("ann")
            .if_match("\"v1\"")
            .merge_patch(&json!({"note": "hi"})),
        client.patch(Echo::path(7)).merge_patch(&json!({})),
        client
            .patch(Echo::path(7))
            .bearer("ann")
            .accept("application/xml")
            .merge_patch(&json!({"note": 5})),
        client
            .patch(Echo::path(7))
            .bearer("ann")
            .body("application/x-www-form-urlencoded", "note=hi"),
        client.get("/nowhere"),
    ];
    for (i, request) in requests.into_iter().enumerate() {
        // The client's own request id, so that both runs' bodies agree.
        let reply = request.header("x-request-id", format!("req-{i}")).await;
        seen_all.push(seen(&reply));
    }
    seen_all
}

#[tokio::test]
async fn in_process_and_over_a_socket_the_answers_are_the_same() {
    let in_process = exchanges(&TestClient::new(api())).await;
    let server = TestServer::start(api()).await;
    let over_socket = exchanges(server.client()).await;
    assert_eq!(in_process, over_socket);
    let statuses: Vec<u16> = in_process.iter().map(|(status, _, _)| *status).collect();
    // The echo; anonymous; a note of the wrong type, in XML; a form on a
    // PATCH (merge patches only); an unknown path.
    assert_eq!(statuses, [200, 401, 422, 415, 404]);
    let echo: Value = serde_json::from_str(&in_process[0].2).unwrap();
    assert_eq!(
        echo,
        json!({"id": 7, "caller": "ann", "if_match": "\"v1\"", "note": "hi"})
    );
    assert_eq!(in_process[2].1.as_deref(), Some("application/problem+xml"));
}

#[tokio::test]
async fn in_process_requests_come_from_an_address() {
    let client = TestClient::new(api());
    let from = |ip: &str| ip.parse::<IpAddr>().unwrap();
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(client.get("/search").await.status().as_u16());
    }
    statuses.push(
        client
            .get("/search")
            .from(from("192.0.2.9"))
            .await
            .status()
            .as_u16(),
    );
    assert_eq!(statuses, [200, 200, 200, 429, 200]);
    let limited = client.get("/search").await;
    assert_eq!(
        limited.header("ratelimit-policy"),
        Some("\"search\";q=3;w=60")
    );
    assert!(limited.header("retry-after").is_some());
}

/// Takes as long as it is told.
#[derive(Endpoint)]
#[pale(GET "/wait", name = "wait")]
struct Wait {
    /// Milliseconds.
    ms: u64,
}

impl Handler<Members> for Wait {
    type Output = Plain<u64>;
    async fn handle(self, _: &Context<Members>) -> Result<Plain<u64>, ApiError> {
        tokio::time::sleep(std::time::Duration::from_millis(self.ms)).await;
        Ok(Plain::new("waited", self.ms))
    }
}

/// Sets two cookies.
#[derive(Endpoint)]
#[pale(GET "/cookies", name = "cookies")]
struct Cookies {}

impl Handler<Members> for Cookies {
    type Output = WithHeaders<NoContent>;
    async fn handle(self, _: &Context<Members>) -> Result<Self::Output, ApiError> {
        let cookie = |v| (http::header::SET_COOKIE, http::HeaderValue::from_static(v));
        let (name, a) = cookie("a=1");
        let (_, b) = cookie("b=2");
        Ok(WithHeaders::new(NoContent)
            .header(name.clone(), a)
            .header(name, b))
    }
}

fn waiting_api() -> Api<Members> {
    Api::builder(Members::default())
        .base_path("/api")
        .mount::<Echo>()
        .mount::<Wait>()
        .mount::<Cookies>()
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_client_connects_by_address_and_chooses_its_base() {
    let server = TestServer::start(api()).await;
    let root = TestClient::connect(server.addr());
    // Paths as given: the API's base path is part of them.
    let reply = root.get("/api/search").await;
    assert_eq!(
        (reply.status().as_u16(), reply.text()),
        (200, "\"found\"".to_owned())
    );
    let under_api = root.with_base("/api");
    assert_eq!(under_api.get("/search").await.status(), 200);
    // Outside the API, from the server's own client.
    let outside = server.client().with_base("").get("/search").await;
    assert_eq!(outside.status(), 404);
    assert_eq!(outside.json::<Value>()["code"], "not_found");
    server.stop().await;
}

#[tokio::test]
async fn http2_clients_and_several_clients_reach_the_same_server() {
    let server = TestServer::start(api()).await;
    let h2 = server.http2_client().get("/search").await;
    assert_eq!(h2.version(), http::Version::HTTP_2);
    assert_eq!(h2.status(), 200);
    let h1 = server.new_client().get("/search").await;
    assert_eq!(h1.version(), http::Version::HTTP_11);
    assert_eq!(
        TestClient::new(api()).get("/search").await.version(),
        http::Version::HTTP_11
    );
    server.stop().await;
}

#[tokio::test]
async fn a_raw_body_goes_without_a_content_type_and_repeated_headers_are_all_read() {
    let client = TestClient::new(api());
    let reply = client
        .patch(Echo::path(1))
        .bearer("ann")
        .raw_body(r#"{"note": "x"}"#)
        .await;
    // No `Content-Type`: the body's type is unknown.
    assert_eq!(reply.status(), 415, "{}", reply.text());
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+json")
    );
    let client = TestClient::new(waiting_api());
    let reply = client.get("/cookies").await;
    assert_eq!(reply.status(), 204);
    assert_eq!(reply.header_all("set-cookie"), ["a=1", "b=2"]);
    assert_eq!(reply.header("set-cookie"), Some("a=1"));
    assert!(reply.header_all("x-not-sent").is_empty());
}

#[tokio::test]
#[should_panic(expected = "GET /wait?ms=2000: no whole answer within 200ms")]
async fn an_answer_past_the_timeout_fails_the_test() {
    let client = TestClient::new(waiting_api());
    let _ = client
        .get("/wait?ms=2000")
        .timeout(std::time::Duration::from_millis(200))
        .await;
}

#[tokio::test]
async fn a_stopped_server_lets_the_request_in_flight_finish() {
    let mut server = TestServer::start(waiting_api()).await;
    let client = server.client().clone();
    let in_flight = tokio::spawn(async move { client.get("/wait?ms=300").await });
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    server.signal_stop();
    let reply = in_flight.await.unwrap();
    assert_eq!(
        (reply.status().as_u16(), reply.text()),
        (200, "300".to_owned())
    );
    let addr = server.addr();
    server.stop().await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

#[tokio::test]
async fn try_send_says_why_there_is_no_answer() {
    // A port that was free a moment ago: nobody listens there.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let error = TestClient::connect(addr)
        .get("/api/search")
        .try_send()
        .await
        .expect_err("nobody answers");
    assert!(
        error.to_string().starts_with("GET /api/search: "),
        "{error}"
    );
    let slow = TestClient::new(waiting_api())
        .get("/wait?ms=2000")
        .timeout(std::time::Duration::from_millis(100))
        .try_send()
        .await
        .expect_err("too slow");
    assert_eq!(
        slow.to_string(),
        "GET /wait?ms=2000: no whole answer within 100ms"
    );
    let served = TestClient::new(waiting_api())
        .get("/wait?ms=1")
        .try_send()
        .await;
    assert_eq!(served.expect("an answer").text(), "1");
}

#[tokio::test]
async fn a_set_of_headers_goes_with_the_request() {
    let client = TestClient::new(api());
    let sent = [("if-match", "\"v2\""), ("x-request-id", "set-1")];
    let reply = client
        .patch(Echo::path(3))
        .bearer("ann")
        .headers(sent)
        .merge_patch(&json!({}))
        .await;
    assert_eq!(reply.status(), 200, "{}", reply.text());
    assert_eq!(reply.json::<Value>()["if_match"], "\"v2\"");
    assert_eq!(reply.header("x-request-id"), Some("set-1"));
}
