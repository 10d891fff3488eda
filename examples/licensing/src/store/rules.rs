//! The business rules every engine applies the same way: what a draft
//! may become, where a track may go, how a patch changes a record, which
//! license a cover gets, which sales lines are acceptable.
//!
//! Each rule is a plain function of records the engine has read, so
//! SQLite and PostgreSQL refuse the same operations with the same error
//! and the same words (the HTTP layer shows them). The engines keep only
//! what is theirs: reading the rows, and making the check and the write
//! one transaction.

use time::Date;

use super::check;
use crate::domain::limits::MAX_ALBUM_UNITS;
use crate::domain::royalty;
use crate::domain::statement::SalesMonth;
use crate::store::{
    Album, AlbumPatch, AlbumStatus, License, LicenseStatus, Result, SaleLine, StoreError, Track,
    TrackPatch,
};

pub(crate) use crate::domain::limits::MAX_TRACKS;

/// `VersionMismatch` unless the album is at `expected` (when the caller
/// named a version: `None` writes whatever the version). Checked before
/// any other rule of a write, as the HTTP layer checks `If-Match` before
/// the write rules: a stale client hears 412, not why the write would
/// have failed on a state it has not seen.
pub(crate) fn require_version(album: &Album, expected: Option<i64>) -> Result<()> {
    match expected {
        Some(version) if version != album.version => Err(StoreError::VersionMismatch {
            current: album.version,
        }),
        _ => Ok(()),
    }
}

/// `Conflict` unless the album is a draft (its tracklist is open).
pub(crate) fn require_draft(album: &Album) -> Result<()> {
    if album.status != AlbumStatus::Draft {
        return Err(StoreError::Conflict(
            "the album has been submitted; its tracklist is frozen",
        ));
    }
    Ok(())
}

/// `Conflict` unless the album may be deleted (only drafts may).
pub(crate) fn require_deletable(album: &Album) -> Result<()> {
    if album.status != AlbumStatus::Draft {
        return Err(StoreError::Conflict("only draft albums can be deleted"));
    }
    Ok(())
}

/// `Conflict` unless the album, with these tracks, may be submitted: a
/// draft, with a track, whose covers each name a composition.
pub(crate) fn require_submittable(album: &Album, tracks: &[Track]) -> Result<()> {
    if album.status != AlbumStatus::Draft {
        return Err(StoreError::Conflict("only a draft can be submitted"));
    }
    if tracks.is_empty() {
        return Err(StoreError::Conflict(
            "an album needs a track to be submitted",
        ));
    }
    if tracks.iter().any(|t| t.is_cover && t.cover_of.is_none()) {
        return Err(StoreError::Conflict(
            "every cover must name the composition it covers",
        ));
    }
    Ok(())
}

/// `Conflict` unless the album may be published: submitted, with no
/// license `outstanding` (not yet active).
pub(crate) fn require_publishable(album: &Album, outstanding: bool) -> Result<()> {
    if album.status != AlbumStatus::Submitted {
        return Err(StoreError::Conflict(
            "only a submitted album can be published",
        ));
    }
    if outstanding {
        return Err(StoreError::Conflict(
            "every license must be active before the album is published",
        ));
    }
    Ok(())
}

/// `Conflict` if the license is already active.
pub(crate) fn require_inactive(license: &License) -> Result<()> {
    if license.status == LicenseStatus::Active {
        return Err(StoreError::Conflict("the license is already active"));
    }
    Ok(())
}

/// What a cover's license is at submission: a faithful cover of a released
/// song gets a Notice of Intention served `today` at that year's rate
/// (17 U.S.C. §115); a changed text or a never-released song is outside
/// the compulsory license and must be negotiated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct LicenseTerms {
    /// Where the license starts.
    pub(crate) status: LicenseStatus,
    /// The rate year, for a notice.
    pub(crate) rate_year: Option<i32>,
    /// The day the notice was served.
    pub(crate) notice_date: Option<Date>,
}

/// The license terms of a cover (see [`LicenseTerms`]).
pub(crate) fn license_terms(released: bool, lyrics_changed: bool, today: Date) -> LicenseTerms {
    if released && !lyrics_changed {
        LicenseTerms {
            status: LicenseStatus::NoticeSent,
            rate_year: Some(today.year()),
            notice_date: Some(today),
        }
    } else {
        LicenseTerms {
            status: LicenseStatus::NeedsNegotiation,
            rate_year: None,
            notice_date: None,
        }
    }
}

