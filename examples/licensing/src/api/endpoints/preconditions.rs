//! The order of the checks on a write to an album (its own fields, its
//! tracks, deleting it): who the caller is (the pipeline: 401), whether
//! they may write this album at all (404 if they cannot see it, 403 if
//! they can but do not own it), then `If-Match` (428, 412), and only then
//! the write rules (422, 409).
//!
//! Why in this order: a precondition must tell a stranger nothing about
//! the object. Checked first, `If-Match` would answer a non-owner 412 for
//! a stale tag and let an empty patch with the current tag through as a
//! 200, so anyone who can see an album could probe its version, and
//! RFC 9110 §13.2.1 says a server ignores preconditions when the answer
//! without them would not be a 2xx. Every album write goes through
//! [`album_for_write`], and `If-Match` is checked only on what it gives
//! ([`Writable`]), so no endpoint can put them the other way round.
//!
//! The tag compared is the album's resource version ([`Album::entity_tag`]),
//! which a track's edit bumps too: an album's representation includes its
//! tracks, so one tag guards the album and its tracklist.

use pale::write::check_if_match_value;
use pale::{ApiError, Context};

use super::load_owned_album;
use crate::api::app::Licensing;
use crate::api::resources::Album;

/// Whether a write needs `If-Match`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IfMatch {
    /// 428 without it: a change to fields the client read (a `PATCH`)
    /// must say which version it read, or it could undo another's change.
    Required,
    /// Honoured when sent (412 if stale), not required (a `DELETE`: it
    /// loses nothing a client could have merged).
    Optional,
}

/// An album the caller has been found to own (or, as an admin, to
/// manage): only [`album_for_write`] makes one, and only on one is
/// `If-Match` checked ([`Writable::precondition`]), so authorization comes
/// first by construction.
#[derive(Debug)]
pub(crate) struct Writable(Album);

impl std::ops::Deref for Writable {
    type Target = Album;
    fn deref(&self) -> &Album {
        &self.0
    }
}

impl Writable {
    /// Checks `if_match` (the request's `If-Match`, `None` if it had none)
    /// against the album's entity tag: 428 if [`IfMatch::Required`] and
    /// absent, 412 if it names another version. Gives the version the
    /// store must still find (`None`: the client named none), which makes
    /// the check atomic: a writer that got in between this read and the
    /// store's write turns this one's answer into a 412 too.
    pub(crate) fn precondition(
        &self,
        if_match: Option<&str>,
        rule: IfMatch,
    ) -> Result<Option<i64>, ApiError> {
        let current = Album::entity_tag(self.0.version);
        check_if_match_value(if_match, &current, rule == IfMatch::Required)?;
        Ok(if_match.map(|_| self.0.version))
    }

    /// The album.
    pub(crate) fn into_album(self) -> Album {
        self.0
    }
}

/// The album `album_id`, for a write by the caller: 404 if they cannot
/// see it, 403 if they can but it is not theirs (nor are they an admin).
/// The handler then checks whatever else would be a 404 without
/// preconditions (a missing track), then `If-Match`.
pub(crate) async fn album_for_write(
    ctx: &Context<Licensing>,
    album_id: i64,
) -> Result<Writable, ApiError> {
    load_owned_album(ctx, album_id).await.map(Writable)
}
