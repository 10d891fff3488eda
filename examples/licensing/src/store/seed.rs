//! The demo catalogue a new database starts with, and the tokens file.
//!
//! A musician who runs the service for the first time should find
//! something to look at and something to log in with: an admin, two
//! artists, live albums of covers of well-known songs (with royalties to
//! account), a draft, a submission waiting on negotiated licenses, and a
//! few months of sales in 2024–2026 (a 5:01 track on the per-minute rate,
//! a 50/50, a 75/25 and a three-way publisher split).
//!
//! Song titles and writers are the real ones; publishers, shares and all
//! codes are invented for the demo, with valid check digits.
//!
//! The catalogue is data ([`demo`]) that refers to its own parts by index;
//! an engine applies it through its own operations, so the seed obeys the
//! same rules as everything else (it is submitted, licensed and published
//! like any album).
//!
//! **Tokens** are random per database and stored hashed, so their plain
//! text exists once, when they are created. It is written to
//! [`TOKENS_FILE`] in the data directory, readable only by its owner
//! (mode 0600), for `licensing tokens` to print.

use std::fs;
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};
use time::Date;
use time::macros::date;

use super::{
    NewAlbum, NewArtist, NewComposition, NewTrack, Result, Role, SaleFormat, SaleLine, SalesReport,
    StoreError,
};
use crate::domain::ids::{Isrc, Iswc, Upc};
use crate::domain::statement::SalesMonth;

/// The tokens file's name in the data directory.
pub const TOKENS_FILE: &str = "tokens.json";

/// A token as issued, in the tokens file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedToken {
    /// The artist the account manages; `null` for the admin.
    pub artist_id: Option<i64>,
    /// Whose token it is.
    pub name: String,
    /// `artist` or `admin`.
    pub role: Role,
    /// The bearer token.
    pub token: String,
}

/// Writes the tokens file, readable only by its owner. The file is
/// written aside and renamed into place, so it is never half there.
pub fn write_tokens(data_dir: &Path, tokens: &[IssuedToken]) -> Result<()> {
    let json = serde_json::to_vec_pretty(tokens)
        .map_err(|e| StoreError::Internal(format!("tokens file: {e}")))?;
    let aside = data_dir.join(format!("{TOKENS_FILE}.new"));
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&aside)?;
    // `mode` applies only to a file it creates; a leftover keeps its own.
    #[cfg(unix)]
    file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
    file.write_all(&json)?;
    file.write_all(b"\n")?;
    file.sync_all()?;
    fs::rename(&aside, data_dir.join(TOKENS_FILE))?;
    Ok(())
}

/// The tokens issued when the database in `data_dir` was created;
/// `NotFound` if it was not seeded here.
pub fn read_tokens(data_dir: &Path) -> Result<Vec<IssuedToken>> {
    let bytes = match fs::read(data_dir.join(TOKENS_FILE)) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(StoreError::NotFound("tokens file"));
        }
        Err(e) => return Err(e.into()),
    };
    serde_json::from_slice(&bytes).map_err(|e| StoreError::Internal(format!("tokens file: {e}")))
}

/// The demo catalogue.
pub(crate) struct Demo {
    /// The admin account's name.
    pub(crate) admin: &'static str,
    /// Compositions, referred to by index.
    pub(crate) compositions: Vec<NewComposition>,
    /// Artists with their albums.
    pub(crate) artists: Vec<DemoArtist>,
    /// Sales reports, in order.
    pub(crate) sales: Vec<DemoSales>,
}

/// An artist of the demo.
pub(crate) struct DemoArtist {
    /// The artist.
    pub(crate) artist: NewArtist,
    /// Their albums; `artist_id` is filled in when applied.
    pub(crate) albums: Vec<DemoAlbum>,
}

/// An album of the demo and how far it has gone.
pub(crate) struct DemoAlbum {
    /// The album.
    pub(crate) album: NewAlbum,
    /// Tracks with the index of the composition they cover.
    pub(crate) tracks: Vec<(NewTrack, Option<usize>)>,
    /// The day it was submitted, if it was.
    pub(crate) submitted: Option<Date>,
    /// Whether its licenses were secured and it went live.
    pub(crate) live: bool,
}

/// One store's month of demo sales.
pub(crate) struct DemoSales {
    /// The store.
    pub(crate) store: &'static str,
    /// The month.
    pub(crate) month: SalesMonth,
    /// Lines: (artist index, album index, track number, format, units).
    pub(crate) lines: Vec<(usize, usize, Option<u32>, SaleFormat, u32)>,
}

