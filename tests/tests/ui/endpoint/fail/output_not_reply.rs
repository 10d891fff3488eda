use pale_core::prelude::*;

#[derive(Endpoint)]
#[pale(GET "/hello")]
struct Hello {}

impl Handler<()> for Hello {
    type Output = String;
    async fn handle(self, _ctx: &Context<()>) -> Result<String, ApiError> {
        Ok("hello".to_owned())
    }
}

fn main() {}
