use pale_core::prelude::*;

struct Store;
impl App for Store { type User = (); }

#[derive(Resource)]
#[pale(context = ())]
struct Album { id: u64 }

#[derive(Endpoint)]
#[pale(GET "/albums/{id}")]
struct GetAlbum { id: u64 }

impl Handler<Store> for GetAlbum {
    type Output = Album;
    async fn handle(self, _ctx: &Context<Store>) -> Result<Album, ApiError> {
        Ok(Album { id: self.id })
    }
}

fn main() {}
