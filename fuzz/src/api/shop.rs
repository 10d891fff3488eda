//! Resources with fields for every audience and nested resources, for
//! resolving `fields=` selections against.

use pale_core::prelude::*;

/// An artist.
#[derive(Resource, Clone)]
#[pale(default_fields(id, name))]
pub struct Artist {
    /// Identifier.
    pub id: u32,
    /// Stage name.
    pub name: String,
    /// Contact address, for admins only.
    #[pale(audience = Admin)]
    pub email: String,
}

/// A track.
#[derive(Resource, Clone)]
#[pale(default_fields(number, title))]
pub struct Track {
    /// Position.
    pub number: u32,
    /// Title.
    pub title: String,
    /// Licence state, for the owner.
    #[pale(audience = Owner)]
    pub license_status: String,
    /// The artist.
    #[pale(subfields(name))]
    pub artist: Artist,
}

/// An album.
#[derive(Resource, Clone)]
#[pale(default_fields(id, title, artist, tracks))]
pub struct Album {
    /// Identifier.
    pub id: u32,
    /// Title.
    pub title: String,
    /// The artist.
    #[pale(subfields(name))]
    pub artist: Artist,
    /// Tracks.
    #[pale(subfields(number, title))]
    pub tracks: Vec<Track>,
    /// Whether the caller follows the artist.
    #[pale(audience = User)]
    pub following: bool,
    /// Units sold, for the owner.
    #[pale(audience = Owner)]
    pub units_sold: u64,
    /// Internal review notes, for admins.
    #[pale(audience = Admin)]
    pub review_notes: String,
    /// Field names the grammar allows but a resource rarely has.
    #[pale(rename = "x-9_")]
    pub odd_name: u8,
}
