//! Artists and compositions: the catalogue albums refer to, and the search
//! that matches a cover to the composition it covers (scored in Rust by
//! `store::matching`, as on SQLite).
//!
//! Searches read the indexes of migration 0008, built from the normalized
//! keys the store writes: the word vectors under their GIN indexes
//! (`title_words` for a match's all-words probe, `all_words` for the
//! list's `q`) and the B-tree of title words (`composition_words`, for
//! a match's word and word-start probes, which stop at their limit); a
//! match finds its candidates in one statement and reads the best whole
//! in another.
//! Imports go in chunks of multi-row inserts (`UNNEST` of arrays).

use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};

use super::row::big;
use crate::store::check;
use crate::store::composition_input::{check_batch, check_composition, iswc_taken};
use crate::store::matching::{self, PER_PROBE, Probes};
use crate::store::{
    Artist, Candidate, Composition, CompositionQuery, MatchQuery, NewArtist, NewComposition, Page,
    Publisher, Result, StoreError,
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

/// The `tsquery` text for `words`, each quoted (letters and digits only,
/// so nothing in them is syntax), each a prefix when `prefix`, all
/// required.
fn ts_query(words: &[String], prefix: bool) -> String {
    let star = if prefix { ":*" } else { "" };
    words
        .iter()
        .map(|w| format!("'{w}'{star}"))
        .collect::<Vec<_>>()
        .join(" & ")
}

/// One page of the compositions `query` finds, by title (ASCII case
/// folded, as SQLite's `NOCASE`), and how many there are: from the word
/// index when `q` has words, else from the title index and the kept
/// count. The page's ids are found first and only its rows read whole:
/// PostgreSQL computes a row's columns (the writers' and publishers'
/// subqueries) before `OFFSET` skips it, so the deepest page (10,000 in)
/// ran 30,000 subqueries, 300 ms at a million compositions.
pub(super) async fn list_compositions(
    conn: &mut PgConnection,
    query: &CompositionQuery,
) -> Result<Page<Composition>> {
    query.check()?;
    let q = query.q.as_deref().unwrap_or("");
    let words = matching::search_words(q);
    let limit = i64::from(query.per_page);
    let (rows, total) = if words.is_empty() {
        let rows = sqlx::query(concat!(
            composition_select!(),
            r#" JOIN (SELECT id FROM compositions
                      ORDER BY lower(title COLLATE "C"), id LIMIT $1 OFFSET $2) p ON p.id = c.id
               ORDER BY lower(c.title COLLATE "C"), c.id"#
        ))
        .bind(limit)
        .bind(query.offset())
        .fetch_all(&mut *conn)
        .await?;
        // Kept by the table's triggers (migration 12), not counted.
        let total: i64 = sqlx::query_scalar("SELECT compositions FROM composition_count")
            .fetch_one(conn)
            .await?;
        (rows, total)
    } else {
        let (tsq, iswc) = (ts_query(&words, true), q.trim());
        let rows = sqlx::query(concat!(
            composition_select!(),
            r#" JOIN (SELECT k.id FROM compositions k
                      JOIN (SELECT id FROM compositions WHERE all_words @@ $1::tsquery
                            UNION SELECT id FROM compositions WHERE iswc = $2) h ON h.id = k.id
                      ORDER BY lower(k.title COLLATE "C"), k.id LIMIT $3 OFFSET $4) p ON p.id = c.id
               ORDER BY lower(c.title COLLATE "C"), c.id"#
        ))
        .bind(&tsq)
        .bind(iswc)
        .bind(limit)
        .bind(query.offset())
        .fetch_all(&mut *conn)
        .await?;
        let total: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM (SELECT id FROM compositions WHERE all_words @@ $1::tsquery
                                   UNION SELECT id FROM compositions WHERE iswc = $2) h",
        )
        .bind(&tsq)
        .bind(iswc)
        .fetch_one(conn)
        .await?;
        (rows, total)
    };
    Ok(Page {
        items: rows.iter().map(composition).collect::<Result<_>>()?,
        total: u64::try_from(total).unwrap_or(0),
        page: query.page,
        per_page: query.per_page,
        next: None,
    })
}

/// Records a composition with its writers and publishers. A taken ISWC is
/// found by the insert itself (`ON CONFLICT DO NOTHING`), so two
/// instances recording the same work at once give one composition and
/// one `Conflict`.
pub(super) async fn create_composition(
    conn: &mut PgConnection,
    new: &NewComposition,
) -> Result<Composition> {
    check_composition(new)?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO compositions (title, iswc, released, title_key, writers_key)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (iswc) DO NOTHING RETURNING id",
    )
    .bind(&new.title)
    .bind(new.iswc)
    .bind(new.released)
    .bind(matching::normalize(&new.title))
    .bind(matching::writers_key(&new.writers))
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::Conflict("a composition with this ISWC exists"))?;
    insert_lists(conn, &[id], std::slice::from_ref(new)).await?;
    get_composition(conn, id).await
}

