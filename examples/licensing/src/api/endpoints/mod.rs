//! The routes, by who uses them: the public catalogue, the artist who owns
//! an album, and the admins. Writes to an album check who may write it
//! before `If-Match`, and `If-Match` before the write rules
//! (`preconditions`).

mod admin;
mod catalog;
mod health;
mod import;
mod owner;
mod preconditions;
mod tracks;

pub use admin::{ActivateLicense, PublishAlbum, RecordSales};
pub use catalog::{
    ArtistAlbums, GetAlbum, GetArtist, ListAlbums, ListCompositions, MatchCompositions, Sort,
};
pub use health::{GetHealth, Health};
pub use import::{CompositionRow, ImportCompositions, Imported, PublisherShare};
pub use owner::{AlbumLicenses, AlbumStatement, CreateAlbum, DeleteAlbum, PatchAlbum, SubmitAlbum};
pub use tracks::{AddTrack, DeleteTrack, PatchTrack, TrackInput};

use pale::{ApiError, Audience, Context};

use super::PublicUrl;
use super::app::{Licensing, audience_for};
use super::resources::Album;
use crate::store::{AlbumDetail, Store, Viewer};

/// The store's view of the caller.
pub(crate) fn viewer(ctx: &Context<Licensing>) -> Viewer {
    ctx.user()
        .map_or(Viewer::Public, |account| account.viewer())
}

/// Loads an album as the caller may see it (a draft of someone else's is
/// a 404), with its tracks, licenses and sales.
pub(crate) async fn load_album(ctx: &Context<Licensing>, album_id: i64) -> Result<Album, ApiError> {
    let detail = ctx.app().store.get_album(album_id, viewer(ctx)).await?;
    Ok(album_for(ctx, &detail))
}

/// The albums `ids` as [`load_album`] gives each (those the caller may
/// see), in order: a list page's albums read together, not one by one.
pub(crate) async fn load_albums(
    ctx: &Context<Licensing>,
    ids: Vec<i64>,
) -> Result<Vec<Album>, ApiError> {
    let pages = ctx.app().store.album_pages(ids, viewer(ctx)).await?;
    Ok(pages.iter().map(|detail| album_for(ctx, detail)).collect())
}

/// An album page as this client must see it: links under the API's base
/// path, and cover art relative to the site resolved against its public
/// URL.
fn album_for(ctx: &Context<Licensing>, detail: &AlbumDetail) -> Album {
    let mut album = Album::from_detail(detail, ctx.link(&GetAlbum::path(detail.album.id)));
    if album.cover_art_url.is_none()
        && let (Some(stored), Some(base)) = (
            detail.album.cover_art_url.as_deref(),
            ctx.request().and_then(|r| r.extensions.get::<PublicUrl>()),
        )
    {
        album.cover_art_url = base.resolve(stored);
    }
    album
}

/// Loads an album for its artist (or an admin): a caller who can see the
/// album but does not own it gets 403, one who cannot see it 404.
pub(crate) async fn load_owned_album(
    ctx: &Context<Licensing>,
    album_id: i64,
) -> Result<Album, ApiError> {
    let album = load_album(ctx, album_id).await?;
    if audience_for(ctx, album.owner_id) >= Audience::Owner {
        Ok(album)
    } else {
        Err(ApiError::forbidden().with_detail("only the album's artist may do this"))
    }
}
