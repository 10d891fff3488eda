//! What clients see, field by field, with who may see and write each.
//!
//! Viewers: anonymous is Public, another artist User, the album's artist
//! Owner, an admin Admin. Nested resources without a viewer of their own
//! (an album's links, its tracks, its licenses) are seen as the album is.

use pale::argument::{Date, WebUrl};
use pale::prelude::*;

use super::app::{Licensing, audience_for};
use crate::domain::ids::{Isrc, Iswc, Upc};
use crate::store::{self, AlbumStatus, LicenseRoute, LicenseStatus};

/// An album's artist, as an album shows it. Named apart from the
/// `artist` resource, which has more fields, so each has its own schema
/// in the docs (a nested field's element is named by the field).
#[derive(Resource, Clone, Debug)]
#[pale(name = "artist_ref")]
pub struct ArtistRef {
    /// The artist's id.
    pub id: i64,
    /// The artist's name.
    pub name: String,
}

/// Where else to find an album.
#[derive(Resource, Clone, Debug)]
#[pale(name = "links")]
pub struct AlbumLinks {
    /// The album on Bandcamp.
    #[pale(write = Owner)]
    pub bandcamp: Option<WebUrl>,
    /// The album on Spotify.
    #[pale(write = Owner)]
    pub spotify: Option<WebUrl>,
    /// This album in this API.
    #[pale(rename = "self")]
    pub self_link: String,
}

/// A composition a track covers, as a track shows it.
#[derive(Resource, Clone, Debug)]
#[pale(name = "cover_of")]
pub struct CoverOf {
    /// The composition's id.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Its writers.
    pub writers: Vec<String>,
}

/// A recording on an album.
///
/// It has a viewer of its own (the album's artist), so that a track is
/// seen the same way whether it is rendered inside its album or alone.
#[derive(Resource, Clone, Debug)]
#[pale(
    name = "track",
    context = Licensing,
    viewer = Track::viewer,
    default_fields(number, title, duration_s, cover_of)
)]
pub struct Track {
    /// Position on the album, from 1.
    pub number: u32,
    /// Title.
    pub title: String,
    /// Playing time in seconds.
    pub duration_s: u32,
    /// The recording's ISRC.
    pub isrc: Option<Isrc>,
    /// A short preview.
    pub preview_url: Option<String>,
    /// The composition this track covers, or null for an original.
    #[pale(nested)]
    pub cover_of: Option<CoverOf>,
    /// The state of its mechanical license.
    #[pale(audience = Owner)]
    pub license_status: Option<LicenseStatus>,
    /// The album's artist (never rendered).
    #[pale(skip)]
    pub owner_id: i64,
}

/// A mechanical license for one cover on one album.
#[derive(Resource, Clone, Debug)]
#[pale(name = "license")]
pub struct License {
    /// Identifier.
    pub id: i64,
    /// The track covered.
    pub track_number: u32,
    /// The composition.
    pub composition_id: i64,
    /// `noi` (notice of intention) or `blanket`.
    pub route: LicenseRoute,
    /// `pending`, `notice_sent`, `active` or `needs_negotiation`.
    pub status: LicenseStatus,
    /// The year whose statutory rate applies.
    pub rate_year: Option<i32>,
    /// When the notice of intention was served.
    pub notice_date: Option<Date>,
}

/// A release on the store.
// Its creator is its owner (`creator = Owner`): an artist creating an
// album writes what an album's owner may, and `CreateAlbum` starts the new
// album with the artist as its owner.
#[derive(Resource, Clone, Debug)]
#[pale(
    context = Licensing,
    viewer = Album::viewer,
    etag = Album::etag,
    creator = Owner,
    default_fields(id, title, artist, release_date, price_cents, tracks)
)]
pub struct Album {
    /// Stable identifier.
    pub id: i64,
    /// Title as shown on stores.
    #[pale(write = Owner, len = 1..=200)]
    pub title: String,
    /// The recording artist.
    #[pale(nested)]
    pub artist: ArtistRef,
    /// Release date.
    #[pale(write = Owner)]
    pub release_date: Option<Date>,
    /// The release's UPC.
    #[pale(write = Owner)]
    pub upc: Option<Upc>,
    /// Price in cents.
    #[pale(write = Owner, range = 0..=100_000)]
    pub price_cents: u32,
    /// Cover art.
    #[pale(write = Owner)]
    pub cover_art_url: Option<WebUrl>,
    /// Links to stores and to this album.
    #[pale(write = Owner, nested)]
    pub links: AlbumLinks,
    /// Tracks in running order.
    #[pale(subfields(number, title, duration_s, isrc, preview_url, cover_of, license_status))]
    pub tracks: Vec<Track>,
    /// `draft`, `submitted` or `live`.
    #[pale(audience = Owner)]
    pub status: AlbumStatus,
    /// Copies sold, all stores.
    #[pale(audience = Owner)]
    pub units_sold: u64,
    /// Gross revenue in cents (units sold at the album's price). Never a
    /// wrapped number: 18446744073709551615 if it does not fit in 64 bits,
    /// which the cap of 1000000000 units per album prevents.
    #[pale(audience = Owner)]
    pub revenue_cents: u64,
    /// Mechanical licenses for its covers.
    #[pale(audience = Owner, nested)]
    pub licenses: Vec<License>,
    /// The owning artist (never rendered).
    #[pale(skip)]
    pub owner_id: i64,
    /// The stored version (the entity tag).
    #[pale(skip)]
    pub version: i64,
}

