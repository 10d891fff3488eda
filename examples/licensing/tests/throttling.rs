//! Failed authentications are throttled per client address (issue 18):
//! fifty bad tokens in a second from one address get ten 401s, then 429s
//! with `Retry-After`; a good client from another address is served as
//! ever, and so is an anonymous request from the guessing one.

mod common;

use std::net::{IpAddr, Ipv4Addr};

use http::StatusCode;
use serde_json::Value;

use common::Seeded;

#[tokio::test(flavor = "multi_thread")]
async fn fifty_bad_tokens_in_a_second_are_throttled_for_that_address_only() {
    let s = Seeded::start("throttling").await;
    // Requests in process come from the address they are told.
    let guesser = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 7));
    let neighbour = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 8));
    let albums = |from: IpAddr, token: Option<&str>| {
        s.client.get("/api/albums").from(from).bearer_opt(token)
    };
    let started = std::time::Instant::now();
    let mut statuses = Vec::new();
    let mut last = None;
    for guess in 0..50 {
        let token = format!("guess-{guess:04}-not-a-token");
        let reply = albums(guesser, Some(&token)).await;
        statuses.push(reply.status().as_u16());
        last = Some(reply);
    }
    assert!(
        started.elapsed().as_secs_f64() < 5.0,
        "{:?}",
        started.elapsed()
    );
    assert_eq!(statuses[..10], [401; 10], "{statuses:?}");
    assert_eq!(statuses[10..], [429; 40], "{statuses:?}");
    let refused = last.unwrap();
    let wait: u64 = refused
        .header("retry-after")
        .and_then(|v| v.parse().ok())
        .expect("a Retry-After in seconds");
    assert!((1..=10).contains(&wait), "{wait}");
    assert_eq!(
        refused.header("ratelimit-policy"),
        Some("\"failed-auth\";q=10;w=10")
    );
    assert_eq!(
        refused.header("ratelimit"),
        Some(format!("\"failed-auth\";r=0;t={wait}").as_str())
    );
    let problem = refused.json::<Value>();
    assert_eq!(problem["status"], 429);
    assert_eq!(problem["code"], "too_many_requests");

    // Another address with a good token: served.
    let maren = Some(s.tokens.maren.as_str());
    let good = albums(neighbour, maren).await;
    assert_eq!(good.status(), StatusCode::OK, "{}", good.text());
    // The guessing address: credentials are not even checked for now, but
    // it may still read anonymously.
    let same = albums(guesser, maren).await;
    assert_eq!(same.status(), StatusCode::TOO_MANY_REQUESTS);
    let anonymous = albums(guesser, None).await;
    assert_eq!(anonymous.status(), StatusCode::OK);
}
