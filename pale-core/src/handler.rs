//! An endpoint's logic: the trait a user implements by hand ([`Handler`],
//! or [`SignedInHandler`] for an endpoint only callers who signed in may
//! call, which hands it the caller with no `Option` to unwrap).
//!
//! It is apart from [`Endpoint`] (the derived, static description) because
//! it joins the layers: it takes the request [`Context`] and returns a
//! [`Reply`], while the endpoint's description is read by layers below
//! both (the docs, the router) and must not depend on them.

use std::future::Future;

use crate::audience::Audience;
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

/// The logic of an endpoint whose audience is `User` or above, given its
/// caller as present: `caller` is the app's user, with no `Option` to
/// unwrap, because the pipeline refuses an anonymous call (401) before a
/// handler runs.
///
/// Implement it instead of [`Handler`] (which it implements for you). An
/// endpoint that anyone may call has no caller to give: implementing it
/// for one with `audience = Public` (the default) fails to build, at
/// `Api::mount`.
///
/// ```
/// use pale_core::prelude::*;
///
/// struct Site;
///
/// impl App for Site {
///     type User = String;
///     // authenticate: reads the caller's name from a token (not shown).
/// }
///
/// /// Greets the caller by name.
/// #[derive(Endpoint)]
/// #[pale(GET "/me", name = "me", audience = User)]
/// struct Me {}
///
/// impl SignedInHandler<Site> for Me {
///     type Output = Plain<String>;
///     async fn handle(self, caller: &String, _: &Context<Site>) -> Result<Plain<String>, ApiError> {
///         Ok(Plain::new("greeting", format!("hello, {caller}")))
///     }
/// }
/// # let _ = Api::builder(Site).mount::<Me>().build().unwrap();
/// ```
pub trait SignedInHandler<A: App>: Endpoint {
    /// What a successful call returns.
    type Output: Reply<A>;

    /// Handles one call by `caller`.
    fn handle(
        self,
        caller: &A::User,
        ctx: &Context<A>,
    ) -> impl Future<Output = Result<Self::Output, ApiError>> + Send;
}

impl<A: App, E: SignedInHandler<A>> Handler<A> for E {
    type Output = E::Output;

    async fn handle(self, ctx: &Context<A>) -> Result<Self::Output, ApiError> {
        const {
            assert!(
                !E::META.audience.at_most(Audience::Public),
                "a `SignedInHandler`'s endpoint must declare `audience = User` or above: anyone may call a public one"
            );
        }
        // The pipeline authorized the call: there is a caller. A context
        // made by hand (a test) may have none: the same 401.
        let Some(caller) = ctx.user() else {
            return Err(ApiError::unauthorized("Bearer"));
        };
        SignedInHandler::handle(self, caller, ctx).await
    }
}
