use pale_core::ArgumentEnum;

#[derive(ArgumentEnum)]
struct Sort {
    by: String,
}

fn main() {}
