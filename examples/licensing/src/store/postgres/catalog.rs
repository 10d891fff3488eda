//! Artists and compositions: the catalogue albums refer to, and the search
//! that matches a cover to the composition it covers (scored in Rust by
//! `store::matching`, as on SQLite).

use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};

use super::row::{ascii_lower, big};
use crate::store::check::{self, like_pattern};
use crate::store::matching;
use crate::store::{
    Artist, Candidate, Composition, MatchQuery, NewArtist, NewComposition, Publisher, Result,
    StoreError,
};

fn artist(row: &PgRow) -> Result<Artist> {
    Ok(Artist {
        id: row.try_get(0)?,
        name: row.try_get(1)?,
        bio: row.try_get(2)?,
        email: row.try_get(3)?,
        bandcamp: row.try_get(4)?,
        spotify: row.try_get(5)?,
        website: row.try_get(6)?,
    })
}

/// An artist.
pub(super) async fn get_artist(conn: &mut PgConnection, artist_id: i64) -> Result<Artist> {
    let row = sqlx::query(
        "SELECT id, name, bio, email, bandcamp, spotify, website FROM artists WHERE id = $1",
    )
    .bind(artist_id)
    .fetch_optional(conn)
    .await?;
    artist(&row.ok_or(StoreError::NotFound("artist"))?)
}

/// Records an artist.
pub(super) async fn create_artist(conn: &mut PgConnection, new: &NewArtist) -> Result<Artist> {
    check::not_blank("/name", &new.name)?;
    check::not_blank("/email", &new.email)?;
    let row = sqlx::query(
        "INSERT INTO artists (name, bio, email, bandcamp, spotify, website)
         VALUES ($1, $2, $3, $4, $5, $6)
         RETURNING id, name, bio, email, bandcamp, spotify, website",
    )
    .bind(&new.name)
    .bind(&new.bio)
    .bind(&new.email)
    .bind(&new.bandcamp)
    .bind(&new.spotify)
    .bind(&new.website)
    .fetch_one(conn)
    .await?;
    artist(&row)
}

/// A composition with its writers (in credit order) and publishers
/// (largest share first, then by name in code-point order, as SQLite's
/// `BINARY`), in one row: the two publisher arrays share one total order
/// (a composition's publisher names are unique), so they line up.
macro_rules! composition_select {
    () => {
        r#"SELECT c.id, c.title, c.iswc, c.released,
                  ARRAY(SELECT w.name FROM composition_writers w
                        WHERE w.composition_id = c.id ORDER BY w.position),
                  ARRAY(SELECT p.name FROM publishers p WHERE p.composition_id = c.id
                        ORDER BY p.share_bp DESC, p.name COLLATE "C"),
                  ARRAY(SELECT p.share_bp FROM publishers p WHERE p.composition_id = c.id
                        ORDER BY p.share_bp DESC, p.name COLLATE "C")
           FROM compositions c"#
    };
}

fn composition(row: &PgRow) -> Result<Composition> {
    let names: Vec<String> = row.try_get(5)?;
    let shares: Vec<i64> = row.try_get(6)?;
    let publishers = names
        .into_iter()
        .zip(shares)
        .map(|(name, share)| {
            let share_bp = u32::try_from(share)
                .map_err(|_| StoreError::Internal(format!("a stored share is {share}")))?;
            Ok(Publisher { name, share_bp })
        })
        .collect::<Result<_>>()?;
    Ok(Composition {
        id: row.try_get(0)?,
        title: row.try_get(1)?,
        iswc: row.try_get(2)?,
        released: row.try_get(3)?,
        writers: row.try_get(4)?,
        publishers,
    })
}

/// A composition with its writers and publishers.
pub(super) async fn get_composition(
    conn: &mut PgConnection,
    composition_id: i64,
) -> Result<Composition> {
    let row = sqlx::query(concat!(composition_select!(), " WHERE c.id = $1"))
        .bind(composition_id)
        .fetch_optional(conn)
        .await?;
    composition(&row.ok_or(StoreError::NotFound("composition"))?)
}

/// The compositions of these ids that exist, in the order of `ids`.
pub(super) async fn get_compositions(
    conn: &mut PgConnection,
    ids: &[i64],
) -> Result<Vec<Composition>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut found: Vec<Composition> =
        sqlx::query(concat!(composition_select!(), " WHERE c.id = ANY($1)"))
            .bind(ids)
            .fetch_all(conn)
            .await?
            .iter()
            .map(composition)
            .collect::<Result<_>>()?;
    found.sort_by_key(|c| ids.iter().position(|id| *id == c.id));
    Ok(found)
}

/// Compositions whose title, a writer or the ISWC contains `q`, by title
/// (ASCII case folded, as SQLite's `LIKE` and `NOCASE`; see `row`).
pub(super) async fn list_compositions(
    conn: &mut PgConnection,
    q: Option<&str>,
) -> Result<Vec<Composition>> {
    let pattern = q.map(|q| ascii_lower(&like_pattern(q)));
    sqlx::query(concat!(
        composition_select!(),
        r#" WHERE $1::text IS NULL
              OR lower(c.title COLLATE "C") LIKE $1
              OR lower(c.iswc COLLATE "C") LIKE $1
              OR EXISTS (SELECT 1 FROM composition_writers w
                         WHERE w.composition_id = c.id AND lower(w.name COLLATE "C") LIKE $1)
           ORDER BY lower(c.title COLLATE "C"), c.id"#
    ))
    .bind(pattern)
    .fetch_all(conn)
    .await?
    .iter()
    .map(composition)
    .collect()
}

/// Records a composition with its writers and publishers. A taken ISWC is
/// found by the insert itself (`ON CONFLICT DO NOTHING`), so two
/// instances recording the same work at once give one composition and
/// one `Conflict`.
pub(super) async fn create_composition(
    conn: &mut PgConnection,
    new: &NewComposition,
) -> Result<Composition> {
    check::not_blank("/title", &new.title)?;
    if new.writers.is_empty() {
        return Err(StoreError::invalid("/writers", "needs at least one writer"));
    }
    for (i, writer) in new.writers.iter().enumerate() {
        check::not_blank(&format!("/writers/{i}"), writer)?;
    }
    check::shares(&new.publishers)?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO compositions (title, iswc, released) VALUES ($1, $2, $3)
         ON CONFLICT (iswc) DO NOTHING RETURNING id",
    )
    .bind(&new.title)
    .bind(new.iswc)
    .bind(new.released)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::Conflict("a composition with this ISWC exists"))?;
    for (position, name) in new.writers.iter().enumerate() {
        let position = i64::try_from(position)
            .map_err(|_| StoreError::invalid("/writers", "too many writers"))?;
        sqlx::query("INSERT INTO composition_writers VALUES ($1, $2, $3)")
            .bind(id)
            .bind(position)
            .bind(name)
            .execute(&mut *conn)
            .await?;
    }
    for (name, share) in &new.publishers {
        sqlx::query("INSERT INTO publishers VALUES ($1, $2, $3)")
            .bind(id)
            .bind(name)
            .bind(big(*share))
            .execute(&mut *conn)
            .await?;
    }
    get_composition(conn, id).await
}

/// The compositions a cover may be of, ranked by `matching`.
pub(super) async fn match_compositions(
    conn: &mut PgConnection,
    query: &MatchQuery,
) -> Result<Vec<Candidate>> {
    check::not_blank("/title", &query.title)?;
    Ok(matching::candidates(
        query,
        list_compositions(conn, None).await?,
    ))
}
