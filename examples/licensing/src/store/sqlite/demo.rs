//! Applies the demo catalogue (`store::seed`) to a new database, through
//! the same operations the service uses, inside the migration's
//! transaction: a database is seeded completely or not at all.

use std::path::Path;

use rusqlite::Connection;

use super::{accounts, albums, catalog, licensing, sales, tracks};
use crate::store::seed::{self, IssuedToken};
use crate::store::{NewAlbum, NewTrack, Result, Role};

/// Seeds the demo and writes the tokens file into `data_dir`.
pub(super) fn seed(conn: &Connection, data_dir: &Path) -> Result<()> {
    let demo = seed::demo();
    let compositions = demo
        .compositions
        .iter()
        .map(|new| catalog::create_composition(conn, new).map(|c| c.id))
        .collect::<Result<Vec<_>>>()?;
    let mut tokens = vec![IssuedToken {
        artist_id: None,
        name: demo.admin.to_owned(),
        role: Role::Admin,
        token: accounts::create_account(conn, demo.admin, Role::Admin, None)?,
    }];
    // Album ids by (artist index, album index).
    let mut album_ids: Vec<Vec<i64>> = Vec::new();
    for entry in &demo.artists {
        let artist = catalog::create_artist(conn, &entry.artist)?;
        tokens.push(IssuedToken {
            artist_id: Some(artist.id),
            name: artist.name.clone(),
            role: Role::Artist,
            token: accounts::create_account(conn, &artist.name, Role::Artist, Some(artist.id))?,
        });
        let mut ids = Vec::new();
        for demo_album in &entry.albums {
            let album = albums::create_album(
                conn,
                &NewAlbum {
                    artist_id: artist.id,
                    ..demo_album.album.clone()
                },
            )?;
            for (track, covers) in &demo_album.tracks {
                let cover_of = covers.map(|i| compositions[i]);
                tracks::add_track(
                    conn,
                    album.id,
                    &NewTrack {
                        cover_of,
                        ..track.clone()
                    },
                )?;
            }
            if let Some(day) = demo_album.submitted {
                let detail = licensing::submit_album(conn, album.id, day)?;
                if demo_album.live {
                    for license in detail.licenses {
                        licensing::activate_license(conn, license.id)?;
                    }
                    licensing::publish_album(conn, album.id)?;
                }
            }
            ids.push(album.id);
        }
        album_ids.push(ids);
    }
    for report in &demo.sales {
        sales::ingest_sales(conn, &report.report(&album_ids)?)?;
    }
    seed::write_tokens(data_dir, &tokens)
}
