//! What the store hands out: plain records, one per table or view, with
//! typed identifiers (`Upc`, `Isrc`, `Iswc`) and dates already parsed.
//!
//! Records carry no visibility rules: the HTTP layer's resources decide who
//! sees which field. The store only decides which *rows* a viewer may see
//! (drafts), because that changes counts and pages.

use time::Date;

use crate::domain::ids::{Isrc, Iswc, Upc};
use crate::domain::statement::SalesMonth;

/// Declares a closed set of states stored as lowercase text, with
/// `as_str`, `parse` and serde through that text, so the text form lives
/// in one place.
macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            /// The stored (and wire) text form.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }

            /// The value whose text form is `text`.
            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $($text => Some(Self::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Self::parse(&text).ok_or_else(|| {
                    serde::de::Error::unknown_variant(&text, &[$($text,)+])
                })
            }
        }
    };
}

text_enum! {
    /// What an account may do.
    Role {
        /// An artist, who manages their own albums.
        Artist = "artist",
        /// The platform's staff, who see and may do everything.
        Admin = "admin",
    }
}

text_enum! {
    /// Where an album is on its way to the store.
    AlbumStatus {
        /// Being edited by its artist; only they (and admins) see it.
        Draft = "draft",
        /// Tracklist frozen, licenses being secured.
        Submitted = "submitted",
        /// On sale, visible to everyone.
        Live = "live",
    }
}

text_enum! {
    /// How a mechanical license is obtained.
    LicenseRoute {
        /// A Notice of Intention served on the publisher (physical copies
        /// and permanent downloads sold by the distributor).
        Noi = "noi",
        /// The MLC's blanket license held by digital services.
        Blanket = "blanket",
    }
}

text_enum! {
    /// Where a license is.
    LicenseStatus {
        /// Recorded, notice not yet served.
        Pending = "pending",
        /// The notice of intention has been served.
        NoticeSent = "notice_sent",
        /// Licensed: the cover may be sold.
        Active = "active",
        /// Outside the compulsory license (changed lyrics, never-released
        /// song): a license must be negotiated with the publisher.
        NeedsNegotiation = "needs_negotiation",
    }
}

text_enum! {
    /// What kind of copy was sold.
    SaleFormat {
        /// A CD, vinyl record or cassette.
        Physical = "physical",
        /// A permanent download.
        Download = "download",
    }
}

/// Who an authenticated token belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Account {
    /// The artist this account manages; `None` for admins.
    pub artist_id: Option<i64>,
    /// What the account may do.
    pub role: Role,
}

impl Account {
    /// The viewer this account reads as.
    pub fn viewer(self) -> Viewer {
        match (self.role, self.artist_id) {
            (Role::Admin, _) => Viewer::Admin,
            (Role::Artist, Some(id)) => Viewer::Artist(id),
            (Role::Artist, None) => Viewer::Public,
        }
    }
}

/// Who is reading, which decides the rows they see: the public sees live
/// albums, an artist also their own drafts and submissions, an admin
/// everything.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Viewer {
    /// Anyone, unauthenticated.
    #[default]
    Public,
    /// The artist with this id.
    Artist(i64),
    /// Platform staff.
    Admin,
}

impl Viewer {
    /// Whether this viewer may see `album` at all: live albums are
    /// everyone's, drafts and submissions their artist's and admins'. The
    /// same rule as the SQL the listings filter with (`albums::VISIBLE`).
    pub fn may_see(self, album: &Album) -> bool {
        match self {
            Self::Public => album.status == AlbumStatus::Live,
            Self::Artist(id) => album.status == AlbumStatus::Live || album.artist_id == id,
            Self::Admin => true,
        }
    }
}

impl From<Option<Account>> for Viewer {
    fn from(account: Option<Account>) -> Self {
        account.map_or(Self::Public, Account::viewer)
    }
}

/// A recording artist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Artist {
    /// Stable identifier.
    pub id: i64,
    /// Name as shown on stores.
    pub name: String,
    /// A short biography.
    pub bio: String,
    /// Contact address (owner and admin only, by the HTTP layer's rules).
    pub email: String,
    /// Bandcamp page.
    pub bandcamp: Option<String>,
    /// Spotify artist page.
    pub spotify: Option<String>,
    /// Own website.
    pub website: Option<String>,
}

