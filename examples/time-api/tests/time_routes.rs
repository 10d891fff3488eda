//! The time routes end to end, through the whole pipeline in process, in
//! JSON and in XML:
//! `current_time`, `parse_time` (arguments as JSON, XML, a form or a query
//! string), `time_range_now_plus_duration`, `arg_test` and `resource_blank`.

use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use pale::test::{TestClient, TestResponse};
use time_api::TimeApp;

const XML: &str = "application/xml";
const XML_PROLOG: &str = r#"<?xml version="1.0" encoding="UTF-8"?>"#;

/// A client of the time API, in process; paths include its base path.
fn start() -> TestClient<TimeApp> {
    TestClient::new(time_api::api()).with_base("")
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

fn assert_json_ok(reply: &TestResponse, cache: &str) {
    assert_eq!(reply.status(), 200, "{}", reply.text());
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(reply.header("cache-control"), Some(cache));
}

fn assert_xml_ok(reply: &TestResponse, cache: &str) {
    assert_eq!(reply.status(), 200, "{}", reply.text());
    assert_eq!(reply.header("content-type"), Some("application/xml"));
    assert_eq!(reply.header("cache-control"), Some(cache));
    assert!(reply.text().starts_with(XML_PROLOG), "{}", reply.text());
}

#[tokio::test]
async fn current_time_has_every_field_cors_and_the_after_response_header() {
    let client = start();
    let before = OffsetDateTime::now_utc();
    let reply = client.get("/api/time/current").await;
    let after = OffsetDateTime::now_utc();
    assert_json_ok(&reply, "no-cache");
    assert_eq!(reply.header("after-response"), Some("OK"));
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    let body = reply.json::<Value>();
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
    let reply = client
        .get("/api/time/current")
        .header("origin", "https://elsewhere.example")
        .await;
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    assert!(reply.header("access-control-allow-credentials").is_none());
}

#[tokio::test]
async fn current_time_in_xml() {
    let client = start();
    let reply = client.get("/api/time/current").accept(XML).await;
    assert_xml_ok(&reply, "no-cache");
    assert_eq!(reply.header("after-response"), Some("OK"));
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    let text = reply.text();
    let body = text.strip_prefix(XML_PROLOG).unwrap();
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
}

#[tokio::test]
async fn current_time_with_fields() {
    let client = start();
    let reply = client.get("/api/time/current?fields=year,eurodate").await;
    assert_json_ok(&reply, "no-cache");
    let time = &reply.json::<Value>()["time"];
    assert_eq!(keys(time), ["year", "eurodate"]);
    let eurodate = time["eurodate"].as_str().unwrap();
    assert!(eurodate.ends_with(&format!(".{}", time["year"])), "{time}");

    let reply = client
        .get("/api/time/current?fields=year")
        .accept(XML)
        .await;
    assert_xml_ok(&reply, "no-cache");
    let year = OffsetDateTime::now_utc().year();
    assert_eq!(
        reply.text(),
        format!("{XML_PROLOG}<time><year>{year}</year></time>")
    );

    // An empty selection is empty, never everything.
    let reply = client.get("/api/time/current?fields=").await;
    assert_eq!(reply.status(), 200);
    assert_eq!(reply.json::<Value>(), json!({"time": {}}));

    let reply = client.get("/api/time/current?fields=year,weekday").await;
    assert_eq!(reply.status(), 400);
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+json")
    );
    let problem = reply.json::<Value>();
    assert_eq!(problem["code"], "unknown_field");
    assert!(
        problem["detail"].as_str().unwrap().contains("eurodate"),
        "{problem}"
    );
}

/// `POST /api/time/parse` with `body` of `content_type` (and `query`).
async fn parse(
    client: &TestClient<TimeApp>,
    query: &str,
    content_type: &str,
    body: &str,
    accept: &str,
) -> TestResponse {
    let request = client
        .post(format!("/api/time/parse{query}"))
        .accept(accept);
    if content_type.is_empty() {
        request.raw_body(body).await
    } else {
        request.body(content_type, body).await
    }
}

#[tokio::test]
async fn parse_time_reads_json_xml_forms_and_query_strings() {
    let client = start();
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
        let reply = parse(&client, query, content_type, body, "application/json").await;
        assert_json_ok(&reply, "max-age=3");
        assert_eq!(reply.text(), expected, "{content_type}: {body}");
    }
}

#[tokio::test]
async fn parse_time_adds_the_time_and_the_name_when_asked() {
    let client = start();
    let body = r#"{"year": 2016, "month": 2, "day": 29, "include_time": true, "name": "Leap day"}"#;
    let reply = parse(&client, "", "application/json", body, "application/json").await;
    assert_json_ok(&reply, "max-age=3");
    assert_eq!(
        reply.json::<Value>(),
        json!({"time": {
            "year": 2016, "month": 2, "day": 29, "hours": 0, "minutes": 0, "seconds": 0,
            "isoformat": "2016-02-29T00:00:00Z", "name": "Leap day",
        }})
    );

    // The same in XML, both ways.
    let body = "<time><year>2016</year><month>2</month><day>29</day>\
                <include_time>true</include_time><name>Leap day</name></time>";
    let reply = parse(&client, "", "application/xml", body, "application/xml").await;
    assert_xml_ok(&reply, "max-age=3");
    assert_eq!(
        reply.text(),
        format!(
            "{XML_PROLOG}<time><year>2016</year><month>2</month><day>29</day><hours>0</hours>\
             <minutes>0</minutes><seconds>0</seconds><isoformat>2016-02-29T00:00:00Z</isoformat>\
             <name>Leap day</name></time>"
        )
    );

    // Only the name: no time of day. The day defaults to the 1st, the
    // year to 2015.
    let reply = parse(
        &client,
        "",
        "application/x-www-form-urlencoded",
        "month=12&name=Ada",
        "application/json",
    )
    .await;
    assert_eq!(
        reply.json::<Value>(),
        json!({"time": {"year": 2015, "month": 12, "day": 1, "isoformat": "2015-12-01T00:00:00Z", "name": "Ada"}})
    );
}

