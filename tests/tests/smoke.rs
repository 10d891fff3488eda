//! A first end-to-end look at the derives.
use std::sync::Arc;

use pale_core::prelude::*;
use pale_core::argument::{Input, Raw};
use pale_core::format::Wire;

struct Store;
struct Caller { id: u32, admin: bool }
impl App for Store {
    type User = Caller;
    fn audience(user: &Caller) -> Audience {
        if user.admin { Audience::Admin } else { Audience::User }
    }
}

/// An artist.
#[derive(Resource)]
struct Artist { id: u32, name: String }

/// A track.
#[derive(Resource)]
#[pale(default_fields(number, title))]
struct Track { number: u32, title: String, duration_s: u32 }

/// An album.
#[derive(Resource)]
#[pale(context = Store, viewer = Album::viewer, default_fields(id, title, artist, tracks))]
struct Album {
    id: u32,
    title: String,
    #[pale(subfields(name))]
    artist: Artist,
    #[pale(subfields(number, title, duration_s))]
    tracks: Vec<Track>,
    /// Units sold.
    #[pale(audience = Owner)]
    units_sold: u64,
    #[pale(link = GetAlbum(id))]
    url: (),
    #[pale(skip)]
    owner: u32,
}

impl Album {
    fn viewer(&self, ctx: &Context<Store>) -> Audience {
        match ctx.user() {
            Some(c) if c.admin => Audience::Admin,
            Some(c) if c.id == self.owner => Audience::Owner,
            Some(_) => Audience::User,
            None => Audience::Public,
        }
    }
}

/// Fetch one album.
#[derive(Endpoint)]
#[pale(GET "/albums/{album_id}", name = "album", envelope = "album")]
struct GetAlbum {
    album_id: u32,
    #[pale(default = false)]
    include_drafts: bool,
}

impl Handler<Store> for GetAlbum {
    type Output = Album;
    async fn handle(self, _ctx: &Context<Store>) -> Result<Album, ApiError> {
        let _ = (self.album_id, self.include_drafts);
        Ok(album())
    }
}

fn album() -> Album {
    Album {
        id: 7, title: "Covers".into(), artist: Artist { id: 1, name: "Ann".into() },
        tracks: vec![Track { number: 1, title: "Hallelujah".into(), duration_s: 301 }],
        units_sold: 12, url: (), owner: 1,
    }
}

fn render(user: Option<Caller>, fields: Option<&str>) -> String {
    let ctx = Context::new(Arc::new(Store)).with_user(user)
        .with_selection(fields.map(|f| pale_core::select::Selection::parse(f).unwrap()));
    let out = match pale_core::reply::render_body(&album(), &ctx, &pale_core::resource::Plan::defaults(<Album as Resource>::META), GetAlbum::META_REF(), &Wire::Json) { Ok(o) => o, Err(e) => return format!("ERR {e}") };
    String::from_utf8(out).unwrap()
}

#[allow(non_snake_case)]
trait MetaRef { fn META_REF() -> &'static pale_core::EndpointMeta; }
impl MetaRef for GetAlbum { fn META_REF() -> &'static pale_core::EndpointMeta { <GetAlbum as Endpoint>::META } }

#[test]
fn smoke() {
    println!("{}", render(None, None));
    println!("{}", render(Some(Caller { id: 1, admin: false }), Some("*")));
    println!("{}", render(Some(Caller { id: 2, admin: false }), Some("*,tracks(*)")));
    println!("{:?}", render(None, Some("units_sold")));
    assert_eq!(GetAlbum::path(7), "/albums/7");
    let mut input = Input::new();
    input.path.insert("album_id", Raw::from("x7"));
    input.query.insert("include_drafts", Raw::from("maybe"));
    let err = GetAlbum::from_input(&input).err().unwrap();
    println!("{:?}", err.errors());
}
