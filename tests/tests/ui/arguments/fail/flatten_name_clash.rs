use pale_core::Arguments;
use pale_core::page::PageRequest;

#[derive(Arguments)]
struct Search {
    page: u32,
    #[pale(flatten)]
    paging: PageRequest,
}

fn main() {}