impl DemoSales {
    /// The report, its albums named by the ids an engine gave them
    /// (`album_ids[artist][album]`).
    pub(crate) fn report(&self, album_ids: &[Vec<i64>]) -> Result<SalesReport> {
        let lines = self
            .lines
            .iter()
            .map(|&(artist, album, track_number, format, units)| {
                let album_id = album_ids
                    .get(artist)
                    .and_then(|albums| albums.get(album))
                    .copied()
                    .ok_or_else(|| StoreError::Internal("the demo names a missing album".into()))?;
                Ok(SaleLine {
                    album_id,
                    track_number,
                    format,
                    units,
                })
            })
            .collect::<Result<_>>()?;
        Ok(SalesReport {
            store: self.store.to_owned(),
            month: self.month,
            lines,
        })
    }
}

/// A UPC with the check digit computed.
fn upc(body: &str) -> Upc {
    let digits: Vec<u8> = body.bytes().map(|b| b - b'0').collect();
    let body: [u8; 11] = digits.try_into().expect("eleven digits");
    Upc::parse(&format!(
        "{}{}",
        body.iter().map(u8::to_string).collect::<String>(),
        Upc::check_digit(&body)
    ))
    .expect("a computed check digit is valid")
}

/// An ISWC with the check digit computed.
fn iswc(body: &str) -> Iswc {
    let digits: Vec<u8> = body.bytes().map(|b| b - b'0').collect();
    let body: [u8; 9] = digits.try_into().expect("nine digits");
    Iswc::parse(&format!(
        "T{}{}",
        body.iter().map(u8::to_string).collect::<String>(),
        Iswc::check_digit(&body)
    ))
    .expect("a computed check digit is valid")
}

fn isrc(code: &str) -> Option<Isrc> {
    Some(Isrc::parse(code).expect("a well-formed ISRC"))
}

fn composition(
    title: &str,
    iswc_body: &str,
    writers: &[&str],
    released: bool,
    publishers: &[(&str, u32)],
) -> NewComposition {
    NewComposition {
        title: title.to_owned(),
        iswc: Some(iswc(iswc_body)),
        writers: writers.iter().map(|w| (*w).to_owned()).collect(),
        released,
        publishers: publishers
            .iter()
            .map(|(n, s)| ((*n).to_owned(), *s))
            .collect(),
    }
}

fn track(title: &str, seconds: u32, code: &str) -> NewTrack {
    NewTrack {
        title: title.to_owned(),
        duration_s: seconds,
        isrc: isrc(code),
        ..NewTrack::default()
    }
}

fn cover(title: &str, seconds: u32, code: &str) -> NewTrack {
    NewTrack {
        is_cover: true,
        ..track(title, seconds, code)
    }
}

fn month(text: &str) -> SalesMonth {
    SalesMonth::parse(text).expect("a valid month")
}

// Composition indices, for readability below.
const HALLELUJAH: usize = 0;
const JOLENE: usize = 1;
const YESTERDAY: usize = 2;
const LANDSLIDE: usize = 3;
const BLUE_MOON: usize = 4;
const MIDNIGHT_FERRY: usize = 5;

