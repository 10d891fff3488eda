//! The licensing API: resources with owner-versus-public fields, the routes
//! that serve them, and the app that authenticates callers.

mod app;
pub mod endpoints;
mod errors;
pub mod resources;

pub use app::{Licensing, audience_for};
pub use errors::store_error;

use pale_core::{Api, BuildError};

/// The API under `/api`, with its documentation at `/api/openapi.json`
/// and `/api/docs`.
pub fn api(app: Licensing) -> Result<Api<Licensing>, BuildError> {
    use endpoints::*;
    Api::builder(app)
        .title("Licensing")
        .version(env!("CARGO_PKG_VERSION"))
        .description("Albums, covers, mechanical licenses and royalties.")
        .base_path("/api")
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
        .mount::<ActivateLicense>()
        .mount::<PublishAlbum>()
        .build()
}
