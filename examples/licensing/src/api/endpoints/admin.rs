//! What admins do: record sales, activate licenses, publish albums.

use pale::ArgumentEnum;
use pale::prelude::*;
use serde::Serialize;

use super::load_album;
use crate::api::app::Licensing;
use crate::api::resources::{Album, License};
use crate::domain::statement::SalesMonth;
use crate::store::{IngestOutcome, SaleFormat, SaleLine, SalesReport, Store};

/// How copies were sold.
#[derive(ArgumentEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// CDs, vinyl.
    Physical,
    /// Permanent downloads.
    Download,
}

/// One line of a sales report.
#[derive(Arguments, Debug)]
pub struct Line {
    /// The album sold.
    pub album_id: i64,
    /// The track sold; absent for the whole album.
    #[pale(range = 1..=999)]
    pub track_number: Option<u32>,
    /// Physical or download.
    pub format: Format,
    /// Copies sold.
    #[pale(range = 1..=100_000_000)]
    pub units: u32,
}

/// Record a month of sales for one store: all of it or none, and only once
/// per store and month.
#[derive(Endpoint)]
#[pale(POST "/admin/sales", name = "record_sales", audience = Admin, tags("admin"))]
pub struct RecordSales {
    /// The store (`bandcamp`, `itunes`, …).
    #[pale(len = 1..=64)]
    pub store: String,
    /// The month, `YYYY-MM`.
    pub month: SalesMonth,
    /// The lines.
    #[pale(len = 1..=10_000)]
    pub lines: Vec<Line>,
}

/// What recording sales did.
#[derive(Serialize)]
pub struct Ingested {
    /// Whether anything was recorded (`false`: already recorded before).
    pub ingested: bool,
    /// Lines recorded.
    pub lines: usize,
    /// Units recorded.
    pub units: u64,
}

impl Handler<Licensing> for RecordSales {
    type Output = Plain<Ingested>;
    async fn handle(self, ctx: &Context<Licensing>) -> Result<Plain<Ingested>, ApiError> {
        let report = SalesReport {
            store: self.store,
            month: self.month,
            lines: self
                .lines
                .into_iter()
                .map(|l| SaleLine {
                    album_id: l.album_id,
                    track_number: l.track_number,
                    format: match l.format {
                        Format::Physical => SaleFormat::Physical,
                        Format::Download => SaleFormat::Download,
                    },
                    units: l.units,
                })
                .collect(),
        };
        let outcome = ctx.app().store.ingest_sales(report).await?;
        let ingested = match outcome {
            IngestOutcome::Ingested { lines, units } => Ingested {
                ingested: true,
                lines,
                units,
            },
            IngestOutcome::AlreadyIngested => Ingested {
                ingested: false,
                lines: 0,
                units: 0,
            },
        };
        Ok(Plain::new("sales", ingested))
    }
}

/// Mark a license active (signed, or notice period over).
#[derive(Endpoint)]
#[pale(POST "/admin/licenses/{license_id}/activate", name = "activate_license", audience = Admin, tags("admin"), errors(409))]
pub struct ActivateLicense {
    /// The license.
    pub license_id: i64,
}

impl Handler<Licensing> for ActivateLicense {
    type Output = License;
    async fn handle(self, ctx: &Context<Licensing>) -> Result<License, ApiError> {
        let license = ctx.app().store.activate_license(self.license_id).await?;
        Ok(License::from(license))
    }
}

/// Publish a submitted album once every license is active.
#[derive(Endpoint)]
#[pale(POST "/admin/albums/{album_id}/publish", name = "publish_album", audience = Admin, tags("admin"), errors(409))]
pub struct PublishAlbum {
    /// The album.
    pub album_id: i64,
}

impl Handler<Licensing> for PublishAlbum {
    type Output = Album;
    async fn handle(self, ctx: &Context<Licensing>) -> Result<Album, ApiError> {
        ctx.app().store.publish_album(self.album_id).await?;
        load_album(ctx, self.album_id).await
    }
}
