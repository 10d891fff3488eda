use pale_core::ArgumentEnum;

#[derive(ArgumentEnum)]
#[pale(rename_all = "kebab")]
enum Sort {
    #[pale(renam = "t")]
    Title,
    Date(u32),
}

fn main() {}
