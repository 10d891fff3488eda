//! Compositions: creation rules, search, and matching a cover to one.

use licensing::domain::ids::Iswc;
use licensing::store::{MatchQuery, NewComposition, Store, StoreError};

use crate::common::{self, assert_invalid};

fn new(title: &str, writers: &[&str], publishers: &[(&str, u32)]) -> NewComposition {
    NewComposition {
        title: title.into(),
        iswc: None,
        writers: writers.iter().map(|w| (*w).to_owned()).collect(),
        released: true,
        publishers: publishers
            .iter()
            .map(|(n, s)| ((*n).to_owned(), *s))
            .collect(),
    }
}

#[tokio::test]
async fn compositions_are_created_with_their_shares() {
    let fx = common::empty("compositions").await;
    let iswc = Iswc::parse("T-034.524.680-1").unwrap();
    let created = fx
        .store
        .create_composition(NewComposition {
            iswc: Some(iswc),
            ..new(
                "Blue Moon",
                &["Richard Rodgers", "Lorenz Hart"],
                &[("B", 3_333), ("A", 3_334), ("C", 3_333)],
            )
        })
        .await
        .unwrap();
    assert_eq!(created.writers, ["Richard Rodgers", "Lorenz Hart"]);
    assert_eq!(created.iswc, Some(iswc));
    let shares: Vec<(&str, u32)> = created
        .publishers
        .iter()
        .map(|p| (p.name.as_str(), p.share_bp))
        .collect();
    assert_eq!(shares, [("A", 3_334), ("B", 3_333), ("C", 3_333)]);
    assert_eq!(fx.store.get_composition(created.id).await.unwrap(), created);
    assert_eq!(
        fx.store.get_composition(created.id + 1).await,
        Err(StoreError::NotFound("composition"))
    );
    // The same ISWC twice is a conflict.
    let again = NewComposition {
        iswc: Some(iswc),
        ..new("Blue Moon", &["R. Rodgers"], &[("A", 10_000)])
    };
    assert_eq!(
        fx.store.create_composition(again).await,
        Err(StoreError::Conflict("a composition with this ISWC exists"))
    );
}

#[tokio::test]
async fn compositions_are_checked() {
    let fx = common::empty("composition-checks").await;
    for (bad, field) in [
        (new("", &["W"], &[("P", 10_000)]), "/title"),
        (new("T", &[], &[("P", 10_000)]), "/writers"),
        (new("T", &["W", " "], &[("P", 10_000)]), "/writers/1"),
        (new("T", &["W"], &[]), "/publishers"),
        (
            new("T", &["W"], &[("P", 6_000), ("Q", 3_000)]),
            "/publishers",
        ),
        (
            new("T", &["W"], &[("P", 6_000), ("P", 4_000)]),
            "/publishers/1/name",
        ),
        (new("T", &["W"], &[("P", 10_001)]), "/publishers/0/share_bp"),
    ] {
        assert_invalid(fx.store.create_composition(bad).await, field);
    }
    assert_eq!(fx.store.list_compositions(None).await.unwrap(), []);
}

#[tokio::test]
async fn compositions_are_searched_by_title_writer_and_iswc() {
    let fx = common::seeded("composition-search").await;
    let titles = |q: Option<&str>| {
        let store = fx.store.clone();
        let q = q.map(str::to_owned);
        async move {
            store
                .list_compositions(q)
                .await
                .unwrap()
                .into_iter()
                .map(|c| c.title)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        titles(None).await,
        [
            "Blue Moon",
            "Hallelujah",
            "Jolene",
            "Landslide",
            "Midnight Ferry",
            "Yesterday"
        ]
    );
    assert_eq!(titles(Some("moon")).await, ["Blue Moon"]);
    assert_eq!(titles(Some("mccartney")).await, ["Yesterday"]);
    let hallelujah = fx
        .store
        .list_compositions(Some("Cohen".into()))
        .await
        .unwrap();
    let iswc = hallelujah[0].iswc.unwrap().to_string();
    assert_eq!(titles(Some(&iswc)).await, ["Hallelujah"]);
    assert_eq!(titles(Some("nothing")).await, Vec::<String>::new());
}

#[tokio::test]
async fn matching_ranks_the_exact_title_first() {
    let fx = common::seeded("matching").await;
    let candidates = |title: &str, artist: Option<&str>, writers: &[&str]| {
        let store = fx.store.clone();
        let query = MatchQuery {
            title: title.into(),
            artist: artist.map(str::to_owned),
            writers: writers.iter().map(|w| (*w).to_owned()).collect(),
        };
        async move { store.match_compositions(query).await.unwrap() }
    };
    // A typo still finds the song.
    let found = candidates("Halelujah", None, &[]).await;
    assert_eq!(found[0].composition.title, "Hallelujah");
    assert!(
        found[0].score > 0.8 && found[0].score < 1.0,
        "{}",
        found[0].score
    );
    // Extra words and case do not hide it; the exact title scores 1.
    assert_eq!(candidates("JOLENE", None, &[]).await[0].score, 1.0);
    let live = candidates("Jolene (live)", Some("Dolly Parton"), &[]).await;
    assert_eq!(live[0].composition.title, "Jolene");
    // Near titles with a matching writer do not outrank the exact title.
    fx.store
        .create_composition(new(
            "Yesterdays",
            &["Jerome Kern", "Otto Harbach"],
            &[("K", 10_000)],
        ))
        .await
        .unwrap();
    let ranked = candidates("Yesterday", None, &["Jerome Kern"]).await;
    let order: Vec<&str> = ranked
        .iter()
        .map(|c| c.composition.title.as_str())
        .collect();
    assert_eq!(order, ["Yesterday", "Yesterdays"]);
    assert!(
        ranked[1].score > ranked[0].score,
        "the rule the rank exists for"
    );
    // Names break ties between equal titles.
    fx.store
        .create_composition(new("Blue Moon", &["Someone Else"], &[("S", 10_000)]))
        .await
        .unwrap();
    let moons = candidates("Blue Moon", None, &["Rodgers"]).await;
    assert_eq!(moons[0].composition.writers[0], "Richard Rodgers");
    assert_eq!(moons[1].composition.writers[0], "Someone Else");
    for candidate in moons.iter().chain(&ranked) {
        assert!((0.0..=1.0).contains(&candidate.score));
    }
    // Unrelated titles are not candidates; a blank title is invalid.
    assert!(
        candidates("Smells Like Teen Spirit", None, &[])
            .await
            .is_empty()
    );
    assert_invalid(
        fx.store.match_compositions(MatchQuery::default()).await,
        "/title",
    );
}
