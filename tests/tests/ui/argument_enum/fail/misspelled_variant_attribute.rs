use pale_core::ArgumentEnum;

#[derive(ArgumentEnum)]
enum Sort {
    #[pale(renam = "t")]
    Title,
    Date,
}

fn main() {}
