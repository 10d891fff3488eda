//! The API: an app, its endpoints, its formats — one value, no globals
//! (ARCHITECTURE.md, decision 9).
//!
//! [`Api::builder`] mounts endpoints; [`ApiBuilder::build`] checks the
//! whole set once (duplicate route names, two endpoints on one method and
//! path) and answers an error value, never a panic. The built [`Api`] is
//! the registry both the server routes with and the docs are generated
//! from, so the two cannot drift.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::argument::{Arguments, Input};
use crate::context::{App, Context};
use crate::endpoint::{Endpoint, EndpointMeta};
use crate::error::ApiError;
use crate::format::{Format, Wire};
use crate::handler::Handler;
use crate::reply::{OutputMeta, Reply, Response};

/// The future a route's call returns.
pub type CallFuture = Pin<Box<dyn Future<Output = Result<Response, ApiError>> + Send>>;

/// Casts a request's arguments, runs the handler and encodes its output.
pub type Call<A> = fn(Arc<Context<A>>, Input, Wire) -> CallFuture;

/// One mounted endpoint.
pub struct Route<A: App> {
    /// The endpoint's description.
    pub endpoint: &'static EndpointMeta,
    /// What it answers on success.
    pub output: OutputMeta,
    call: Call<A>,
}

impl<A: App> Route<A> {
    /// Runs the endpoint for one request.
    pub fn call(&self, ctx: Arc<Context<A>>, input: Input, wire: Wire) -> CallFuture {
        (self.call)(ctx, input, wire)
    }
}

impl<A: App> fmt::Debug for Route<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Route")
            .field("name", &self.endpoint.name)
            .field("method", &self.endpoint.method)
            .field("path", &self.endpoint.path)
            .finish()
    }
}

fn call<A: App, H: Handler<A>>(ctx: Arc<Context<A>>, input: Input, wire: Wire) -> CallFuture {
    Box::pin(async move {
        let args = H::from_input(&input)?;
        let output = args.handle(&ctx).await?;
        output.into_response(&ctx, H::META.envelope, &wire)
    })
}

/// Why an API could not be built.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BuildError {
    /// Two endpoints share a route name.
    DuplicateName {
        /// The name.
        name: &'static str,
    },
    /// Two endpoints answer the same method on the same path.
    ConflictingRoutes {
        /// The first endpoint's route name.
        first: &'static str,
        /// The second endpoint's route name.
        second: &'static str,
    },
    /// A path template is malformed.
    InvalidPath {
        /// The endpoint's route name.
        name: &'static str,
        /// What is wrong.
        reason: &'static str,
    },
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::DuplicateName { name } => write!(f, "two endpoints are named `{name}`"),
            Self::ConflictingRoutes { first, second } => write!(
                f,
                "endpoints `{first}` and `{second}` answer the same method and path"
            ),
            Self::InvalidPath { name, reason } => {
                write!(f, "the path of endpoint `{name}` is invalid: {reason}")
            }
        }
    }
}

impl std::error::Error for BuildError {}

/// An API being assembled.
pub struct ApiBuilder<A: App> {
    api: Api<A>,
}

/// A built API: the app, the routes and the formats.
pub struct Api<A: App> {
    app: Arc<A>,
    title: String,
    version: String,
    description: String,
    base_path: Arc<str>,
    formats: Vec<Wire>,
    routes: Vec<Route<A>>,
    serve_docs: bool,
}

impl<A: App> Api<A> {
    /// Starts an API around `app`.
    pub fn builder(app: A) -> ApiBuilder<A> {
        ApiBuilder {
            api: Self {
                app: Arc::new(app),
                title: "API".to_owned(),
                version: "0.1.0".to_owned(),
                description: String::new(),
                base_path: Arc::from(""),
                formats: vec![Wire::Json, Wire::Xml],
                routes: Vec::new(),
                serve_docs: false,
            },
        }
    }

    /// The app.
    pub fn app(&self) -> &Arc<A> {
        &self.app
    }

    /// The title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The version.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The description.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The path the API is served under (`""` or `/api`).
    pub fn base_path(&self) -> &Arc<str> {
        &self.base_path
    }

