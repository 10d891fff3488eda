//! The composition match, a public route that searches, is rate limited
//! (issue 18): sixty calls a minute for each anonymous address, six
//! hundred for each authenticated caller, none for administrators. The
//! sixty-first anonymous call is a 429 with `Retry-After`; another
//! address, and a member calling from the refused one, are served.
//! (Across instances on PostgreSQL the budget is one: `instances.rs`.)

mod common;

use std::net::{IpAddr, Ipv4Addr};

use http::StatusCode;
use serde_json::Value;

use common::Seeded;

#[tokio::test(flavor = "multi_thread")]
async fn the_composition_match_allows_sixty_a_minute_to_each_address() {
    let s = Seeded::start("rate-limits").await;
    // Requests in process come from the address they are told.
    let searcher = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 31));
    let neighbour = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 32));
    let path = "/api/compositions/match?title=Hallelujah";
    let get = |from: IpAddr, token: Option<&str>| s.client.get(path).from(from).bearer_opt(token);

    let mut statuses = Vec::new();
    let mut replies = Vec::new();
    for _ in 0..61 {
        let reply = get(searcher, None).await;
        statuses.push(reply.status().as_u16());
        replies.push(reply);
    }
    assert_eq!(statuses[..60], [200; 60], "{statuses:?}");
    assert_eq!(statuses[60], 429, "{statuses:?}");
    let first = &replies[0];
    assert_eq!(
        first.header("ratelimit-policy"),
        Some("\"match_compositions\";q=60;w=60")
    );
    assert_eq!(
        first.header("ratelimit"),
        Some("\"match_compositions\";r=59;t=1")
    );
    let refused = &replies[60];
    assert_eq!(refused.header("retry-after"), Some("1"));
    assert_eq!(
        refused.header("ratelimit"),
        Some("\"match_compositions\";r=0;t=1")
    );
    let problem = refused.json::<Value>();
    assert_eq!(problem["status"], 429);
    assert_eq!(problem["code"], "too_many_requests");
    assert_eq!(
        problem["detail"],
        "this endpoint allows 60 per 60 s to each caller; try again in 1 s"
    );

    // Another address has its own budget.
    let other = get(neighbour, None).await;
    assert_eq!(other.status(), StatusCode::OK);
    // A member at the refused address is counted by credential, with the
    // members' quota; an administrator is not counted.
    let maren = get(searcher, Some(&s.tokens.maren)).await;
    assert_eq!(maren.status(), StatusCode::OK);
    assert_eq!(
        maren.header("ratelimit-policy"),
        Some("\"match_compositions\";q=600;w=60")
    );
    let admin = get(searcher, Some(&s.tokens.admin)).await;
    assert_eq!(admin.status(), StatusCode::OK);
    assert_eq!(admin.header("ratelimit-policy"), None);
    // Other routes are not limited.
    let albums = s.client.get("/api/albums").from(searcher).await;
    assert_eq!(albums.status(), StatusCode::OK);
    assert_eq!(albums.header("ratelimit"), None);
}
