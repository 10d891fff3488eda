//! The licensing domain, independent of HTTP: identifiers, rates,
//! royalties, the accounting calendar. Each module states the rules it
//! follows and where they come from.

pub mod ids;
pub mod royalty;
pub mod statement;