/// A release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Album {
    /// Stable identifier.
    pub id: i64,
    /// The recording artist.
    pub artist_id: i64,
    /// The artist's name, joined in for lists.
    pub artist_name: String,
    /// Title as shown on stores.
    pub title: String,
    /// Release day, once planned.
    pub release_date: Option<Date>,
    /// The product code, once assigned.
    pub upc: Option<Upc>,
    /// Price of the whole album, in cents.
    pub price_cents: u32,
    /// Cover art.
    pub cover_art_url: Option<String>,
    /// The album on Bandcamp.
    pub bandcamp_url: Option<String>,
    /// The album on Spotify.
    pub spotify_url: Option<String>,
    /// Draft, submitted or live.
    pub status: AlbumStatus,
    /// Incremented on every change to the album, its tracks or its
    /// licenses: the ETag, and the `If-Match` precondition of updates.
    pub version: i64,
}

/// One track of an album.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Track {
    /// The album.
    pub album_id: i64,
    /// Position on the album, 1 to the number of tracks, without gaps.
    pub number: u32,
    /// Title.
    pub title: String,
    /// Playing time in seconds (selects the per-minute rate).
    pub duration_s: u32,
    /// The recording's code, once assigned.
    pub isrc: Option<Isrc>,
    /// A short public preview.
    pub preview_url: Option<String>,
    /// Whether the track is a cover of someone else's composition.
    pub is_cover: bool,
    /// The composition covered, once chosen (required to submit a cover).
    pub cover_of: Option<i64>,
    /// Whether the cover changes the lyrics (then it needs negotiation).
    pub lyrics_changed: bool,
    /// The state of the track's license, if it has one.
    pub license_status: Option<LicenseStatus>,
}

/// A publisher's part of a composition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Publisher {
    /// The publisher's name.
    pub name: String,
    /// Ownership share in hundredths of a percent; a composition's shares
    /// sum to 10,000.
    pub share_bp: u32,
}

/// A song as written: what a cover licenses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Composition {
    /// Stable identifier.
    pub id: i64,
    /// Title.
    pub title: String,
    /// The work's code, if known.
    pub iswc: Option<Iswc>,
    /// Songwriters, in credit order.
    pub writers: Vec<String>,
    /// Whether it has been released to the public; a never-released song
    /// cannot be licensed compulsorily.
    pub released: bool,
    /// The copyright owners and their shares, summing to 10,000.
    pub publishers: Vec<Publisher>,
}

/// A mechanical license for one cover track.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct License {
    /// Stable identifier.
    pub id: i64,
    /// The album.
    pub album_id: i64,
    /// The cover's track number.
    pub track_number: u32,
    /// The composition licensed.
    pub composition_id: i64,
    /// How it is obtained.
    pub route: LicenseRoute,
    /// Where it is.
    pub status: LicenseStatus,
    /// The year whose rate applied when the notice was served; `None`
    /// while a negotiated license is outstanding.
    pub rate_year: Option<i32>,
    /// The day the notice was served.
    pub notice_date: Option<Date>,
}

/// An album with everything shown on its page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlbumDetail {
    /// The album.
    pub album: Album,
    /// Its artist.
    pub artist: Artist,
    /// Its tracks in running order.
    pub tracks: Vec<Track>,
    /// Its licenses, by track number.
    pub licenses: Vec<License>,
    /// Units sold to date, every store, format and month (track and album
    /// sales each count their units).
    pub units_sold: u64,
    /// The compositions its tracks cover, each once, in track order.
    pub covered: Vec<Composition>,
}

/// One page of a listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    /// The items on this page.
    pub items: Vec<T>,
    /// How many items match, on every page.
    pub total: u64,
    /// This page's number, from 1.
    pub page: u32,
    /// The page size.
    pub per_page: u32,
    /// The key of this page's last item when a page follows it, on a list
    /// read by key (`AlbumQuery::after` of the next page).
    pub next: Option<String>,
}

/// A composition that may be the one a cover covers.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// The composition.
    pub composition: Composition,
    /// Similarity in `[0, 1]`; see `store::matching`.
    pub score: f64,
}

/// What a sales ingest did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IngestOutcome {
    /// The month was recorded.
    Ingested {
        /// Lines recorded.
        lines: usize,
        /// Units across those lines.
        units: u64,
    },
    /// This store's month was already recorded; nothing changed.
    AlreadyIngested,
}

/// One publisher's line on a royalty statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementLine {
    /// The publisher paid.
    pub publisher: String,
    /// The composition the royalty is for.
    pub composition_id: i64,
    /// Units of covers of that composition sold in the month.
    pub units: u64,
    /// The publisher's share of the royalty, rounded once to the cent.
    pub amount_cents: u64,
}

/// The royalties an album owes for one month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// The album.
    pub album_id: i64,
    /// The month of the sales.
    pub month: SalesMonth,
    /// One line per publisher and composition, ordered by composition
    /// then publisher.
    pub lines: Vec<StatementLine>,
    /// The sum of the lines.
    pub total_cents: u64,
    /// The 20th of the following month.
    pub due_date: Date,
    /// Whether `due_date` has passed on the day asked about.
    pub late: bool,
}
