//! Path routing and segment decoding, through the whole service
//! (`pale_server::PaleService`): the router, the templates' values, the
//! segment decoder and the cast of path parameters.
//!
//! Properties:
//! - a path the derive's typed builder (`GetUser::path(name)`) makes from
//!   arbitrary parameters routes back to the same endpoint, which receives
//!   the same parameters; the exceptions are the documented ones: an
//!   empty parameter makes an empty segment, which no template matches
//!   (404), and a parameter equal to a literal segment beside it
//!   (`/users/me`) is that literal's route (a 405 for a method it does
//!   not answer);
//! - any request path at all (when the first byte is odd) gets an answer
//!   below 500, and when an endpoint answers it, the typed builder's path
//!   for the parameters it received reaches it again with the same ones.
#![no_main]

use std::sync::OnceLock;

use arbitrary::{Arbitrary, Unstructured};
use bytes::Bytes;
use http::{Method, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use libfuzzer_sys::fuzz_target;
use pale_fuzz::api::routes::{DeleteTag, GetItem, GetItemNote, GetMe, GetUser, PutUser, api};
use pale_server::PaleService;
use tower::ServiceExt;

#[derive(Arbitrary, Debug)]
enum Call {
    Item(u64),
    ItemNote(u64, String),
    Me,
    User(String),
    PutUser(String),
    Tag(String, i32),
}

impl Call {
    /// The method, the built path, and the answer expected.
    fn request(&self) -> (Method, String, Expect) {
        let ok = |route: &str, params: Vec<String>| Expect::Echo(route.to_owned(), params);
        let empty = |params: &[&String]| params.iter().any(|p| p.is_empty());
        match self {
            Self::Item(id) => (
                Method::GET,
                GetItem::path(id),
                ok("item", vec![id.to_string()]),
            ),
            Self::ItemNote(id, note) => (
                Method::GET,
                GetItemNote::path(id, note),
                if empty(&[note]) {
                    Expect::Status(404)
                } else {
                    ok("item_note", vec![id.to_string(), note.clone()])
                },
            ),
            Self::Me => (Method::GET, GetMe::path(), ok("me", vec![])),
            Self::User(name) => (
                Method::GET,
                GetUser::path(name),
                match name.as_str() {
                    "" => Expect::Status(404),
                    "me" => ok("me", vec![]),
                    _ => ok("user", vec![name.clone()]),
                },
            ),
            Self::PutUser(login) => (
                Method::PUT,
                PutUser::path(login),
                match login.as_str() {
                    "" => Expect::Status(404),
                    "me" => Expect::Status(405),
                    _ => ok("put_user", vec![login.clone()]),
                },
            ),
            Self::Tag(group, rank) => (
                Method::DELETE,
                DeleteTag::path(group, rank),
                if empty(&[group]) {
                    Expect::Status(404)
                } else {
                    ok("tag", vec![group.clone(), rank.to_string()])
                },
            ),
        }
    }
}

#[derive(Debug, PartialEq)]
enum Expect {
    Echo(String, Vec<String>),
    Status(u16),
}

struct Harness {
    runtime: tokio::runtime::Runtime,
    service: PaleService<()>,
}

fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(|| Harness {
        runtime: tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("a runtime"),
        service: PaleService::new(api()).expect("the API routes"),
    })
}

/// Sends `method path`, and reads the answer: the echo of an endpoint, or
/// the status of anything else.
fn send(method: &Method, path: &str) -> Option<Expect> {
    let request = Request::builder()
        .method(method.clone())
        .uri(path)
        .body(Full::new(Bytes::new()))
        .ok()?;
    let h = harness();
    let response = h
        .runtime
        .block_on(h.service.clone().oneshot(request))
        .expect("infallible");
    let status = response.status();
    assert!(
        status < StatusCode::INTERNAL_SERVER_ERROR,
        "{method} {path}: {status}"
    );
    let body = h
        .runtime
        .block_on(response.into_body().collect())
        .expect("a full body")
        .to_bytes();
    if status != StatusCode::OK || body.is_empty() {
        return Some(Expect::Status(status.as_u16()));
    }
    let (route, params): (String, Vec<String>) = serde_json::from_slice(&body).expect("an echo");
    Some(Expect::Echo(route, params))
}

/// The typed builder's path for what an endpoint received.
fn rebuild(route: &str, params: &[String]) -> (Method, String) {
    let id = |text: &String| text.parse::<u64>().expect("an echoed id");
    match (route, params) {
        ("item", [item]) => (Method::GET, GetItem::path(id(item))),
        ("item_note", [item, note]) => (Method::GET, GetItemNote::path(id(item), note)),
        ("me", []) => (Method::GET, GetMe::path()),
        ("user", [name]) => (Method::GET, GetUser::path(name)),
        ("put_user", [login]) => (Method::PUT, PutUser::path(login)),
        ("tag", [group, rank]) => {
            let rank: i32 = rank.parse().expect("an echoed rank");
            (Method::DELETE, DeleteTag::path(group, rank))
        }
        other => panic!("unexpected echo {other:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    if first % 2 == 0 {
        let Ok(call) = Call::arbitrary(&mut Unstructured::new(rest)) else {
            return;
        };
        let (method, path, expected) = call.request();
        let path = format!("/api{path}");
        let got =
            send(&method, &path).unwrap_or_else(|| panic!("the builder's path {path:?} is no URI"));
        assert_eq!(got, expected, "{method} {path}");
        return;
    }
    let Ok(path) = std::str::from_utf8(rest) else {
        return;
    };
    let methods = [
        Method::GET,
        Method::PUT,
        Method::DELETE,
        Method::POST,
        Method::HEAD,
        Method::OPTIONS,
    ];
    let method = &methods[usize::from(first / 2) % methods.len()];
    if let Some(Expect::Echo(route, params)) = send(method, path) {
        let (method, rebuilt) = rebuild(&route, &params);
        let rebuilt = format!("/api{rebuilt}");
        assert_eq!(
            send(&method, &rebuilt),
            Some(Expect::Echo(route.clone(), params.clone())),
            "{path:?} reached {route} {params:?}, but {rebuilt:?} does not"
        );
    }
});
