//! What the composition operations take, and the checks both engines make
//! of it before they touch a row, so SQLite and PostgreSQL refuse the same
//! compositions with the same pointer and words: one composition as
//! `create_composition` takes it, and a batch as `import_compositions`
//! takes it (every row checked, each error pointing into the batch).

use std::collections::HashMap;

use crate::store::check;
use crate::store::{MAX_OFFSET, MAX_PER_PAGE, NewComposition, Result, StoreError};

/// Which compositions to list, and which page of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompositionQuery {
    /// Words that must each start a word of the title or of a writer's
    /// name (case-insensitively, punctuation ignored), or the exact ISWC;
    /// `None` (or no word at all) lists everything.
    pub q: Option<String>,
    /// The page, from 1.
    pub page: u32,
    /// The page size, 1–[`MAX_PER_PAGE`].
    pub per_page: u32,
}

impl CompositionQuery {
    /// The first page (of [`MAX_PER_PAGE`]) of a search, or of everything.
    pub fn search(q: Option<String>) -> Self {
        Self {
            q,
            page: 1,
            per_page: MAX_PER_PAGE,
        }
    }

    /// `Invalid` for a page of 0 or a page size outside 1–[`MAX_PER_PAGE`],
    /// as albums are refused.
    pub(crate) fn check(&self) -> Result<()> {
        if self.page == 0 {
            return Err(StoreError::invalid("/page", "pages are numbered from 1"));
        }
        if !(1..=MAX_PER_PAGE).contains(&self.per_page) {
            return Err(StoreError::invalid(
                "/per_page",
                format!("must be between 1 and {MAX_PER_PAGE}"),
            ));
        }
        // As deep as an album list goes by number (an offset reads every
        // row it skips).
        if u64::try_from(self.offset()).unwrap_or(u64::MAX) > MAX_OFFSET {
            return Err(StoreError::invalid(
                "/page",
                format!(
                    "pages past the first {MAX_OFFSET} compositions are not served; narrow the search with `q`"
                ),
            ));
        }
        Ok(())
    }

    /// How many rows to skip for this page.
    pub(crate) fn offset(&self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.per_page)
    }
}

/// The rules one composition obeys by itself (whether its ISWC is taken
/// is the engine's question).
pub(crate) fn check_composition(new: &NewComposition) -> Result<()> {
    check::not_blank("/title", &new.title)?;
    if new.writers.is_empty() {
        return Err(StoreError::invalid("/writers", "needs at least one writer"));
    }
    for (i, writer) in new.writers.iter().enumerate() {
        check::not_blank(&format!("/writers/{i}"), writer)?;
    }
    check::shares(&new.publishers)
}

/// The rules of a batch: every row as [`check_composition`] (its pointer
/// under `/{row}`), and no ISWC twice in it. The first bad row is the
/// answer.
pub(crate) fn check_batch(rows: &[NewComposition]) -> Result<()> {
    if rows.is_empty() {
        return Err(StoreError::invalid("", "needs at least one composition"));
    }
    let mut seen = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        check_composition(row).map_err(|e| at_row(i, e))?;
        if let Some(iswc) = row.iswc
            && let Some(first) = seen.insert(iswc, i)
        {
            return Err(StoreError::invalid(
                format!("/{i}/iswc"),
                format!("repeats the ISWC of row {first}"),
            ));
        }
    }
    Ok(())
}

/// `err`, pointing into row `i` of a batch.
pub(crate) fn at_row(i: usize, err: StoreError) -> StoreError {
    match err {
        StoreError::Invalid { field, reason } => StoreError::Invalid {
            field: format!("/{i}{field}"),
            reason,
        },
        other => other,
    }
}

/// The `Invalid` error of a batch row whose ISWC is already recorded.
pub(crate) fn iswc_taken(i: usize) -> StoreError {
    StoreError::invalid(format!("/{i}/iswc"), "a composition with this ISWC exists")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::Iswc;

    fn row(title: &str, iswc: Option<&str>) -> NewComposition {
        NewComposition {
            title: title.into(),
            iswc: iswc.map(|i| Iswc::parse(i).unwrap()),
            writers: vec!["W".into()],
            released: true,
            publishers: vec![("P".into(), 10_000)],
        }
    }

    fn field(err: StoreError) -> String {
        match err {
            StoreError::Invalid { field, .. } => field,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_batch_points_at_its_first_bad_row() {
        assert!(check_batch(&[row("A", None), row("B", None)]).is_ok());
        assert_eq!(field(check_batch(&[]).unwrap_err()), "");
        let mut bad = row("B", None);
        bad.publishers[0].1 = 9_999;
        assert_eq!(
            field(check_batch(&[row("A", None), bad, row(" ", None)]).unwrap_err()),
            "/1/publishers"
        );
        let twice = [
            row("A", Some("T-034.524.680-1")),
            row("B", None),
            row("C", Some("T-034.524.680-1")),
        ];
        assert_eq!(field(check_batch(&twice).unwrap_err()), "/2/iswc");
    }

    #[test]
    fn pages_are_checked_as_albums_are() {
        let mut q = CompositionQuery::search(None);
        assert!(q.check().is_ok());
        assert_eq!(q.offset(), 0);
        q.page = 3;
        q.per_page = 20;
        assert_eq!(q.offset(), 40);
        q.page = 0;
        assert_eq!(field(q.check().unwrap_err()), "/page");
        q.page = 1;
        q.per_page = MAX_PER_PAGE + 1;
        assert_eq!(field(q.check().unwrap_err()), "/per_page");
    }
}
