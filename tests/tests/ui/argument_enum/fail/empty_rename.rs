use pale_core::ArgumentEnum;

#[derive(ArgumentEnum)]
enum Sort {
    #[pale(rename = "")]
    Title,
    Date,
}

fn main() {}