/// Where a new track goes on an album of `count` tracks: `requested`, or
/// appended. `Conflict` for a full album, `Invalid` for a gap.
pub(crate) fn track_position(count: u32, requested: Option<u32>) -> Result<u32> {
    if count >= MAX_TRACKS {
        return Err(StoreError::Conflict(
            "the album has the most tracks allowed",
        ));
    }
    let number = requested.unwrap_or(count + 1);
    if !(1..=count + 1).contains(&number) {
        return Err(StoreError::invalid(
            "/number",
            format!("must be between 1 and {} (numbers have no gaps)", count + 1),
        ));
    }
    Ok(number)
}

/// The album `patch` makes of `before`, its title checked. Equal to
/// `before` for an empty or no-op patch (then nothing is written, and the
/// version stays).
pub(crate) fn patch_album(before: &Album, patch: AlbumPatch) -> Result<Album> {
    check_album_patch(&patch)?;
    let mut after = before.clone();
    let AlbumPatch {
        title,
        release_date,
        upc,
        price_cents,
        cover_art_url,
        bandcamp_url,
        spotify_url,
    } = patch;
    after.title = title.unwrap_or(after.title);
    after.release_date = release_date.unwrap_or(after.release_date);
    after.upc = upc.unwrap_or(after.upc);
    after.price_cents = price_cents.unwrap_or(after.price_cents);
    after.cover_art_url = cover_art_url.unwrap_or(after.cover_art_url);
    after.bandcamp_url = bandcamp_url.unwrap_or(after.bandcamp_url);
    after.spotify_url = spotify_url.unwrap_or(after.spotify_url);
    Ok(after)
}

/// What a patch of an album's fields must be, whatever it patches: a
/// title, if it names one, that is not blank.
pub(crate) fn check_album_patch(patch: &AlbumPatch) -> Result<()> {
    if let Some(title) = &patch.title {
        check::not_blank("/title", title)?;
    }
    Ok(())
}

/// The track `patch` makes of `before`, its own fields checked together
/// ([`check::track`]); whether the composition exists is the engine's
/// question.
pub(crate) fn patch_track(before: &Track, patch: TrackPatch) -> Result<Track> {
    let mut after = before.clone();
    let TrackPatch {
        title,
        duration_s,
        isrc,
        preview_url,
        is_cover,
        cover_of,
        lyrics_changed,
    } = patch;
    after.title = title.unwrap_or(after.title);
    after.duration_s = duration_s.unwrap_or(after.duration_s);
    after.isrc = isrc.unwrap_or(after.isrc);
    after.preview_url = preview_url.unwrap_or(after.preview_url);
    after.cover_of = cover_of.unwrap_or(after.cover_of);
    // Naming a composition makes a track a cover, unless the patch says
    // otherwise (which `check::track` then rejects).
    after.is_cover = is_cover.unwrap_or(after.is_cover || after.cover_of.is_some());
    after.lyrics_changed = lyrics_changed.unwrap_or(after.lyrics_changed);
    check::track(
        &after.title,
        after.duration_s,
        after.is_cover,
        after.cover_of,
        after.lyrics_changed,
    )?;
    Ok(after)
}

/// The statutory rate of `month`'s year, or a 422 on `/month`: sales of a
/// year with no rate could never be accounted.
pub(crate) fn known_rate(month: SalesMonth) -> Result<royalty::Rate> {
    royalty::rate_for(month.year()).ok_or_else(|| {
        StoreError::invalid(
            "/month",
            format!("no statutory rate is known for {}", month.year()),
        )
    })
}

/// Checks line `i` of a sales report, given what the engine found of its
/// album (its status and number of tracks, or nothing).
pub(crate) fn check_sale_line(
    i: usize,
    line: &SaleLine,
    album: Option<(AlbumStatus, u32)>,
) -> Result<()> {
    let track_count = match album {
        None => {
            return Err(StoreError::invalid(
                format!("/lines/{i}/album_id"),
                "no such album",
            ));
        }
        Some((AlbumStatus::Live, count)) => count,
        Some(_) => {
            return Err(StoreError::invalid(
                format!("/lines/{i}/album_id"),
                "the album is not on sale",
            ));
        }
    };
    if let Some(number) = line.track_number
        && !(1..=track_count).contains(&number)
    {
        return Err(StoreError::invalid(
            format!("/lines/{i}/track_number"),
            "the album has no such track",
        ));
    }
    Ok(())
}

