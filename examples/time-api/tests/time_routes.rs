//! The time routes end to end, over a real socket, in JSON and in XML:
//! `current_time`, `parse_time` (arguments as JSON, XML, a form or a query
//! string), `time_range_now_plus_duration`, `arg_test` and `resource_blank`.

mod common;

use http::Method;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use common::{Reply, TestServer, get, request, send, send_body};

const XML: (&str, &str) = ("accept", "application/xml");
const XML_PROLOG: &str = r#"<?xml version="1.0" encoding="UTF-8"?>"#;

async fn start() -> TestServer {
    TestServer::start(time_api::api()).await
}

fn keys(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect()
}

fn moment(isoformat: &Value) -> OffsetDateTime {
    OffsetDateTime::parse(isoformat.as_str().expect("a string"), &Rfc3339).expect("RFC 3339")
}

/// Every field of a rendered `DateTime` agrees with its `isoformat`.
fn assert_consistent(time: &Value) {
    let at = moment(&time["isoformat"]);
    assert_eq!(time["year"], at.year(), "{time}");
    assert_eq!(time["month"], u8::from(at.month()), "{time}");
    assert_eq!(time["day"], at.day(), "{time}");
    if let Some(hours) = time.get("hours") {
        assert_eq!(*hours, at.hour(), "{time}");
        assert_eq!(time["minutes"], at.minute(), "{time}");
        assert_eq!(time["seconds"], at.second(), "{time}");
    }
    if let Some(eurodate) = time.get("eurodate") {
        let expected = format!("{:02}.{:02}.{}", at.day(), u8::from(at.month()), at.year());
        assert_eq!(*eurodate, *expected, "{time}");
    }
}

fn assert_json_ok(reply: &Reply, cache: &str) {
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(reply.header("cache-control"), Some(cache));
}

fn assert_xml_ok(reply: &Reply, cache: &str) {
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.header("content-type"), Some("application/xml"));
    assert_eq!(reply.header("cache-control"), Some(cache));
    assert!(reply.body.starts_with(XML_PROLOG), "{}", reply.body);
}

#[tokio::test]
async fn current_time_has_every_field_cors_and_the_after_response_header() {
    let server = start().await;
    let before = OffsetDateTime::now_utc();
    let reply = get(&server.url("/api/time/current"), &[]).await;
    let after = OffsetDateTime::now_utc();
    assert_json_ok(&reply, "no-cache");
    assert_eq!(reply.header("after-response"), Some("OK"));
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    let body = reply.json();
    assert_eq!(keys(&body), ["time"]);
    let time = &body["time"];
    #[rustfmt::skip]
    assert_eq!(keys(time), ["year", "month", "day", "hours", "minutes", "seconds", "isoformat", "eurodate", "name"]);
    assert_eq!(time["name"], Value::Null);
    assert_consistent(time);
    let now = moment(&time["isoformat"]);
    assert!(
        before <= now && now <= after,
        "{before} <= {now} <= {after}"
    );
    assert!(time["isoformat"].as_str().unwrap().ends_with('Z'), "{time}");

    // From another origin, the same.
    let reply = get(
        &server.url("/api/time/current"),
        &[("origin", "https://elsewhere.example")],
    )
    .await;
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    assert!(reply.header("access-control-allow-credentials").is_none());
    server.stop().await;
}

#[tokio::test]
async fn current_time_in_xml() {
    let server = start().await;
    let reply = get(&server.url("/api/time/current"), &[XML]).await;
    assert_xml_ok(&reply, "no-cache");
    assert_eq!(reply.header("after-response"), Some("OK"));
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    let body = reply.body.strip_prefix(XML_PROLOG).unwrap();
    assert!(
        body.starts_with("<time><year>") && body.ends_with("<name/></time>"),
        "{body}"
    );
    let mut rest = body;
    for element in [
        "<month>",
        "<day>",
        "<hours>",
        "<minutes>",
        "<seconds>",
        "<isoformat>",
        "<eurodate>",
    ] {
        let at = rest
            .find(element)
            .unwrap_or_else(|| panic!("{element} in order in {body}"));
        rest = &rest[at..];
    }
    server.stop().await;
}

