use pale_core::Arguments;
use pale_core::page::PageRequest;

#[derive(Arguments)]
struct Search {
    #[pale(flatten, rename = "paging", default = PageRequest::FIRST)]
    paging: PageRequest,
}

fn main() {}
