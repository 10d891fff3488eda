//! Sales in, statements out: reports in JSON and XML, idempotent per store
//! and month, and statements whose lines and totals match a computation by
//! hand from the statutory facts in `licensing::domain::royalty` (2024,
//! 2025 and 2026 rates, the 5:01 "Landslide" on the per-minute rate, 50/50,
//! 75/25 and three-way splits), due the 20th of the next month; and an
//! album's units capped at `domain::limits::MAX_ALBUM_UNITS`, where a
//! report one unit past it is refused whole.

mod common;

use http::StatusCode;
use licensing::domain::limits::MAX_ALBUM_UNITS;
use licensing::domain::royalty::{checked_line_cents, per_unit, rate_for};
use serde_json::{Value, json};

use common::Seeded;

/// A composition: its id and its publishers with their shares.
type Work = (i64, &'static [(&'static str, u64)]);

// The seed's compositions, by id, with their publishers (basis points).
const HALLELUJAH: Work = (1, &[("Harbor Lane Music", 10_000)]);
const JOLENE: Work = (2, &[("Red Barn Publishing", 10_000)]);
const YESTERDAY: Work = (
    3,
    &[("Northgate Songs", 5_000), ("Silver Thread Music", 5_000)],
);
const LANDSLIDE: Work = (
    4,
    &[("Copperfield Songs", 7_500), ("Harbor Lane Music", 2_500)],
);
const BLUE_MOON: Work = (
    5,
    &[
        ("Northgate Songs", 3_334),
        ("Red Barn Publishing", 3_333),
        ("Silver Thread Music", 3_333),
    ],
);

/// The statement lines for `(composition, units, seconds)` sold in `year`,
/// in the store's order (composition id, then publisher name).
fn expected(year: i32, sold: &[(Work, u64, u32)]) -> (Vec<Value>, u64) {
    let rate = rate_for(year).expect("a known year");
    let mut sold = sold.to_vec();
    sold.sort_by_key(|((id, _), _, _)| *id);
    let mut lines = Vec::new();
    let mut total = 0;
    for ((id, publishers), units, seconds) in sold {
        let exact = units
            .checked_mul(per_unit(rate, seconds))
            .expect("a royalty that fits");
        for (name, share) in publishers {
            let cents = checked_line_cents(1, exact, *share).expect("a line that fits");
            total = u64::checked_add(total, cents).expect("a total that fits");
            lines.push(json!({
                "publisher": name,
                "composition_id": id,
                "units": units,
                "amount_cents": cents
            }));
        }
    }
    (lines, total)
}

async fn statement(s: &Seeded, album: i64, month: &str) -> Value {
    let r = s
        .client
        .get(format!("/api/albums/{album}/statements/{month}"))
        .bearer(&s.tokens.admin)
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text());
    r.json::<Value>()
}

