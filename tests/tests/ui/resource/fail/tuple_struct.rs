use pale_core::prelude::*;

#[derive(Resource, serde::Serialize)]
struct Album(i64, String);

fn main() {}
