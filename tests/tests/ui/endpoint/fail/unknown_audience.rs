use pale_core::prelude::*;

#[derive(Endpoint)]
#[pale(DELETE "/albums/{album_id}", audience = Admins)]
struct DeleteAlbum {
    album_id: u64,
}

fn main() {}