/// What an album has sold once line `i` of a report, of `units`, is
/// added to the `sold` before it: a 422 on the line's units past
/// [`MAX_ALBUM_UNITS`] (`domain::limits`), so the report is refused whole.
pub(crate) fn add_album_units(i: usize, album_id: i64, sold: u64, units: u32) -> Result<u64> {
    sold.checked_add(u64::from(units))
        .filter(|total| *total <= MAX_ALBUM_UNITS)
        .ok_or_else(|| {
            StoreError::invalid(
                format!("/lines/{i}/units"),
                format!(
                    "album {album_id} would have sold more than {MAX_ALBUM_UNITS} units, \
                     the most one album may count"
                ),
            )
        })
}

/// The units of a report's lines, summed without wrapping.
pub(crate) fn report_units(lines: &[SaleLine]) -> Result<u64> {
    lines.iter().try_fold(0u64, |sum, line| {
        sum.checked_add(u64::from(line.units))
            .ok_or_else(|| StoreError::invalid("/lines", "too many units to count"))
    })
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::store::SaleFormat;

    #[test]
    fn only_faithful_covers_of_released_songs_get_a_notice() {
        let today = date!(2026 - 03 - 02);
        let notice = license_terms(true, false, today);
        assert_eq!(
            (notice.status, notice.rate_year, notice.notice_date),
            (LicenseStatus::NoticeSent, Some(2026), Some(today))
        );
        for (released, lyrics_changed) in [(true, true), (false, false), (false, true)] {
            let terms = license_terms(released, lyrics_changed, today);
            assert_eq!(terms.status, LicenseStatus::NeedsNegotiation);
            assert_eq!((terms.rate_year, terms.notice_date), (None, None));
        }
    }

    #[test]
    fn tracks_go_where_numbers_stay_without_gaps() {
        assert_eq!(track_position(0, None).unwrap(), 1);
        assert_eq!(track_position(3, None).unwrap(), 4);
        assert_eq!(track_position(3, Some(1)).unwrap(), 1);
        assert_eq!(track_position(3, Some(4)).unwrap(), 4);
        for bad in [0, 5] {
            assert!(matches!(
                track_position(3, Some(bad)),
                Err(StoreError::Invalid { .. })
            ));
        }
        assert!(matches!(
            track_position(MAX_TRACKS, None),
            Err(StoreError::Conflict(_))
        ));
    }

    #[test]
    fn an_album_counts_units_up_to_its_cap_and_not_one_more() {
        assert_eq!(add_album_units(0, 7, 5, 3).unwrap(), 8);
        let last = MAX_ALBUM_UNITS - 10;
        assert_eq!(add_album_units(0, 7, last, 10).unwrap(), MAX_ALBUM_UNITS);
        for (sold, units) in [(last, 11), (u64::MAX, 1), (MAX_ALBUM_UNITS, 1)] {
            match add_album_units(4, 7, sold, units) {
                Err(StoreError::Invalid { field, reason }) => {
                    assert_eq!(field, "/lines/4/units");
                    assert_eq!(
                        reason,
                        "album 7 would have sold more than 1000000000 units, \
                         the most one album may count"
                    );
                }
                other => panic!("{sold} + {units}: {other:?}"),
            }
        }
    }

    #[test]
    fn sales_lines_name_a_live_album_and_one_of_its_tracks() {
        let line = |track_number| SaleLine {
            album_id: 1,
            track_number,
            format: SaleFormat::Download,
            units: 1,
        };
        let live = Some((AlbumStatus::Live, 2));
        assert!(check_sale_line(0, &line(None), live).is_ok());
        assert!(check_sale_line(0, &line(Some(2)), live).is_ok());
        for (album, l, field) in [
            (None, line(None), "/lines/3/album_id"),
            (
                Some((AlbumStatus::Submitted, 2)),
                line(None),
                "/lines/3/album_id",
            ),
            (live, line(Some(3)), "/lines/3/track_number"),
            (live, line(Some(0)), "/lines/3/track_number"),
        ] {
            match check_sale_line(3, &l, album) {
                Err(StoreError::Invalid { field: f, .. }) => assert_eq!(f, field),
                other => panic!("{album:?} {l:?}: {other:?}"),
            }
        }
    }
}
