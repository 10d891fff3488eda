//! The composition match, a public route that searches, is rate limited
//! (issue 18): sixty calls a minute for each anonymous address, six
//! hundred for each authenticated caller, none for administrators. The
//! sixty-first anonymous call is a 429 with `Retry-After`; another
//! address, and a member calling from the refused one, are served.
//! (Across instances on PostgreSQL the budget is one: `instances.rs`.)

mod common;

use std::net::Ipv4Addr;

use http::{Method, StatusCode};

use common::{TestServer, client_from, request, send_with};

#[tokio::test(flavor = "multi_thread")]
async fn the_composition_match_allows_sixty_a_minute_to_each_address() {
    let s = TestServer::start("rate-limits").await;
    let searcher = client_from(Ipv4Addr::new(127, 0, 0, 31));
    let neighbour = client_from(Ipv4Addr::new(127, 0, 0, 32));
    let url = s.url("/api/compositions/match?title=Hallelujah");
    let get = |token: Option<&str>| request(Method::GET, &url, token, &[], "");

    let mut statuses = Vec::new();
    let mut replies = Vec::new();
    for _ in 0..61 {
        let reply = send_with(&searcher, get(None)).await;
        statuses.push(reply.status.as_u16());
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
    let problem = refused.json();
    assert_eq!(problem["status"], 429);
    assert_eq!(problem["code"], "too_many_requests");
    assert_eq!(
        problem["detail"],
        "this endpoint allows 60 per 60 s to each caller; try again in 1 s"
    );

    // Another address has its own budget.
    let other = send_with(&neighbour, get(None)).await;
    assert_eq!(other.status, StatusCode::OK);
    // A member at the refused address is counted by credential, with the
    // members' quota; an administrator is not counted.
    let maren = send_with(&searcher, get(Some(&s.tokens.maren))).await;
    assert_eq!(maren.status, StatusCode::OK);
    assert_eq!(
        maren.header("ratelimit-policy"),
        Some("\"match_compositions\";q=600;w=60")
    );
    let admin = send_with(&searcher, get(Some(&s.tokens.admin))).await;
    assert_eq!(admin.status, StatusCode::OK);
    assert_eq!(admin.header("ratelimit-policy"), None);
    // Other routes are not limited.
    let albums = send_with(
        &searcher,
        request(Method::GET, &s.url("/api/albums"), None, &[], ""),
    )
    .await;
    assert_eq!(albums.status, StatusCode::OK);
    assert_eq!(albums.header("ratelimit"), None);
    s.stop().await;
}