    /// The formats, JSON first.
    pub fn formats(&self) -> &[Wire] {
        &self.formats
    }

    /// The routes, in mounting order.
    pub fn routes(&self) -> &[Route<A>] {
        &self.routes
    }

    /// Whether the server should answer `/openapi.json` and `/docs` (see
    /// [`ApiBuilder::serve_docs`]).
    pub fn serves_docs(&self) -> bool {
        self.serve_docs
    }

    /// The route named `name`.
    pub fn route(&self, name: &str) -> Option<&Route<A>> {
        self.routes.iter().find(|r| r.endpoint.name == name)
    }
}

impl<A: App> ApiBuilder<A> {
    /// Sets the title.
    #[must_use]
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.api.title = title.into();
        self
    }

    /// Sets the version.
    #[must_use]
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.api.version = version.into();
        self
    }

    /// Sets the description.
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.api.description = description.into();
        self
    }

    /// Serves every route under `base` (for example `/api`).
    #[must_use]
    pub fn base_path(mut self, base: &str) -> Self {
        self.api.base_path = Arc::from(base.trim_end_matches('/'));
        self
    }

    /// Serves this API's documentation: `GET /openapi.json` (OpenAPI 3.1)
    /// and `GET /docs` (an HTML reference), under the base path, each for
    /// the caller's own audience or a lower one chosen with `?audience=`.
    /// Off by default: an API's shape is for its owner to publish.
    #[must_use]
    pub fn serve_docs(mut self) -> Self {
        self.api.serve_docs = true;
        self
    }

    /// Adds a format after JSON and XML.
    #[must_use]
    pub fn format(mut self, format: impl Format) -> Self {
        self.api.formats.push(Wire::Custom(Arc::new(format)));
        self
    }

    /// Mounts an endpoint.
    #[must_use]
    pub fn mount<H: Handler<A>>(mut self) -> Self {
        self.api.routes.push(Route {
            endpoint: <H as Endpoint>::META,
            output: <H::Output as Reply<A>>::OUTPUT,
            call: call::<A, H>,
        });
        self
    }

    /// Checks the routes and builds the API.
    pub fn build(self) -> Result<Api<A>, BuildError> {
        let routes = &self.api.routes;
        for (i, route) in routes.iter().enumerate() {
            let meta = route.endpoint;
            check_path(meta)?;
            for earlier in &routes[..i] {
                if earlier.endpoint.name == meta.name {
                    return Err(BuildError::DuplicateName { name: meta.name });
                }
                if earlier.endpoint.method == meta.method
                    && same_shape(earlier.endpoint.path, meta.path)
                {
                    return Err(BuildError::ConflictingRoutes {
                        first: earlier.endpoint.name,
                        second: meta.name,
                    });
                }
            }
        }
        Ok(self.api)
    }
}

fn check_path(meta: &EndpointMeta) -> Result<(), BuildError> {
    let invalid = |reason| BuildError::InvalidPath {
        name: meta.name,
        reason,
    };
    if !meta.path.starts_with('/') {
        return Err(invalid("it must start with `/`"));
    }
    for segment in meta.path.split('/').skip(1) {
        let braces = segment.matches(['{', '}']).count();
        let is_param = segment.starts_with('{') && segment.ends_with('}') && braces == 2;
        if braces != 0 && !is_param {
            return Err(invalid("a `{param}` must be a whole segment"));
        }
    }
    Ok(())
}

/// Two templates match the same requests when they are equal once
/// parameter names are ignored.
fn same_shape(a: &str, b: &str) -> bool {
    let shape = |p: &str| -> Vec<String> {
        p.split('/')
            .map(|s| {
                if s.starts_with('{') {
                    "{}".to_owned()
                } else {
                    s.to_owned()
                }
            })
            .collect()
    };
    shape(a) == shape(b)
}

/// Casts `E`'s arguments from `input` (for tests and tools).
pub fn cast<E: Arguments>(input: &Input) -> Result<E, ApiError> {
    E::from_input(input)
}
