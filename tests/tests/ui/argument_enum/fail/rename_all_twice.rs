use pale_core::ArgumentEnum;

#[derive(ArgumentEnum)]
#[pale(rename_all = "lowercase", rename_all = "kebab-case")]
enum Sort {
    Title,
    Date,
}

fn main() {}
