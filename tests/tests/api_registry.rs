//! Building an `Api`: conflicting routes and duplicate names are error
//! values, and the registry describes what was mounted.

use pale_core::prelude::*;
use pale_core::{BuildError, Method};

macro_rules! endpoint {
    ($name:ident, $method:ident $path:literal, $route:literal) => {
        #[derive(Endpoint)]
        #[pale($method $path, name = $route)]
        struct $name {}

        impl Handler<()> for $name {
            type Output = NoContent;
            async fn handle(self, _: &Context<()>) -> Result<NoContent, ApiError> {
                Ok(NoContent)
            }
        }
    };
}

endpoint!(ListAlbums, GET "/albums", "albums");
endpoint!(CreateAlbum, POST "/albums", "create_album");
endpoint!(AlsoListAlbums, GET "/albums", "albums_again");
endpoint!(SameName, GET "/other", "albums");

/// By key.
#[derive(Endpoint)]
#[pale(GET "/x/{key}", name = "by_key")]
struct ByKey {
    key: u32,
}

/// By id.
#[derive(Endpoint)]
#[pale(GET "/x/{id}", name = "by_id")]
struct ById {
    id: u32,
}

impl Handler<()> for ByKey {
    type Output = NoContent;
    async fn handle(self, _: &Context<()>) -> Result<NoContent, ApiError> {
        let _ = self.key;
        Ok(NoContent)
    }
}

impl Handler<()> for ById {
    type Output = NoContent;
    async fn handle(self, _: &Context<()>) -> Result<NoContent, ApiError> {
        let _ = self.id;
        Ok(NoContent)
    }
}

#[test]
fn a_well_formed_api_builds_and_lists_its_routes() {
    let api = Api::builder(())
        .title("T")
        .version("2")
        .base_path("/api/")
        .mount::<ListAlbums>()
        .mount::<CreateAlbum>()
        .build()
        .unwrap();
    let routes: Vec<(&str, Method, &str, u16)> = api
        .routes()
        .iter()
        .map(|r| {
            (
                r.endpoint.name,
                r.endpoint.method,
                r.endpoint.path,
                r.output.status,
            )
        })
        .collect();
    assert_eq!(
        routes,
        [
            ("albums", Method::Get, "/albums", 204),
            ("create_album", Method::Post, "/albums", 204)
        ]
    );
    assert_eq!(
        (api.title(), api.version(), &**api.base_path()),
        ("T", "2", "/api")
    );
    assert!(api.route("create_album").is_some());
}

#[test]
fn conflicts_are_error_values_not_panics() {
    let err = Api::builder(())
        .mount::<ListAlbums>()
        .mount::<AlsoListAlbums>()
        .build()
        .err();
    assert_eq!(
        err,
        Some(BuildError::ConflictingRoutes {
            first: "albums",
            second: "albums_again"
        })
    );

    let err = Api::builder(())
        .mount::<ListAlbums>()
        .mount::<SameName>()
        .build()
        .err();
    assert_eq!(err, Some(BuildError::DuplicateName { name: "albums" }));
    assert_eq!(err.unwrap().to_string(), "two endpoints are named `albums`");

    // Parameter names do not make two templates different.
    let err = Api::builder(())
        .mount::<ByKey>()
        .mount::<ById>()
        .build()
        .err();
    assert_eq!(
        err,
        Some(BuildError::ConflictingRoutes {
            first: "by_key",
            second: "by_id"
        })
    );
}

/// A playlist entry, linking to its song.
#[derive(Resource)]
struct Entry {
    /// The song's id.
    #[pale(skip)]
    song_id: u32,
    /// The song's URL.
    #[pale(link = GetSong(song_id))]
    song: String,
}

/// A playlist, with its entries nested.
#[derive(Resource)]
struct Playlist {
    /// Its entries.
    #[pale(nested)]
    entries: Vec<Entry>,
}

/// One song.
#[derive(Endpoint)]
#[pale(GET "/songs/{song_id}", name = "song")]
struct GetSong {
    song_id: u32,
}

impl Handler<()> for GetSong {
    type Output = Plain<u32>;
    async fn handle(self, _: &Context<()>) -> Result<Plain<u32>, ApiError> {
        Ok(Plain::new("song", self.song_id))
    }
}

/// The playlist.
#[derive(Endpoint)]
#[pale(GET "/playlist", name = "playlist")]
struct GetPlaylist {}

impl Handler<()> for GetPlaylist {
    type Output = Playlist;
    async fn handle(self, _: &Context<()>) -> Result<Playlist, ApiError> {
        let entry = Entry {
            song_id: 1,
            song: String::new(),
        };
        let _ = (entry.song_id, &entry.song);
        Ok(Playlist {
            entries: vec![entry],
        })
    }
}

#[test]
fn a_link_to_an_endpoint_that_is_not_mounted_is_a_build_error() {
    let err = Api::builder(()).mount::<GetPlaylist>().build().err();
    assert_eq!(
        err,
        Some(BuildError::UnmountedLink {
            resource: "entry",
            field: "song",
            target: "song",
        })
    );
    assert_eq!(
        err.unwrap().to_string(),
        "`entry.song` links to endpoint `song`, which is not mounted: mount it, or the link leads nowhere"
    );
    // Mounted as a group, the two build.
    type Playlists = (GetPlaylist, GetSong);
    let api = Api::builder(()).mount_all::<Playlists>().build().unwrap();
    let names: Vec<&str> = api.routes().iter().map(|r| r.endpoint.name).collect();
    assert_eq!(names, ["playlist", "song"]);
}
