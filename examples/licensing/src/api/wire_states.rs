//! The documented wire form of the store's states (`status`,
//! `license_status`, `route`): each is rendered as its lowercase text, so
//! the OpenAPI documents list those texts as an `enum` and a generated
//! client gets a typed enumeration instead of `Any`.
//!
//! The texts are written here once more because `Schema::Enum` is built
//! at compile time and the store's `as_str` is not `const`; the test below
//! holds the two lists equal, value for value and in order.

use pale::argument::Schema;
use pale::resource::Describe;

use crate::store::{AlbumStatus, LicenseRoute, LicenseStatus};

impl Describe for AlbumStatus {
    const SCHEMA: Schema = Schema::Enum(&["draft", "submitted", "live"]);
}

impl Describe for LicenseRoute {
    const SCHEMA: Schema = Schema::Enum(&["noi", "blanket"]);
}

impl Describe for LicenseStatus {
    const SCHEMA: Schema = Schema::Enum(&["pending", "notice_sent", "active", "needs_negotiation"]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(schema: &Schema) -> Vec<&'static str> {
        match schema {
            Schema::Enum(values) => values.to_vec(),
            other => panic!("not an enum: {other:?}"),
        }
    }

    #[test]
    fn the_documented_texts_are_the_rendered_ones() {
        let album: Vec<_> = AlbumStatus::ALL.iter().map(|s| s.as_str()).collect();
        let route: Vec<_> = LicenseRoute::ALL.iter().map(|s| s.as_str()).collect();
        let license: Vec<_> = LicenseStatus::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(texts(&AlbumStatus::SCHEMA), album);
        assert_eq!(texts(&LicenseRoute::SCHEMA), route);
        assert_eq!(texts(&LicenseStatus::SCHEMA), license);
    }
}