#[tokio::test(flavor = "multi_thread")]
async fn seeded_statements_match_the_hand_computation() {
    let s = Seeded::start("sales-seeded").await;
    let a = s.albums;

    // 2024-10, Borrowed Light: 42 whole albums; Hallelujah +50, Landslide
    // +7, Jolene +20 (iTunes).
    let got = statement(&s, a.borrowed_light, "2024-10").await;
    let (lines, total) = expected(
        2024,
        &[
            (HALLELUJAH, 92, 279),
            (LANDSLIDE, 49, 301),
            (JOLENE, 62, 161),
        ],
    );
    assert_eq!(got["lines"], Value::Array(lines));
    assert_eq!(got["total_cents"], total);
    // By hand, once: 92 × 12.40¢ = $11.408 → 1141; 62 × 12.40¢ → 769;
    // 49 × 14.34¢ (6 min × 2.39¢) = 702.66¢, 75% → 527, 25% → 176.
    assert_eq!(total, 1141 + 769 + 527 + 176);
    assert_eq!(got["due_date"], "2024-11-20");
    assert_eq!(got["late"], true);
    assert_eq!(got["month"], "2024-10");
    assert_eq!(got["album_id"], a.borrowed_light);

    // 2025-04: Borrowed Light sold 10 whole albums.
    let got = statement(&s, a.borrowed_light, "2025-04").await;
    let (lines, total) = expected(
        2025,
        &[
            (HALLELUJAH, 10, 279),
            (LANDSLIDE, 10, 301),
            (JOLENE, 10, 161),
        ],
    );
    assert_eq!(got["lines"], Value::Array(lines));
    assert_eq!(got["total_cents"], total);
    // Landslide at 2025's per-minute rate: 10 × 6 × 2.45¢ = 147¢.
    assert_eq!(got["lines"][2]["amount_cents"], 110);
    assert_eq!(got["due_date"], "2025-05-20");

    // 2025-04, Old Songs: 25 whole albums, Yesterday +40; three-way Blue Moon.
    let got = statement(&s, a.old_songs, "2025-04").await;
    let (lines, total) = expected(2025, &[(YESTERDAY, 65, 125), (BLUE_MOON, 25, 210)]);
    assert_eq!(got["lines"], Value::Array(lines));
    assert_eq!(got["total_cents"], total);

    // 2026-01, Old Songs: 5 whole albums, Blue Moon +9, at 2026's rates.
    let got = statement(&s, a.old_songs, "2026-01").await;
    let (lines, total) = expected(2026, &[(YESTERDAY, 5, 125), (BLUE_MOON, 14, 210)]);
    assert_eq!(got["lines"], Value::Array(lines));
    assert_eq!(got["total_cents"], total);
    assert_eq!(got["due_date"], "2026-02-20");

    // December's statement is due in January.
    let got = statement(&s, a.borrowed_light, "2025-12").await;
    assert_eq!(got["due_date"], "2026-01-20");
    assert_eq!(got["lines"], json!([]));
    assert_eq!(got["total_cents"], 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn posted_sales_count_once_per_store_and_month() {
    let s = Seeded::start("sales-posted").await;
    let a = s.albums;
    let before = statement(&s, a.borrowed_light, "2026-03").await;
    assert_eq!(before["lines"], json!([]));

    // JSON: 2026, with the 5:01 track sold on its own.
    let report = json!({
        "store": "bandcamp",
        "month": "2026-03",
        "lines": [
            {"album_id": a.borrowed_light, "format": "physical", "units": 4},
            {"album_id": a.borrowed_light, "track_number": 3, "format": "download", "units": 100},
            {"album_id": a.old_songs, "track_number": 2, "format": "download", "units": 3}
        ]
    });
    let r = s
        .client
        .post("/api/admin/sales")
        .bearer(&s.tokens.admin)
        .json(&report)
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text());
    assert_eq!(
        r.json::<Value>(),
        json!({"ingested": true, "lines": 3, "units": 107})
    );
    let first = statement(&s, a.borrowed_light, "2026-03").await;
    let (lines, total) = expected(
        2026,
        &[
            (HALLELUJAH, 4, 279),
            (LANDSLIDE, 104, 301),
            (JOLENE, 4, 161),
        ],
    );
    assert_eq!(first["lines"], Value::Array(lines));
    assert_eq!(first["total_cents"], total);
    // 104 × 15.12¢ = $15.7248: 75% → 1179.36 → 1179, 25% → 393.12 → 393.
    assert_eq!(first["lines"][2]["amount_cents"], 1179);
    assert_eq!(first["lines"][3]["amount_cents"], 393);
    assert_eq!(first["due_date"], "2026-04-20");
    let old_songs = statement(&s, a.old_songs, "2026-03").await;
    let (lines, _) = expected(2026, &[(BLUE_MOON, 3, 210)]);
    assert_eq!(old_songs["lines"], Value::Array(lines));

    // The same store and month again, even with other lines: nothing.
    let again = json!({
        "store": "bandcamp",
        "month": "2026-03",
        "lines": [{"album_id": a.borrowed_light, "format": "download", "units": 1000}]
    });
    let r = s
        .client
        .post("/api/admin/sales")
        .bearer(&s.tokens.admin)
        .json(&again)
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text());
    assert_eq!(
        r.json::<Value>(),
        json!({"ingested": false, "lines": 0, "units": 0})
    );
    assert_eq!(statement(&s, a.borrowed_light, "2026-03").await, first);

    // XML, another store, the same month: counted, in 2025 for 2025-09.
    let xml = format!(
        "<sales><store>itunes</store><month>2025-09</month><lines>\
         <line><album_id>{0}</album_id><track_number>1</track_number><format>download</format><units>7</units></line>\
         <line><album_id>{0}</album_id><format>download</format><units>2</units></line>\
         </lines></sales>",
        a.borrowed_light
    );
    let xml_request = |body: String| {
        let s = &s;
        async move {
            s.client
                .post("/api/admin/sales")
                .bearer(&s.tokens.admin)
                .accept("application/xml")
                .body("application/xml", &body)
                .await
        }
    };
    let r = xml_request(xml.clone()).await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text());
    assert_eq!(
        r.text(),
        r#"<?xml version="1.0" encoding="UTF-8"?><sales><ingested>true</ingested><lines>2</lines><units>9</units></sales>"#
    );
    let september = statement(&s, a.borrowed_light, "2025-09").await;
    let (lines, total) = expected(
        2025,
        &[(HALLELUJAH, 9, 279), (LANDSLIDE, 2, 301), (JOLENE, 2, 161)],
    );
    assert_eq!(september["lines"], Value::Array(lines));
    assert_eq!(september["total_cents"], total);
    let r = xml_request(xml).await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text());
    assert!(
        r.text().contains("<ingested>false</ingested>"),
        "{}",
        r.text()
    );
    assert_eq!(statement(&s, a.borrowed_light, "2025-09").await, september);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_line_rejects_the_whole_report() {
    let s = Seeded::start("sales-reject").await;
    let a = s.albums;
    for (lines, pointer) in [
        // Not on sale: a draft and a submitted album.
        (
            json!([{"album_id": a.borrowed_light, "format": "download", "units": 5},
                   {"album_id": a.lantern_songs, "format": "download", "units": 5}]),
            "/lines/1/album_id",
        ),
        (
            json!([{"album_id": a.borrowed_light, "format": "download", "units": 5},
                   {"album_id": a.changed_words, "format": "download", "units": 5}]),
            "/lines/1/album_id",
        ),
        (
            json!([{"album_id": a.borrowed_light, "track_number": 9, "format": "download", "units": 5}]),
            "/lines/0/track_number",
        ),
    ] {
        let r = s
            .client
            .post("/api/admin/sales")
            .bearer(&s.tokens.admin)
            .json(&json!({"store": "bandcamp", "month": "2026-05", "lines": lines}))
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert_eq!(
            r.json::<Value>()["errors"][0]["pointer"],
            pointer,
            "{}",
            r.text()
        );
        let got = statement(&s, a.borrowed_light, "2026-05").await;
        assert_eq!(got["lines"], json!([]), "a rejected report left sales");
    }
    // And the month is still open for a good report.
    let r = s
        .client
        .post("/api/admin/sales")
        .bearer(&s.tokens.admin)
        .json(&json!({"store": "bandcamp", "month": "2026-05",
                    "lines": [{"album_id": a.borrowed_light, "format": "download", "units": 5}]}))
        .await;
    assert_eq!(r.json::<Value>()["ingested"], true, "{}", r.text());
}

