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
use crate::path::PathTemplate;
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
    template: PathTemplate,
    call: Call<A>,
}

impl<A: App> Route<A> {
    /// The endpoint's path template, parsed when the API was built.
    pub fn template(&self) -> &PathTemplate {
        &self.template
    }

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

/// Which OpenAPI version a document is written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum OpenApiVersion {
    /// OpenAPI 3.1.0 (JSON Schema 2020-12): the default.
    #[default]
    V3_1,
    /// OpenAPI 3.0.3, for tools that read no later version.
    V3_0,
}

impl OpenApiVersion {
    /// `3.1` or `3.0`, as a command line takes it.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "3.1" | "3.1.0" => Some(Self::V3_1),
            "3.0" | "3.0.3" => Some(Self::V3_0),
            _ => None,
        }
    }
}

/// An API being assembled.
pub struct ApiBuilder<A: App> {
    api: Api<A>,
    mounted: Vec<(&'static EndpointMeta, OutputMeta, Call<A>)>,
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
    bearer_auth: bool,
    openapi_version: OpenApiVersion,
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
                bearer_auth: false,
                openapi_version: OpenApiVersion::V3_1,
            },
            mounted: Vec::new(),
        }
    }

    /// Whether callers authenticate with bearer tokens on any endpoint
    /// ([`ApiBuilder::bearer_auth`]).
    pub fn bearer_auth(&self) -> bool {
        self.bearer_auth
    }

    /// The OpenAPI version of the served documents
    /// ([`ApiBuilder::openapi_version`]).
    pub fn openapi_version(&self) -> OpenApiVersion {
        self.openapi_version
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

    /// Says that callers authenticate with `Authorization: Bearer <token>`
    /// ([`crate::auth::bearer_token`]), on any endpoint. The OpenAPI
    /// documents then declare the `bearer` security scheme on every
    /// operation — required where the endpoint needs more than
    /// [`Audience::Public`](crate::Audience::Public), optional elsewhere —
    /// and document the 401 a public operation answers for a bad token.
    /// Without it, only the endpoints that need a caller declare the
    /// scheme (the 401 they answer names `Bearer` whatever the app does).
    #[must_use]
    pub fn bearer_auth(mut self) -> Self {
        self.api.bearer_auth = true;
        self
    }

    /// The OpenAPI version of the documents served at `openapi.json`
    /// ([`ApiBuilder::serve_docs`]) and returned by
    /// [`describe::openapi_in`](crate::describe::openapi_in): 3.1 by
    /// default, or 3.0.3 for tools that read no later version.
    #[must_use]
    pub fn openapi_version(mut self, version: OpenApiVersion) -> Self {
        self.api.openapi_version = version;
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
        self.mounted.push((
            <H as Endpoint>::META,
            <H::Output as Reply<A>>::OUTPUT,
            call::<A, H>,
        ));
        self
    }

    /// Checks the routes, parsing each path template once, and builds the
    /// API.
    pub fn build(mut self) -> Result<Api<A>, BuildError> {
        for (endpoint, output, call) in self.mounted {
            let template =
                PathTemplate::parse(endpoint.path).map_err(|err| BuildError::InvalidPath {
                    name: endpoint.name,
                    reason: err.reason(),
                })?;
            for earlier in &self.api.routes {
                if earlier.endpoint.name == endpoint.name {
                    return Err(BuildError::DuplicateName {
                        name: endpoint.name,
                    });
                }
                if earlier.endpoint.method == endpoint.method
                    && earlier.template.same_shape(&template)
                {
                    return Err(BuildError::ConflictingRoutes {
                        first: earlier.endpoint.name,
                        second: endpoint.name,
                    });
                }
            }
            self.api.routes.push(Route {
                endpoint,
                output,
                template,
                call,
            });
        }
        Ok(self.api)
    }
}

/// Casts `E`'s arguments from `input` (for tests and tools).
pub fn cast<E: Arguments>(input: &Input) -> Result<E, ApiError> {
    E::from_input(input)
}
