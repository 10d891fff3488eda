//! Input checks shared by the operations of every engine, each giving an
//! `Invalid` error that points at the field.
//!
//! They live above the engines so that SQLite and PostgreSQL refuse the
//! same inputs with the same field and the same words: only the checks
//! that need a row (does the artist exist?) are asked by each engine.

use crate::domain::limits::MAX_TRACK_SECONDS;
use crate::store::{
    AlbumQuery, AlbumSort, MAX_OFFSET, MAX_PER_PAGE, MIN_SEARCH_CHARS, Result, StoreError,
};

/// `Invalid` for a page of 0, a page size outside 1–[`MAX_PER_PAGE`], or
/// a page by number deeper than [`MAX_OFFSET`] albums (a page by key,
/// `after` in the title order, goes as deep as the list).
pub(crate) fn paging(query: &AlbumQuery) -> Result<()> {
    if query.page == 0 {
        return Err(StoreError::invalid("/page", "pages are numbered from 1"));
    }
    let by_key = query.after.is_some() && query.sort == AlbumSort::Title;
    if !by_key && query.offset() > MAX_OFFSET {
        return Err(StoreError::invalid(
            "/page",
            format!(
                "pages past the first {MAX_OFFSET} albums are reached by following `next` links"
            ),
        ));
    }
    if !(1..=MAX_PER_PAGE).contains(&query.per_page) {
        return Err(StoreError::invalid(
            "/per_page",
            format!("must be between 1 and {MAX_PER_PAGE}"),
        ));
    }
    Ok(())
}

/// The text a listing searches for: `None` for no search (absent or
/// blank), `Invalid` at `/q` for fewer than [`MIN_SEARCH_CHARS`]
/// characters.
pub(crate) fn search_text(q: Option<&str>) -> Result<Option<&str>> {
    let Some(text) = q.map(str::trim).filter(|q| !q.is_empty()) else {
        return Ok(None);
    };
    if text.chars().count() < MIN_SEARCH_CHARS {
        return Err(StoreError::invalid(
            "/q",
            format!("search for at least {MIN_SEARCH_CHARS} characters"),
        ));
    }
    Ok(Some(text))
}

/// `text` has something besides whitespace.
pub(crate) fn not_blank(field: &str, text: &str) -> Result<()> {
    if text.trim().is_empty() {
        return Err(StoreError::invalid(field, "must not be empty"));
    }
    Ok(())
}

/// A track lasts at least a second and at most
/// [`MAX_TRACK_SECONDS`] (`domain::limits`: the bound that keeps
/// royalties inside 64 bits).
pub(crate) fn duration(field: &str, seconds: u32) -> Result<()> {
    if seconds == 0 {
        return Err(StoreError::invalid(field, "must be at least one second"));
    }
    if seconds > MAX_TRACK_SECONDS {
        return Err(StoreError::invalid(
            field,
            format!("must be at most {MAX_TRACK_SECONDS} seconds (a day)"),
        ));
    }
    Ok(())
}

/// `publishers` are named once each and their shares sum to 100.00%.
pub(crate) fn shares(publishers: &[(String, u32)]) -> Result<()> {
    if publishers.is_empty() {
        return Err(StoreError::invalid(
            "/publishers",
            "needs at least one publisher",
        ));
    }
    for (i, (name, share)) in publishers.iter().enumerate() {
        not_blank(&format!("/publishers/{i}/name"), name)?;
        if publishers[..i].iter().any(|(earlier, _)| earlier == name) {
            return Err(StoreError::invalid(
                format!("/publishers/{i}/name"),
                "names a publisher twice",
            ));
        }
        if !(1..=10_000).contains(share) {
            return Err(StoreError::invalid(
                format!("/publishers/{i}/share_bp"),
                "must be between 1 and 10000 (0.01% to 100%)",
            ));
        }
    }
    // Each share is at most 10,000 (checked above), so the sum fits in
    // 64 bits for any list that fits in memory.
    let total: u64 = publishers.iter().map(|(_, share)| u64::from(*share)).sum();
    if total != 10_000 {
        return Err(StoreError::invalid(
            "/publishers",
            format!("shares must sum to 10000 (100%), not {total}"),
        ));
    }
    Ok(())
}

/// The rules a track's own fields obey together (whether `cover_of`
/// names a composition that exists is the engine's question).
pub(crate) fn track(
    title: &str,
    duration_s: u32,
    is_cover: bool,
    cover_of: Option<i64>,
    lyrics_changed: bool,
) -> Result<()> {
    not_blank("/title", title)?;
    duration("/duration_s", duration_s)?;
    if cover_of.is_some() && !is_cover {
        return Err(StoreError::invalid(
            "/is_cover",
            "a track that covers a composition is a cover",
        ));
    }
    if lyrics_changed && !is_cover {
        return Err(StoreError::invalid(
            "/lyrics_changed",
            "only a cover can change the lyrics",
        ));
    }
    Ok(())
}

/// Escapes `text` for `LIKE … ESCAPE '\'` and wraps it in `%`, so a search
/// for `100%` finds "100%" and not everything. Both engines' `LIKE` read
/// the same escape.
pub(crate) fn like_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(list: &[(&str, u32)]) -> Vec<(String, u32)> {
        list.iter().map(|(n, s)| ((*n).to_owned(), *s)).collect()
    }

    #[test]
    fn shares_sum_to_one_hundred_percent() {
        assert!(shares(&p(&[("A", 10_000)])).is_ok());
        assert!(shares(&p(&[("A", 3_334), ("B", 3_333), ("C", 3_333)])).is_ok());
        for (bad, field) in [
            (p(&[]), "/publishers"),
            (p(&[("A", 5_000)]), "/publishers"),
            (p(&[("A", 5_000), ("A", 5_000)]), "/publishers/1/name"),
            (p(&[("A", 0), ("B", 10_000)]), "/publishers/0/share_bp"),
            (p(&[(" ", 10_000)]), "/publishers/0/name"),
        ] {
            match shares(&bad) {
                Err(StoreError::Invalid { field: f, .. }) => assert_eq!(f, field),
                other => panic!("{bad:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_track_lasts_a_second_to_a_day() {
        assert!(duration("/d", 1).is_ok());
        assert!(duration("/d", MAX_TRACK_SECONDS).is_ok());
        for bad in [0, MAX_TRACK_SECONDS + 1, u32::MAX] {
            assert!(
                matches!(duration("/d", bad), Err(StoreError::Invalid { field, .. }) if field == "/d"),
                "{bad}"
            );
        }
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_pattern("jolene"), "%jolene%");
        assert_eq!(like_pattern("100%_\\"), "%100\\%\\_\\\\%");
    }
}
