//! Sales ingestion (idempotent per store and month) and royalty statements
//! checked against hand-computed amounts.

use licensing::domain::statement::SalesMonth;
use licensing::store::{
    Database, IngestOutcome, SaleFormat, SaleLine, SalesReport, Statement, Store, StoreError,
    Viewer,
};
use time::macros::date;

use crate::common::{self, assert_invalid, cover, draft, live, original};

fn month(text: &str) -> SalesMonth {
    SalesMonth::parse(text).unwrap()
}

fn line(album_id: i64, track: Option<u32>, format: SaleFormat, units: u32) -> SaleLine {
    SaleLine {
        album_id,
        track_number: track,
        format,
        units,
    }
}

fn report(store: &str, month_text: &str, lines: Vec<SaleLine>) -> SalesReport {
    SalesReport {
        store: store.into(),
        month: month(month_text),
        lines,
    }
}

/// The statement's lines as (publisher, composition, units, cents).
fn lines(statement: &Statement) -> Vec<(&str, i64, u64, u64)> {
    statement
        .lines
        .iter()
        .map(|l| {
            (
                l.publisher.as_str(),
                l.composition_id,
                l.units,
                l.amount_cents,
            )
        })
        .collect()
}

/// Compositions A (one publisher), B (60/40) and C (three ways), and a
/// live album: 1 covers A (3:30), 2 covers B (5:01), 3 is an original,
/// 4 covers C (2:05).
struct Catalog {
    a: i64,
    b: i64,
    c: i64,
    album: i64,
}

async fn catalog(store: &Database) -> Catalog {
    let artist = common::artist(store, "Ann").await;
    let a = common::composition(store, "Song A", true, &[("P1", 10_000)]).await;
    let b = common::composition(store, "Song B", true, &[("P2", 6_000), ("P3", 4_000)]).await;
    let c = common::composition(
        store,
        "Song C",
        true,
        &[("Q1", 3_334), ("Q2", 3_333), ("Q3", 3_333)],
    )
    .await;
    let album = live(
        store,
        artist,
        "Royalties",
        vec![
            cover("A", 210, a),
            cover("B", 301, b),
            original("Mine", 200),
            cover("C", 125, c),
        ],
    )
    .await
    .id;
    Catalog { a, b, c, album }
}

