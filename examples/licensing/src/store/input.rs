//! What callers hand to the store: queries, new records and patches.
//!
//! Inputs are already typed (identifiers parsed, dates parsed), so the
//! store validates only what types cannot say: non-empty titles, shares
//! summing to 100%, numbers within range, rows that must exist. Patches
//! use `Option<T>` for "leave as is" and `Option<Option<T>>` for fields
//! that can be cleared, as JSON merge patch does.

use time::Date;

use super::record::SaleFormat;
use crate::domain::ids::{Isrc, Iswc, Upc};
use crate::domain::statement::SalesMonth;

/// The largest page a listing returns.
pub const MAX_PER_PAGE: u32 = 100;

/// How deep a listing goes by page number: the albums before a page asked
/// for by number (`page`), at most. Deeper pages are reached by following
/// `next` links, which start from a key (`AlbumQuery::after`) and cost
/// the same however deep; an offset costs every row it skips.
pub const MAX_OFFSET: u64 = 10_000;

/// The shortest search: the title index matches substrings of three
/// characters or more (trigrams); a shorter one would read every album.
pub const MIN_SEARCH_CHARS: usize = 3;

/// How album lists are ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum AlbumSort {
    /// By title, case-insensitively (`sort=title`).
    #[default]
    Title,
    /// Oldest first, undated last (`sort=release_date`).
    ReleaseDate,
    /// Newest first, undated last (`sort=-release_date`).
    ReleaseDateDesc,
}

impl AlbumSort {
    /// The `sort` parameter's value for this order.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Title => "title",
            Self::ReleaseDate => "release_date",
            Self::ReleaseDateDesc => "-release_date",
        }
    }

    /// The order named by a `sort` parameter.
    pub fn parse(text: &str) -> Option<Self> {
        [Self::Title, Self::ReleaseDate, Self::ReleaseDateDesc]
            .into_iter()
            .find(|sort| sort.as_str() == text)
    }
}

/// A search of albums.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlbumQuery {
    /// Text searched for, case-insensitively, in album and track titles.
    pub q: Option<String>,
    /// The page, from 1.
    pub page: u32,
    /// The page size, 1 to [`MAX_PER_PAGE`].
    pub per_page: u32,
    /// The order.
    pub sort: AlbumSort,
    /// Only this artist's albums.
    pub artist_id: Option<i64>,
    /// Where the page starts when it is read by key: the key
    /// (`store::album_key`) of the last album of the page before, from a
    /// `next` link. Only the title order is read by key; the others by
    /// page number.
    pub after: Option<String>,
}

impl AlbumQuery {
    /// The albums before this page, when it is read by number.
    pub fn offset(&self) -> u64 {
        u64::from(self.page.saturating_sub(1)) * u64::from(self.per_page)
    }
}

impl Default for AlbumQuery {
    fn default() -> Self {
        Self {
            q: None,
            page: 1,
            per_page: 20,
            sort: AlbumSort::default(),
            artist_id: None,
            after: None,
        }
    }
}

/// A new artist.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewArtist {
    /// Name as shown on stores (required).
    pub name: String,
    /// A short biography.
    pub bio: String,
    /// Contact address (required).
    pub email: String,
    /// Bandcamp page.
    pub bandcamp: Option<String>,
    /// Spotify artist page.
    pub spotify: Option<String>,
    /// Own website.
    pub website: Option<String>,
}

/// A new album; it starts as a draft at version 1.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewAlbum {
    /// The recording artist (must exist).
    pub artist_id: i64,
    /// Title (required).
    pub title: String,
    /// Release day.
    pub release_date: Option<Date>,
    /// Product code.
    pub upc: Option<Upc>,
    /// Price in cents.
    pub price_cents: u32,
    /// Cover art.
    pub cover_art_url: Option<String>,
    /// The album on Bandcamp.
    pub bandcamp_url: Option<String>,
    /// The album on Spotify.
    pub spotify_url: Option<String>,
}

/// Changes to an album's own fields; `None` leaves a field as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AlbumPatch {
    /// New title (not empty).
    pub title: Option<String>,
    /// New release day, or `Some(None)` to clear it.
    pub release_date: Option<Option<Date>>,
    /// New product code, or `Some(None)` to clear it.
    pub upc: Option<Option<Upc>>,
    /// New price in cents.
    pub price_cents: Option<u32>,
    /// New cover art, or `Some(None)` to clear it.
    pub cover_art_url: Option<Option<String>>,
    /// New Bandcamp link, or `Some(None)` to clear it.
    pub bandcamp_url: Option<Option<String>>,
    /// New Spotify link, or `Some(None)` to clear it.
    pub spotify_url: Option<Option<String>>,
}

/// A new track on a draft album.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewTrack {
    /// Where to insert it: `None` appends; `Some(n)` for `n` in 1 to one
    /// past the last track inserts it there and moves later tracks down.
    pub number: Option<u32>,
    /// Title (required).
    pub title: String,
    /// Playing time in seconds (at least 1).
    pub duration_s: u32,
    /// The recording's code.
    pub isrc: Option<Isrc>,
    /// A short public preview.
    pub preview_url: Option<String>,
    /// Whether it is a cover (implied by `cover_of`).
    pub is_cover: bool,
    /// The composition covered (must exist).
    pub cover_of: Option<i64>,
    /// Whether the cover changes the lyrics.
    pub lyrics_changed: bool,
}

/// Changes to a track; `None` leaves a field as it is. A track's number
/// is its position: to move a track, delete it and add it again.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrackPatch {
    /// New title (not empty).
    pub title: Option<String>,
    /// New playing time in seconds (at least 1).
    pub duration_s: Option<u32>,
    /// New recording code, or `Some(None)` to clear it.
    pub isrc: Option<Option<Isrc>>,
    /// New preview, or `Some(None)` to clear it.
    pub preview_url: Option<Option<String>>,
    /// Whether it is a cover.
    pub is_cover: Option<bool>,
    /// The composition covered, or `Some(None)` to clear it.
    pub cover_of: Option<Option<i64>>,
    /// Whether the cover changes the lyrics.
    pub lyrics_changed: Option<bool>,
}

/// A new composition.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewComposition {
    /// Title (required).
    pub title: String,
    /// The work's code (unique when given).
    pub iswc: Option<Iswc>,
    /// Songwriters in credit order (at least one).
    pub writers: Vec<String>,
    /// Whether it has been released to the public.
    pub released: bool,
    /// Publishers and shares (at least one; shares sum to 10,000).
    pub publishers: Vec<(String, u32)>,
}

/// What a cover is known by, to find the composition it covers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MatchQuery {
    /// The title as the artist typed it (required).
    pub title: String,
    /// The artist who made the song known, often one of its writers.
    pub artist: Option<String>,
    /// Songwriters, if the artist knows them.
    pub writers: Vec<String>,
}

/// One line of a store's monthly sales report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SaleLine {
    /// The album sold (must exist and be live).
    pub album_id: i64,
    /// The track sold, or `None` for the whole album.
    pub track_number: Option<u32>,
    /// Physical or download.
    pub format: SaleFormat,
    /// Copies sold.
    pub units: u32,
}

/// A store's sales for one month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SalesReport {
    /// The store's name (`"bandcamp"`, `"itunes"`, …).
    pub store: String,
    /// The month of the sales.
    pub month: SalesMonth,
    /// The lines.
    pub lines: Vec<SaleLine>,
}
