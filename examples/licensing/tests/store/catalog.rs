//! Compositions: creation rules, search, and matching a cover to one.

use licensing::domain::ids::Iswc;
use licensing::store::{CompositionQuery, MatchQuery, NewComposition, Store, StoreError};

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
    let all = CompositionQuery::search(None);
    assert_eq!(fx.store.list_compositions(all).await.unwrap().items, []);
}

#[tokio::test]
async fn compositions_are_searched_by_title_writer_and_iswc() {
    let fx = common::seeded("composition-search").await;
    let titles = |q: Option<&str>| {
        let store = fx.store.clone();
        let q = q.map(str::to_owned);
        async move {
            store
                .list_compositions(CompositionQuery::search(q))
                .await
                .unwrap()
                .items
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
        .list_compositions(CompositionQuery::search(Some("Cohen".into())))
        .await
        .unwrap()
        .items;
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
    // A candidate is the whole composition, publishers too.
    let publishers: Vec<(&str, u32)> = moons[1]
        .composition
        .publishers
        .iter()
        .map(|p| (p.name.as_str(), p.share_bp))
        .collect();
    assert_eq!(publishers, [("S", 10_000)]);
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

#[tokio::test]
async fn imports_are_all_or_nothing() {
    let fx = common::empty("composition-import").await;
    let iswc = Iswc::parse("T-034.524.680-1").unwrap();
    let rows = vec![
        NewComposition {
            iswc: Some(iswc),
            ..new("Blue Moon", &["Richard Rodgers"], &[("A", 10_000)])
        },
        new("Jolene", &["Dolly Parton"], &[("B", 4_000), ("C", 6_000)]),
    ];
    assert_eq!(fx.store.import_compositions(rows).await, Ok(2));
    let all = fx
        .store
        .list_compositions(CompositionQuery::search(None))
        .await
        .unwrap();
    assert_eq!(all.total, 2);
    assert_eq!(all.items[1].publishers[0].name, "C");
    assert_eq!(all.items[1].writers, ["Dolly Parton"]);
    // A bad row anywhere: its pointer, and nothing of the batch written.
    let mut bad = vec![new("Fine", &["W"], &[("P", 10_000)]); 3];
    bad[2].publishers[0].1 = 9_000;
    assert_invalid(fx.store.import_compositions(bad).await, "/2/publishers");
    let taken = vec![
        new("Fine", &["W"], &[("P", 10_000)]),
        NewComposition {
            iswc: Some(iswc),
            ..new("Again", &["W"], &[("P", 10_000)])
        },
    ];
    assert_invalid(fx.store.import_compositions(taken).await, "/1/iswc");
    assert_invalid(fx.store.import_compositions(Vec::new()).await, "");
    let after = fx
        .store
        .list_compositions(CompositionQuery::search(None))
        .await
        .unwrap();
    assert_eq!(after.total, 2);
    // Imported compositions are found as created ones are.
    let found = fx
        .store
        .match_compositions(MatchQuery {
            title: "jolene!".into(),
            ..MatchQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(found[0].composition.title, "Jolene");
    assert_eq!(found[0].score, 1.0);
}

#[tokio::test]
async fn composition_lists_are_pages() {
    let fx = common::empty("composition-pages").await;
    let rows = (0..25)
        .map(|i| new(&format!("Song {i:02}"), &["W"], &[("P", 10_000)]))
        .collect();
    fx.store.import_compositions(rows).await.unwrap();
    let page = |q: Option<&str>, page: u32, per_page: u32| {
        let store = fx.store.clone();
        let query = CompositionQuery {
            q: q.map(str::to_owned),
            page,
            per_page,
        };
        async move { store.list_compositions(query).await }
    };
    let third = page(None, 3, 10).await.unwrap();
    assert_eq!((third.total, third.page, third.per_page), (25, 3, 10));
    let titles: Vec<&str> = third.items.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(
        titles,
        ["Song 20", "Song 21", "Song 22", "Song 23", "Song 24"]
    );
    let searched = page(Some("song 1"), 1, 5).await.unwrap();
    assert_eq!(searched.total, 10);
    assert_eq!(searched.items[0].title, "Song 10");
    assert!(page(None, 9, 10).await.unwrap().items.is_empty());
    assert_invalid(page(None, 0, 10).await, "/page");
    assert_invalid(page(None, 1, 101).await, "/per_page");
}

/// What callers type is words to find, never query syntax, on either
/// engine: operators, quotes, accents, case and punctuation.
#[tokio::test]
async fn search_input_is_never_syntax() {
    let fx = common::seeded("composition-syntax").await;
    fx.store
        .create_composition(new("Édith's Café (Live)", &["Zoë Ça"], &[("P", 10_000)]))
        .await
        .unwrap();
    let titles = |q: &str| {
        let store = fx.store.clone();
        let query = CompositionQuery::search(Some(q.to_owned()));
        async move {
            let page = store.list_compositions(query).await.unwrap();
            page.items.into_iter().map(|c| c.title).collect::<Vec<_>>()
        }
    };
    for (q, expected) in [
        ("\"moon", &["Blue Moon"][..]),
        ("moon*", &["Blue Moon"]),
        ("blue AND moon", &[]),
        ("blue OR nothing", &[]),
        ("NEAR(blue moon)", &[]),
        ("blue NEAR(moon)", &[]),
        ("(blue) moon", &["Blue Moon"]),
        ("blue & !moon:*", &["Blue Moon"]),
        ("'blue' -moon", &["Blue Moon"]),
        ("title_key : blue", &[]),
        ("ÉDITH", &["Édith's Café (Live)"]),
        ("edith", &[]),
        ("zoë", &["Édith's Café (Live)"]),
        (
            "*",
            &[
                "Blue Moon",
                "Édith's Café (Live)",
                "Hallelujah",
                "Jolene",
                "Landslide",
                "Midnight Ferry",
                "Yesterday",
            ],
        ),
        (
            "(",
            &[
                "Blue Moon",
                "Édith's Café (Live)",
                "Hallelujah",
                "Jolene",
                "Landslide",
                "Midnight Ferry",
                "Yesterday",
            ],
        ),
    ] {
        let mut got = titles(q).await;
        got.sort();
        let mut want: Vec<String> = expected.iter().map(|t| (*t).to_owned()).collect();
        want.sort();
        assert_eq!(got, want, "q={q:?}");
    }
    let matched = |title: &str| {
        let store = fx.store.clone();
        let query = MatchQuery {
            title: title.into(),
            ..MatchQuery::default()
        };
        async move { store.match_compositions(query).await }
    };
    for title in [
        "\"",
        "*",
        "AND",
        "OR OR",
        "NEAR(",
        "a:*",
        "!&|",
        "title_key:x",
        "'",
        "\\",
        "%_",
        "Blue\" OR \"Moon",
    ] {
        assert!(matched(title).await.is_ok(), "{title:?}");
    }
    let moon = matched("blue\" OR \"moon!!").await.unwrap();
    assert_eq!(moon[0].composition.title, "Blue Moon");
    let moon = matched("\"Blue\" \"Moon\"").await.unwrap();
    assert_eq!(moon[0].score, 1.0);
    let cafe = matched("edith's cafe live").await.unwrap();
    assert_eq!(cafe[0].composition.title, "Édith's Café (Live)");
    let cafe = matched("ÉDITH'S CAFÉ — LIVE").await.unwrap();
    assert_eq!(cafe[0].score, 1.0);
}

/// Among many titles sharing its words, the exact title is first.
#[tokio::test]
async fn the_exact_title_wins_among_many_alike() {
    let fx = common::empty("composition-many").await;
    let mut rows: Vec<NewComposition> = (0..400)
        .map(|i| new(&format!("Love Song {i}"), &["W"], &[("P", 10_000)]))
        .collect();
    rows.push(new("Love Song", &["Exact"], &[("P", 10_000)]));
    rows.extend((0..200).map(|i| new(&format!("Love {i}"), &["W"], &[("P", 10_000)])));
    fx.store.import_compositions(rows).await.unwrap();
    let found = fx
        .store
        .match_compositions(MatchQuery {
            title: "LOVE-SONG".into(),
            artist: Some("Someone".into()),
            writers: vec!["W".into()],
        })
        .await
        .unwrap();
    assert_eq!(found.len(), 10);
    assert_eq!(found[0].composition.title, "Love Song");
    assert_eq!(found[0].composition.writers, ["Exact"]);
    assert!(
        found[1..]
            .iter()
            .all(|c| c.composition.title.starts_with("Love"))
    );
}
