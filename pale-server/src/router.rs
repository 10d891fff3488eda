//! Routing with `matchit`: a path finds its template, then the method its
//! endpoint — so a known path with the wrong method is a 405 with `Allow`,
//! never a 404.

use pale_core::{Api, App, Method};

/// Why an API's routes could not be put in the router.
#[derive(Debug)]
pub struct RouteError(String);

impl std::fmt::Display for RouteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RouteError {}

pub(crate) struct Router {
    paths: matchit::Router<usize>,
    entries: Vec<PathEntry>,
}

/// The endpoints of one path template, by method.
pub(crate) struct PathEntry {
    pub(crate) methods: Vec<(Method, usize)>,
    /// The `Allow` header for this path.
    pub(crate) allow: String,
}

pub(crate) enum Found<'r> {
    Route {
        route: usize,
        /// Parameter values in path order (still percent-encoded).
        params: Vec<String>,
    },
    Options(&'r PathEntry),
    MethodNotAllowed(&'r PathEntry),
    Missing,
}

impl Router {
    pub(crate) fn new<A: App>(api: &Api<A>) -> Result<Self, RouteError> {
        let mut paths = matchit::Router::new();
        let mut entries: Vec<PathEntry> = Vec::new();
        let mut templates: Vec<&'static str> = Vec::new();
        for (index, route) in api.routes().iter().enumerate() {
            let meta = route.endpoint;
            if http::HeaderValue::from_str(meta.cache).is_err() {
                return Err(RouteError(format!(
                    "route `{}`: `{}` is not a valid Cache-Control value",
                    meta.name, meta.cache
                )));
            }
            // Templates equal but for parameter names share one entry;
            // parameters are then matched by position, not by name.
            let at = match templates.iter().position(|t| shape_eq(t, meta.path)) {
                Some(at) => at,
                None => {
                    paths.insert(meta.path, entries.len()).map_err(|e| {
                        RouteError(format!("route `{}` ({}): {e}", meta.name, meta.path))
                    })?;
                    templates.push(meta.path);
                    entries.push(PathEntry {
                        methods: Vec::new(),
                        allow: String::new(),
                    });
                    entries.len() - 1
                }
            };
            entries[at].methods.push((meta.method, index));
        }
        for entry in &mut entries {
            let mut allow: Vec<&str> = entry.methods.iter().map(|(m, _)| m.as_str()).collect();
            if entry.methods.iter().any(|(m, _)| *m == Method::Get) {
                allow.push("HEAD");
            }
            allow.push("OPTIONS");
            entry.allow = allow.join(", ");
        }
        Ok(Self { paths, entries })
    }

    /// Finds what answers `method` on `path` (a `HEAD` is answered by the
    /// `GET` endpoint).
    pub(crate) fn find(&self, method: &http::Method, path: &str) -> Found<'_> {
        let Ok(matched) = self.paths.at(path) else {
            return Found::Missing;
        };
        let entry = &self.entries[*matched.value];
        if method == http::Method::OPTIONS {
            return Found::Options(entry);
        }
        let wanted = match *method {
            http::Method::GET | http::Method::HEAD => Method::Get,
            http::Method::POST => Method::Post,
            http::Method::PUT => Method::Put,
            http::Method::PATCH => Method::Patch,
            http::Method::DELETE => Method::Delete,
            _ => return Found::MethodNotAllowed(entry),
        };
        match entry.methods.iter().find(|(m, _)| *m == wanted) {
            Some((_, route)) => Found::Route {
                route: *route,
                params: matched.params.iter().map(|(_, v)| v.to_owned()).collect(),
            },
            None => Found::MethodNotAllowed(entry),
        }
    }
}

fn shape(path: &str) -> String {
    path.split('/')
        .map(|s| if s.starts_with('{') { "{}" } else { s })
        .collect::<Vec<_>>()
        .join("/")
}

fn shape_eq(a: &str, b: &str) -> bool {
    shape(a) == shape(b)
}
