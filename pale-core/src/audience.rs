//! Who is looking: the one ordered scale every field's visibility is
//! declared on.
//!
//! It sits at the crate root, below everything that speaks it: the context
//! knows the caller's audience, endpoints declare the least one that may
//! call them, resources the least one that may see each field, and the
//! docs are generated per audience. Under `resource/` it made the context
//! and resources depend on each other.

use serde::Serialize;

/// The least privileged viewer allowed to see (or write) a field, and the
/// viewer an object is rendered for.
///
/// Audiences are ordered: `Public < User < Owner < Admin`. A field declared
/// `audience = Owner` is visible to owners and admins, hidden from everyone
/// else, in every format, selection, write and error body.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// Anyone, authenticated or not.
    #[default]
    Public,
    /// Any authenticated caller.
    User,
    /// The caller who owns the object being rendered.
    Owner,
    /// An administrator.
    Admin,
}

impl Audience {
    /// Every audience, least privileged first.
    pub const ALL: [Self; 4] = [Self::Public, Self::User, Self::Owner, Self::Admin];

    /// The lower-case name (`public`, `user`, `owner`, `admin`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::User => "user",
            Self::Owner => "owner",
            Self::Admin => "admin",
        }
    }

    /// Parses a lower-case name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == name)
    }

    /// `self <= other`, usable in `const` contexts.
    pub const fn at_most(self, other: Self) -> bool {
        self as u8 <= other as u8
    }
}
