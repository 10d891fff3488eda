//! [`Position`]: where a page stands in its list, and which pages its
//! links lead to. Pure arithmetic, so the edge cases (an empty list, a
//! page past the end, a total that is not a multiple of the page size)
//! are settled in one table of tests.

/// A page's number, size and the list's total: what the links of a page
/// are computed from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    /// This page's number, from 1.
    pub page: u64,
    /// The most items a page holds.
    pub per_page: u64,
    /// The number of items on all pages.
    pub total: u64,
}

impl Position {
    /// The number of pages: 0 for an empty list.
    pub fn pages(&self) -> u64 {
        if self.per_page == 0 {
            0
        } else {
            self.total.div_ceil(self.per_page)
        }
    }

    /// The last page: 1 for an empty list, whose one page is empty.
    pub fn last(&self) -> u64 {
        self.pages().max(1)
    }

    /// The page after this one, unless this is the last (or past it).
    pub fn next(&self) -> Option<u64> {
        (self.page < self.last()).then(|| self.page + 1)
    }

    /// The page before this one, unless this is the first; from past the
    /// end, the last page.
    pub fn prev(&self) -> Option<u64> {
        (self.page > 1).then(|| (self.page - 1).min(self.last()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (page, per_page, total)
    type Given = (u64, u64, u64);
    /// (pages, last, prev, next)
    type Expected = (u64, u64, Option<u64>, Option<u64>);

    #[test]
    fn pages_and_their_neighbours() {
        #[rustfmt::skip]
        let table: &[(Given, Expected)] = &[
            // first, middle and last of 3 full pages
            ((1, 10, 30), (3, 3, None, Some(2))),
            ((2, 10, 30), (3, 3, Some(1), Some(3))),
            ((3, 10, 30), (3, 3, Some(2), None)),
            // a total that is not a multiple: the last page is short
            ((1, 10, 31), (4, 4, None, Some(2))),
            ((4, 10, 31), (4, 4, Some(3), None)),
            ((3, 20, 57), (3, 3, Some(2), None)),
            // one page, exactly full or not
            ((1, 10, 10), (1, 1, None, None)),
            ((1, 10, 1), (1, 1, None, None)),
            // an empty list has one, empty, page
            ((1, 20, 0), (0, 1, None, None)),
            // past the end: back to the last page, nothing next
            ((9, 10, 30), (3, 3, Some(3), None)),
            ((2, 20, 0), (0, 1, Some(1), None)),
            // per_page at its bounds
            ((1, 1, 3), (3, 3, None, Some(2))),
            ((2, 100, 1000), (10, 10, Some(1), Some(3))),
            ((1, u64::from(u32::MAX), u64::MAX), (u64::MAX.div_ceil(u64::from(u32::MAX)), u64::MAX.div_ceil(u64::from(u32::MAX)), None, Some(2))),
            // no page size (a hand-built page): no pages
            ((1, 0, 5), (0, 1, None, None)),
        ];
        for &((page, per_page, total), expected) in table {
            let at = Position {
                page,
                per_page,
                total,
            };
            let got = (at.pages(), at.last(), at.prev(), at.next());
            assert_eq!(got, expected, "page {page} of {per_page} in {total}");
        }
    }
}
