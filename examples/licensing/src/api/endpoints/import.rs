//! The bulk load of compositions (admins): a catalogue of thousands of
//! works arrives at once from a publisher's feed, and must land whole or
//! not at all, so that a retry after a bad row cannot record half of it
//! twice. `licensing import-compositions` loads a CSV file the same way,
//! without the per-request size limit.

use pale::prelude::*;
use serde::Serialize;

use crate::api::app::Licensing;
use crate::domain::ids::Iswc;
use crate::store::{NewComposition, Store, StoreError};

/// A publisher's share of a new composition.
#[derive(Arguments, Debug)]
pub struct PublisherShare {
    /// The publisher.
    #[pale(len = 1..=200)]
    pub name: String,
    /// Its share in hundredths of a percent (1 to 10000); a composition's
    /// shares sum to 10000.
    #[pale(range = 1..=10_000)]
    pub share_bp: u32,
}

/// A new composition.
#[derive(Arguments, Debug)]
pub struct CompositionRow {
    /// Title.
    #[pale(len = 1..=200)]
    pub title: String,
    /// The work's ISWC, unique when given.
    pub iswc: Option<Iswc>,
    /// Songwriters in credit order (at least one).
    #[pale(len = 1..=20)]
    pub writers: Vec<String>,
    /// Whether it has been released to the public.
    pub released: bool,
    /// Publishers and their shares (at least one).
    #[pale(len = 1..=20)]
    pub publishers: Vec<PublisherShare>,
}

/// Record compositions in bulk: every row checked as one composition is,
/// all of them or none (the first bad row is a 422 pointing at it, a
/// taken or repeated ISWC included).
#[derive(Endpoint)]
#[pale(POST "/admin/compositions", name = "import_compositions", audience = Admin, tags("admin"))]
pub struct ImportCompositions {
    /// The compositions, at most 1,000 a request (so that a batch fits the
    /// server's 1 MiB body limit; `licensing import-compositions` has none).
    #[pale(len = 1..=1_000)]
    pub compositions: Vec<CompositionRow>,
}

/// What an import did.
#[derive(Serialize)]
pub struct Imported {
    /// Compositions recorded.
    pub imported: u64,
}

impl Handler<Licensing> for ImportCompositions {
    type Output = Plain<Imported>;
    async fn handle(self, ctx: &Context<Licensing>) -> Result<Plain<Imported>, ApiError> {
        let rows = self.compositions.into_iter().map(new_composition).collect();
        let imported = ctx
            .app()
            .store
            .import_compositions(rows)
            .await
            .map_err(under_compositions)?;
        Ok(Plain::new("compositions_import", Imported { imported }))
    }
}

fn new_composition(row: CompositionRow) -> NewComposition {
    NewComposition {
        title: row.title,
        iswc: row.iswc,
        writers: row.writers,
        released: row.released,
        publishers: row
            .publishers
            .into_iter()
            .map(|p| (p.name, p.share_bp))
            .collect(),
    }
}

/// A store error about row `/i/…` of the batch, as a pointer into this
/// request's body.
fn under_compositions(err: StoreError) -> StoreError {
    match err {
        StoreError::Invalid { field, reason } => StoreError::Invalid {
            field: format!("/compositions{field}"),
            reason,
        },
        other => other,
    }
}
