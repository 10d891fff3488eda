use std::sync::Arc;

use pale_core::prelude::*;

/// A label.
#[derive(Resource)]
struct Label {
    name: String,
}

/// A track, for every app: its predicate is generic over the app.
#[derive(Resource)]
struct Track {
    title: String,
    /// Borrowed from the resource.
    #[pale(getter = Track::display_title)]
    display_title: (),
    #[pale(visible = Track::has_lyrics)]
    lyrics: Option<String>,
    #[pale(nested)]
    label: Option<Label>,
    #[pale(subfields(name))]
    distributor: Arc<Label>,
}

impl Track {
    fn display_title(&self) -> &str {
        self.title.trim()
    }

    fn has_lyrics<A: App>(&self, _ctx: &Context<A>) -> bool {
        self.lyrics.is_some()
    }
}

fn main() {
    let names: Vec<&str> = <Track as Resource>::META.fields.iter().map(|f| f.name).collect();
    assert_eq!(names, ["title", "display_title", "lyrics", "label", "distributor"]);
}
