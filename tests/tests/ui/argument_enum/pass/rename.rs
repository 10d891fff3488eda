use pale_core::prelude::*;
use pale_core::ArgumentEnum;

/// How to sort.
#[derive(ArgumentEnum)]
#[pale(rename_all = "kebab-case")]
enum Sort {
    Newest,
    MostPlayed,
    #[pale(rename = "a-z")]
    Title,
}

/// Arguments using it.
#[derive(Arguments)]
struct Search {
    #[pale(default = Sort::Newest)]
    sort: Sort,
}

fn main() {
    assert_eq!(Sort::VALUES, ["newest", "most-played", "a-z"]);
    assert_eq!(Sort::MostPlayed.to_string(), "most-played");
    assert!(matches!(Sort::from_name("a-z"), Some(Sort::Title)));
    let _ = Search::ARGUMENTS;
}