#[tokio::test]
async fn current_time_with_fields() {
    let server = start().await;
    let reply = get(&server.url("/api/time/current?fields=year,eurodate"), &[]).await;
    assert_json_ok(&reply, "no-cache");
    let time = &reply.json()["time"];
    assert_eq!(keys(time), ["year", "eurodate"]);
    let eurodate = time["eurodate"].as_str().unwrap();
    assert!(eurodate.ends_with(&format!(".{}", time["year"])), "{time}");

    let reply = get(&server.url("/api/time/current?fields=year"), &[XML]).await;
    assert_xml_ok(&reply, "no-cache");
    let year = OffsetDateTime::now_utc().year();
    assert_eq!(
        reply.body,
        format!("{XML_PROLOG}<time><year>{year}</year></time>")
    );

    // An empty selection is empty, never everything.
    let reply = get(&server.url("/api/time/current?fields="), &[]).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json(), json!({"time": {}}));

    let reply = get(&server.url("/api/time/current?fields=year,weekday"), &[]).await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+json")
    );
    let problem = reply.json();
    assert_eq!(problem["code"], "unknown_field");
    assert!(
        problem["detail"].as_str().unwrap().contains("eurodate"),
        "{problem}"
    );
    server.stop().await;
}

/// `POST /api/time/parse` with `body` of `content_type` (and `query`).
async fn parse(
    server: &TestServer,
    query: &str,
    content_type: &str,
    body: &str,
    accept: &str,
) -> Reply {
    let url = server.url(&format!("/api/time/parse{query}"));
    let mut headers = vec![("accept", accept)];
    if !content_type.is_empty() {
        headers.push(("content-type", content_type));
    }
    send(request(Method::POST, &url, &headers, body)).await
}

