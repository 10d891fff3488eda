//! The key of an album in the title order, as a listing read by key
//! carries it from one page to the next: `{id}.{title}`, the order's two
//! columns (the title sorts case-insensitively, the id breaks ties).
//!
//! The framework wraps it in an opaque cursor (`pale::page::Cursor`); a
//! key that does not read back is `Invalid` at `/after`, whichever engine
//! is asked. A forged key only starts the same list, under the same
//! visibility, somewhere else.

use crate::store::{Result, StoreError};

/// A position in the title order: after the album `id` titled `title`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TitleKey {
    pub id: i64,
    pub title: String,
}

impl TitleKey {
    /// The key of the album `id` titled `title`.
    pub(crate) fn of(id: i64, title: &str) -> String {
        format!("{id}.{title}")
    }

    /// The key `text` stands for.
    pub(crate) fn parse(text: &str) -> Result<Self> {
        let bad = || StoreError::invalid("/after", "not a cursor of this list");
        let (id, title) = text.split_once('.').ok_or_else(bad)?;
        let id: i64 = id.parse().map_err(|_| bad())?;
        if id < 1 || title.is_empty() {
            return Err(bad());
        }
        Ok(Self {
            id,
            title: title.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_back_what_it_writes_and_nothing_else() {
        let key = TitleKey::of(42, "Blue. Train");
        assert_eq!(key, "42.Blue. Train");
        let parsed = TitleKey::parse(&key).unwrap();
        assert_eq!((parsed.id, parsed.title.as_str()), (42, "Blue. Train"));
        for bad in [
            "",
            "42",
            "42.",
            ".x",
            "x.y",
            "0.x",
            "-1.x",
            "99999999999999999999.x",
        ] {
            let error = TitleKey::parse(bad).unwrap_err();
            assert!(
                matches!(&error, StoreError::Invalid { field, .. } if field == "/after"),
                "{bad:?}: {error:?}"
            );
        }
    }
}
