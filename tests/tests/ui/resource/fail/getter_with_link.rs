use pale_core::prelude::*;

#[derive(Endpoint)]
#[pale(GET "/albums/{id}")]
struct GetAlbum { id: u64 }

#[derive(Resource)]
struct Album {
    id: u64,
    #[pale(getter = Album::url, link = GetAlbum(id))]
    url: (),
}

impl Album {
    fn url(&self) -> String { format!("/albums/{}", self.id) }
}

fn main() {}
