//! Behaviour, cross-crate and compile-fail tests for Pale.
//!
//! The library part holds fixtures shared by the test files: a small store
//! app with an owner and an admin, and resources with fields for every
//! audience.

pub mod fixtures;
