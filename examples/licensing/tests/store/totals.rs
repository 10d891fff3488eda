//! The kept sales totals (per album, and per album, month and track) equal
//! a recomputation from the lines after any sequence of ingests: random
//! reports from a seeded generator, among them re-sent ones (which must
//! add nothing) and refused ones (which must add nothing either, though
//! some of their lines were fine). Checked after every ingest: the
//! engine's own recomputation (`verify_totals`, what `licensing check`
//! runs) finds no difference, it keeps as many rows as a model kept here
//! counts, and the album pages' `units_sold` are the model's.

use std::collections::BTreeMap;

use licensing::domain::statement::SalesMonth;
use licensing::store::{
    Database, IngestOutcome, SaleFormat, SaleLine, SalesReport, Store, StoreError, Viewer,
};

use crate::common::{self, artist, draft, live, original};

/// A small deterministic generator (xorshift64*): the same cases on every
/// run and engine, and a failing seed can be replayed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n
    }
}

/// The totals a correct store keeps, counted here from what was accepted.
#[derive(Default)]
struct Model {
    albums: BTreeMap<i64, u64>,
    tracks: BTreeMap<(i64, String, u32), u64>,
}

impl Model {
    fn add(&mut self, report: &SalesReport) {
        for line in &report.lines {
            *self.albums.entry(line.album_id).or_default() += u64::from(line.units);
            let key = (
                line.album_id,
                report.month.to_string(),
                line.track_number.unwrap_or(0),
            );
            *self.tracks.entry(key).or_default() += u64::from(line.units);
        }
    }
}

const STORES: [&str; 3] = ["bandcamp", "itunes", "shop"];
const MONTHS: [&str; 4] = ["2025-01", "2025-02", "2025-03", "2025-04"];

/// A random report over `albums` (id, tracks); one line in ten names the
/// draft `refused`, so the whole report is refused.
fn random_report(rng: &mut Rng, albums: &[(i64, u32)], refused: i64) -> SalesReport {
    let lines = (0..rng.below(7))
        .map(|_| {
            let (album_id, tracks) = albums[rng.below(albums.len() as u64) as usize];
            let track = rng.below(u64::from(tracks) + 1) as u32;
            SaleLine {
                album_id: if rng.below(10) == 0 {
                    refused
                } else {
                    album_id
                },
                track_number: (track > 0).then_some(track),
                format: if rng.below(2) == 0 {
                    SaleFormat::Download
                } else {
                    SaleFormat::Physical
                },
                units: rng.below(50) as u32,
            }
        })
        .collect();
    SalesReport {
        store: STORES[rng.below(3) as usize].to_owned(),
        month: SalesMonth::parse(MONTHS[rng.below(4) as usize]).unwrap(),
        lines,
    }
}

#[tokio::test]
async fn kept_totals_equal_a_recomputation_after_random_ingests() {
    let fx = common::empty("totals-random").await;
    let store = &fx.store;
    let who = artist(store, "Random Sales").await;
    let mut albums = Vec::new();
    for (title, tracks) in [("One", 1u32), ("Two", 2), ("Three", 3)] {
        let list = (1..=tracks)
            .map(|n| original(&format!("{title} {n}"), 180))
            .collect();
        albums.push((live(store, who, title, list).await.id, tracks));
    }
    let refused = draft(store, who, "Not on sale").await.id;
    let mut model = Model::default();
    let mut sent: Vec<SalesReport> = Vec::new();
    for seed in [1u64, 7, 42] {
        // Each seed goes on from what the earlier ones left, so it
        // replays their months too.
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        for step in 0..40 {
            let report = if step % 5 == 4 && !sent.is_empty() {
                sent[rng.below(sent.len() as u64) as usize].clone()
            } else {
                random_report(&mut rng, &albums, refused)
            };
            let refuses = report.lines.iter().any(|l| l.album_id == refused);
            match store.ingest_sales(report.clone()).await {
                Ok(IngestOutcome::Ingested { .. }) => {
                    assert!(!refuses, "seed {seed} step {step}: {report:?}");
                    model.add(&report);
                    sent.push(report);
                }
                Ok(IngestOutcome::AlreadyIngested) => {}
                Err(StoreError::Invalid { .. }) => assert!(refuses, "seed {seed} step {step}"),
                Err(e) => panic!("seed {seed} step {step}: {e}"),
            }
            assert_matches(store, &model, &albums, &format!("seed {seed} step {step}")).await;
        }
    }
    common::assert_sound(store).await;
}

/// The engine's recomputation finds no difference, and every album page
/// sells what the model counted.
async fn assert_matches(store: &Database, model: &Model, albums: &[(i64, u32)], at: &str) {
    let found = store.verify_totals().await.unwrap();
    assert!(found.is_sound(), "{at}: {:?}", found.mismatches);
    assert_eq!(found.albums, model.albums.len() as u64, "{at}");
    assert_eq!(found.months, model.tracks.len() as u64, "{at}");
    for &(id, _) in albums {
        let page = store.get_album(id, Viewer::Admin).await.unwrap();
        let expected = model.albums.get(&id).copied().unwrap_or(0);
        assert_eq!(page.units_sold, expected, "{at}: album {id}");
    }
}
