use pale_core::argument::RawMap;
use pale_core::prelude::*;

struct TrackInput;

#[derive(Endpoint)]
#[pale(POST "/albums/{id}/tracks", writes = TrackInput)]
struct AddTrack {
    id: u32,
    #[pale(from = document)]
    track: RawMap,
}

fn main() {}
