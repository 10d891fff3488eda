//! Accounts and their bearer tokens.
//!
//! A token is 32 random bytes from the operating system (`getrandom`),
//! written as 64 hex digits after a `lic_` prefix (so a leaked one is
//! recognizable in logs and by secret scanners). Only its SHA-256 digest
//! is stored: a copy of the database does not grant access. A fast hash
//! is enough because the token has 256 bits of entropy: there is nothing
//! to brute-force, unlike a password.

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use crate::store::{Account, Result, Role, StoreError};

/// The prefix of every token.
const PREFIX: &str = "lic_";

/// A new random token.
pub(super) fn new_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| StoreError::Internal(format!("no randomness for a token: {e}")))?;
    let mut token = String::with_capacity(PREFIX.len() + 64);
    token.push_str(PREFIX);
    for byte in bytes {
        token.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        token.push(char::from(b"0123456789abcdef"[usize::from(byte & 0xf)]));
    }
    Ok(token)
}

/// What the database keeps of a token: its SHA-256.
pub(super) fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

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

/// The account whose token has this [`digest`].
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_prefixed_hex() {
        let (a, b) = (new_token().unwrap(), new_token().unwrap());
        assert_ne!(a, b);
        assert_eq!(a.len(), 68);
        assert!(a.starts_with("lic_"));
        assert!(
            a[4..]
                .bytes()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
    }

    #[test]
    fn digests_are_sha256() {
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        assert_eq!(digest("abc")[..4], [0xba, 0x78, 0x16, 0xbf],);
    }
}
