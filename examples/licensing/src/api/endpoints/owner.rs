//! What an artist does with their own albums.

use pale::argument::Raw;
use pale::prelude::*;
use pale::write::{WriteMode, apply};

use super::preconditions::{IfMatch, album_for_write};
use super::{load_album, load_owned_album};
use crate::api::app::Licensing;
use crate::api::resources::{Album, AlbumLinks, ArtistRef, License, Statement, StatementLine};
use crate::domain::statement::SalesMonth;
use crate::store::{Account, AlbumStatus, NewAlbum, Store};

/// Create a draft album (artists only). Answers 201 with its `Location`.
#[derive(Endpoint)]
#[pale(POST "/albums", name = "create_album", audience = User, tags("albums"))]
pub struct CreateAlbum {
    /// The album: `title` and `price_cents` are required.
    #[pale(from = document)]
    pub album: Create<Album>,
}

impl SignedInHandler<Licensing> for CreateAlbum {
    type Output = Created<Album>;
    async fn handle(
        self,
        caller: &Account,
        ctx: &Context<Licensing>,
    ) -> Result<Created<Album>, ApiError> {
        let artist_id = caller
            .artist_id
            .ok_or_else(|| ApiError::forbidden().with_detail("only artists create albums"))?;
        // The new album starts as the artist's own: the album's viewer
        // then makes them its owner, as `creator = Owner` declares.
        let draft = Album {
            id: 0,
            title: String::new(),
            artist: ArtistRef {
                id: artist_id,
                name: String::new(),
            },
            release_date: None,
            upc: None,
            price_cents: 0,
            cover_art_url: None,
            links: AlbumLinks {
                bandcamp: None,
                spotify: None,
                self_link: String::new(),
            },
            tracks: Vec::new(),
            status: AlbumStatus::Draft,
            units_sold: 0,
            revenue_cents: 0,
            licenses: Vec::new(),
            owner_id: artist_id,
            version: 0,
        };
        let draft = self.album.apply_to(draft, ctx)?;
        let url = |u: &Option<WebUrl>| u.as_ref().map(ToString::to_string);
        let created = ctx
            .app()
            .store
            .create_album(NewAlbum {
                artist_id,
                title: draft.title.clone(),
                release_date: draft.release_date.map(|d| d.0),
                upc: draft.upc,
                price_cents: draft.price_cents,
                cover_art_url: url(&draft.cover_art_url),
                bandcamp_url: url(&draft.links.bandcamp),
                spotify_url: url(&draft.links.spotify),
            })
            .await?;
        let album = load_album(ctx, created.id).await?;
        Ok(Created::at(super::GetAlbum::path(album.id), album))
    }
}

/// Change an album (its artist, or an admin): a JSON merge patch, with
/// `If-Match`.
///
/// Checked in this order: the caller may write this album (404 if they
/// cannot see it, 403 if it is not theirs, whatever `If-Match` says),
/// then `If-Match` (428, 412), then the patch (422, 403 for a field they
/// may not write).
#[derive(Endpoint)]
#[pale(PATCH "/albums/{album_id}", name = "patch_album", audience = User, tags("albums"), errors(412, 428))]
pub struct PatchAlbum {
    /// The album.
    pub album_id: i64,
    /// The album's `ETag`, as read: a patch without it is refused (428),
    /// one with a stale tag too (412), so no change is lost. The store
    /// writes only if the album is still at the version the tag names, so
    /// of two writers holding one tag, one wins and the other gets 412.
    #[pale(from = header("If-Match"))]
    pub if_match: Option<String>,
    /// The merge patch.
    #[pale(from = document)]
    pub patch: Raw,
}

impl Handler<Licensing> for PatchAlbum {
    type Output = Album;
    async fn handle(self, ctx: &Context<Licensing>) -> Result<Album, ApiError> {
        let album = album_for_write(ctx, self.album_id).await?;
        album.precondition(self.if_match.as_deref(), IfMatch::Required)?;
        let before = album.into_album();
        let mut after = before.clone();
        apply(&mut after, &self.patch, ctx, WriteMode::Patch)?;
        // The write gives the page it left: the caller may write the
        // album, so they may see it, and it is not read a second time.
        let page = ctx
            .app()
            .store
            .update_album_page(self.album_id, before.version, before.diff(&after))
            .await?;
        Ok(super::album_for(ctx, &page))
    }
}

