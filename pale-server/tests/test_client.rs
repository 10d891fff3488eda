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
        client.patch(Echo::path(7)).bearer("ann").json(&json!({})),
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
    // The echo; anonymous; a note of the wrong type, in XML; a JSON body
    // on a PATCH (merge patches only); an unknown path.
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
