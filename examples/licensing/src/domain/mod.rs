//! The licensing domain, independent of HTTP: identifiers, rates,
//! royalties. See `../shared/reference/licensing-domain.md`.

pub mod ids;
pub mod royalty;