#[tokio::test]
async fn parse_time_reads_json_xml_forms_and_query_strings() {
    let server = start().await;
    let expected =
        r#"{"time":{"year":2015,"month":5,"day":17,"isoformat":"2015-05-17T00:00:00Z"}}"#;
    #[rustfmt::skip]
    let cases = [
        ("", "application/json", r#"{"month": 5, "day": 17}"#),
        ("", "application/json; charset=utf-8", r#"{"month": "5", "day": "17", "include_time": false}"#),
        ("", "application/xml", "<time><month>5</month><day>17</day></time>"),
        ("", "text/xml", "<args><month>5</month><day>17</day><name></name></args>"),
        ("", "application/x-www-form-urlencoded", "month=5&day=17"),
        ("?month=5&day=17", "", ""),
        ("?day=17", "application/x-www-form-urlencoded", "month=5"),
    ];
    for (query, content_type, body) in cases {
        let reply = parse(&server, query, content_type, body, "application/json").await;
        assert_json_ok(&reply, "max-age=3");
        assert_eq!(reply.body, expected, "{content_type}: {body}");
    }
    server.stop().await;
}

#[tokio::test]
async fn parse_time_adds_the_time_and_the_name_when_asked() {
    let server = start().await;
    let body = r#"{"year": 2016, "month": 2, "day": 29, "include_time": true, "name": "Leap day"}"#;
    let reply = parse(&server, "", "application/json", body, "application/json").await;
    assert_json_ok(&reply, "max-age=3");
    assert_eq!(
        reply.json(),
        json!({"time": {
            "year": 2016, "month": 2, "day": 29, "hours": 0, "minutes": 0, "seconds": 0,
            "isoformat": "2016-02-29T00:00:00Z", "name": "Leap day",
        }})
    );

    // The same in XML, both ways.
    let body = "<time><year>2016</year><month>2</month><day>29</day>\
                <include_time>true</include_time><name>Leap day</name></time>";
    let reply = parse(&server, "", "application/xml", body, "application/xml").await;
    assert_xml_ok(&reply, "max-age=3");
    assert_eq!(
        reply.body,
        format!(
            "{XML_PROLOG}<time><year>2016</year><month>2</month><day>29</day><hours>0</hours>\
             <minutes>0</minutes><seconds>0</seconds><isoformat>2016-02-29T00:00:00Z</isoformat>\
             <name>Leap day</name></time>"
        )
    );

    // Only the name: no time of day. The day defaults to the 1st, the
    // year to 2015.
    let reply = parse(
        &server,
        "",
        "application/x-www-form-urlencoded",
        "month=12&name=Ada",
        "application/json",
    )
    .await;
    assert_eq!(
        reply.json(),
        json!({"time": {"year": 2015, "month": 12, "day": 1, "isoformat": "2015-12-01T00:00:00Z", "name": "Ada"}})
    );
    server.stop().await;
}

#[tokio::test]
async fn parse_time_with_fields() {
    let server = start().await;
    let form = "application/x-www-form-urlencoded";
    let reply = parse(
        &server,
        "?fields=eurodate,name",
        form,
        "month=5&name=Ada",
        "application/json",
    )
    .await;
    assert_json_ok(&reply, "max-age=3");
    assert_eq!(
        reply.body,
        r#"{"time":{"eurodate":"01.05.2015","name":"Ada"}}"#
    );

    // The client's `fields=` wins over the handler's extra fields.
    let reply = parse(
        &server,
        "?fields=year",
        form,
        "month=5&include_time=true",
        "application/xml",
    )
    .await;
    assert_xml_ok(&reply, "max-age=3");
    assert_eq!(
        reply.body,
        format!("{XML_PROLOG}<time><year>2015</year></time>")
    );

    let reply = parse(&server, "?fields=hour", form, "month=5", "application/json").await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.json()["code"], "unknown_field");
    server.stop().await;
}

/// The `(pointer, code)` of every field error of a 422.
fn field_errors(reply: &Reply) -> Vec<(String, String)> {
    assert_eq!(reply.status, 422, "{}", reply.body);
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+json")
    );
    assert_eq!(reply.header("cache-control"), Some("no-cache"));
    let problem = reply.json();
    assert_eq!(problem["code"], "invalid_arguments");
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["pointer"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn parse_time_rejects_what_is_not_a_date() {
    let server = start().await;
    let form = "application/x-www-form-urlencoded";
    #[rustfmt::skip]
    let cases: &[(&str, &[(&str, &str)])] = &[
        ("month=2&day=30", &[("/day", "out_of_range")]),
        ("year=2015&month=2&day=29", &[("/day", "out_of_range")]),
        ("month=4&day=31", &[("/day", "out_of_range")]),
        ("month=1&day=32", &[("/day", "out_of_range")]),
        ("month=13", &[("/month", "out_of_range")]),
        ("month=0", &[("/month", "out_of_range")]),
        ("day=1", &[("/month", "missing")]),
        ("", &[("/month", "missing")]),
        ("month=may", &[("/month", "invalid_type")]),
        ("month=5&name=Al", &[("/name", "too_short")]),
        ("month=5&name=Bartholomew+the+Eleventh", &[("/name", "too_long")]),
        ("month=5&include_time=maybe", &[("/include_time", "invalid_type")]),
        ("year=10000&month=1", &[("/year", "out_of_range")]),
        ("month=13&name=Al&day=0", &[("/month", "out_of_range"), ("/day", "out_of_range"), ("/name", "too_short")]),
    ];
    for (body, expected) in cases {
        let reply = parse(&server, "", form, body, "application/json").await;
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(p, c)| ((*p).to_owned(), (*c).to_owned()))
            .collect();
        let mut got = field_errors(&reply);
        got.sort();
        let mut expected = expected;
        expected.sort();
        assert_eq!(got, expected, "{body}");
    }

    // A day missing from its month says so, in the client's format.
    let reply = parse(&server, "", form, "month=2&day=30", "application/xml").await;
    assert_eq!(reply.status, 422);
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+xml")
    );
    assert!(
        reply.body.contains(
            "<errors><error><pointer>/day</pointer><code>out_of_range</code>\
             <message>February 2015 has no day 30</message></error></errors>"
        ),
        "{}",
        reply.body
    );
    server.stop().await;
}

#[tokio::test]
async fn time_range_orders_its_ends_and_nests_two_field_sets() {
    let server = start().await;
    for duration in [1500_i64, -2000, 0] {
        let reply = get(
            &server.url(&format!("/api/time/range?duration={duration}")),
            &[],
        )
        .await;
        assert_json_ok(&reply, "no-cache");
        let body = reply.json();
        assert_eq!(keys(&body), ["range"]);
        let range = &body["range"];
        assert_eq!(keys(range), ["duration_microseconds", "start", "end"]);
        assert_eq!(range["duration_microseconds"], duration.abs() * 1000);
        assert_eq!(keys(&range["start"]), ["year", "month", "day", "isoformat"]);
        #[rustfmt::skip]
        assert_eq!(keys(&range["end"]), ["year", "month", "day", "hours", "minutes", "seconds", "isoformat", "eurodate", "name"]);
        assert_consistent(&range["start"]);
        assert_consistent(&range["end"]);
        let (start, end) = (
            moment(&range["start"]["isoformat"]),
            moment(&range["end"]["isoformat"]),
        );
        assert_eq!(
            (end - start).whole_milliseconds(),
            i128::from(duration.abs()),
            "{range}"
        );
    }

    let reply = get(&server.url("/api/time/range?duration=1000"), &[XML]).await;
    assert_xml_ok(&reply, "no-cache");
    let body = reply.body.strip_prefix(XML_PROLOG).unwrap();
    assert!(
        body.starts_with(
            "<range><duration_microseconds>1000000</duration_microseconds><start><year>"
        ),
        "{body}"
    );
    assert!(
        body.contains("</isoformat></start><end><year>") && body.ends_with("<name/></end></range>"),
        "{body}"
    );
    server.stop().await;
}

