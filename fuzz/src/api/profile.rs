//! A writable resource, for merge patches written through the field
//! declarations (`pale_core::write::apply`).

use std::sync::Arc;

use pale_core::prelude::*;

/// The app: callers are identified by an artist id, and may be admins.
#[derive(Debug, Default)]
pub struct Site;

/// A caller.
#[derive(Debug, Clone, Copy)]
pub struct Caller {
    /// The caller's artist id.
    pub id: u32,
    /// Whether the caller administers the site.
    pub admin: bool,
}

impl App for Site {
    type User = Caller;

    fn audience(user: &Caller) -> Audience {
        if user.admin {
            Audience::Admin
        } else {
            Audience::User
        }
    }
}

/// Where to find the artist elsewhere.
#[derive(Resource, Clone, Debug, PartialEq)]
pub struct Links {
    /// Bandcamp page.
    #[pale(write = Owner)]
    pub bandcamp: Option<WebUrl>,
    /// Nobody writes it.
    pub self_url: String,
}

/// An artist's profile, with a field for every write rule.
#[derive(Resource, Clone, Debug, PartialEq)]
#[pale(context = Site, viewer = Profile::viewer)]
pub struct Profile {
    /// Identifier.
    pub id: u32,
    /// Display name.
    #[pale(write = Owner, len = 1..=40)]
    pub name: String,
    /// A short biography.
    #[pale(write = Owner, len = ..=200)]
    pub bio: Option<String>,
    /// Verified by the staff.
    #[pale(write = Admin)]
    pub verified: bool,
    /// Staff notes.
    #[pale(audience = Admin, write = Admin)]
    pub notes: String,
    /// Units sold (the owner sees it; nobody writes it).
    #[pale(audience = Owner)]
    pub units_sold: u64,
    /// A new password: written, never shown.
    #[pale(write = Owner, write_only, len = 8..)]
    pub password: Option<String>,
    /// The handle, chosen once.
    #[pale(write = User, create_only, pattern = "[a-z0-9_]{3,20}")]
    pub handle: String,
    /// Price in cents.
    #[pale(write = Owner)]
    pub price: Money,
    /// Tags.
    #[pale(write = Owner, len = ..=3)]
    pub tags: Vec<String>,
    /// Links.
    #[pale(write = Owner, nested)]
    pub links: Links,
    /// The owning artist.
    #[pale(skip)]
    pub owner: u32,
}

impl Profile {
    fn viewer(&self, ctx: &Context<Site>) -> Audience {
        match ctx.user() {
            Some(c) if c.id == self.owner => ctx.audience().max(Audience::Owner),
            _ => ctx.audience(),
        }
    }

    /// The profile every patch starts from.
    pub fn sample() -> Self {
        Self {
            id: 1,
            name: "Ann".into(),
            bio: Some("Sings.".into()),
            verified: false,
            notes: "ok".into(),
            units_sold: 12,
            password: None,
            handle: "ann".into(),
            price: Money(999),
            tags: vec!["folk".into()],
            links: Links {
                bandcamp: None,
                self_url: "/artists/1".into(),
            },
            owner: 1,
        }
    }
}

/// A context for caller `who`: 0 anonymous, 1 another artist, 2 the
/// owner, 3 an admin.
pub fn context(who: u8) -> Context<Site> {
    let user = match who % 4 {
        0 => None,
        1 => Some(Caller {
            id: 2,
            admin: false,
        }),
        2 => Some(Caller {
            id: 1,
            admin: false,
        }),
        _ => Some(Caller {
            id: 99,
            admin: true,
        }),
    };
    Context::new(Arc::new(Site)).with_user(user)
}
