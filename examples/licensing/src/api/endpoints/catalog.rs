//! The public catalogue: albums, artists, compositions.

use pale::ArgumentEnum;
use pale::prelude::*;

use super::{load_album, load_albums, viewer};
use crate::api::app::Licensing;
use crate::api::resources::{Album, Artist, Candidate, Composition};
use crate::store::{AlbumQuery, AlbumSort, CompositionQuery, MAX_PER_PAGE, MatchQuery, Store};

/// How every list of this API is paged: 20 items unless the client asks
/// for up to the store's largest page.
pub(super) type Paging = PageRequest<20, { MAX_PER_PAGE }>;

/// Browse albums: live ones, and your own drafts when signed in.
///
/// In title order (the default), `next` links carry a cursor and lead as
/// deep as the list goes at the same cost; a page asked for by number
/// (`page`) may start at most 10,000 albums in.
#[derive(Endpoint)]
#[pale(GET "/albums", name = "albums", tags("albums"))]
pub struct ListAlbums {
    /// Text to find in album and track titles, 3 characters or more.
    #[pale(len = 3..=200)]
    pub q: Option<String>,
    /// Which page: `page` (from 1) and `per_page` (20 unless asked, at
    /// most the store's largest page).
    #[pale(flatten)]
    pub paging: Paging,
    /// Order: `title`, `release_date` or `-release_date`.
    #[pale(default = Sort::Title)]
    pub sort: Sort,
}

/// How a list of albums is ordered.
#[derive(ArgumentEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sort {
    /// By title, case-insensitively.
    #[pale(rename = "title")]
    Title,
    /// Oldest first, undated last.
    #[pale(rename = "release_date")]
    ReleaseDate,
    /// Newest first, undated last.
    #[pale(rename = "-release_date")]
    ReleaseDateDesc,
}

impl From<Sort> for AlbumSort {
    fn from(sort: Sort) -> Self {
        match sort {
            Sort::Title => Self::Title,
            Sort::ReleaseDate => Self::ReleaseDate,
            Sort::ReleaseDateDesc => Self::ReleaseDateDesc,
        }
    }
}

impl Handler<Licensing> for ListAlbums {
    type Output = Page<Album>;
    async fn handle(self, ctx: &Context<Licensing>) -> Result<Page<Album>, ApiError> {
        let query = AlbumQuery {
            q: self.q,
            page: self.paging.page(),
            per_page: self.paging.per_page(),
            sort: self.sort.into(),
            artist_id: None,
            after: self.paging.after().map(str::to_owned),
        };
        let found = ctx.app().store.list_albums(query, viewer(ctx)).await?;
        let items = load_albums(ctx, found.items.iter().map(|a| a.id).collect()).await?;
        Ok(Page::of(&self.paging, items, found.total).with_next(found.next))
    }
}

/// One album. Its artist also sees its status, sales and licenses.
#[derive(Endpoint)]
#[pale(GET "/albums/{album_id}", name = "album", tags("albums"))]
pub struct GetAlbum {
    /// The album.
    pub album_id: i64,
}

impl Handler<Licensing> for GetAlbum {
    type Output = Album;
    async fn handle(self, ctx: &Context<Licensing>) -> Result<Album, ApiError> {
        load_album(ctx, self.album_id).await
    }
}

/// One artist.
#[derive(Endpoint)]
#[pale(GET "/artists/{artist_id}", name = "artist", tags("artists"))]
pub struct GetArtist {
    /// The artist.
    pub artist_id: i64,
}

impl Handler<Licensing> for GetArtist {
    type Output = Artist;
    async fn handle(self, ctx: &Context<Licensing>) -> Result<Artist, ApiError> {
        let artist = ctx.app().store.get_artist(self.artist_id).await?;
        Ok(Artist::from(artist))
    }
}

/// An artist's albums.
#[derive(Endpoint)]
#[pale(GET "/artists/{artist_id}/albums", name = "artist_albums", tags("artists"))]
pub struct ArtistAlbums {
    /// The artist.
    pub artist_id: i64,
    /// Which page.
    #[pale(flatten)]
    pub paging: Paging,
}

impl Handler<Licensing> for ArtistAlbums {
    type Output = Page<Album>;
    async fn handle(self, ctx: &Context<Licensing>) -> Result<Page<Album>, ApiError> {
        let found = ctx
            .app()
            .store
            .list_artist_albums(
                self.artist_id,
                self.paging.page(),
                self.paging.per_page(),
                self.paging.after().map(str::to_owned),
                viewer(ctx),
            )
            .await?;
        let items = load_albums(ctx, found.items.iter().map(|a| a.id).collect()).await?;
        Ok(Page::of(&self.paging, items, found.total).with_next(found.next))
    }
}

/// Compositions, by title.
#[derive(Endpoint)]
#[pale(GET "/compositions", name = "compositions", tags("compositions"))]
pub struct ListCompositions {
    /// Words that must each start a word of the title or of a writer's
    /// name (case and punctuation ignored), or the work's ISWC.
    #[pale(len = ..=200)]
    pub q: Option<String>,
    /// Which page.
    #[pale(flatten)]
    pub paging: Paging,
}

impl Handler<Licensing> for ListCompositions {
    type Output = Page<Composition>;
    async fn handle(self, ctx: &Context<Licensing>) -> Result<Page<Composition>, ApiError> {
        let query = CompositionQuery {
            q: self.q,
            page: self.paging.page(),
            per_page: self.paging.per_page(),
        };
        let found = ctx.app().store.list_compositions(query).await?;
        let items = found.items.into_iter().map(Composition::from).collect();
        Ok(Page::of(&self.paging, items, found.total))
    }
}

/// Which composition does a cover cover? Ranked candidates, exact title
/// first, scored by Sørensen–Dice similarity of character pairs.
///
/// At most ten candidates, best first: one answer, not a list to page
/// through. Scored are the compositions a word index finds for the title:
/// the exact title, titles with all its words, with each word, or with a
/// word starting as one of its words does (first three letters); at most
/// 50 for each.
#[derive(Endpoint)]
#[pale(GET "/compositions/match", name = "match_compositions", tags("compositions"),
       rate_limit(public = "60/min", user = "600/min", admin = "unlimited"))]
pub struct MatchCompositions {
    /// The cover's title.
    #[pale(len = 1..=200)]
    pub title: String,
    /// The original artist, if known.
    #[pale(len = ..=200)]
    pub artist: Option<String>,
    /// Writers, comma-separated.
    #[pale(separator = ",", default = Vec::new(), len = ..=20)]
    pub writers: Vec<String>,
}

impl Handler<Licensing> for MatchCompositions {
    type Output = Vec<Candidate>;
    async fn handle(self, ctx: &Context<Licensing>) -> Result<Vec<Candidate>, ApiError> {
        let query = MatchQuery {
            title: self.title,
            artist: self.artist,
            writers: self.writers,
        };
        let found = ctx.app().store.match_compositions(query).await?;
        Ok(found
            .into_iter()
            .map(|c| Candidate {
                composition: Composition::from(c.composition),
                score: c.score,
            })
            .collect())
    }
}
