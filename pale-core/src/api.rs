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
use crate::resource::ResourceMeta;

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
    /// A resource an endpoint returns renders a link (`link = X`) to an
    /// endpoint the API does not mount: every such link would lead to a
    /// 404.
    UnmountedLink {
        /// The resource.
        resource: &'static str,
        /// Its link field.
        field: &'static str,
        /// The route name of the endpoint it links to.
        target: &'static str,
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
            Self::UnmountedLink {
                resource,
                field,
                target,
            } => write!(
                f,
                "`{resource}.{field}` links to endpoint `{target}`, which is not mounted: mount it, or the link leads nowhere"
            ),
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

    /// Mounts a group of endpoints declared together, a tuple of them:
    /// `.mount_all::<(ListAlbums, GetAlbum, PatchAlbum)>()`. A module can
    /// name its group (`pub type Routes = (…);`) so that the endpoint
    /// added beside the others is mounted with them, not forgotten; an
    /// API mounts several groups.
    #[must_use]
    pub fn mount_all<G: Mount<A>>(self) -> Self {
        G::mount_into(self)
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
        check_links(&self.api.routes)?;
        Ok(self.api)
    }
}

/// Every link a mounted endpoint's resources render (nested ones too)
/// leads to a mounted endpoint.
fn check_links<A: App>(routes: &[Route<A>]) -> Result<(), BuildError> {
    let mounted = |name: &str| routes.iter().any(|r| r.endpoint.name == name);
    let mut seen: Vec<*const ResourceMeta> = Vec::new();
    let mut pending: Vec<&'static ResourceMeta> = routes
        .iter()
        .flat_map(|r| [r.output.resource, r.endpoint.writes])
        .flatten()
        .collect();
    while let Some(resource) = pending.pop() {
        if seen.contains(&std::ptr::from_ref(resource)) {
            continue;
        }
        seen.push(resource);
        for field in resource.fields {
            if let Some(target) = field.link_to.filter(|target| !mounted(target)) {
                return Err(BuildError::UnmountedLink {
                    resource: resource.name,
                    field: field.name,
                    target,
                });
            }
            pending.extend(field.nested);
        }
    }
    Ok(())
}

/// Casts `E`'s arguments from `input` (for tests and tools).
pub fn cast<E: Arguments>(input: &Input) -> Result<E, ApiError> {
    E::from_input(input)
}

/// A group of endpoints mounted together ([`ApiBuilder::mount_all`]):
/// a tuple of one to twelve endpoints.
pub trait Mount<A: App> {
    /// Mounts every endpoint of the group, in order.
    fn mount_into(builder: ApiBuilder<A>) -> ApiBuilder<A>;
}

macro_rules! mount_tuples {
    ($($name:ident)+) => {
        impl<A: App, $($name: Handler<A>),+> Mount<A> for ($($name,)+) {
            fn mount_into(builder: ApiBuilder<A>) -> ApiBuilder<A> {
                builder$(.mount::<$name>())+
            }
        }
    };
}

mount_tuples!(H1);
mount_tuples!(H1 H2);
mount_tuples!(H1 H2 H3);
mount_tuples!(H1 H2 H3 H4);
mount_tuples!(H1 H2 H3 H4 H5);
mount_tuples!(H1 H2 H3 H4 H5 H6);
mount_tuples!(H1 H2 H3 H4 H5 H6 H7);
mount_tuples!(H1 H2 H3 H4 H5 H6 H7 H8);
mount_tuples!(H1 H2 H3 H4 H5 H6 H7 H8 H9);
mount_tuples!(H1 H2 H3 H4 H5 H6 H7 H8 H9 H10);
mount_tuples!(H1 H2 H3 H4 H5 H6 H7 H8 H9 H10 H11);
mount_tuples!(H1 H2 H3 H4 H5 H6 H7 H8 H9 H10 H11 H12);