/// Delete a draft album (its artist, or an admin).
///
/// `If-Match` is honoured when sent (412 if the album changed since the
/// client read it) and not required: a delete overwrites no field a
/// client read, and a draft is its artist's alone. As for every write,
/// 404 and 403 come first, whatever `If-Match` says, and the rule that
/// only drafts are deleted (409) after it.
#[derive(Endpoint)]
#[pale(DELETE "/albums/{album_id}", name = "delete_album", audience = User, tags("albums"), errors(409, 412))]
pub struct DeleteAlbum {
    /// The album.
    pub album_id: i64,
    /// The album's `ETag`, as read (optional): if sent, the album is
    /// deleted only if it is still at that version.
    #[pale(from = header("If-Match"))]
    pub if_match: Option<String>,
}

impl Handler<Licensing> for DeleteAlbum {
    type Output = NoContent;
    async fn handle(self, ctx: &Context<Licensing>) -> Result<NoContent, ApiError> {
        let album = album_for_write(ctx, self.album_id).await?;
        let expected = album.precondition(self.if_match.as_deref(), IfMatch::Optional)?;
        ctx.app()
            .store
            .delete_album(self.album_id, expected)
            .await?;
        Ok(NoContent)
    }
}

/// Submit an album for release: each cover gets a license (or is marked
/// for negotiation), and the album becomes `submitted`.
#[derive(Endpoint)]
#[pale(POST "/albums/{album_id}/submit", name = "submit_album", audience = User, tags("albums"), errors(409))]
pub struct SubmitAlbum {
    /// The album.
    pub album_id: i64,
}

impl Handler<Licensing> for SubmitAlbum {
    type Output = Album;
    async fn handle(self, ctx: &Context<Licensing>) -> Result<Album, ApiError> {
        album_for_write(ctx, self.album_id).await?;
        let today = ctx.app().today();
        ctx.app().store.submit_album(self.album_id, today).await?;
        load_album(ctx, self.album_id).await
    }
}

/// An album's mechanical licenses (its artist and admins).
#[derive(Endpoint)]
#[pale(GET "/albums/{album_id}/licenses", name = "album_licenses", audience = User, tags("licensing"))]
pub struct AlbumLicenses {
    /// The album.
    pub album_id: i64,
    /// Which page.
    #[pale(flatten)]
    pub paging: super::catalog::Paging,
}

impl Handler<Licensing> for AlbumLicenses {
    type Output = Page<License>;
    async fn handle(self, ctx: &Context<Licensing>) -> Result<Page<License>, ApiError> {
        let album = load_owned_album(ctx, self.album_id).await?;
        Ok(Page::window(&self.paging, album.licenses))
    }
}

/// A month's royalty statement for an album (its artist and admins).
#[derive(Endpoint)]
#[pale(GET "/albums/{album_id}/statements/{month}", name = "album_statement", audience = User, tags("licensing"))]
pub struct AlbumStatement {
    /// The album.
    pub album_id: i64,
    /// The month, `YYYY-MM`.
    pub month: SalesMonth,
}

impl Handler<Licensing> for AlbumStatement {
    type Output = Statement;
    async fn handle(self, ctx: &Context<Licensing>) -> Result<Statement, ApiError> {
        let album = load_owned_album(ctx, self.album_id).await?;

        let statement = ctx
            .app()
            .store
            .royalty_statement(self.album_id, self.month, ctx.app().today())
            .await?;
        Ok(Statement {
            album_id: statement.album_id,
            month: statement.month.to_string(),
            due_date: pale::argument::Date(statement.due_date),
            late: statement.late,
            lines: statement
                .lines
                .into_iter()
                .map(|l| StatementLine {
                    publisher: l.publisher,
                    composition_id: l.composition_id,
                    units: l.units,
                    amount_cents: l.amount_cents,
                })
                .collect(),
            total_cents: statement.total_cents,
            owner_id: album.owner_id,
        })
    }
}
