use pale_core::ArgumentEnum;

#[derive(ArgumentEnum)]
enum Sort {
    Newest,
    Oldest,
    By(String),
}

fn main() {}
