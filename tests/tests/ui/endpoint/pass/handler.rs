use pale_core::prelude::*;

/// A track.
#[derive(Resource)]
struct Track {
    number: u32,
    title: String,
}

/// Fetch one track.
#[derive(Endpoint)]
#[pale(GET "/albums/{album_id}/tracks/{number}", name = "track", cache = "max-age=60",
       cors("https://app.example"), envelope = "track", audience = User, tags("tracks"))]
struct GetTrack {
    album_id: u64,
    number: u32,
    #[pale(default = false)]
    include_lyrics: bool,
}

impl Handler<()> for GetTrack {
    type Output = Option<Track>;
    async fn handle(self, _ctx: &Context<()>) -> Result<Option<Track>, ApiError> {
        let _ = (self.album_id, self.include_lyrics);
        Ok(Some(Track { number: self.number, title: "Hallelujah".to_owned() }))
    }
}

fn main() {
    assert_eq!(GetTrack::path(7, 2), "/albums/7/tracks/2");
    assert_eq!(<GetTrack as Endpoint>::META.name, "track");
}
