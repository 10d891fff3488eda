//! What serde reads from the file. Unknown keys are refused; the fields
//! checked after reading keep their spans, so a check can name the line.

use serde::Deserialize;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCatalogue {
    pub(super) artist: RawArtist,
    #[serde(default)]
    pub(super) albums: Vec<RawAlbum>,
    #[serde(default)]
    pub(super) sales: Vec<RawSales>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawArtist {
    pub(super) name: Spanned<String>,
    #[serde(default)]
    pub(super) bio: String,
    #[serde(default)]
    pub(super) email: String,
    #[serde(default)]
    pub(super) links: RawLinks,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLinks {
    pub(super) bandcamp: Option<Spanned<String>>,
    pub(super) spotify: Option<Spanned<String>>,
    pub(super) website: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAlbum {
    pub(super) id: Spanned<String>,
    pub(super) title: Spanned<String>,
    pub(super) released: Option<Spanned<toml::value::Datetime>>,
    pub(super) upc: Option<Spanned<String>>,
    pub(super) price: Spanned<String>,
    pub(super) cover: Option<Spanned<String>>,
    pub(super) bandcamp: Option<Spanned<String>>,
    pub(super) spotify: Option<Spanned<String>>,
    pub(super) status: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) tracks: Vec<RawTrack>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTrack {
    pub(super) title: Spanned<String>,
    pub(super) duration: Spanned<String>,
    pub(super) isrc: Option<Spanned<String>>,
    pub(super) cover_of: Option<RawCoverOf>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCoverOf {
    pub(super) title: Spanned<String>,
    pub(super) writers: Spanned<Vec<String>>,
    pub(super) publisher: Option<String>,
    #[serde(default)]
    pub(super) lyrics_changed: bool,
    pub(super) license: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSales {
    pub(super) store: Spanned<String>,
    pub(super) month: Spanned<String>,
    #[serde(default)]
    pub(super) lines: Vec<RawSaleLine>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSaleLine {
    pub(super) album: Spanned<String>,
    pub(super) track: Option<Spanned<u32>>,
    pub(super) format: Spanned<String>,
    pub(super) units: u32,
}
