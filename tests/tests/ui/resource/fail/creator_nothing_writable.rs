use pale_core::prelude::*;

struct Label;
impl App for Label {
    type User = u32;
}

/// An album.
#[derive(Resource, Clone)]
#[pale(context = Label, viewer = Album::viewer, creator = Owner)]
struct Album {
    /// Title.
    title: String,
}

impl Album {
    fn viewer(&self, _: &Context<Label>) -> Audience {
        Audience::Owner
    }
}

fn main() {}
