//! Artists and compositions: the catalogue albums refer to, and the search
//! that matches a cover to the composition it covers.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::store::check::{self, like_pattern};
use crate::store::matching;
use crate::store::{
    Artist, Candidate, Composition, MatchQuery, NewArtist, NewComposition, Publisher, Result,
    StoreError,
};

const ARTIST_COLUMNS: &str = "id, name, bio, email, bandcamp, spotify, website";

fn artist(row: &Row<'_>) -> rusqlite::Result<Artist> {
    Ok(Artist {
        id: row.get(0)?,
        name: row.get(1)?,
        bio: row.get(2)?,
        email: row.get(3)?,
        bandcamp: row.get(4)?,
        spotify: row.get(5)?,
        website: row.get(6)?,
    })
}

/// An artist.
pub(super) fn get_artist(conn: &Connection, artist_id: i64) -> Result<Artist> {
    conn.prepare_cached(&format!(
        "SELECT {ARTIST_COLUMNS} FROM artists WHERE id = ?1"
    ))?
    .query_row([artist_id], artist)
    .optional()?
    .ok_or(StoreError::NotFound("artist"))
}

/// Records an artist.
pub(super) fn create_artist(conn: &Connection, new: &NewArtist) -> Result<Artist> {
    check::not_blank("/name", &new.name)?;
    check::not_blank("/email", &new.email)?;
    conn.prepare_cached(
        "INSERT INTO artists (name, bio, email, bandcamp, spotify, website)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        new.name,
        new.bio,
        new.email,
        new.bandcamp,
        new.spotify,
        new.website
    ])?;
    get_artist(conn, conn.last_insert_rowid())
}

/// A composition with its writers and publishers.
pub(super) fn get_composition(conn: &Connection, composition_id: i64) -> Result<Composition> {
    let head = conn
        .prepare_cached("SELECT id, title, iswc, released FROM compositions WHERE id = ?1")?
        .query_row([composition_id], |row| {
            Ok(Composition {
                id: row.get(0)?,
                title: row.get(1)?,
                iswc: row.get(2)?,
                released: row.get(3)?,
                writers: Vec::new(),
                publishers: Vec::new(),
            })
        })
        .optional()?;
    let mut composition = head.ok_or(StoreError::NotFound("composition"))?;
    composition.writers = conn
        .prepare_cached(
            "SELECT name FROM composition_writers WHERE composition_id = ?1 ORDER BY position",
        )?
        .query_map([composition_id], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    composition.publishers = conn
        .prepare_cached(
            "SELECT name, share_bp FROM publishers WHERE composition_id = ?1
             ORDER BY share_bp DESC, name",
        )?
        .query_map([composition_id], |row| {
            Ok(Publisher {
                name: row.get(0)?,
                share_bp: row.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(composition)
}

/// Compositions whose title, a writer or the ISWC contains `q`, by title.
pub(super) fn list_compositions(conn: &Connection, q: Option<&str>) -> Result<Vec<Composition>> {
    let pattern = q.map(like_pattern);
    let ids: Vec<i64> = conn
        .prepare_cached(
            r"SELECT c.id FROM compositions c
              WHERE ?1 IS NULL
                 OR c.title LIKE ?1 ESCAPE '\'
                 OR c.iswc LIKE ?1 ESCAPE '\'
                 OR EXISTS (SELECT 1 FROM composition_writers w
                            WHERE w.composition_id = c.id AND w.name LIKE ?1 ESCAPE '\')
              ORDER BY c.title COLLATE NOCASE, c.id",
        )?
        .query_map([pattern], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.into_iter()
        .map(|id| get_composition(conn, id))
        .collect()
}

/// Records a composition with its writers and publishers.
pub(super) fn create_composition(conn: &Connection, new: &NewComposition) -> Result<Composition> {
    check::not_blank("/title", &new.title)?;
    if new.writers.is_empty() {
        return Err(StoreError::invalid("/writers", "needs at least one writer"));
    }
    for (i, writer) in new.writers.iter().enumerate() {
        check::not_blank(&format!("/writers/{i}"), writer)?;
    }
    check::shares(&new.publishers)?;
    if let Some(iswc) = new.iswc {
        let taken = conn
            .prepare_cached("SELECT 1 FROM compositions WHERE iswc = ?1")?
            .exists([iswc])?;
        if taken {
            return Err(StoreError::Conflict("a composition with this ISWC exists"));
        }
    }
    conn.prepare_cached("INSERT INTO compositions (title, iswc, released) VALUES (?1, ?2, ?3)")?
        .execute(params![new.title, new.iswc, new.released])?;
    let id = conn.last_insert_rowid();
    let mut writer = conn.prepare_cached("INSERT INTO composition_writers VALUES (?1, ?2, ?3)")?;
    for (position, name) in new.writers.iter().enumerate() {
        writer.execute(params![id, position, name])?;
    }
    let mut publisher = conn.prepare_cached("INSERT INTO publishers VALUES (?1, ?2, ?3)")?;
    for (name, share) in &new.publishers {
        publisher.execute(params![id, name, share])?;
    }
    get_composition(conn, id)
}

/// The compositions a cover may be of, ranked by `matching`.
pub(super) fn match_compositions(conn: &Connection, query: &MatchQuery) -> Result<Vec<Candidate>> {
    check::not_blank("/title", &query.title)?;
    Ok(matching::candidates(query, list_compositions(conn, None)?))
}
