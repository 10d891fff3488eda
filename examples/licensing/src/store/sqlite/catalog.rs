//! Artists and compositions: the catalogue albums refer to, and the search
//! that matches a cover to the composition it covers.
//!
//! A composition is read in one statement with its writers and publishers
//! (as JSON arrays, `json_group_array`), so a page or a match's candidates
//! are one statement however many there are. Searches read the FTS5 word
//! index `compositions_search` (schema migration 4, kept by triggers) over
//! the normalized title and writers the store writes beside each row.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

use crate::store::check;
use crate::store::composition_input::{self, at_row, check_composition, iswc_taken};
use crate::store::matching::{self, PER_PROBE, Probes};
use crate::store::{
    Artist, Candidate, Composition, CompositionQuery, MatchQuery, NewArtist, NewComposition, Page,
    Publisher, Result, StoreError,
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

/// The columns of a composition with its writers (in credit order) and
/// publishers (largest share first, then by name), `c` being the
/// composition.
const COMPOSITION_COLUMNS: &str = "c.id, c.title, c.iswc, c.released,
    (SELECT json_group_array(w.name ORDER BY w.position)
     FROM composition_writers w WHERE w.composition_id = c.id),
    (SELECT json_group_array(json_array(p.name, p.share_bp) ORDER BY p.share_bp DESC, p.name)
     FROM publishers p WHERE p.composition_id = c.id)";

/// A composition row as [`COMPOSITION_COLUMNS`] reads it; the JSON is
/// parsed by [`composition`].
struct CompositionRow {
    head: Composition,
    writers: String,
    publishers: String,
}

fn composition_row(row: &Row<'_>) -> rusqlite::Result<CompositionRow> {
    Ok(CompositionRow {
        head: Composition {
            id: row.get(0)?,
            title: row.get(1)?,
            iswc: row.get(2)?,
            released: row.get(3)?,
            writers: Vec::new(),
            publishers: Vec::new(),
        },
        writers: row.get(4)?,
        publishers: row.get(5)?,
    })
}

/// The composition of a row, its JSON arrays parsed.
fn composition(row: CompositionRow) -> Result<Composition> {
    let bad = |e: serde_json::Error| StoreError::Internal(format!("a composition's lists: {e}"));
    let publishers: Vec<(String, u32)> = serde_json::from_str(&row.publishers).map_err(bad)?;
    Ok(Composition {
        writers: serde_json::from_str(&row.writers).map_err(bad)?,
        publishers: publishers
            .into_iter()
            .map(|(name, share_bp)| Publisher { name, share_bp })
            .collect(),
        ..row.head
    })
}

/// The compositions a statement's rows are.
fn compositions(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<Composition>> {
    let rows = conn
        .prepare_cached(sql)?
        .query_map(params, composition_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(composition).collect()
}

/// A composition with its writers and publishers.
pub(super) fn get_composition(conn: &Connection, composition_id: i64) -> Result<Composition> {
    let sql = format!("SELECT {COMPOSITION_COLUMNS} FROM compositions c WHERE c.id = ?1");
    compositions(conn, &sql, [composition_id])?
        .pop()
        .ok_or(StoreError::NotFound("composition"))
}

/// The FTS5 query for `words`: each quoted (they are letters and digits,
/// so nothing in them is syntax), each a prefix when `prefix`, all
/// required, in `column` if given.
fn fts_query(column: Option<&str>, words: &[String], prefix: bool) -> String {
    let star = if prefix { "*" } else { "" };
    let terms: Vec<String> = words.iter().map(|w| format!("\"{w}\"{star}")).collect();
    match column {
        Some(column) => format!("{column} : ({})", terms.join(" AND ")),
        None => terms.join(" AND "),
    }
}

/// One page of the compositions `query` finds, by title, and how many
/// there are: from the word index when `q` has words, else from the
/// title index and the kept count.
pub(super) fn list_compositions(
    conn: &Connection,
    query: &CompositionQuery,
) -> Result<Page<Composition>> {
    query.check()?;
    let q = query.q.as_deref().unwrap_or("");
    let words = matching::search_words(q);
    let limit = i64::from(query.per_page);
    let (items, total) = if words.is_empty() {
        let sql = format!(
            "SELECT {COMPOSITION_COLUMNS} FROM compositions c
             ORDER BY c.title COLLATE NOCASE, c.id LIMIT ?1 OFFSET ?2"
        );
        let items = compositions(conn, &sql, params![limit, query.offset()])?;
        // Kept by the table's triggers (migration 6), not counted.
        let kept: i64 = conn
            .prepare_cached("SELECT compositions FROM composition_count")?
            .query_row([], |row| row.get(0))?;
        (items, u64::try_from(kept).unwrap_or(0))
    } else {
        let hits = "SELECT rowid AS id FROM compositions_search WHERE compositions_search MATCH ?1
                    UNION SELECT id FROM compositions WHERE iswc = ?2";
        let (fts, iswc) = (fts_query(None, &words, true), q.trim());
        let sql = format!(
            "SELECT {COMPOSITION_COLUMNS} FROM ({hits}) h JOIN compositions c ON c.id = h.id
             ORDER BY c.title COLLATE NOCASE, c.id LIMIT ?3 OFFSET ?4"
        );
        let items = compositions(conn, &sql, params![fts, iswc, limit, query.offset()])?;
        (items, count(conn, hits, params![fts, iswc])?)
    };
    Ok(Page {
        items,
        total,
        page: query.page,
        per_page: query.per_page,
        next: None,
    })
}

/// How many rows `hits` gives.
fn count(conn: &Connection, hits: &str, params: impl rusqlite::Params) -> Result<u64> {
    let n: i64 = conn
        .prepare_cached(&format!("SELECT count(*) FROM ({hits})"))?
        .query_row(params, |row| row.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Records a composition with its writers and publishers.
pub(super) fn create_composition(conn: &Connection, new: &NewComposition) -> Result<Composition> {
    check_composition(new)?;
    if let Some(iswc) = new.iswc
        && iswc_is_taken(conn, iswc)?
    {
        return Err(StoreError::Conflict("a composition with this ISWC exists"));
    }
    let id = insert_composition(conn, new)?;
    get_composition(conn, id)
}

fn iswc_is_taken(conn: &Connection, iswc: crate::domain::ids::Iswc) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM compositions WHERE iswc = ?1")?
        .exists([iswc])?)
}

/// Inserts a checked composition, its search keys, writers and
/// publishers, with prepared statements; its id.
fn insert_composition(conn: &Connection, new: &NewComposition) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO compositions (title, iswc, released, title_key, writers_key)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        new.title,
        new.iswc,
        new.released,
        matching::normalize(&new.title),
        matching::writers_key(&new.writers)
    ])?;
    let id = conn.last_insert_rowid();
    let mut writer = conn.prepare_cached("INSERT INTO composition_writers VALUES (?1, ?2, ?3)")?;
    for (position, name) in new.writers.iter().enumerate() {
        writer.execute(params![id, position, name])?;
    }
    let mut publisher = conn.prepare_cached("INSERT INTO publishers VALUES (?1, ?2, ?3)")?;
    for (name, share) in &new.publishers {
        publisher.execute(params![id, name, share])?;
    }
    Ok(id)
}