/// How many compositions an import inserts per statement.
const IMPORT_CHUNK: usize = 5_000;

/// An import of at least this many rows analyzes the tables it grew.
const ANALYZE_AFTER: usize = 10_000;

/// Records a batch of compositions in the caller's transaction: every
/// row checked, the ISWCs looked up at once, then chunks of multi-row
/// inserts with ids taken from the sequence beforehand.
pub(super) async fn import_compositions(
    conn: &mut PgConnection,
    rows: &[NewComposition],
) -> Result<u64> {
    check_batch(rows)?;
    let iswcs: Vec<String> = rows
        .iter()
        .filter_map(|r| r.iswc.map(|i| i.to_string()))
        .collect();
    let taken: Vec<String> =
        sqlx::query_scalar("SELECT iswc FROM compositions WHERE iswc = ANY($1)")
            .bind(&iswcs)
            .fetch_all(&mut *conn)
            .await?;
    if let Some(i) = rows
        .iter()
        .position(|r| r.iswc.is_some_and(|iswc| taken.contains(&iswc.to_string())))
    {
        return Err(iswc_taken(i));
    }
    for chunk in rows.chunks(IMPORT_CHUNK) {
        insert_chunk(conn, chunk).await?;
    }
    if rows.len() >= ANALYZE_AFTER {
        // Fresh statistics, or the planner costs a match's statement by
        // the tables' old sizes (and compiles it with JIT: a second).
        sqlx::query("ANALYZE compositions, composition_writers, publishers, composition_words")
            .execute(&mut *conn)
            .await?;
    }
    Ok(u64::try_from(rows.len()).unwrap_or(u64::MAX))
}

/// Inserts checked compositions with one statement per table.
async fn insert_chunk(conn: &mut PgConnection, rows: &[NewComposition]) -> Result<()> {
    let n = i64::try_from(rows.len()).map_err(|_| StoreError::Internal("a huge chunk".into()))?;
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT nextval(pg_get_serial_sequence('compositions', 'id'))
         FROM generate_series(1, $1)",
    )
    .bind(n)
    .fetch_all(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO compositions (id, title, iswc, released, title_key, writers_key)
         SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::boolean[],
                              $5::text[], $6::text[])",
    )
    .bind(&ids)
    .bind(rows.iter().map(|r| r.title.as_str()).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|r| r.iswc.map(|i| i.to_string()))
            .collect::<Vec<_>>(),
    )
    .bind(rows.iter().map(|r| r.released).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|r| matching::normalize(&r.title))
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|r| matching::writers_key(&r.writers))
            .collect::<Vec<_>>(),
    )
    .execute(&mut *conn)
    .await?;
    insert_lists(conn, &ids, rows).await
}

/// Inserts the writers and publishers of compositions `ids` (`rows` in
/// the same order), one statement for each table.
async fn insert_lists(conn: &mut PgConnection, ids: &[i64], rows: &[NewComposition]) -> Result<()> {
    let (mut w_ids, mut positions, mut names) = (Vec::new(), Vec::new(), Vec::new());
    let (mut p_ids, mut publishers, mut shares) = (Vec::new(), Vec::new(), Vec::new());
    for (id, row) in ids.iter().zip(rows) {
        for (position, name) in (0_i64..).zip(&row.writers) {
            w_ids.push(*id);
            positions.push(position);
            names.push(name.as_str());
        }
        for (name, share) in &row.publishers {
            p_ids.push(*id);
            publishers.push(name.as_str());
            shares.push(big(*share));
        }
    }
    sqlx::query(
        "INSERT INTO composition_writers
         SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::text[])",
    )
    .bind(&w_ids)
    .bind(&positions)
    .bind(&names)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO publishers SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::bigint[])",
    )
    .bind(&p_ids)
    .bind(&publishers)
    .bind(&shares)
    .execute(&mut *conn)
    .await?;
    insert_words(conn, ids, rows).await
}

