use pale_core::ArgumentEnum;

#[derive(ArgumentEnum)]
enum Sort {}

fn main() {}
