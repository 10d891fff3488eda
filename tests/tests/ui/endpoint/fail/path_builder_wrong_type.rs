use pale_core::prelude::*;

#[derive(Endpoint)]
#[pale(GET "/artists/{artist_id}/albums/{title}", name = "album")]
struct GetAlbum {
    artist_id: i64,
    title: String,
}

fn main() {
    // Fine: the types themselves, references, and `&str` for a `String`.
    let _ = GetAlbum::path(7_i64, "Night Ferry");
    let id = 7_i64;
    let _ = GetAlbum::path(&id, String::from("Night Ferry"));
    // Not fine: text for the id, a `u32` for an `i64`.
    let _ = GetAlbum::path("7", "Night Ferry");
    let _ = GetAlbum::path(7_u32, "Night Ferry");
}
