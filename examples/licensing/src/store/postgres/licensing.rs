//! An album's way to the store: submit (licenses are requested), activate
//! (a license is secured), publish (on sale once every license is). Which
//! license a cover gets, and when each step is allowed, is
//! `store::rules`; each step here locks the album row first, so steps
//! through different instances happen one after the other.

use sqlx::PgConnection;
use time::Date;

use super::album_rows::{bump_version, fetch_album, lock_album};
use super::license_rows::fetch_license;
use super::row::big;
use super::{catalog, page, tracks};
use crate::store::{
    Album, AlbumDetail, AlbumStatus, License, LicenseRoute, LicenseStatus, Result, rules,
};

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
    page::detail(conn, album).await
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
    bump_version(conn, license.album_id).await?;
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
