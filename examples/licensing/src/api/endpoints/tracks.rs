//! An album's tracks, written by its artist through a write schema: the
//! same field rules, casting and constraints as every other write.
//!
//! A track is part of its album's representation, so the album's `ETag`
//! guards its tracks: a track's `PATCH` requires it in `If-Match` (428
//! without, 412 if stale), a `DELETE` honours it when sent, and every
//! track edit bumps the album's version. Who may write comes first, then
//! `If-Match`, then the write rules (`preconditions`).

use pale::argument::{Raw, WebUrl};
use pale::prelude::*;
use pale::write::{WriteMode, apply};

use super::load_album;
use super::preconditions::{IfMatch, Writable, album_for_write};
use crate::api::app::Licensing;
use crate::api::resources::{Album, Track};
use crate::domain::ids::Isrc;
use crate::store::{NewTrack, Store, TrackPatch};

/// What an artist writes about a track. The album's ownership is checked
/// by the endpoint; these rules say what may be written at all.
#[derive(Resource, Clone, Debug)]
#[pale(name = "track_input")]
pub struct TrackInput {
    /// Where to insert it (1 to n+1; appended when absent). Later tracks
    /// move down.
    #[pale(write = User, create_only, range = 1..=999)]
    pub number: Option<u32>,
    /// Title.
    #[pale(write = User, len = 1..=200)]
    pub title: String,
    /// Playing time in seconds.
    #[pale(write = User, range = 1..=86_400)]
    pub duration_s: u32,
    /// The recording's ISRC.
    #[pale(write = User)]
    pub isrc: Option<Isrc>,
    /// A short preview.
    #[pale(write = User)]
    pub preview_url: Option<WebUrl>,
    /// Whether it covers someone else's composition.
    #[pale(write = User)]
    pub is_cover: Option<bool>,
    /// The composition covered (its id), once known.
    #[pale(write = User, range = 1..)]
    pub cover_of: Option<i64>,
    /// Whether the lyrics were changed (then the cover needs a negotiated
    /// license).
    #[pale(write = User)]
    pub lyrics_changed: Option<bool>,
}

impl TrackInput {
    fn blank() -> Self {
        Self {
            number: None,
            title: String::new(),
            duration_s: 0,
            isrc: None,
            preview_url: None,
            is_cover: None,
            cover_of: None,
            lyrics_changed: None,
        }
    }
}

/// Add a track to a draft album.
#[derive(Endpoint)]
#[pale(POST "/albums/{album_id}/tracks", name = "add_track", audience = User, tags("albums"), errors(409))]
pub struct AddTrack {
    /// The album.
    pub album_id: i64,
    /// The track: `title` and `duration_s` are required.
    #[pale(from = document)]
    pub track: Create<TrackInput>,
}

impl Handler<Licensing> for AddTrack {
    type Output = Created<Album>;
    async fn handle(self, ctx: &Context<Licensing>) -> Result<Created<Album>, ApiError> {
        album_for_write(ctx, self.album_id).await?;
        let input = self.track.apply_to(TrackInput::blank(), ctx)?;
        ctx.app()
            .store
            .add_track(
                self.album_id,
                NewTrack {
                    number: input.number,
                    title: input.title,
                    duration_s: input.duration_s,
                    isrc: input.isrc,
                    preview_url: input.preview_url.map(|u| u.to_string()),
                    is_cover: input.is_cover.unwrap_or(input.cover_of.is_some()),
                    cover_of: input.cover_of,
                    lyrics_changed: input.lyrics_changed.unwrap_or(false),
                },
            )
            .await?;
        let album = load_album(ctx, self.album_id).await?;
        Ok(Created::at(super::GetAlbum::path(album.id), album))
    }
}