#[tokio::test]
async fn time_range_with_fields_and_bad_durations() {
    let server = start().await;
    let url = server.url(
        "/api/time/range?duration=86400000&fields=duration_microseconds,start(eurodate),end(day)",
    );
    let reply = get(&url, &[]).await;
    assert_json_ok(&reply, "no-cache");
    let range = &reply.json()["range"];
    assert_eq!(keys(range), ["duration_microseconds", "start", "end"]);
    assert_eq!(range["duration_microseconds"], 86_400_000_000_i64);
    assert_eq!(keys(&range["start"]), ["eurodate"]);
    assert_eq!(keys(&range["end"]), ["day"]);

    let reply = get(
        &server.url("/api/time/range?duration=5&fields=end(*)"),
        &[XML],
    )
    .await;
    assert_xml_ok(&reply, "no-cache");
    assert!(
        reply.body.contains("<range><end><year>") && reply.body.ends_with("<name/></end></range>"),
        "{}",
        reply.body
    );

    #[rustfmt::skip]
    let cases = [
        ("", ("/duration", "missing")),
        ("?duration=", ("/duration", "missing")),
        ("?duration=1.5", ("/duration", "invalid_type")),
        ("?duration=soon", ("/duration", "invalid_type")),
        ("?duration=9223372036854775807", ("/duration", "out_of_range")),
        ("?duration=-9223372036854775808", ("/duration", "out_of_range")),
        ("?duration=99999999999999999999", ("/duration", "out_of_range")),
    ];
    for (query, (pointer, code)) in cases {
        let reply = get(&server.url(&format!("/api/time/range{query}")), &[]).await;
        assert_eq!(
            field_errors(&reply),
            [(pointer.to_owned(), code.to_owned())],
            "{query}"
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn arg_test_echoes_its_path_parameters() {
    let server = start().await;
    let reply = get(&server.url("/api/arg_test/hello/w%C3%B6rld%20x"), &[]).await;
    assert_json_ok(&reply, "no-cache");
    assert_eq!(reply.body, r#"{"arg_a":"hello","arg_b":"wörld x"}"#);

    let reply = get(&server.url("/api/arg_test/a%3Cb/%26"), &[XML]).await;
    assert_xml_ok(&reply, "no-cache");
    assert_eq!(
        reply.body,
        format!("{XML_PROLOG}<arg_test><arg_a>a&lt;b</arg_a><arg_b>&amp;</arg_b></arg_test>")
    );

    for path in ["/api/arg_test/a", "/api/arg_test/a/b/c", "/api/arg_test"] {
        assert_eq!(get(&server.url(path), &[]).await.status, 404, "{path}");
    }
    server.stop().await;
}

#[tokio::test]
async fn blank_is_a_204_without_a_body() {
    let server = start().await;
    for accept in ["application/json", "application/xml"] {
        let reply = send(request(
            Method::POST,
            &server.url("/api/blank"),
            &[("accept", accept), ("origin", "https://elsewhere.example")],
            "",
        ))
        .await;
        assert_eq!(reply.status, 204);
        assert_eq!(reply.body, "");
        assert!(reply.header("content-type").is_none());
        assert_eq!(reply.header("cache-control"), Some("no-cache"));
        assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    }
    // A body it does not read is still decoded: a form is fine.
    let reply = send_body(
        Method::POST,
        &server.url("/api/blank"),
        "application/x-www-form-urlencoded",
        "a=1",
    )
    .await;
    assert_eq!(reply.status, 204);
    server.stop().await;
}
