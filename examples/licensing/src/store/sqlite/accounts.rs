//! Accounts and their bearer tokens (made and hashed by `store::token`).

use rusqlite::{Connection, OptionalExtension, params};

use crate::store::token::{digest, new_token};
use crate::store::{Account, Result, Role};

/// Creates an account and returns its token, the only time it exists in
/// plain text.
pub(super) fn create_account(
    conn: &Connection,
    name: &str,
    role: Role,
    artist_id: Option<i64>,
) -> Result<String> {
    let token = new_token()?;
    conn.prepare_cached(
        "INSERT INTO accounts (name, role, artist_id, token_sha256) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![name, role, artist_id, digest(&token)])?;
    Ok(token)
}

/// The account whose token has this digest.
pub(super) fn authenticate(conn: &Connection, digest: &[u8; 32]) -> Result<Option<Account>> {
    Ok(conn
        .prepare_cached("SELECT artist_id, role FROM accounts WHERE token_sha256 = ?1")?
        .query_row([digest], |row| {
            Ok(Account {
                artist_id: row.get(0)?,
                role: row.get(1)?,
            })
        })
        .optional()?)
}
