//! An endpoint's logic: the one trait a user implements by hand.
//!
//! It is apart from [`Endpoint`] (the derived, static description) because
//! it joins the layers: it takes the request [`Context`] and returns a
//! [`Reply`], while the endpoint's description is read by layers below
//! both (the docs, the router) and must not depend on them.

use std::future::Future;

use crate::context::{App, Context};
use crate::endpoint::Endpoint;
use crate::error::ApiError;
use crate::reply::Reply;

/// An endpoint's logic, for one app.
///
/// ```
/// use pale_core::prelude::*;
///
/// /// Says hello.
/// #[derive(Endpoint)]
/// #[pale(GET "/hello/{name}", name = "hello")]
/// struct Hello {
///     /// Who to greet.
///     name: String,
/// }
///
/// impl Handler<()> for Hello {
///     type Output = Plain<String>;
///     async fn handle(self, _ctx: &Context<()>) -> Result<Plain<String>, ApiError> {
///         Ok(Plain::new("greeting", format!("hello, {}", self.name)))
///     }
/// }
///
/// assert_eq!(Hello::path("a b"), "/hello/a%20b");
/// ```
pub trait Handler<A: App>: Endpoint {
    /// What a successful call returns.
    type Output: Reply<A>;

    /// Handles one call.
    fn handle(
        self,
        ctx: &Context<A>,
    ) -> impl Future<Output = Result<Self::Output, ApiError>> + Send;
}
