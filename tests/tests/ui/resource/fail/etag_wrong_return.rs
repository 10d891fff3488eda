use pale_core::prelude::*;

#[derive(Resource)]
#[pale(etag = Album::etag)]
struct Album {
    version: u32,
}

impl Album {
    fn etag(&self) -> String {
        format!("\"v{}\"", self.version)
    }
}

fn main() {}