#[tokio::test]
async fn statements_in_2024_2025_and_2026() {
    use SaleFormat::{Download, Physical};
    let fx = common::empty("statements").await;
    let Catalog { a, b, c, album } = catalog(&fx.store).await;
    let ingest = |r| fx.store.ingest_sales(r);
    ingest(report(
        "bandcamp",
        "2024-03",
        vec![
            line(album, None, Physical, 10),
            line(album, Some(1), Download, 5),
            line(album, Some(2), Download, 3),
            line(album, Some(3), Download, 100), // an original: no royalty
        ],
    ))
    .await
    .unwrap();
    ingest(report(
        "itunes",
        "2024-03",
        vec![
            line(album, Some(2), Download, 2),
            line(album, None, Download, 4),
        ],
    ))
    .await
    .unwrap();
    ingest(report(
        "bandcamp",
        "2025-07",
        vec![
            line(album, Some(2), Download, 100),
            line(album, None, Physical, 1),
        ],
    ))
    .await
    .unwrap();
    ingest(report(
        "bandcamp",
        "2026-02",
        vec![
            line(album, Some(2), Download, 1),
            line(album, Some(1), Download, 3),
        ],
    ))
    .await
    .unwrap();

    // 2024: 12.40¢ per track or 2.39¢ a minute. 14 whole albums.
    // A, 3:30 → 4 × 2.39 = 9.56 < 12.40: 19 units × 12.40 = 235.60¢ → 236.
    // B, 5:01 → 6 × 2.39 = 14.34¢: 19 units → 272.46¢; 60% = 163.476 → 163,
    //   40% = 108.984 → 109.
    // C, 2:05 → 3 × 2.39 = 7.17 < 12.40: 14 units → 173.60¢; 33.34% =
    //   57.878 → 58, 33.33% = 57.861 → 58 (twice).
    let s = fx
        .store
        .royalty_statement(album, month("2024-03"), date!(2024 - 04 - 20))
        .await
        .unwrap();
    assert_eq!(
        lines(&s),
        [
            ("P1", a, 19, 236),
            ("P2", b, 19, 163),
            ("P3", b, 19, 109),
            ("Q1", c, 14, 58),
            ("Q2", c, 14, 58),
            ("Q3", c, 14, 58),
        ]
    );
    assert_eq!(s.total_cents, 236 + 163 + 109 + 58 * 3);
    assert_eq!(s.due_date, date!(2024 - 04 - 20));
    assert!(!s.late, "due today is not late");
    let late = fx
        .store
        .royalty_statement(album, month("2024-03"), date!(2024 - 04 - 21))
        .await
        .unwrap();
    assert!(late.late);

    // 2025: 12.70¢ or 2.45¢ a minute. 1 whole album.
    // A: 1 × 12.70 → 13. B, 5:01 → 6 × 2.45 = 14.70¢: 101 units →
    //   1484.70¢; 60% = 890.82 → 891, 40% = 593.88 → 594.
    // C: 1 × 12.70; 33.34% = 4.234 → 4, 33.33% = 4.233 → 4 (twice).
    let s = fx
        .store
        .royalty_statement(album, month("2025-07"), common::TODAY)
        .await
        .unwrap();
    assert_eq!(
        lines(&s),
        [
            ("P1", a, 1, 13),
            ("P2", b, 101, 891),
            ("P3", b, 101, 594),
            ("Q1", c, 1, 4),
            ("Q2", c, 1, 4),
            ("Q3", c, 1, 4),
        ]
    );
    assert_eq!(s.total_cents, 1510);
    assert_eq!(s.due_date, date!(2025 - 08 - 20));
    assert!(!s.late);

    // 2026: 13.10¢ or 2.52¢ a minute. No whole albums, so C sold nothing.
    // A: 3 × 13.10 = 39.30¢ → 39. B: 6 × 2.52 = 15.12¢; 60% = 9.072 → 9,
    //   40% = 6.048 → 6.
    let s = fx
        .store
        .royalty_statement(album, month("2026-02"), date!(2026 - 04 - 01))
        .await
        .unwrap();
    assert_eq!(
        lines(&s),
        [("P1", a, 3, 39), ("P2", b, 1, 9), ("P3", b, 1, 6)]
    );
    assert_eq!(
        (s.total_cents, s.due_date, s.late),
        (54, date!(2026 - 03 - 20), true)
    );

    // A month without sales owes nothing.
    let s = fx
        .store
        .royalty_statement(album, month("2026-01"), common::TODAY)
        .await
        .unwrap();
    assert!(s.lines.is_empty());
    assert_eq!(s.total_cents, 0);
    // Units sold to date: every line of every report.
    let detail = fx.store.get_album(album, Viewer::Public).await.unwrap();
    assert_eq!(
        detail.units_sold,
        10 + 5 + 3 + 100 + 2 + 4 + 100 + 1 + 1 + 3
    );
}

#[tokio::test]
async fn one_composition_on_two_tracks_is_rounded_once() {
    let fx = common::empty("statement-rounding").await;
    let artist = common::artist(&fx.store, "Ann").await;
    let a = common::composition(&fx.store, "Song A", true, &[("P1", 10_000)]).await;
    let album = live(
        &fx.store,
        artist,
        "Twice",
        vec![cover("A", 180, a), cover("A (Reprise)", 301, a)],
    )
    .await;
    let sales = report(
        "bandcamp",
        "2024-05",
        vec![
            line(album.id, Some(1), SaleFormat::Download, 1),
            line(album.id, Some(2), SaleFormat::Download, 1),
        ],
    );
    fx.store.ingest_sales(sales).await.unwrap();
    // 12.40¢ + 14.34¢ = 26.74¢ → 27¢ (rounding each track would give 26¢).
    let s = fx
        .store
        .royalty_statement(album.id, month("2024-05"), common::TODAY)
        .await
        .unwrap();
    assert_eq!(lines(&s), [("P1", a, 2, 27)]);
}

