//! The licensing API: resources with owner-versus-public fields, the routes
//! that serve them, and the app that authenticates callers.

mod app;
pub mod endpoints;
mod errors;
mod public_url;
pub mod resources;
mod wire_states;

pub use app::{Licensing, audience_for};
pub use public_url::PublicUrl;

use pale::{Api, BuildError};

/// The API under `/api`, with its documentation at `/api/openapi.json`
/// and `/api/docs`.
pub fn api(app: Licensing) -> Result<Api<Licensing>, BuildError> {
    api_under(app, "/api")
}

/// The same API under `base_path`, for a front that serves more than the
/// API from one origin (band-site behind a proxy's prefix mounts it at
/// `/band/api`); links in responses follow the base path.
pub fn api_under(app: Licensing, base_path: &str) -> Result<Api<Licensing>, BuildError> {
    use endpoints::*;
    Api::builder(app)
        .title("Licensing")
        .version(env!("CARGO_PKG_VERSION"))
        .description("Albums, covers, mechanical licenses and royalties.")
        .base_path(base_path)
        .bearer_auth()
        .serve_docs()
        .mount::<ListAlbums>()
        .mount::<GetAlbum>()
        .mount::<CreateAlbum>()
        .mount::<PatchAlbum>()
        .mount::<DeleteAlbum>()
        .mount::<AddTrack>()
        .mount::<PatchTrack>()
        .mount::<DeleteTrack>()
        .mount::<SubmitAlbum>()
        .mount::<AlbumLicenses>()
        .mount::<AlbumStatement>()
        .mount::<GetArtist>()
        .mount::<ArtistAlbums>()
        .mount::<ListCompositions>()
        .mount::<MatchCompositions>()
        .mount::<RecordSales>()
        .mount::<ImportCompositions>()
        .mount::<ActivateLicense>()
        .mount::<PublishAlbum>()
        .mount::<GetHealth>()
        .build()
}
