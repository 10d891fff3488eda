use pale_core::Arguments;

#[derive(Arguments)]
struct Search {
    #[pale(flatten)]
    page: u32,
}

fn main() {}
