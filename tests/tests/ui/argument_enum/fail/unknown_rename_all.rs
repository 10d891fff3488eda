use pale_core::ArgumentEnum;

#[derive(ArgumentEnum)]
#[pale(rename_all = "camelCase")]
enum Sort {
    Newest,
    MostPlayed,
}

fn main() {}
