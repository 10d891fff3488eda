//! Fixtures shared by Pale's micro benchmarks and load-test servers.
//!
//! One album, declared twice: as a Pale [`Album`] resource (rendered for
//! the public through the full rendering path) and as a plain
//! `#[derive(Serialize)]` [`PlainAlbum`] with the same fields in the same
//! order, so the JSON bodies are byte-identical and every comparison is of
//! rendering cost alone. See `bench/README.md` for the figures.

use std::sync::Arc;

use pale_core::argument::Input;
use pale_core::format::{Wire, decode_form};
use pale_core::prelude::*;
use pale_core::select::Plan;
use pale_core::select::Selection;
use serde::Serialize;

/// The app: no state, every caller anonymous.
#[derive(Debug, Default)]
pub struct Shop;

impl App for Shop {
    type User = ();
}

/// A recording on an album.
#[derive(Resource, Clone, Debug)]
#[pale(context = Shop, default_fields(number, title, duration_s, isrc, composer))]
pub struct Track {
    /// Position on the album.
    pub number: u32,
    /// The title.
    pub title: String,
    /// Length in seconds.
    pub duration_s: u32,
    /// International Standard Recording Code.
    pub isrc: String,
    /// Who wrote it.
    pub composer: String,
    /// Royalty split, for the owner: hidden from the public view.
    #[pale(audience = Owner)]
    pub royalty_bp: u32,
}

/// The performer.
#[derive(Resource, Clone, Debug)]
#[pale(context = Shop, default_fields(id, name, country))]
pub struct Artist {
    /// Identifier.
    pub id: u32,
    /// Stage name.
    pub name: String,
    /// ISO country code.
    pub country: String,
}

/// A release, about 2 KB of JSON with its 12 tracks.
#[derive(Resource, Clone, Debug)]
#[pale(
    context = Shop,
    default_fields(id, title, artist, label, released, genre, price_cents, explicit, tracks)
)]
pub struct Album {
    /// Identifier.
    pub id: u32,
    /// Title as shown on stores.
    pub title: String,
    /// The performer.
    #[pale(subfields(id, name, country))]
    pub artist: Artist,
    /// Record label.
    pub label: String,
    /// Release date, `YYYY-MM-DD`.
    pub released: String,
    /// Main genre.
    pub genre: String,
    /// Price in cents.
    pub price_cents: u64,
    /// Whether any track is explicit.
    pub explicit: bool,
    /// The recordings.
    #[pale(subfields(number, title, duration_s, isrc, composer))]
    pub tracks: Vec<Track>,
    /// Units sold: hidden from the public view.
    #[pale(audience = Owner)]
    pub units_sold: u64,
}

/// [`Track`] as a plain serde struct: the public fields, same order.
#[derive(Serialize, Clone, Debug)]
pub struct PlainTrack {
    /// Position on the album.
    pub number: u32,
    /// The title.
    pub title: String,
    /// Length in seconds.
    pub duration_s: u32,
    /// International Standard Recording Code.
    pub isrc: String,
    /// Who wrote it.
    pub composer: String,
}

/// [`Artist`] as a plain serde struct.
#[derive(Serialize, Clone, Debug)]
pub struct PlainArtist {
    /// Identifier.
    pub id: u32,
    /// Stage name.
    pub name: String,
    /// ISO country code.
    pub country: String,
}

/// [`Album`] as a plain serde struct: its public view, field for field.
#[derive(Serialize, Clone, Debug)]
pub struct PlainAlbum {
    /// Identifier.
    pub id: u32,
    /// Title as shown on stores.
    pub title: String,
    /// The performer.
    pub artist: PlainArtist,
    /// Record label.
    pub label: String,
    /// Release date.
    pub released: String,
    /// Main genre.
    pub genre: String,
    /// Price in cents.
    pub price_cents: u64,
    /// Whether any track is explicit.
    pub explicit: bool,
    /// The recordings.
    pub tracks: Vec<PlainTrack>,
}

const TITLES: [&str; 12] = [
    "Hallelujah (Live at the Roundhouse)",
    "Jolene",
    "The Sound of Silence",
    "Hurt",
    "Nothing Compares 2 U",
    "All Along the Watchtower",
    "Respect",
    "I Will Always Love You",
    "Torn",
    "Girls Just Want to Have Fun",
    "Mad World",
    "Tainted Love",
];

/// The album every benchmark renders (`id` varies for pages).
pub fn album(id: u32) -> Album {
    let tracks = TITLES
        .iter()
        .zip(1..)
        .map(|(title, number)| Track {
            number,
            title: (*title).to_owned(),
            duration_s: 150 + number * 17,
            isrc: format!("GBAYE24{number:05}"),
            composer: format!("Songwriter Number {number} and Friends"),
            royalty_bp: 2500,
        })
        .collect();
    Album {
        id,
        title: "Covers, Volume Two: Songs Other People Wrote".to_owned(),
        artist: Artist {
            id: 42,
            name: "The Interpreters".to_owned(),
            country: "GB".to_owned(),
        },
        label: "Loudr Independent".to_owned(),
        released: "2016-05-20".to_owned(),
        genre: "Singer-Songwriter".to_owned(),
        price_cents: 999,
        explicit: false,
        tracks,
        units_sold: 12_345,
    }
}

