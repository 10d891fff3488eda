//! A set of field indices as a bit mask.
//!
//! Rendering decides, per object, which fields to emit: the selection's set
//! intersected with the set visible to this viewer. With both as bit masks
//! that decision is one `and`, and counting the fields for
//! `serialize_struct` is one `popcount` — no allocation per object.

/// A set of a resource's fields, by index (a resource has at most 64).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct FieldSet(u64);

impl FieldSet {
    /// The most fields a resource may declare.
    pub const CAPACITY: usize = 64;
    /// No fields.
    pub const EMPTY: Self = Self(0);

    /// The set of the first `n` fields.
    pub const fn first(n: usize) -> Self {
        if n >= 64 {
            Self(u64::MAX)
        } else {
            Self((1u64 << n) - 1)
        }
    }

    /// The set holding only `index`.
    pub const fn one(index: usize) -> Self {
        Self(1u64 << index)
    }

    /// Whether `index` is in the set.
    #[inline]
    pub const fn contains(self, index: usize) -> bool {
        self.0 & (1u64 << index) != 0
    }

    /// This set with `index` added.
    #[must_use]
    pub const fn with(self, index: usize) -> Self {
        Self(self.0 | (1u64 << index))
    }

    /// Fields in both sets.
    #[inline]
    #[must_use]
    pub const fn and(self, other: Self) -> Self {
        Self(self.0 & other.0)
    }

    /// Fields in either set.
    #[must_use]
    pub const fn or(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// Fields in this set but not in `other`.
    #[must_use]
    pub const fn without(self, other: Self) -> Self {
        Self(self.0 & !other.0)
    }

    /// The number of fields.
    #[inline]
    pub const fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The indices in the set, in order.
    pub fn iter(self) -> impl Iterator<Item = usize> {
        (0..64).filter(move |&i| self.contains(i))
    }
}
