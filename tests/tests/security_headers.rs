//! Security headers over a real socket: every HTML response (the `/docs`
//! page for each audience, `HEAD` of it, an endpoint and its problem
//! documents in an HTML format) gets the Content-Security-Policy,
//! `X-Frame-Options`, `Referrer-Policy` and `nosniff`; every SVG response
//! gets the sandboxing policy; JSON gets none; a response's own header
//! wins; and `PaleService::with_security_headers` changes them.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use http::header::{CONTENT_SECURITY_POLICY, HeaderValue, X_FRAME_OPTIONS};
use pale_core::format::{EncodeError, Format};
use pale_core::prelude::*;
use pale_server::{PaleService, SecurityHeaders, Server};
use pale_tests::fixtures::{GetAlbum, Store};

/// Renders any output as an HTML page holding its JSON: what an author
/// serving HTML through a format of their own would write.
struct Html;

impl Format for Html {
    fn media_type(&self) -> &'static str {
        "text/html"
    }

    fn problem_media_type(&self) -> &'static str {
        "text/html"
    }

    fn encode(
        &self,
        _root: &str,
        value: &dyn pale_core::format::erased_serde::Serialize,
        out: &mut Vec<u8>,
    ) -> Result<(), EncodeError> {
        let json = serde_json::to_string(value).map_err(EncodeError::new)?;
        let escaped = json.replace('&', "&amp;").replace('<', "&lt;");
        out.extend_from_slice(format!("<!DOCTYPE html><pre>{escaped}</pre>").as_bytes());
        Ok(())
    }
}

/// Renders any output as an SVG image with a script in it: the kind of
/// file a browser would run if opened directly, without a policy.
struct Svg;

impl Format for Svg {
    fn media_type(&self) -> &'static str {
        "image/svg+xml"
    }

    fn problem_media_type(&self) -> &'static str {
        "image/svg+xml"
    }

    fn encode(
        &self,
        _root: &str,
        _value: &dyn pale_core::format::erased_serde::Serialize,
        out: &mut Vec<u8>,
    ) -> Result<(), EncodeError> {
        out.extend_from_slice(
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
        );
        Ok(())
    }
}

/// Says hello.
#[derive(Endpoint)]
#[pale(GET "/hello", name = "hello")]
struct Hello {}

impl Handler<Store> for Hello {
    type Output = Plain<&'static str>;
    async fn handle(self, _: &Context<Store>) -> Result<Plain<&'static str>, ApiError> {
        Ok(Plain::new("greeting", "hello"))
    }
}

/// Says hello with a policy of its own.
#[derive(Endpoint)]
#[pale(GET "/framed", name = "framed")]
struct Framed {}

impl Handler<Store> for Framed {
    type Output = WithHeaders<Plain<&'static str>>;
    async fn handle(
        self,
        _: &Context<Store>,
    ) -> Result<WithHeaders<Plain<&'static str>>, ApiError> {
        Ok(WithHeaders::new(Plain::new("greeting", "hello")).header(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("frame-ancestors 'self'"),
        ))
    }
}

fn service() -> PaleService<Store> {
    let api = Api::builder(Store)
        .base_path("/api")
        .format(Html)
        .format(Svg)
        .mount::<GetAlbum>()
        .mount::<Hello>()
        .mount::<Framed>()
        .serve_docs()
        .build()
        .unwrap();
    PaleService::new(api).unwrap()
}

/// `service` on 127.0.0.1 at a free port, stopped when dropped.
struct Served {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Served {
    fn start(service: PaleService<Store>) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                Server::from_listener(listener)
                    .serve_service_with_shutdown(service, async {
                        let _ = stopped.await;
                    })
                    .await
                    .unwrap();
            });
        });
        Self {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The status and the headers (lowercase names) of one exchange.
fn exchange(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
) -> (u16, BTreeMap<String, String>) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut request =
        format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let head = text.split("\r\n\r\n").next().unwrap();
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap()[9..12].parse().unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    (status, headers)
}

fn html_policy() -> String {
    format!(
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; \
         form-action 'self'; style-src 'self' {}; frame-ancestors 'none'",
        pale_core::describe::HTML_STYLE_HASH
    )
}