impl Album {
    /// The public view as a plain serde struct.
    pub fn to_plain(&self) -> PlainAlbum {
        PlainAlbum {
            id: self.id,
            title: self.title.clone(),
            artist: PlainArtist {
                id: self.artist.id,
                name: self.artist.name.clone(),
                country: self.artist.country.clone(),
            },
            label: self.label.clone(),
            released: self.released.clone(),
            genre: self.genre.clone(),
            price_cents: self.price_cents,
            explicit: self.explicit,
            tracks: self
                .tracks
                .iter()
                .map(|t| PlainTrack {
                    number: t.number,
                    title: t.title.clone(),
                    duration_s: t.duration_s,
                    isrc: t.isrc.clone(),
                    composer: t.composer.clone(),
                })
                .collect(),
        }
    }
}

/// `count` albums, ids 1 to `count`.
pub fn albums(count: u32) -> Vec<Album> {
    (1..=count).map(album).collect()
}

/// The album served by the load-test servers, shared by every request.
#[derive(Endpoint)]
#[pale(GET "/album", name = "album")]
pub struct GetAlbum {}

impl Handler<Shop> for GetAlbum {
    type Output = Arc<Album>;
    async fn handle(self, _ctx: &Context<Shop>) -> Result<Arc<Album>, ApiError> {
        Ok(Arc::clone(shared_album()))
    }
}

/// The in-memory album the servers answer with.
pub fn shared_album() -> &'static Arc<Album> {
    static ALBUM: std::sync::OnceLock<Arc<Album>> = std::sync::OnceLock::new();
    ALBUM.get_or_init(|| Arc::new(album(7)))
}

/// The API the Pale servers run: `GET /album`.
pub fn api() -> Api<Shop> {
    Api::builder(Shop)
        .mount::<GetAlbum>()
        .build()
        .expect("one route cannot conflict")
}

/// A public (anonymous) context, with the client's `fields=` if any.
pub fn context(fields: Option<&str>) -> Context<Shop> {
    let selection = fields.map(|f| Selection::parse(f).expect("the bench's selection parses"));
    Context::new(Arc::new(Shop)).with_selection(selection)
}

/// Renders `value` as `GET /album` would, through
/// [`render_body`](pale_core::reply::render_body).
pub fn render<T>(value: &T, ctx: &Context<Shop>, wire: &Wire) -> Vec<u8>
where
    T: pale_core::render::Nested,
    T::Item: Render<Shop>,
{
    let base = Plan::defaults(<T::Item as Resource>::META);
    pale_core::reply::render_body(
        value,
        ctx,
        &base,
        <GetAlbum as Endpoint>::META.envelope,
        wire,
    )
    .expect("the bench album renders")
}

/// The `fields=` expression the selection benchmarks use.
pub const FIELDS: &str = "id,title,artist(name),price_cents,tracks(number,title)";

/// A search with ten query arguments, the casting benchmark's endpoint.
#[derive(Endpoint, Debug)]
#[pale(GET "/search", name = "search")]
pub struct Search {
    /// Free text.
    #[pale(len = 1..=200)]
    pub q: String,
    /// Genre filter.
    pub genre: Option<String>,
    /// Artist id filter.
    pub artist_id: Option<u32>,
    /// Released on or after this year.
    #[pale(range = 1900..=2100)]
    pub year_from: u32,
    /// Released on or before this year.
    #[pale(range = 1900..=2100)]
    pub year_to: u32,
    /// Lowest price, in cents.
    #[pale(default = 0)]
    pub min_price_cents: u64,
    /// Highest price, in cents.
    #[pale(default = 100_000)]
    pub max_price_cents: u64,
    /// Include explicit albums.
    #[pale(default = true)]
    pub explicit: bool,
    /// Sort order.
    #[pale(one_of("title", "-title", "released", "-released"), default = "title")]
    pub sort: String,
    /// Page size.
    #[pale(default = 20, range = 1..=100)]
    pub limit: u32,
}

impl Handler<Shop> for Search {
    type Output = Vec<Album>;
    async fn handle(self, _ctx: &Context<Shop>) -> Result<Vec<Album>, ApiError> {
        Ok(Vec::new())
    }
}

/// A query string giving all ten of [`Search`]'s arguments.
pub const SEARCH_QUERY: &str = "q=hallelujah+live&genre=Singer-Songwriter&artist_id=42\
&year_from=1990&year_to=2016&min_price_cents=100&max_price_cents=1999&explicit=false\
&sort=-released&limit=50";

/// Casts a query string into [`Search`] as the server does: decode, then
/// cast every argument.
pub fn cast_search(query: &str) -> Result<Search, ApiError> {
    let mut input = Input::new();
    input.query = decode_form(query.as_bytes())?;
    Search::from_input(&input)
}

/// A context serving `GET /api/albums?…` (so a page has links), public.
pub fn list_context(query: &str) -> Context<Shop> {
    let uri = format!("/api/albums?{query}");
    let parts = http::Request::get(uri)
        .body(())
        .expect("a request")
        .into_parts()
        .0;
    Context::new(Arc::new(Shop))
        .with_base_path(Arc::from("/api"))
        .with_request(parts)
}

/// Renders `page` as a paged endpoint answers it (its body, and its
/// `Link` header when `ctx` serves a request); the body's length.
pub fn render_page(page: &pale_core::Page<Album>, ctx: &Context<Shop>) -> usize {
    use pale_core::page::Links;
    use pale_core::render::PageBody;
    use pale_core::select::PagePlan;
    let plan = PagePlan::WHOLE;
    let links = Links::of(ctx, page.position());
    let body = PageBody::new(page, ctx, &plan, links.as_ref());
    let out = pale_core::reply::encode(&Wire::Json, None, "page", &body).expect("the page renders");
    let header = links.map_or(0, |links| links.header().len());
    out.len() + header
}
