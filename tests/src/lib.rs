//! Behaviour, cross-crate and compile-fail tests for Pale.
//!
//! The library part holds fixtures shared by the test files: a small store
//! app with an owner and an admin, and resources with fields for every
//! audience.

pub mod fixtures;

/// The guide's code blocks compile and run.
#[cfg(doctest)]
pub mod guide {
    #[doc = include_str!("../../docs/index.md")]
    pub struct Index;
    #[doc = include_str!("../../docs/getting-started.md")]
    pub struct GettingStarted;
    #[doc = include_str!("../../docs/arguments.md")]
    pub struct Arguments;
    #[doc = include_str!("../../docs/resources.md")]
    pub struct Resources;
    #[doc = include_str!("../../docs/field-selection.md")]
    pub struct FieldSelection;
    #[doc = include_str!("../../docs/pagination.md")]
    pub struct Pagination;
    #[doc = include_str!("../../docs/formats.md")]
    pub struct Formats;
    #[doc = include_str!("../../docs/errors.md")]
    pub struct Errors;
    #[doc = include_str!("../../docs/serving.md")]
    pub struct Serving;
    #[doc = include_str!("../../docs/testing.md")]
    pub struct Testing;
    #[doc = include_str!("../../docs/deployment.md")]
    pub struct Deployment;
    #[doc = include_str!("../../docs/writes.md")]
    pub struct Writes;
    #[doc = include_str!("../../docs/deploy-band-site.md")]
    pub struct DeployBandSite;
    #[doc = include_str!("../../docs/caching.md")]
    pub struct Caching;
}
