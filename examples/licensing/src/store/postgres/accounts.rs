//! Accounts and their bearer tokens (made and hashed by `store::token`).

use sqlx::{PgConnection, Row};

use crate::store::token::{digest, new_token};
use crate::store::{Account, Result, Role};

/// Creates an account and returns its token, the only time it exists in
/// plain text.
pub(super) async fn create_account(
    conn: &mut PgConnection,
    name: &str,
    role: Role,
    artist_id: Option<i64>,
) -> Result<String> {
    let token = new_token()?;
    sqlx::query(
        "INSERT INTO accounts (name, role, artist_id, token_sha256) VALUES ($1, $2, $3, $4)",
    )
    .bind(name)
    .bind(role)
    .bind(artist_id)
    .bind(&digest(&token)[..])
    .execute(conn)
    .await?;
    Ok(token)
}

/// The account whose token has this digest.
pub(super) async fn authenticate(
    conn: &mut PgConnection,
    digest: &[u8; 32],
) -> Result<Option<Account>> {
    let row = sqlx::query("SELECT artist_id, role FROM accounts WHERE token_sha256 = $1")
        .bind(&digest[..])
        .fetch_optional(conn)
        .await?;
    row.map(|row| {
        Ok(Account {
            artist_id: row.try_get(0)?,
            role: row.try_get(1)?,
        })
    })
    .transpose()
}
