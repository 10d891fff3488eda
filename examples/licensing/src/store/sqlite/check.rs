//! Input checks shared by the operations, each giving an `Invalid` error
//! that points at the field.

use crate::store::{Result, StoreError};

/// `text` has something besides whitespace.
pub(super) fn not_blank(field: &str, text: &str) -> Result<()> {
    if text.trim().is_empty() {
        return Err(StoreError::invalid(field, "must not be empty"));
    }
    Ok(())
}

/// A track lasts at least a second.
pub(super) fn duration(field: &str, seconds: u32) -> Result<()> {
    if seconds == 0 {
        return Err(StoreError::invalid(field, "must be at least one second"));
    }
    Ok(())
}

/// `publishers` are named once each and their shares sum to 100.00%.
pub(super) fn shares(publishers: &[(String, u32)]) -> Result<()> {
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
    let total: u32 = publishers.iter().map(|(_, share)| share).sum();
    if total != 10_000 {
        return Err(StoreError::invalid(
            "/publishers",
            format!("shares must sum to 10000 (100%), not {total}"),
        ));
    }
    Ok(())
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
}
