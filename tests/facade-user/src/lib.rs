//! A user's crate, as the guide tells one to write it: `pale` is its one
//! pale-related dependency. Its doctests are the guide's pages whose code
//! a new user types first.

/// `docs/getting-started.md`.
#[doc = include_str!("../../../docs/getting-started.md")]
pub struct GettingStarted;

/// `docs/testing.md`.
#[doc = include_str!("../../../docs/testing.md")]
pub struct Testing;
