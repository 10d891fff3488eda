//! The licensing domain, independent of HTTP: identifiers, rates,
//! royalties, the accounting calendar. See `../shared/reference/licensing-domain.md`.

pub mod ids;
pub mod royalty;
pub mod statement;