/// The demo catalogue.
#[rustfmt::skip]
pub(crate) fn demo() -> Demo {
    use SaleFormat::{Download, Physical};
    let compositions = vec![
        composition("Hallelujah", "070123458", &["Leonard Cohen"], true, &[("Harbor Lane Music", 10_000)]),
        composition("Jolene", "070264117", &["Dolly Parton"], true, &[("Red Barn Publishing", 10_000)]),
        composition("Yesterday", "070317725", &["John Lennon", "Paul McCartney"], true,
            &[("Northgate Songs", 5_000), ("Silver Thread Music", 5_000)]),
        composition("Landslide", "070458832", &["Stevie Nicks"], true,
            &[("Copperfield Songs", 7_500), ("Harbor Lane Music", 2_500)]),
        composition("Blue Moon", "070562290", &["Richard Rodgers", "Lorenz Hart"], true,
            &[("Northgate Songs", 3_334), ("Red Barn Publishing", 3_333), ("Silver Thread Music", 3_333)]),
        composition("Midnight Ferry", "070699014", &["Ada Quinlan"], false, &[("Quinlan Family Songs", 10_000)]),
    ];
    let maren = DemoArtist {
        artist: NewArtist {
            name: "Maren Holt".to_owned(),
            bio: "Folk singer from Duluth; old songs, slow tempos, one microphone.".to_owned(),
            email: "maren@example.com".to_owned(),
            bandcamp: Some("https://marenholt.bandcamp.com".to_owned()),
            spotify: None,
            website: Some("https://marenholt.example.com".to_owned()),
        },
        albums: vec![
            DemoAlbum {
                album: NewAlbum {
                    title: "Borrowed Light".to_owned(),
                    release_date: Some(date!(2024 - 09 - 13)),
                    upc: Some(upc("84012345678")),
                    price_cents: 999,
                    cover_art_url: Some("https://img.example.com/borrowed-light.jpg".to_owned()),
                    bandcamp_url: Some("https://marenholt.bandcamp.com/album/borrowed-light".to_owned()),
                    ..NewAlbum::default()
                },
                tracks: vec![
                    (cover("Hallelujah", 279, "US-MH1-24-00001"), Some(HALLELUJAH)),
                    (track("Salt and Cedar", 192, "US-MH1-24-00002"), None),
                    (cover("Landslide", 301, "US-MH1-24-00003"), Some(LANDSLIDE)), // 5:01
                    (cover("Jolene", 161, "US-MH1-24-00004"), Some(JOLENE)),
                ],
                submitted: Some(date!(2024 - 08 - 01)),
                live: true,
            },
            DemoAlbum {
                album: NewAlbum {
                    title: "Lantern Songs".to_owned(),
                    price_cents: 799,
                    ..NewAlbum::default()
                },
                tracks: vec![
                    (cover("Blue Moon", 198, "US-MH1-26-00001"), Some(BLUE_MOON)),
                    (track("Lantern Song", 224, "US-MH1-26-00002"), None),
                ],
                submitted: None,
                live: false,
            },
        ],
    };
    let harbors = DemoArtist {
        artist: NewArtist {
            name: "The Quiet Harbors".to_owned(),
            bio: "A four-piece from Halifax playing standards at half speed.".to_owned(),
            email: "band@quietharbors.example.com".to_owned(),
            bandcamp: None,
            spotify: Some("https://open.spotify.com/artist/0quietharbors00000000".to_owned()),
            website: None,
        },
        albums: vec![
            DemoAlbum {
                album: NewAlbum {
                    title: "Old Songs, New Rooms".to_owned(),
                    release_date: Some(date!(2025 - 03 - 07)),
                    upc: Some(upc("84012345679")),
                    price_cents: 1099,
                    spotify_url: Some("https://open.spotify.com/album/0oldsongsnewrooms0000".to_owned()),
                    ..NewAlbum::default()
                },
                tracks: vec![
                    (cover("Yesterday", 125, "CA-QH1-25-00001"), Some(YESTERDAY)),
                    (cover("Blue Moon", 210, "CA-QH1-25-00002"), Some(BLUE_MOON)),
                    (track("Harbor Lights", 252, "CA-QH1-25-00003"), None),
                ],
                submitted: Some(date!(2025 - 02 - 01)),
                live: true,
            },
            DemoAlbum {
                album: NewAlbum {
                    title: "Changed Words".to_owned(),
                    release_date: Some(date!(2026 - 06 - 05)),
                    upc: Some(upc("84012345680")),
                    price_cents: 899,
                    ..NewAlbum::default()
                },
                tracks: vec![
                    (NewTrack { lyrics_changed: true, ..cover("Jolene (Harbor Version)", 236, "CA-QH1-26-00001") }, Some(JOLENE)),
                    (cover("Midnight Ferry", 247, "CA-QH1-26-00002"), Some(MIDNIGHT_FERRY)),
                ],
                submitted: Some(date!(2026 - 01 - 15)),
                live: false,
            },
        ],
    };
    let sales = vec![
        DemoSales { store: "bandcamp", month: month("2024-10"), lines: vec![
            (0, 0, None, Physical, 12),
            (0, 0, None, Download, 30),
            (0, 0, Some(1), Download, 50),
            (0, 0, Some(3), Download, 7),
        ] },
        DemoSales { store: "itunes", month: month("2024-10"), lines: vec![
            (0, 0, Some(4), Download, 20),
        ] },
        DemoSales { store: "bandcamp", month: month("2025-04"), lines: vec![
            (0, 0, None, Download, 10),
            (1, 0, None, Download, 25),
            (1, 0, Some(1), Download, 40),
        ] },
        DemoSales { store: "bandcamp", month: month("2026-01"), lines: vec![
            (1, 0, None, Physical, 5),
            (1, 0, Some(2), Download, 9),
        ] },
    ];
    Demo { admin: "Admin", compositions, artists: vec![maren, harbors], sales }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_is_well_formed() {
        let demo = demo();
        for c in &demo.compositions {
            let total: u32 = c.publishers.iter().map(|(_, s)| s).sum();
            assert_eq!(total, 10_000, "{}", c.title);
        }
        assert!(demo.compositions.iter().any(|c| !c.released));
        let tracks = || {
            demo.artists
                .iter()
                .flat_map(|a| &a.albums)
                .flat_map(|a| &a.tracks)
        };
        assert!(tracks().any(|(t, _)| t.duration_s == 301));
        assert!(tracks().any(|(t, _)| t.lyrics_changed));
        assert!(tracks().all(|(t, c)| t.is_cover == c.is_some()));
        assert_eq!(upc("03600029145").to_string(), "036000291452");
        assert_eq!(iswc("034524680").to_string(), "T-034.524.680-1");
    }
}
