use pale_core::prelude::*;

struct Site;

impl App for Site {
    type User = String;
}

/// Greets the caller, but anyone may call it.
#[derive(Endpoint)]
#[pale(GET "/me", name = "me")]
struct Me {}

impl SignedInHandler<Site> for Me {
    type Output = Plain<String>;
    async fn handle(self, caller: &String, _: &Context<Site>) -> Result<Plain<String>, ApiError> {
        Ok(Plain::new("greeting", format!("hello, {caller}")))
    }
}

fn main() {
    let _ = Api::builder(Site).mount::<Me>().build();
}
