use pale_core::prelude::*;

#[derive(Resource, serde::Serialize)]
struct Album {
    id: i64,
    #[pale(audience = Ownr)]
    revenue_cents: i64,
}

fn main() {}
