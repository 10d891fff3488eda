//! The catalogue: the TOML file a musician edits, read and checked.
//!
//! Reading is in two steps. serde reads the file into the shapes of `raw`
//! (unknown keys are refused, so a typo is an error rather than a field
//! silently ignored); then a checker validates what types
//! cannot say (durations, codes, URLs, prices, cross references) and
//! produces the checked [`Catalogue`] the importer uses. Every error names
//! the file, the line and column, and the field, so a musician can find
//! it; nothing is written to the store until the whole file is good.
//!
//! Every album carries an `id`: a short slug chosen once and never
//! changed. It is what ties the catalogue entry to its row in the store,
//! so the title, the price or anything else can change and the album
//! keeps its identity, its URL and its sales. Tracks are identified by
//! their position on the album.

mod check;
mod error;
mod raw;

use licensing::domain::ids::{Isrc, Upc};
use licensing::domain::statement::SalesMonth;
use licensing::store::{AlbumStatus, LicenseStatus, SaleFormat};

pub use error::CatalogueError;

/// The example catalogue shipped with the crate.
pub const EXAMPLE: &str = include_str!("../../catalogue.toml");

/// The name the example catalogue is reported under.
pub const EXAMPLE_NAME: &str = "catalogue.toml (built in)";

/// The artist, as the site presents them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Artist {
    /// Name as shown on the site and in stores.
    pub name: String,
    /// A short biography.
    pub bio: String,
    /// Contact address (shown to the owner only).
    pub email: String,
    /// Links elsewhere.
    pub links: ArtistLinks,
}

/// Where else to find the artist.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ArtistLinks {
    /// Bandcamp page.
    pub bandcamp: Option<String>,
    /// Spotify artist page.
    pub spotify: Option<String>,
    /// Own website.
    pub website: Option<String>,
}

/// An album of the catalogue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Album {
    /// The stable key (a slug).
    pub key: String,
    /// Title.
    pub title: String,
    /// Release day.
    pub release_date: Option<time::Date>,
    /// Product code.
    pub upc: Option<Upc>,
    /// Price in cents.
    pub price_cents: u32,
    /// Cover art: an `http(s)` URL, or a path relative to the catalogue
    /// (`covers/name.svg`), served by the site.
    pub cover: Option<String>,
    /// The album on Bandcamp.
    pub bandcamp: Option<String>,
    /// The album on Spotify.
    pub spotify: Option<String>,
    /// `live` (on the site), `submitted` or `draft` (owner only).
    pub status: AlbumStatus,
    /// Tracks in running order (track `n` is `tracks[n - 1]`).
    pub tracks: Vec<Track>,
}

/// A track of an album.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Track {
    /// Title.
    pub title: String,
    /// Playing time in seconds.
    pub duration_s: u32,
    /// The recording's code.
    pub isrc: Option<Isrc>,
    /// What the track covers, if it is a cover.
    pub cover_of: Option<CoverOf>,
}

/// The song a cover is of, and the state of its license.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoverOf {
    /// The song's title.
    pub title: String,
    /// Its writers, in credit order.
    pub writers: Vec<String>,
    /// Its publisher (`Public domain` when not given).
    pub publisher: String,
    /// Whether the cover changes the lyrics.
    pub lyrics_changed: bool,
    /// The license's state; `None` for a draft album (no license yet).
    pub license: Option<LicenseStatus>,
}

/// One store's month of sales.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sales {
    /// The store (`bandcamp`, `spotify`, …).
    pub store: String,
    /// The month.
    pub month: SalesMonth,
    /// Its lines.
    pub lines: Vec<SaleLine>,
}

/// Units of an album, or of one of its tracks, sold in a month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SaleLine {
    /// The album's key.
    pub album: String,
    /// The track number, for a single track.
    pub track: Option<u32>,
    /// Physical or download.
    pub format: SaleFormat,
    /// Units sold.
    pub units: u32,
}

/// A checked catalogue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Catalogue {
    /// The artist.
    pub artist: Artist,
    /// Albums, in the file's order.
    pub albums: Vec<Album>,
    /// Sales reports.
    pub sales: Vec<Sales>,
}

impl Catalogue {
    /// Reads and checks the catalogue in `text`, reported as `file`.
    pub fn parse(file: &str, text: &str) -> Result<Self, CatalogueError> {
        let source = error::Source { file, text };
        let raw: raw::RawCatalogue = toml::from_str(text).map_err(|e| source.parse_error(&e))?;
        check::Checker { source: &source }.check(raw)
    }

    /// Reads the catalogue file at `path`.
    pub fn read(path: &std::path::Path) -> Result<Self, CatalogueError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| CatalogueError {
            file: file.clone(),
            line: 0,
            column: 0,
            field: None,
            message: format!("cannot read it: {e}"),
        })?;
        Self::parse(&file, &text)
    }

    /// The album with key `key`.
    pub fn album(&self, key: &str) -> Option<&Album> {
        self.albums.iter().find(|a| a.key == key)
    }

    /// Every cover path (not URL) the albums name.
    pub fn cover_paths(&self) -> impl Iterator<Item = &str> {
        self.albums
            .iter()
            .filter_map(|a| a.cover.as_deref())
            .filter(|c| !is_web_url(c))
    }
}

pub(crate) fn is_web_url(text: &str) -> bool {
    text.starts_with("http://") || text.starts_with("https://")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_catalogue_is_good() {
        let catalogue = Catalogue::parse(EXAMPLE_NAME, EXAMPLE).unwrap();
        assert_eq!(catalogue.albums.len(), 4);
        let tracks: usize = catalogue.albums.iter().map(|a| a.tracks.len()).sum();
        assert!(tracks >= 24, "{tracks} tracks");
        let covers = catalogue
            .albums
            .iter()
            .flat_map(|a| &a.tracks)
            .filter(|t| t.cover_of.is_some())
            .count();
        assert!(covers >= 10, "{covers} covers");
        assert!(!catalogue.sales.is_empty());
    }
}