/// Records a batch of compositions in the caller's transaction: every
/// row checked first, then each inserted with the same prepared
/// statements; a taken ISWC fails the batch at its row.
pub(super) fn import_compositions(conn: &Connection, rows: &[NewComposition]) -> Result<u64> {
    composition_input::check_batch(rows)?;
    for (i, row) in rows.iter().enumerate() {
        if let Some(iswc) = row.iswc
            && iswc_is_taken(conn, iswc)?
        {
            return Err(iswc_taken(i));
        }
    }
    for (i, row) in rows.iter().enumerate() {
        insert_composition(conn, row).map_err(|e| at_row(i, e))?;
    }
    Ok(u64::try_from(rows.len()).unwrap_or(u64::MAX))
}

/// Fills in the search keys of compositions recorded before they existed
/// (schema migration 4), in the migration's transaction; the update
/// trigger indexes them.
pub(super) fn fill_search_keys(conn: &Connection) -> Result<()> {
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM compositions WHERE title_key = ''")?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update =
        conn.prepare("UPDATE compositions SET title_key = ?2, writers_key = ?3 WHERE id = ?1")?;
    for id in ids {
        let c = get_composition(conn, id)?;
        update.execute(params![
            id,
            matching::normalize(&c.title),
            matching::writers_key(&c.writers)
        ])?;
    }
    Ok(())
}

/// The candidates' statement for a query's probes: the exact title, then
/// one arm of at most [`PER_PROBE`] rows per FTS5 probe, each
/// id once, read with their writers and publishers.
fn candidates_sql(arms: usize) -> String {
    let mut hits =
        String::from("SELECT * FROM (SELECT id FROM compositions WHERE title_key = ?1 LIMIT ?2)");
    for i in 0..arms {
        hits.push_str(&format!(
            " UNION SELECT * FROM (SELECT rowid FROM compositions_search
               WHERE compositions_search MATCH ?{} LIMIT ?2)",
            i + 3
        ));
    }
    format!("SELECT {COMPOSITION_COLUMNS} FROM ({hits}) h JOIN compositions c ON c.id = h.id")
}

/// The FTS5 queries of a match's probes (all words, each word, each word
/// start), in the title column.
fn probe_queries(probes: &Probes) -> Vec<String> {
    let title = Some("title_key");
    let mut queries = Vec::new();
    if !probes.all.is_empty() {
        queries.push(fts_query(title, &probes.all, false));
    }
    for word in &probes.words {
        queries.push(fts_query(title, std::slice::from_ref(word), false));
    }
    for start in &probes.prefixes {
        queries.push(fts_query(title, std::slice::from_ref(start), true));
    }
    queries
}

/// The compositions a cover may be of, ranked by `matching`, from the
/// candidates its probes find, in one statement.
pub(super) fn match_compositions(conn: &Connection, query: &MatchQuery) -> Result<Vec<Candidate>> {
    check::not_blank("/title", &query.title)?;
    let probes = Probes::of(&query.title);
    if probes.is_empty() {
        return Ok(Vec::new());
    }
    let queries = probe_queries(&probes);
    let sql = candidates_sql(queries.len());
    let params = [Value::from(probes.key), Value::from(i64::from(PER_PROBE))]
        .into_iter()
        .chain(queries.into_iter().map(Value::from));
    let found = compositions(conn, &sql, params_from_iter(params))?;
    Ok(matching::candidates(query, found))
}
