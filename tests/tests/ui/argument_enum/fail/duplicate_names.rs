use pale_core::ArgumentEnum;

#[derive(ArgumentEnum)]
enum Sort {
    Newest,
    #[pale(rename = "newest")]
    Latest,
}

fn main() {}
