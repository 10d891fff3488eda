//! Bearer tokens, the same for every engine.
//!
//! A token is 32 random bytes from the operating system (`getrandom`),
//! written as 64 hex digits after a `lic_` prefix (so a leaked one is
//! recognizable in logs and by secret scanners). Only its SHA-256 digest
//! is stored: a copy of the database does not grant access. A fast hash
//! is enough because the token has 256 bits of entropy: there is nothing
//! to brute-force, unlike a password.

use sha2::{Digest, Sha256};

use crate::store::{Result, StoreError};

/// The prefix of every token.
const PREFIX: &str = "lic_";

/// A new random token.
pub(crate) fn new_token() -> Result<String> {
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
pub(crate) fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
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
