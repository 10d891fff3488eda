//! The licensing domain, independent of HTTP: identifiers, rates,
//! royalties, the accounting calendar, and the caps that keep money
//! inside 64 bits. Each module states the rules it follows and where they
//! come from.

pub mod ids;
pub mod limits;
pub mod royalty;
pub mod statement;
