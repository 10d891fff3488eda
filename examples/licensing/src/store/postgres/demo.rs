//! Sets a new database up: the demo catalogue (`store::seed`) applied
//! through the same operations the service uses, in one transaction, as
//! on SQLite.
//!
//! **Exactly once, however many instances start.** The `setup` table holds
//! one row once the database is set up. The first instance to start
//! claims it with `INSERT … ON CONFLICT DO NOTHING` and seeds in the same
//! transaction; an instance starting at the same moment waits on that
//! uncommitted row, then finds it and seeds nothing (or, if the first
//! failed and rolled back, claims it and seeds itself). Like SQLite's
//! "the database was just created", the first start decides: a database
//! set up without the seed stays empty.

use std::path::Path;

use sqlx::PgConnection;

use super::{accounts, albums, catalog, licensing, sales, tracks};
use crate::store::seed::{self, IssuedToken};
use crate::store::{NewAlbum, NewTrack, Result, Role};

/// Claims the setup of a new database and, if `seed`, seeds it and writes
/// the tokens file into `data_dir`. Returns whether this call seeded.
pub(super) async fn set_up(conn: &mut PgConnection, seed: bool, data_dir: &Path) -> Result<bool> {
    let claimed = sqlx::query("INSERT INTO setup (seeded) VALUES ($1) ON CONFLICT DO NOTHING")
        .bind(seed)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if claimed == 0 || !seed {
        return Ok(false);
    }
    self::seed(conn, data_dir).await?;
    Ok(true)
}

/// Seeds the demo and writes the tokens file into `data_dir`.
async fn seed(conn: &mut PgConnection, data_dir: &Path) -> Result<()> {
    let demo = seed::demo();
    let mut compositions = Vec::new();
    for new in &demo.compositions {
        compositions.push(catalog::create_composition(conn, new).await?.id);
    }
    let mut tokens = vec![IssuedToken {
        artist_id: None,
        name: demo.admin.to_owned(),
        role: Role::Admin,
        token: accounts::create_account(conn, demo.admin, Role::Admin, None).await?,
    }];
    // Album ids by (artist index, album index).
    let mut album_ids: Vec<Vec<i64>> = Vec::new();
    for entry in &demo.artists {
        let artist = catalog::create_artist(conn, &entry.artist).await?;
        let token =
            accounts::create_account(conn, &artist.name, Role::Artist, Some(artist.id)).await?;
        tokens.push(IssuedToken {
            artist_id: Some(artist.id),
            name: artist.name.clone(),
            role: Role::Artist,
            token,
        });
        let mut ids = Vec::new();
        for demo_album in &entry.albums {
            let new = NewAlbum {
                artist_id: artist.id,
                ..demo_album.album.clone()
            };
            let album = albums::create_album(conn, &new).await?;
            for (track, covers) in &demo_album.tracks {
                let new = NewTrack {
                    cover_of: covers.map(|i| compositions[i]),
                    ..track.clone()
                };
                tracks::add_track(conn, album.id, &new).await?;
            }
            if let Some(day) = demo_album.submitted {
                let detail = licensing::submit_album(conn, album.id, day).await?;
                if demo_album.live {
                    for license in detail.licenses {
                        licensing::activate_license(conn, license.id).await?;
                    }
                    licensing::publish_album(conn, album.id).await?;
                }
            }
            ids.push(album.id);
        }
        album_ids.push(ids);
    }
    for report in &demo.sales {
        sales::ingest_sales(conn, &report.report(&album_ids)?).await?;
    }
    std::fs::create_dir_all(data_dir)?;
    seed::write_tokens(data_dir, &tokens)
}
