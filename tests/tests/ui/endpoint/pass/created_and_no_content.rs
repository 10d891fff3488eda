use pale_core::prelude::*;

/// A playlist.
#[derive(Resource)]
struct Playlist {
    id: u64,
    name: String,
}

/// Create a playlist.
#[derive(Endpoint)]
#[pale(POST "/playlists", deny_unknown)]
struct CreatePlaylist {
    #[pale(len = 1..=80)]
    name: String,
}

impl Handler<()> for CreatePlaylist {
    type Output = Created<Playlist>;
    async fn handle(self, _ctx: &Context<()>) -> Result<Created<Playlist>, ApiError> {
        let playlist = Playlist { id: 1, name: self.name };
        Ok(Created::at(GetPlaylist::path(playlist.id), playlist))
    }
}

/// Fetch a playlist.
#[derive(Endpoint)]
#[pale(GET "/playlists/{id}")]
struct GetPlaylist {
    id: u64,
}

/// Delete a playlist.
#[derive(Endpoint)]
#[pale(DELETE "/playlists/{id}", audience = Owner)]
struct DeletePlaylist {
    id: u64,
}

impl Handler<()> for DeletePlaylist {
    type Output = NoContent;
    async fn handle(self, _ctx: &Context<()>) -> Result<NoContent, ApiError> {
        let _ = self.id;
        Ok(NoContent)
    }
}

fn main() {
    assert_eq!(DeletePlaylist::path(3), "/playlists/3");
    assert!(<CreatePlaylist as Endpoint>::META.deny_unknown);
}