impl Album {
    fn viewer(&self, ctx: &Context<Licensing>) -> Audience {
        audience_for(ctx, self.owner_id)
    }

    /// The entity tag of an album at `version`: the stored version, so
    /// every instance hands out the same tag for the same state.
    pub fn entity_tag(version: i64) -> String {
        format!("\"v{version}\"")
    }

    fn etag(&self) -> Option<String> {
        Some(Self::entity_tag(self.version))
    }

    /// An album as the store has it, with what the album page needs;
    /// `self_link` is its URL as this client reaches it (`Context::link`
    /// of `GetAlbum::path`, under the API's base path).
    pub fn from_detail(detail: &store::AlbumDetail, self_link: String) -> Self {
        let mut album = Self::from_record(detail.album.clone(), self_link);
        album.units_sold = detail.units_sold;
        album.revenue_cents = revenue(detail.album.id, detail.units_sold, album.price_cents);
        album.tracks = detail
            .tracks
            .iter()
            .map(|t| Track::from_record(t, &detail.covered, album.owner_id))
            .collect();
        album.licenses = detail.licenses.iter().cloned().map(License::from).collect();
        album
    }

    /// An album from its row alone (no tracks, no sales).
    pub fn from_record(album: store::Album, self_link: String) -> Self {
        let web = |url: Option<String>| url.and_then(|u| WebUrl::parse(&u).ok());
        Self {
            id: album.id,
            title: album.title,
            artist: ArtistRef {
                id: album.artist_id,
                name: album.artist_name,
            },
            release_date: album.release_date.map(Date),
            upc: album.upc,
            price_cents: album.price_cents,
            cover_art_url: web(album.cover_art_url),
            links: AlbumLinks {
                bandcamp: web(album.bandcamp_url),
                spotify: web(album.spotify_url),
                self_link,
            },
            tracks: Vec::new(),
            status: album.status,
            units_sold: 0,
            revenue_cents: 0,
            licenses: Vec::new(),
            owner_id: album.artist_id,
            version: album.version,
        }
    }

    /// What changed between `self` and `after`, as the store's patch.
    pub fn diff(&self, after: &Self) -> store::AlbumPatch {
        let url = |u: &Option<WebUrl>| u.as_ref().map(ToString::to_string);
        let changed = |a: Option<String>, b: Option<String>| (a != b).then_some(b);
        store::AlbumPatch {
            title: (self.title != after.title).then(|| after.title.clone()),
            release_date: (self.release_date != after.release_date)
                .then(|| after.release_date.map(|d| d.0)),
            upc: (self.upc != after.upc).then_some(after.upc),
            price_cents: (self.price_cents != after.price_cents).then_some(after.price_cents),
            cover_art_url: changed(url(&self.cover_art_url), url(&after.cover_art_url)),
            bandcamp_url: changed(url(&self.links.bandcamp), url(&after.links.bandcamp)),
            spotify_url: changed(url(&self.links.spotify), url(&after.links.spotify)),
        }
    }
}

/// An album's revenue, or the largest `u64` when it does not fit: the
/// store refuses sales past `domain::limits::MAX_ALBUM_UNITS`, so only
/// sales stored before that cap can get here, and those are logged. The
/// figure is the owner's gross, shown beside the album; failing the whole
/// album page (public fields and all) for it would leave the album
/// unreadable with no way to mend it from the API, while the largest
/// value is one no real album reaches and says "too large" plainly.
/// Royalty statements, which are money owed, fail instead.
fn revenue(album_id: i64, units: u64, price_cents: u32) -> u64 {
    crate::domain::limits::revenue_cents(units, price_cents).unwrap_or_else(|| {
        tracing::warn!(
            album_id,
            units,
            price_cents,
            "album revenue does not fit in 64 bits; shown as the largest value"
        );
        u64::MAX
    })
}

impl Track {
    fn viewer(&self, ctx: &Context<Licensing>) -> Audience {
        audience_for(ctx, self.owner_id)
    }