#[tokio::test]
async fn a_month_is_ingested_once_per_store() {
    let fx = common::empty("ingest").await;
    let Catalog { album, .. } = catalog(&fx.store).await;
    let sales = || {
        report(
            "bandcamp",
            "2025-01",
            vec![
                line(album, None, SaleFormat::Download, 7),
                line(album, Some(2), SaleFormat::Physical, 3),
            ],
        )
    };
    assert_eq!(
        fx.store.ingest_sales(sales()).await,
        Ok(IngestOutcome::Ingested {
            lines: 2,
            units: 10
        })
    );
    let before = fx
        .store
        .royalty_statement(album, month("2025-01"), common::TODAY)
        .await
        .unwrap();
    assert_eq!(
        fx.store.ingest_sales(sales()).await,
        Ok(IngestOutcome::AlreadyIngested)
    );
    // Even a different report for the same store and month changes nothing.
    let other = report(
        "bandcamp",
        "2025-01",
        vec![line(album, None, SaleFormat::Download, 1000)],
    );
    assert_eq!(
        fx.store.ingest_sales(other).await,
        Ok(IngestOutcome::AlreadyIngested)
    );
    let after = fx
        .store
        .royalty_statement(album, month("2025-01"), common::TODAY)
        .await
        .unwrap();
    assert_eq!(before, after);
    assert_eq!(
        fx.store
            .get_album(album, Viewer::Admin)
            .await
            .unwrap()
            .units_sold,
        10
    );
    // Another store's month, or another month, is new.
    let itunes = report(
        "itunes",
        "2025-01",
        vec![line(album, None, SaleFormat::Download, 1)],
    );
    assert!(matches!(
        fx.store.ingest_sales(itunes).await,
        Ok(IngestOutcome::Ingested { .. })
    ));
    let empty = report("bandcamp", "2025-02", vec![]);
    assert_eq!(
        fx.store.ingest_sales(empty).await,
        Ok(IngestOutcome::Ingested { lines: 0, units: 0 })
    );
}

#[tokio::test]
async fn a_bad_line_rejects_the_whole_month() {
    let fx = common::empty("ingest-bad").await;
    let Catalog { album, .. } = catalog(&fx.store).await;
    let artist = fx
        .store
        .get_album(album, Viewer::Admin)
        .await
        .unwrap()
        .album
        .artist_id;
    let unreleased = draft(&fx.store, artist, "Not Yet").await;
    let good = line(album, Some(1), SaleFormat::Download, 5);
    for (bad, field) in [
        (
            line(album + 100, None, SaleFormat::Download, 1),
            "/lines/1/album_id",
        ),
        (
            line(unreleased.id, None, SaleFormat::Download, 1),
            "/lines/1/album_id",
        ),
        (
            line(album, Some(5), SaleFormat::Download, 1),
            "/lines/1/track_number",
        ),
        (
            line(album, Some(0), SaleFormat::Download, 1),
            "/lines/1/track_number",
        ),
    ] {
        let month_report = report("bandcamp", "2025-03", vec![good.clone(), bad]);
        assert_invalid(fx.store.ingest_sales(month_report).await, field);
    }
    assert_invalid(
        fx.store.ingest_sales(report(" ", "2025-03", vec![])).await,
        "/store",
    );
    // A year with no statutory rate: its statement could never be made.
    assert_invalid(
        fx.store
            .ingest_sales(report("bandcamp", "1999-03", vec![good.clone()]))
            .await,
        "/month",
    );
    // Nothing was kept, not even the month's receipt: the good report goes in.
    assert_eq!(
        fx.store
            .get_album(album, Viewer::Admin)
            .await
            .unwrap()
            .units_sold,
        0
    );
    assert_eq!(
        fx.store
            .ingest_sales(report("bandcamp", "2025-03", vec![good]))
            .await,
        Ok(IngestOutcome::Ingested { lines: 1, units: 5 })
    );
}

#[tokio::test]
async fn statements_need_an_album_and_a_known_rate() {
    let fx = common::empty("statement-errors").await;
    let Catalog { album, .. } = catalog(&fx.store).await;
    assert_eq!(
        fx.store
            .royalty_statement(album + 1, month("2025-01"), common::TODAY)
            .await,
        Err(StoreError::NotFound("album"))
    );
    assert_invalid(
        fx.store
            .royalty_statement(album, month("2031-01"), common::TODAY)
            .await,
        "/month",
    );
}
