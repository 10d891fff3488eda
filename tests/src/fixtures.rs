//! A small album store: resources with public, user, owner-only and
//! admin-only fields, a predicate field, nested resources and a link.

use std::sync::Arc;

use pale_core::format::Wire;
use pale_core::prelude::*;
use pale_core::select::Plan;
use pale_core::select::Selection;

/// The app.
#[derive(Debug, Default)]
pub struct Store;

/// A caller.
#[derive(Debug, Clone, Copy)]
pub struct Caller {
    /// The caller's artist id.
    pub id: u32,
    /// Whether the caller administers the store.
    pub admin: bool,
}

impl App for Store {
    type User = Caller;

    /// `Authorization: Bearer admin` is an admin, `Bearer <n>` artist `n`;
    /// anything else is a 401.
    async fn authenticate(
        &self,
        request: &http::request::Parts,
    ) -> Result<Option<Caller>, ApiError> {
        let Some(value) = request.headers.get(http::header::AUTHORIZATION) else {
            return Ok(None);
        };
        let token = value.to_str().ok().and_then(|v| v.strip_prefix("Bearer "));
        match token {
            Some("admin") => Ok(Some(Caller {
                id: 99,
                admin: true,
            })),
            Some(n) => n
                .parse()
                .map(|id| Some(Caller { id, admin: false }))
                .map_err(|_| ApiError::unauthorized("Bearer").with_detail("unknown token")),
            None => Err(ApiError::unauthorized("Bearer")),
        }
    }

    fn audience(user: &Caller) -> Audience {
        if user.admin {
            Audience::Admin
        } else {
            Audience::User
        }
    }
}

/// The viewers the tests render for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// Nobody logged in.
    Anonymous,
    /// Another artist.
    Other,
    /// The album's artist.
    Owner,
    /// An administrator.
    Admin,
}

impl Viewer {
    /// Every viewer.
    pub const ALL: [Self; 4] = [Self::Anonymous, Self::Other, Self::Owner, Self::Admin];

    /// The caller for this viewer of an album owned by artist 1.
    pub fn caller(self) -> Option<Caller> {
        match self {
            Self::Anonymous => None,
            Self::Other => Some(Caller {
                id: 2,
                admin: false,
            }),
            Self::Owner => Some(Caller {
                id: 1,
                admin: false,
            }),
            Self::Admin => Some(Caller {
                id: 99,
                admin: true,
            }),
        }
    }
}

/// An artist.
#[derive(Resource, Clone)]
#[pale(default_fields(id, name))]
pub struct Artist {
    /// Identifier.
    pub id: u32,
    /// Stage name.
    pub name: String,
    /// Contact address, for admins only.
    #[pale(audience = Admin)]
    pub email: String,
}

/// A track.
#[derive(Resource, Clone)]
#[pale(context = Store, viewer = Track::viewer, default_fields(number, title))]
pub struct Track {
    /// Position.
    pub number: u32,
    /// Title.
    pub title: String,
    /// Length in seconds.
    pub duration_s: u32,
    /// Licence state, for the owner.
    #[pale(audience = Owner)]
    pub license_status: String,
    /// The owning artist (never rendered).
    #[pale(skip)]
    pub owner: u32,
}

impl Track {
    fn viewer(&self, ctx: &Context<Store>) -> Audience {
        audience_for(self.owner, ctx)
    }
}

/// An album.
#[derive(Resource, Clone)]
#[pale(context = Store, viewer = Album::viewer, default_fields(id, title, artist, tracks))]
pub struct Album {
    /// Identifier.
    pub id: u32,
    /// Title.
    pub title: String,
    /// The artist.
    #[pale(subfields(name))]
    pub artist: Artist,
    /// Tracks.
    #[pale(subfields(number, title, duration_s, license_status))]
    pub tracks: Vec<Track>,
    /// Price in cents.
    pub price_cents: u64,
    /// Whether the caller follows the artist (any logged-in user).
    #[pale(audience = User)]
    pub following: bool,
    /// Units sold, for the owner.
    #[pale(audience = Owner)]
    pub units_sold: u64,
    /// Internal review notes, for admins.
    #[pale(audience = Admin)]
    pub review_notes: String,
    /// Shown only while the album is on sale (a predicate).
    #[pale(visible = Album::on_sale)]
    pub sale_ends: Option<String>,
    /// This album's address.
    #[pale(link = GetAlbum(id))]
    pub url: (),
    /// The owning artist (never rendered).
    #[pale(skip)]
    pub owner: u32,
}

impl Album {
    fn viewer(&self, ctx: &Context<Store>) -> Audience {
        audience_for(self.owner, ctx)
    }

    fn on_sale(&self, _ctx: &Context<Store>) -> bool {
        self.sale_ends.is_some()
    }
}

fn audience_for(owner: u32, ctx: &Context<Store>) -> Audience {
    match ctx.user() {
        Some(c) if c.id == owner => ctx.audience().max(Audience::Owner),
        _ => ctx.audience(),
    }
}

/// Fetch one album.
#[derive(Endpoint)]
#[pale(GET "/albums/{album_id}", name = "album")]
pub struct GetAlbum {
    /// The album.
    pub album_id: u32,
}

impl Handler<Store> for GetAlbum {
    type Output = Album;
    async fn handle(self, _ctx: &Context<Store>) -> Result<Album, ApiError> {
        match self.album_id {
            7 => Ok(album()),
            _ => Err(ApiError::not_found("album")),
        }
    }
}

/// The album every test renders: owned by artist 1, on sale.
pub fn album() -> Album {
    let track = |number, title: &str, duration_s| Track {
        number,
        title: title.to_owned(),
        duration_s,
        license_status: "active".to_owned(),
        owner: 1,
    };
    Album {
        id: 7,
        title: "Covers & <Friends>".to_owned(),
        artist: Artist {
            id: 1,
            name: "Ann".to_owned(),
            email: "ann@example.com".to_owned(),
        },
        tracks: vec![track(1, "Hallelujah", 301), track(2, "Jolene", 162)],
        price_cents: 999,
        following: true,
        units_sold: 12,
        review_notes: "ok".to_owned(),
        sale_ends: Some("2026-12-31".to_owned()),
        url: (),
        owner: 1,
    }
}

/// A context for `viewer` with the client's `fields=` (if any).
pub fn context(viewer: Viewer, fields: Option<&str>) -> Context<Store> {
    let selection = fields.map(|f| Selection::parse(f).expect("the test's selection parses"));
    Context::new(Arc::new(Store))
        .with_user(viewer.caller())
        .with_selection(selection)
        .with_base_path(Arc::from("/api"))
}

/// Renders `album()` for `viewer` in `wire`, as the endpoint would.
pub fn render(viewer: Viewer, fields: Option<&str>, wire: &Wire) -> Result<String, ApiError> {
    let body = render_bytes(viewer, fields, wire)?;
    Ok(String::from_utf8(body).expect("text encoders write UTF-8"))
}

/// Renders `album()` for `viewer` in `wire` as bytes (CBOR, MessagePack).
pub fn render_bytes(
    viewer: Viewer,
    fields: Option<&str>,
    wire: &Wire,
) -> Result<Vec<u8>, ApiError> {
    let ctx = context(viewer, fields);
    let meta = <GetAlbum as Endpoint>::META;
    let base = Plan::defaults(<Album as Resource>::META);
    pale_core::reply::render_body(&album(), &ctx, &base, meta.envelope, wire)
}
