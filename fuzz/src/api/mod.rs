//! The small API the targets exercise: written with the real derives, as
//! a user would, so that the code under test is the code the derives
//! generate.

pub mod order;
pub mod profile;
pub mod routes;
pub mod shop;