/// Units sold and revenue of an album, as its owner sees them.
async fn sold(s: &Seeded, album: i64, owner: &str) -> (u64, u64) {
    let r = s
        .client
        .get(format!(
            "/api/albums/{album}?fields=units_sold,revenue_cents"
        ))
        .bearer(owner)
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text());
    let body = r.json::<Value>();
    let number = |name: &str| body[name].as_u64().expect("a number");
    (number("units_sold"), number("revenue_cents"))
}

/// Whole-album lines for `album` summing to `units`, each at most the
/// endpoint's 100,000,000.
fn lines_of(album: i64, mut units: u64) -> Vec<Value> {
    let mut lines = Vec::new();
    while units > 0 {
        let line = units.min(100_000_000);
        lines.push(json!({"album_id": album, "format": "download", "units": line}));
        units -= line;
    }
    lines
}

#[tokio::test(flavor = "multi_thread")]
async fn an_album_sells_up_to_its_cap_and_a_report_one_unit_past_it_changes_nothing() {
    let s = Seeded::start("sales-cap").await;
    let a = s.albums;
    let report = |store: &str, lines: Vec<Value>| json!({"store": store, "month": "2026-02", "lines": lines});
    let (before, _) = sold(&s, a.borrowed_light, &s.tokens.maren).await;
    let (old_songs, old_revenue) = sold(&s, a.old_songs, &s.tokens.harbors).await;

    // Up to the cap exactly: accepted, and the album reads its cap.
    let to_cap = MAX_ALBUM_UNITS - before;
    let r = s
        .client
        .post("/api/admin/sales")
        .bearer(&s.tokens.admin)
        .json(&report("cap-a", lines_of(a.borrowed_light, to_cap)))
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text());
    assert_eq!(r.json::<Value>()["units"], to_cap);
    let at_cap = sold(&s, a.borrowed_light, &s.tokens.maren).await;
    // 1,000,000,000 copies at $9.99.
    assert_eq!(at_cap, (MAX_ALBUM_UNITS, 999_000_000_000));
    // Its statement at the cap counts every unit, in exact arithmetic.
    let got = statement(&s, a.borrowed_light, "2026-02").await;
    let (lines, total) = expected(
        2026,
        &[
            (HALLELUJAH, to_cap, 279),
            (LANDSLIDE, to_cap, 301),
            (JOLENE, to_cap, 161),
        ],
    );
    assert_eq!(got["lines"], Value::Array(lines));
    assert_eq!(got["total_cents"], total);

    // One unit more, on the second line of a report whose first line is
    // fine: a 422 on that line, and nothing of the report is kept.
    let past = report(
        "cap-b",
        vec![
            json!({"album_id": a.old_songs, "format": "download", "units": 5}),
            json!({"album_id": a.borrowed_light, "format": "physical", "units": 1}),
        ],
    );
    let r = s
        .client
        .post("/api/admin/sales")
        .bearer(&s.tokens.admin)
        .json(&past)
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let problem = r.json::<Value>();
    assert_eq!(
        problem["errors"][0]["pointer"],
        "/lines/1/units",
        "{}",
        r.text()
    );
    assert_eq!(
        problem["errors"][0]["message"],
        format!(
            "album {} would have sold more than 1000000000 units, the most one album may count",
            a.borrowed_light
        ),
        "{}",
        r.text()
    );
    assert_eq!(sold(&s, a.borrowed_light, &s.tokens.maren).await, at_cap);
    assert_eq!(
        sold(&s, a.old_songs, &s.tokens.harbors).await,
        (old_songs, old_revenue)
    );
    assert_eq!(statement(&s, a.borrowed_light, "2026-02").await, got);
    let untouched = statement(&s, a.old_songs, "2026-02").await;
    assert_eq!(untouched["lines"], json!([]), "a refused report left sales");

    // The refused report claimed nothing: its store and month still take
    // a report that fits.
    let fits = report(
        "cap-b",
        vec![json!({"album_id": a.old_songs, "format": "download", "units": 5})],
    );
    let r = s
        .client
        .post("/api/admin/sales")
        .bearer(&s.tokens.admin)
        .json(&fits)
        .await;
    assert_eq!(
        r.json::<Value>(),
        json!({"ingested": true, "lines": 1, "units": 5}),
        "{}",
        r.text()
    );
    assert_eq!(
        sold(&s, a.old_songs, &s.tokens.harbors).await.0,
        old_songs + 5
    );
}
