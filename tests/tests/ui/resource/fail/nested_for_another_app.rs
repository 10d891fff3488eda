use pale_core::prelude::*;

struct Store;
impl App for Store { type User = (); }

#[derive(Resource)]
#[pale(context = ())]
struct Artist { id: u64, name: String }

#[derive(Resource)]
#[pale(context = Store)]
struct Album {
    #[pale(subfields(name))]
    artist: Artist,
}

fn main() {}
