use pale_core::prelude::*;

#[derive(Resource, serde::Serialize)]
struct Album {
    id: i64,
    #[pale(audince = Owner)]
    revenue_cents: i64,
}

fn main() {}