    fn from_record(
        track: &store::Track,
        compositions: &[store::Composition],
        owner_id: i64,
    ) -> Self {
        let cover_of = track.cover_of.and_then(|id| {
            compositions.iter().find(|c| c.id == id).map(|c| CoverOf {
                id: c.id,
                title: c.title.clone(),
                writers: c.writers.clone(),
            })
        });
        Self {
            number: track.number,
            title: track.title.clone(),
            duration_s: track.duration_s,
            isrc: track.isrc,
            preview_url: track.preview_url.clone(),
            cover_of,
            license_status: track.license_status,
            owner_id,
        }
    }
}

impl From<store::License> for License {
    fn from(license: store::License) -> Self {
        Self {
            id: license.id,
            track_number: license.track_number,
            composition_id: license.composition_id,
            route: license.route,
            status: license.status,
            rate_year: license.rate_year,
            notice_date: license.notice_date.map(Date),
        }
    }
}

/// A publisher's share of a composition.
#[derive(Resource, Clone, Debug)]
#[pale(name = "publisher")]
pub struct Publisher {
    /// The publisher.
    pub name: String,
    /// Its share, in percent.
    pub share_pct: f64,
}

/// A song, as written: what covers are licensed from.
#[derive(Resource, Clone, Debug)]
#[pale(name = "composition")]
pub struct Composition {
    /// Identifier.
    pub id: i64,
    /// Title.
    pub title: String,
    /// The work's ISWC.
    pub iswc: Option<Iswc>,
    /// The writers.
    pub writers: Vec<String>,
    /// The publishers and their shares.
    #[pale(nested)]
    pub publishers: Vec<Publisher>,
}

impl From<store::Composition> for Composition {
    fn from(c: store::Composition) -> Self {
        Self {
            id: c.id,
            title: c.title,
            iswc: c.iswc,
            writers: c.writers,
            publishers: c
                .publishers
                .into_iter()
                .map(|p| Publisher {
                    name: p.name,
                    share_pct: f64::from(p.share_bp) / 100.0,
                })
                .collect(),
        }
    }
}

/// A candidate composition for a cover, with how well it matches.
#[derive(Resource, Clone, Debug)]
#[pale(name = "candidate")]
pub struct Candidate {
    /// The composition.
    #[pale(nested)]
    pub composition: Composition,
    /// Similarity in [0, 1] (Sørensen–Dice on character pairs).
    pub score: f64,
}

/// An artist.
#[derive(Resource, Clone, Debug)]
#[pale(context = Licensing, viewer = Artist::viewer)]
pub struct Artist {
    /// Identifier.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Biography.
    pub bio: String,
    /// Links.
    #[pale(nested)]
    pub links: ArtistLinks,
    /// Contact address: the artist themself and admins.
    #[pale(audience = Owner)]
    pub email: String,
}

impl Artist {
    fn viewer(&self, ctx: &Context<Licensing>) -> Audience {
        audience_for(ctx, self.id)
    }
}

/// Where else to find an artist. Named apart from an album's `links`,
/// which have other fields, so each has its own schema in the docs.
#[derive(Resource, Clone, Debug)]
#[pale(name = "artist_links")]
pub struct ArtistLinks {
    /// Bandcamp.
    pub bandcamp: Option<String>,
    /// Spotify.
    pub spotify: Option<String>,
    /// The artist's own site.
    pub website: Option<String>,
}

impl From<store::Artist> for Artist {
    fn from(a: store::Artist) -> Self {
        Self {
            id: a.id,
            name: a.name,
            bio: a.bio,
            links: ArtistLinks {
                bandcamp: a.bandcamp,
                spotify: a.spotify,
                website: a.website,
            },
            email: a.email,
        }
    }
}

/// One publisher's line of a royalty statement.
#[derive(Resource, Clone, Debug)]
#[pale(name = "line")]
pub struct StatementLine {
    /// The publisher paid.
    pub publisher: String,
    /// The composition.
    pub composition_id: i64,
    /// Units sold of covers of it.
    pub units: u64,
    /// The amount due, in cents.
    pub amount_cents: u64,
}

/// A month's royalty statement for one album (owner and admin only).
#[derive(Resource, Clone, Debug)]
#[pale(context = Licensing, viewer = Statement::viewer)]
pub struct Statement {
    /// The album.
    pub album_id: i64,
    /// The month of the sales, `YYYY-MM`.
    pub month: String,
    /// When payment is due: the 20th of the next month.
    pub due_date: Date,
    /// Whether the due date has passed.
    pub late: bool,
    /// One line per publisher.
    #[pale(nested)]
    pub lines: Vec<StatementLine>,
    /// The total due, in cents.
    pub total_cents: u64,
    /// The owning artist (never rendered).
    #[pale(skip)]
    pub owner_id: i64,
}

impl Statement {
    fn viewer(&self, ctx: &Context<Licensing>) -> Audience {
        audience_for(ctx, self.owner_id)
    }
}
