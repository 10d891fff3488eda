//! Behaviour, cross-crate and compile-fail tests for Pale.