/// Records the title words of compositions `ids` (`rows` in the same
/// order) in `composition_words`, each word once a composition.
async fn insert_words(conn: &mut PgConnection, ids: &[i64], rows: &[NewComposition]) -> Result<()> {
    let (mut word_ids, mut words) = (Vec::new(), Vec::new());
    for (id, row) in ids.iter().zip(rows) {
        let key = matching::normalize(&row.title);
        let mut seen: Vec<&str> = Vec::new();
        for word in key.split(' ').filter(|w| !w.is_empty()) {
            if !seen.contains(&word) {
                seen.push(word);
                word_ids.push(*id);
                words.push(word.to_owned());
            }
        }
    }
    sqlx::query(
        "INSERT INTO composition_words (word, composition_id)
         SELECT * FROM UNNEST($1::text[], $2::bigint[])",
    )
    .bind(&words)
    .bind(&word_ids)
    .execute(conn)
    .await?;
    Ok(())
}

/// A composition a match's probes found: what scoring reads
/// (`matching::Scorable`), its writers only when the query names people.
struct Found {
    id: i64,
    title: String,
    writers: Vec<String>,
}

impl matching::Scorable for Found {
    fn id(&self) -> i64 {
        self.id
    }
    fn title(&self) -> &str {
        &self.title
    }
    fn writers(&self) -> &[String] {
        &self.writers
    }
}

/// The compositions a match's probes find (see [`match_compositions`]):
/// `$1` the normalized title, `$2` the most rows a probe brings, `$3` all
/// the words as a `tsquery`, `$4` the words, `$5` the word starts, `$6`
/// whether the writers are read. Each word probe reads the B-tree in
/// order, so it stops at its limit (a bitmap scan would first collect
/// every title holding a common word: 9k rows, 4.5 ms at 1M).
const FIND: &str = r#"
    SELECT c.id, c.title,
           CASE WHEN $6 THEN ARRAY(SELECT w.name FROM composition_writers w
                                   WHERE w.composition_id = c.id ORDER BY w.position)
           END
    FROM compositions c
    JOIN ((SELECT id FROM compositions WHERE title_key = $1 LIMIT $2)
          UNION
          (SELECT id FROM compositions WHERE title_words @@ $3::tsquery LIMIT $2)
          UNION
          SELECT h.id FROM unnest($4::text[]) p (w)
          CROSS JOIN LATERAL (SELECT composition_id AS id FROM composition_words
                              WHERE word = p.w COLLATE "C"
                              ORDER BY word, composition_id LIMIT $2) h
          UNION
          SELECT h.id FROM unnest($5::text[]) p (w)
          CROSS JOIN LATERAL (SELECT composition_id AS id FROM composition_words
                              WHERE word >= p.w COLLATE "C"
                                AND word < (p.w || chr(1114111)) COLLATE "C"
                              LIMIT $2) h
         ) hits ON hits.id = c.id"#;

/// The compositions a cover may be of, ranked by `matching`, in two
/// statements: the first finds the candidates ([`FIND`]: the exact title
/// by its index, all the words by the GIN index, each word and word start
/// by the B-tree of `composition_words`, a range scan from the start up to
/// the highest code point; at most [`PER_PROBE`] rows a probe, each id
/// once) with only what scoring reads, the second reads the best, at most
/// `matching::MAX_CANDIDATES`, whole. Reading the writers and publishers
/// of every candidate (up to 900) was three index probes each: 30 ms at
/// 1M compositions. Compositions are never changed once recorded, so the
/// two statements need no shared snapshot.
pub(super) async fn match_compositions(
    conn: &mut PgConnection,
    query: &MatchQuery,
) -> Result<Vec<Candidate>> {
    check::not_blank("/title", &query.title)?;
    let probes = Probes::of(&query.title);
    if probes.is_empty() {
        return Ok(Vec::new());
    }
    let all = (!probes.all.is_empty()).then(|| ts_query(&probes.all, false));
    let found = sqlx::query(FIND)
        .bind(&probes.key)
        .bind(i64::from(PER_PROBE))
        .bind(all)
        .bind(&probes.words)
        .bind(&probes.prefixes)
        .bind(matching::names_people(query))
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|row| {
            Ok(Found {
                id: row.try_get(0)?,
                title: row.try_get(1)?,
                writers: row
                    .try_get::<Option<Vec<String>>, _>(2)?
                    .unwrap_or_default(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let best = matching::best(query, found);
    let ids: Vec<i64> = best.iter().map(|(found, _)| found.id).collect();
    let mut whole = get_compositions(conn, &ids).await?;
    Ok(best
        .into_iter()
        .filter_map(|(found, score)| {
            let at = whole.iter().position(|c| c.id == found.id)?;
            Some(Candidate {
                composition: whole.swap_remove(at),
                score,
            })
        })
        .collect())
}
