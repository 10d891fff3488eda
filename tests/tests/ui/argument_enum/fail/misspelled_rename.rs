use pale_core::ArgumentEnum;

#[derive(ArgumentEnum)]
enum Sort {
    #[pale(renmae = "new")]
    Newest,
    Oldest,
}

fn main() {}
