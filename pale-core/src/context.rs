//! The request context every handler and every field render receives.
//!
//! The Python Pale kept its context in a thread-local; here it is a value
//! passed explicitly (ARCHITECTURE.md, decision 9), so several APIs can share a process and a test
//! can build one in a line.

use std::future::Future;
use std::sync::Arc;

use crate::audience::Audience;
use crate::error::ApiError;
use crate::select::Selection;

/// The application behind an API: its state, and how it knows who calls.
///
/// ```
/// use pale_core::{App, ApiError, Audience};
///
/// struct Shop;
/// struct Customer { admin: bool }
///
/// impl App for Shop {
///     type User = Customer;
///
///     async fn authenticate(&self, request: &http::request::Parts) -> Result<Option<Customer>, ApiError> {
///         match request.headers.get("authorization").map(|v| v.as_bytes()) {
///             None => Ok(None),
///             Some(b"Bearer admin") => Ok(Some(Customer { admin: true })),
///             Some(_) => Err(ApiError::unauthorized("Bearer")),
///         }
///     }
///
///     fn audience(user: &Customer) -> Audience {
///         if user.admin { Audience::Admin } else { Audience::User }
///     }
/// }
/// ```
pub trait App: Send + Sync + Sized + 'static {
    /// The authenticated caller.
    type User: Send + Sync + 'static;

    /// Finds the caller from the request's parts: `Ok(None)` for an
    /// anonymous request, `Err` (typically a 401) to reject it.
    fn authenticate(
        &self,
        request: &http::request::Parts,
    ) -> impl Future<Output = Result<Option<Self::User>, ApiError>> + Send {
        let _ = request;
        async { Ok(None) }
    }

    /// Who this caller is, apart from owning anything: [`Audience::User`]
    /// by default; return [`Audience::Admin`] for administrators.
    ///
    /// It is the viewer of resources that declare no `viewer` function, and
    /// with [`Context::ceiling`] it bounds what `fields=` may name.
    fn audience(user: &Self::User) -> Audience {
        let _ = user;
        Audience::User
    }

    /// Where the server counts calls against endpoints' declared rate
    /// limits ([`rate`](crate::rate)): `None` (the default) counts in the
    /// server's memory, one budget per instance. Return a store shared by
    /// every instance (a table in the app's database) to make it one
    /// budget across all of them. Asked once, when the service is built.
    fn rate_limit_store(&self) -> Option<Arc<dyn crate::rate::RateLimitStore>> {
        None
    }
}

/// An application with no state and no users.
impl App for () {
    type User = ();
}

/// What one request knows: the app, the caller, the selection, the request.
pub struct Context<A: App> {
    app: Arc<A>,
    user: Option<A::User>,
    audience: Audience,
    selection: Option<Selection>,
    request: Option<http::request::Parts>,
    request_id: Option<String>,
    /// `None` for none: a context is made per request, and an empty
    /// `Arc<str>` would be an allocation each time.
    base_path: Option<Arc<str>>,
}

impl<A: App> Context<A> {
    /// A context for an anonymous caller with no request (tests, tools).
    pub fn new(app: Arc<A>) -> Self {
        Self {
            app,
            user: None,
            audience: Audience::Public,
            selection: None,
            request: None,
            request_id: None,
            base_path: None,
        }
    }

    /// Sets the caller.
    #[must_use]
    pub fn with_user(mut self, user: Option<A::User>) -> Self {
        self.audience = user.as_ref().map_or(Audience::Public, A::audience);
        self.user = user;
        self
    }

    /// Sets the client's `fields=` selection.
    #[must_use]
    pub fn with_selection(mut self, selection: Option<Selection>) -> Self {
        self.selection = selection;
        self
    }

    /// Sets the request's parts.
    #[must_use]
    pub fn with_request(mut self, request: http::request::Parts) -> Self {
        self.request = Some(request);
        self
    }

    /// Sets the request id.
    #[must_use]
    pub fn with_request_id(mut self, id: impl Into<String>) -> Self {
        self.request_id = Some(id.into());
        self
    }

    /// Sets the path the API is mounted under (prefixed to links).
    #[must_use]
    pub fn with_base_path(mut self, base: Arc<str>) -> Self {
        self.base_path = Some(base);
        self
    }

    /// The application.
    pub fn app(&self) -> &A {
        &self.app
    }

    /// The application, shared.
    pub fn app_arc(&self) -> &Arc<A> {
        &self.app
    }

    /// The caller, if authenticated.
    pub fn user(&self) -> Option<&A::User> {
        self.user.as_ref()
    }

    /// Who the caller is apart from ownership: [`Audience::Public`] when
    /// anonymous, otherwise [`App::audience`].
    pub fn audience(&self) -> Audience {
        self.audience
    }

    /// The most this caller may see of any object: what `fields=` may
    /// name. Anonymous callers see public fields; an authenticated caller
    /// may own the object, so at least [`Audience::Owner`].
    pub fn ceiling(&self) -> Audience {
        match self.user {
            None => Audience::Public,
            Some(_) => self.audience.max(Audience::Owner),
        }
    }

    /// Whether this caller may call an endpoint whose least audience is
    /// `least` ([`EndpointMeta::audience`](crate::EndpointMeta::audience)):
    /// the caller's [`ceiling`](Self::ceiling) must reach it. An anonymous
    /// caller who does not is a 401 (signing in may help), a signed-in one
    /// a 403. Any signed-in caller may own the object a `User` or `Owner`
    /// endpoint acts on: whether they do is the handler's question.
    pub fn authorize(&self, least: Audience) -> Result<(), ApiError> {
        if self.ceiling() >= least {
            Ok(())
        } else if self.user.is_none() {
            Err(ApiError::unauthorized("Bearer"))
        } else {
            Err(ApiError::forbidden())
        }
    }

    /// The client's `fields=` selection, if it gave one: handlers can skip
    /// loading what nobody asked for.
    pub fn selection(&self) -> Option<&Selection> {
        self.selection.as_ref()
    }

    /// The request's parts (method, URI, headers), when serving one.
    pub fn request(&self) -> Option<&http::request::Parts> {
        self.request.as_ref()
    }

    /// The request id, when serving one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The path the API is mounted under.
    pub fn base_path(&self) -> &str {
        self.base_path.as_deref().unwrap_or("")
    }

    /// A link to `path` (a route's path) as clients must use it.
    pub fn link(&self, path: &str) -> String {
        let base = self.base_path();
        let mut out = String::with_capacity(base.len() + path.len());
        out.push_str(base);
        out.push_str(path);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Callers who are someone, and what `App::audience` says of them.
    struct Club;

    impl App for Club {
        type User = Audience;

        fn audience(user: &Audience) -> Audience {
            *user
        }
    }

    #[test]
    fn who_may_call_what() {
        use Audience::{Admin, Owner, Public, User};
        // (caller, endpoint's least audience, status or success)
        #[rustfmt::skip]
        let table = [
            (None, Public, Ok(())), (None, User, Err(401)), (None, Owner, Err(401)), (None, Admin, Err(401)),
            (Some(User), Public, Ok(())), (Some(User), User, Ok(())), (Some(User), Owner, Ok(())), (Some(User), Admin, Err(403)),
            (Some(Admin), Admin, Ok(())), (Some(Admin), Owner, Ok(())),
        ];
        for (caller, least, expected) in table {
            let ctx = Context::new(Arc::new(Club)).with_user(caller);
            let got = ctx.authorize(least).map_err(|e| e.status().as_u16());
            assert_eq!(got, expected, "{caller:?} calling a {least:?} endpoint");
        }
    }
}