#[tokio::test]
async fn parse_time_with_fields() {
    let client = start();
    let form = "application/x-www-form-urlencoded";
    let reply = parse(
        &client,
        "?fields=eurodate,name",
        form,
        "month=5&name=Ada",
        "application/json",
    )
    .await;
    assert_json_ok(&reply, "max-age=3");
    assert_eq!(
        reply.text(),
        r#"{"time":{"eurodate":"01.05.2015","name":"Ada"}}"#
    );

    // The client's `fields=` wins over the handler's extra fields.
    let reply = parse(
        &client,
        "?fields=year",
        form,
        "month=5&include_time=true",
        "application/xml",
    )
    .await;
    assert_xml_ok(&reply, "max-age=3");
    assert_eq!(
        reply.text(),
        format!("{XML_PROLOG}<time><year>2015</year></time>")
    );

    let reply = parse(&client, "?fields=hour", form, "month=5", "application/json").await;
    assert_eq!(reply.status(), 400);
    assert_eq!(reply.json::<Value>()["code"], "unknown_field");
}

/// The `(pointer, code)` of every field error of a 422.
fn field_errors(reply: &TestResponse) -> Vec<(String, String)> {
    assert_eq!(reply.status(), 422, "{}", reply.text());
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+json")
    );
    assert_eq!(reply.header("cache-control"), Some("no-cache"));
    let problem = reply.json::<Value>();
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
    let client = start();
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
        let reply = parse(&client, "", form, body, "application/json").await;
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
    let reply = parse(&client, "", form, "month=2&day=30", "application/xml").await;
    assert_eq!(reply.status(), 422);
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+xml")
    );
    assert!(
        reply.text().contains(
            "<errors><error><pointer>/day</pointer><code>out_of_range</code>\
             <message>February 2015 has no day 30</message></error></errors>"
        ),
        "{}",
        reply.text()
    );
}

#[tokio::test]
async fn time_range_orders_its_ends_and_nests_two_field_sets() {
    let client = start();
    for duration in [1500_i64, -2000, 0] {
        let reply = client
            .get(format!("/api/time/range?duration={duration}"))
            .await;
        assert_json_ok(&reply, "no-cache");
        let body = reply.json::<Value>();
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

    let reply = client
        .get("/api/time/range?duration=1000")
        .accept(XML)
        .await;
    assert_xml_ok(&reply, "no-cache");
    let text = reply.text();
    let body = text.strip_prefix(XML_PROLOG).unwrap();
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
}

#[tokio::test]
async fn time_range_with_fields_and_bad_durations() {
    let client = start();
    let reply = client
        .get("/api/time/range?duration=86400000&fields=duration_microseconds,start(eurodate),end(day)")
        .await;
    assert_json_ok(&reply, "no-cache");
    let range = &reply.json::<Value>()["range"];
    assert_eq!(keys(range), ["duration_microseconds", "start", "end"]);
    assert_eq!(range["duration_microseconds"], 86_400_000_000_i64);
    assert_eq!(keys(&range["start"]), ["eurodate"]);
    assert_eq!(keys(&range["end"]), ["day"]);

    let reply = client
        .get("/api/time/range?duration=5&fields=end(*)")
        .accept(XML)
        .await;
    assert_xml_ok(&reply, "no-cache");
    assert!(
        reply.text().contains("<range><end><year>")
            && reply.text().ends_with("<name/></end></range>"),
        "{}",
        reply.text()
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
        let reply = client.get(format!("/api/time/range{query}")).await;
        assert_eq!(
            field_errors(&reply),
            [(pointer.to_owned(), code.to_owned())],
            "{query}"
        );
    }
}

#[tokio::test]
async fn arg_test_echoes_its_path_parameters() {
    let client = start();
    let reply = client.get("/api/arg_test/hello/w%C3%B6rld%20x").await;
    assert_json_ok(&reply, "no-cache");
    assert_eq!(reply.text(), r#"{"arg_a":"hello","arg_b":"wörld x"}"#);

    let reply = client.get("/api/arg_test/a%3Cb/%26").accept(XML).await;
    assert_xml_ok(&reply, "no-cache");
    assert_eq!(
        reply.text(),
        format!("{XML_PROLOG}<arg_test><arg_a>a&lt;b</arg_a><arg_b>&amp;</arg_b></arg_test>")
    );

    for path in ["/api/arg_test/a", "/api/arg_test/a/b/c", "/api/arg_test"] {
        assert_eq!(client.get(path).await.status(), 404, "{path}");
    }
}

#[tokio::test]
async fn blank_is_a_204_without_a_body() {
    let client = start();
    for accept in ["application/json", "application/xml"] {
        let reply = client
            .post("/api/blank")
            .accept(accept)
            .header("origin", "https://elsewhere.example")
            .await;
        assert_eq!(reply.status(), 204);
        assert_eq!(reply.text(), "");
        assert!(reply.header("content-type").is_none());
        assert_eq!(reply.header("cache-control"), Some("no-cache"));
        assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    }
    // A body it does not read is still decoded: a form is fine.
    let reply = client
        .post("/api/blank")
        .body("application/x-www-form-urlencoded", "a=1")
        .await;
    assert_eq!(reply.status(), 204);
}