/// Change a track of a draft album: a JSON merge patch, with the album's
/// `ETag` in `If-Match`.
///
/// Checked in this order: the caller may write this album (404 if they
/// cannot see it, 403 if it is not theirs, whatever `If-Match` says), the
/// track exists (404), then `If-Match` (428, 412), then the patch (422)
/// and the album's state (409 once submitted). Answers the album, with
/// its new `ETag`.
#[derive(Endpoint)]
#[pale(PATCH "/albums/{album_id}/tracks/{number}", name = "patch_track", audience = User, tags("albums"), errors(409, 412, 428), writes = TrackInput)]
pub struct PatchTrack {
    /// The album.
    pub album_id: i64,
    /// The track's number.
    pub number: u32,
    /// The album's `ETag`, as read (a track edit changes the album): a
    /// patch without it is refused (428), one with a stale tag too (412).
    /// The store writes only if the album is still at that version, so of
    /// two writers holding one tag, one wins and the other gets 412.
    #[pale(from = header("If-Match"))]
    pub if_match: Option<String>,
    /// The merge patch.
    #[pale(from = document)]
    pub patch: Raw,
}

impl Handler<Licensing> for PatchTrack {
    type Output = Album;
    async fn handle(self, ctx: &Context<Licensing>) -> Result<Album, ApiError> {
        let album = album_for_write(ctx, self.album_id).await?;
        let track = find_track(&album, self.number)?;
        let version = album.version;
        album.precondition(self.if_match.as_deref(), IfMatch::Required)?;
        let before = TrackInput {
            number: Some(track.number),
            title: track.title.clone(),
            duration_s: track.duration_s,
            isrc: track.isrc,
            preview_url: track
                .preview_url
                .as_deref()
                .and_then(|u| WebUrl::parse(u).ok()),
            is_cover: Some(track.cover_of.is_some()),
            cover_of: track.cover_of.as_ref().map(|c| c.id),
            lyrics_changed: None,
        };
        let mut after = before.clone();
        apply(&mut after, &self.patch, ctx, WriteMode::Patch)?;
        let given = |key: &str| matches!(&self.patch, Raw::Map(m) if m.contains_key(key));
        let patch = TrackPatch {
            title: given("title").then(|| after.title.clone()),
            duration_s: given("duration_s").then_some(after.duration_s),
            isrc: given("isrc").then_some(after.isrc),
            preview_url: given("preview_url")
                .then(|| after.preview_url.as_ref().map(ToString::to_string)),
            is_cover: given("is_cover").then(|| after.is_cover.unwrap_or(false)),
            cover_of: given("cover_of").then_some(after.cover_of),
            lyrics_changed: given("lyrics_changed").then(|| after.lyrics_changed.unwrap_or(false)),
        };
        ctx.app()
            .store
            .update_track(self.album_id, self.number, version, patch)
            .await?;
        load_album(ctx, self.album_id).await
    }
}

/// Remove a track from a draft album; later tracks move up.
///
/// `If-Match` (the album's `ETag`) is honoured when sent, 412 if stale,
/// and not required: a delete overwrites no field a client read. A
/// client that numbers tracks from what it read should send it, since
/// deleting renumbers the tracks after. 404 and 403 come first, whatever
/// `If-Match` says; the album's state (409 once submitted) after it.
#[derive(Endpoint)]
#[pale(DELETE "/albums/{album_id}/tracks/{number}", name = "delete_track", audience = User, tags("albums"), errors(409, 412))]
pub struct DeleteTrack {
    /// The album.
    pub album_id: i64,
    /// The track's number.
    pub number: u32,
    /// The album's `ETag`, as read (optional): if sent, the track is
    /// deleted only if the album is still at that version.
    #[pale(from = header("If-Match"))]
    pub if_match: Option<String>,
}

impl Handler<Licensing> for DeleteTrack {
    type Output = NoContent;
    async fn handle(self, ctx: &Context<Licensing>) -> Result<NoContent, ApiError> {
        let album = album_for_write(ctx, self.album_id).await?;
        find_track(&album, self.number)?;
        let expected = album.precondition(self.if_match.as_deref(), IfMatch::Optional)?;
        ctx.app()
            .store
            .delete_track(self.album_id, self.number, expected)
            .await?;
        Ok(NoContent)
    }
}

/// Track `number` of `album`: 404 if it has none, which is the answer
/// whatever `If-Match` says (RFC 9110 §13.2.1), so it is asked first.
fn find_track(album: &Writable, number: u32) -> Result<&Track, ApiError> {
    album
        .tracks
        .iter()
        .find(|t| t.number == number)
        .ok_or_else(|| ApiError::not_found("track"))
}
