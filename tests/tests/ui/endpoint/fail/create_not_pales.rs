use pale_core::argument::Raw;
use pale_core::prelude::*;

/// An album.
#[derive(Resource, Clone)]
struct Album {
    /// Title.
    #[pale(write = User)]
    title: String,
}

/// The app's own wrapper, named like Pale's create body.
struct Create<T>(Raw, std::marker::PhantomData<T>);

impl<T> Argument for Create<T> {
    const SCHEMA: pale_core::argument::Schema = Raw::SCHEMA;
    fn cast(
        raw: &Raw,
        _: &pale_core::argument::Pointer<'_>,
        _: &mut pale_core::argument::Errors,
    ) -> Option<Self> {
        Some(Self(raw.clone(), std::marker::PhantomData))
    }
}

#[derive(Endpoint)]
#[pale(POST "/albums")]
struct CreateAlbum {
    #[pale(from = document)]
    album: Create<Album>,
}

fn main() {}
