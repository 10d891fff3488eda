//! An album's way to the store: submit (licenses are requested), activate
//! (a license is secured), publish (on sale once every license is). Which
//! license a cover gets, and when each step is allowed, is
//! `store::rules`; each step here locks the album row first, so steps
//! through different instances happen one after the other.

use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};
use time::Date;

use super::albums::{self, fetch_album, lock_album};
use super::row::{big, u32_at};
use super::{catalog, tracks};
use crate::store::{
    Album, AlbumDetail, AlbumStatus, License, LicenseRoute, LicenseStatus, Result, StoreError,
    rules,
};

/// The license columns.
macro_rules! license_select {
    () => {
        "SELECT id, album_id, track_number, composition_id, route, status,
                rate_year, notice_date
         FROM licenses"
    };
}

fn license(row: &PgRow) -> Result<License> {
    Ok(License {
        id: row.try_get(0)?,
        album_id: row.try_get(1)?,
        track_number: u32_at(row, 2)?,
        composition_id: row.try_get(3)?,
        route: row.try_get(4)?,
        status: row.try_get(5)?,
        rate_year: row.try_get(6)?,
        notice_date: row.try_get(7)?,
    })
}

/// An album's licenses by track number.
pub(super) async fn list_licenses(conn: &mut PgConnection, album_id: i64) -> Result<Vec<License>> {
    sqlx::query(concat!(
        license_select!(),
        " WHERE album_id = $1 ORDER BY track_number"
    ))
    .bind(album_id)
    .fetch_all(conn)
    .await?
    .iter()
    .map(license)
    .collect()
}

async fn fetch_license(conn: &mut PgConnection, license_id: i64) -> Result<License> {
    let row = sqlx::query(concat!(license_select!(), " WHERE id = $1"))
        .bind(license_id)
        .fetch_optional(conn)
        .await?;
    license(&row.ok_or(StoreError::NotFound("license"))?)
}

async fn set_status(conn: &mut PgConnection, album_id: i64, status: AlbumStatus) -> Result<()> {
    sqlx::query("UPDATE albums SET status = $2, version = version + 1 WHERE id = $1")
        .bind(album_id)
        .bind(status)
        .execute(conn)
        .await?;
    Ok(())
}

/// Submits a draft: a license per cover, the album `submitted`.
pub(super) async fn submit_album(
    conn: &mut PgConnection,
    album_id: i64,
    today: Date,
) -> Result<AlbumDetail> {
    let album = lock_album(conn, album_id).await?;
    let tracks = tracks::list_tracks(conn, album_id).await?;
    rules::require_submittable(&album, &tracks)?;
    for track in &tracks {
        let Some(composition_id) = track.cover_of else {
            continue;
        };
        let composition = catalog::get_composition(conn, composition_id).await?;
        let terms = rules::license_terms(composition.released, track.lyrics_changed, today);
        sqlx::query(
            "INSERT INTO licenses (album_id, track_number, composition_id, route, status,
                                   rate_year, notice_date)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(album_id)
        .bind(big(track.number))
        .bind(composition_id)
        .bind(LicenseRoute::Noi)
        .bind(terms.status)
        .bind(terms.rate_year)
        .bind(terms.notice_date)
        .execute(&mut *conn)
        .await?;
    }
    set_status(conn, album_id, AlbumStatus::Submitted).await?;
    let album = fetch_album(conn, album_id).await?;
    albums::detail(conn, album).await
}

/// Marks a license active. The license's album is locked first, as for
/// every album write, then the license is read again under the lock.
pub(super) async fn activate_license(conn: &mut PgConnection, license_id: i64) -> Result<License> {
    let album_id = fetch_license(conn, license_id).await?.album_id;
    lock_album(conn, album_id).await?;
    let license = fetch_license(conn, license_id).await?;
    rules::require_inactive(&license)?;
    sqlx::query("UPDATE licenses SET status = $2 WHERE id = $1")
        .bind(license_id)
        .bind(LicenseStatus::Active)
        .execute(&mut *conn)
        .await?;
    albums::bump_version(conn, license.album_id).await?;
    fetch_license(conn, license_id).await
}

/// Puts a submitted album whose licenses are all active on sale.
pub(super) async fn publish_album(conn: &mut PgConnection, album_id: i64) -> Result<Album> {
    let album = lock_album(conn, album_id).await?;
    let outstanding: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM licenses WHERE album_id = $1 AND status <> 'active')",
    )
    .bind(album_id)
    .fetch_one(&mut *conn)
    .await?;
    rules::require_publishable(&album, outstanding)?;
    set_status(conn, album_id, AlbumStatus::Live).await?;
    fetch_album(conn, album_id).await
}
