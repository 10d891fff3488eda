//! A musician's website on Pale: the licensing API for one artist, its
//! documentation and a web front end, served from one process.
//!
//! - [`catalogue`]: the TOML file the musician edits, read and checked;
//! - [`import`]: the catalogue into the licensing store, idempotently;
//! - [`assets`]: the front end and cover art, embedded in the binary;
//! - [`headers`]: the security headers of the site's pages and covers;
//! - [`links`]: where absolute links point (configuration, or a trusted
//!   proxy; never the client's `Host`);
//! - [`site`]: the `tower::Service` that routes between them.
//!
//! [`start`] puts them together the way the binary does: read the
//! catalogue, open the store in the data directory, import, and build the
//! [`Site`] to serve.
//!
//! # Example
//!
//! ```
//! # fn main() -> Result<(), String> {
//! # let data = std::env::temp_dir().join(format!("band-site-doc-{}", std::process::id()));
//! let started = band_site::start(&band_site::Options {
//!     data_dir: data.clone(),
//!     catalogue: None, // the example catalogue built in
//!     site: band_site::SiteConfig::default(),
//! })?;
//! assert_eq!(started.catalogue.artist.name, "The Lamplight Parlour");
//! assert_eq!(started.report.albums_created, 4);
//! // Then, in an async context:
//! // pale::Server::bind("127.0.0.1:8080").await?.serve_service(started.site).await
//! # drop(started);
//! # std::fs::remove_dir_all(&data).ok();
//! # Ok(())
//! # }
//! ```

pub mod assets;
pub mod catalogue;
pub mod headers;
pub mod import;
pub mod links;
pub mod site;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use licensing::api::{Licensing, api_under};
use licensing::store::{IssuedToken, Role, SqliteStore, StoreConfig};
use pale::{Limits, PaleService};

pub use assets::Assets;
pub use catalogue::{Catalogue, CatalogueError};
pub use import::{ImportError, ImportReport};
pub use site::{Site, SiteConfig};

/// What the site is started with.
#[derive(Clone, Debug)]
pub struct Options {
    /// The data directory (database, tokens file).
    pub data_dir: PathBuf,
    /// The catalogue file; `None` for the example built in.
    pub catalogue: Option<PathBuf>,
    /// Where the site is reached.
    pub site: SiteConfig,
}

/// A started site: what to serve, and what the start did.
pub struct Started {
    /// The service to serve.
    pub site: Site,
    /// The store.
    pub store: Arc<SqliteStore>,
    /// What the import did.
    pub report: ImportReport,
    /// The catalogue imported.
    pub catalogue: Catalogue,
}

/// Reads the catalogue (the built-in example when `path` is `None`) and
/// the files it serves: the embedded front end and covers, and a disk
/// catalogue's covers (paths beside the catalogue file).
pub fn load_catalogue(path: Option<&Path>) -> Result<(Catalogue, Assets), String> {
    let mut assets = Assets::embedded();
    let catalogue = match path {
        None => {
            let catalogue = Catalogue::parse(catalogue::EXAMPLE_NAME, catalogue::EXAMPLE)
                .map_err(|e| e.to_string())?;
            if let Some(missing) = catalogue.cover_paths().find(|p| !assets.contains(p)) {
                return Err(format!(
                    "{}: the cover `{missing}` is not embedded",
                    catalogue::EXAMPLE_NAME
                ));
            }
            catalogue
        }
        Some(path) => {
            let catalogue = Catalogue::read(path).map_err(|e| e.to_string())?;
            let dir = path.parent().unwrap_or_else(|| Path::new("."));
            for cover in catalogue.cover_paths() {
                assets.load(dir, cover).map_err(|e| {
                    format!(
                        "{}: the cover `{cover}` cannot be read from {}: {e}",
                        path.display(),
                        dir.join(cover).display()
                    )
                })?;
            }
            catalogue
        }
    };
    Ok((catalogue, assets))
}

/// Opens (creating and migrating) the licensing database in `data_dir`,
/// without the licensing demo.
pub fn open_store(data_dir: &Path) -> Result<SqliteStore, String> {
    std::fs::create_dir_all(data_dir)
        .map_err(|e| format!("cannot create {}: {e}", data_dir.display()))?;
    SqliteStore::open(&StoreConfig::new(data_dir).seed(false))
        .map_err(|e| format!("cannot open the database in {}: {e}", data_dir.display()))
}

/// Imports `catalogue` into the store's database, on a connection of its
/// own, and writes the tokens file when the owner's account was created.
pub fn import_into(store: &SqliteStore, catalogue: &Catalogue) -> Result<ImportReport, String> {
    let mut conn = rusqlite::Connection::open(store.path())
        .map_err(|e| format!("cannot open {}: {e}", store.path().display()))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(|e| e.to_string())?;
    let report = import::import(&mut conn, catalogue).map_err(|e| e.to_string())?;
    // Written on a connection of its own: the store notices the commit
    // before its next cached read, as it would another process's.
    if let Some(token) = &report.new_token {
        let data_dir = store.path().parent().unwrap_or_else(|| Path::new("."));
        licensing::store::write_tokens(
            data_dir,
            &[IssuedToken {
                artist_id: Some(report.artist_id),
                name: catalogue.artist.name.clone(),
                role: Role::Artist,
                token: token.clone(),
            }],
        )
        .map_err(|e| format!("cannot write the tokens file: {e}"))?;
    }
    Ok(report)
}

/// `/site.json`: what the front end needs before it asks the API.
pub fn site_json(catalogue: &Catalogue, config: &SiteConfig) -> serde_json::Value {
    let artist = &catalogue.artist;
    serde_json::json!({
        "name": artist.name,
        "bio": artist.bio,
        "links": artist.links,
        "api": format!("{}/api", config.base_path),
        "docs": format!("{}/api/docs", config.base_path),
        "base_path": config.base_path,
    })
}

/// Reads the catalogue, opens the store, imports, and builds the site.
pub fn start(options: &Options) -> Result<Started, String> {
    let (catalogue, mut assets) = load_catalogue(options.catalogue.as_deref())?;
    let store = Arc::new(open_store(&options.data_dir)?);
    let report = import_into(&store, &catalogue)?;
    let json = serde_json::to_vec_pretty(&site_json(&catalogue, &options.site))
        .map_err(|e| e.to_string())?;
    assets.insert("site.json", json);
    let api = api_under(
        Licensing::new(SqliteStore::clone(&store)),
        &format!("{}/api", options.site.base_path),
    )
    .map_err(|e| e.to_string())?;
    let service = PaleService::with_limits(api, Limits::default()).map_err(|e| e.to_string())?;
    Ok(Started {
        site: Site::new(
            service,
            assets,
            options.site.clone(),
            headers::site_headers(&catalogue),
        ),
        store,
        report,
        catalogue,
    })
}