/// A method, a target, request headers and the status expected.
type Case<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)], u16);

#[test]
fn every_html_response_has_the_headers() {
    let served = Served::start(service());
    let html = [("Accept", "text/html")];
    #[rustfmt::skip]
    let cases: [Case<'_>; 8] = [
        ("GET", "/api/docs", &[], 200),
        ("GET", "/api/docs/", &[], 200),
        ("HEAD", "/api/docs", &[], 200),
        ("GET", "/api/docs?audience=public", &[("Authorization", "Bearer admin")], 200),
        ("GET", "/api/docs", &[("Authorization", "Bearer 1")], 200),
        ("GET", "/api/hello", &html, 200),
        ("GET", "/api/nowhere", &html, 404),
        ("GET", "/api/albums/x", &html, 422),
    ];
    for (method, target, headers, status) in cases {
        let (got, response) = exchange(served.addr, method, target, headers);
        let what = format!("{method} {target} {headers:?}");
        assert_eq!(got, status, "{what}");
        assert!(
            response["content-type"].starts_with("text/html"),
            "{what}: {response:?}"
        );
        assert_eq!(response["content-security-policy"], html_policy(), "{what}");
        assert_eq!(response["x-frame-options"], "DENY", "{what}");
        assert_eq!(response["referrer-policy"], "no-referrer", "{what}");
        assert_eq!(response["x-content-type-options"], "nosniff", "{what}");
    }
}

#[test]
fn svg_responses_are_sandboxed_and_json_is_left_alone() {
    let served = Served::start(service());
    for (target, status) in [("/api/hello", 200), ("/api/nowhere", 404)] {
        let (got, response) = exchange(served.addr, "GET", target, &[("Accept", "image/svg+xml")]);
        assert_eq!(got, status, "{target}");
        assert_eq!(response["content-type"], "image/svg+xml");
        assert_eq!(
            response["content-security-policy"],
            "default-src 'none'; style-src 'unsafe-inline'; sandbox"
        );
        assert_eq!(response["x-content-type-options"], "nosniff");
        assert!(!response.contains_key("referrer-policy"));
    }
    for (target, status) in [
        ("/api/hello", 200),
        ("/api/openapi.json", 200),
        ("/api/docs?audience=admin", 403),
        ("/api/nowhere", 404),
    ] {
        let (got, response) = exchange(served.addr, "GET", target, &[]);
        assert_eq!(got, status, "{target}");
        assert!(response["content-type"].contains("json"), "{target}");
        for name in [
            "content-security-policy",
            "x-frame-options",
            "referrer-policy",
        ] {
            assert!(!response.contains_key(name), "{target}: {name}");
        }
    }
}

#[test]
fn a_responses_own_policy_wins_and_the_headers_are_configurable() {
    let served = Served::start(service());
    let (_, framed) = exchange(
        served.addr,
        "GET",
        "/api/framed",
        &[("Accept", "text/html")],
    );
    assert_eq!(framed["content-security-policy"], "frame-ancestors 'self'");
    assert_eq!(framed["x-frame-options"], "DENY");
    drop(served);

    let policy = SecurityHeaders::html_policy_with("frame-ancestors https://partner.example");
    let custom = SecurityHeaders::default()
        .html(
            CONTENT_SECURITY_POLICY,
            HeaderValue::try_from(policy.clone()).unwrap(),
        )
        .without_html(X_FRAME_OPTIONS);
    let served = Served::start(service().with_security_headers(custom));
    let (status, docs) = exchange(served.addr, "GET", "/api/docs", &[]);
    assert_eq!(status, 200);
    assert_eq!(docs["content-security-policy"], policy);
    assert!(policy.ends_with("; frame-ancestors https://partner.example"));
    assert!(!docs.contains_key("x-frame-options"));
    assert_eq!(docs["referrer-policy"], "no-referrer");
    drop(served);

    let served = Served::start(service().with_security_headers(SecurityHeaders::none()));
    let (status, docs) = exchange(served.addr, "GET", "/api/docs", &[]);
    assert_eq!(status, 200);
    for name in [
        "content-security-policy",
        "x-frame-options",
        "referrer-policy",
        "x-content-type-options",
    ] {
        assert!(!docs.contains_key(name), "{name}");
    }
}
