use pale_core::prelude::*;

/// An artist.
#[derive(Resource)]
struct Artist {
    id: u64,
    name: String,
}

/// An album, as its owner and the public see it.
#[derive(Resource)]
#[pale(context = (), viewer = Album::viewer, default_fields(id, title, artist))]
struct Album {
    id: u64,
    title: String,
    #[pale(subfields(name))]
    artist: Artist,
    #[pale(nested)]
    guests: Vec<Artist>,
    #[pale(audience = Owner)]
    units_sold: u64,
    #[pale(getter = Album::slug)]
    slug: (),
    #[pale(link = GetAlbum(id))]
    url: (),
    #[pale(skip)]
    owner_id: u64,
}

impl Album {
    fn viewer(&self, _ctx: &Context<()>) -> Audience {
        if self.owner_id == 0 { Audience::Owner } else { Audience::Public }
    }

    fn slug(&self) -> String {
        self.title.to_lowercase()
    }
}

/// Fetch one album.
#[derive(Endpoint)]
#[pale(GET "/albums/{id}")]
struct GetAlbum {
    id: u64,
}

fn main() {
    let meta = <Album as Resource>::META;
    assert_eq!(meta.name, "album");
    // Every field but the skipped one; `guests` nests with its defaults.
    assert_eq!(meta.fields.len(), 7);
    assert!(meta.fields[3].many);
}
