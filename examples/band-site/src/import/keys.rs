//! The importer's keys: which row each catalogue item became.

use rusqlite::{OptionalExtension, Transaction, params};

use super::Result;

pub(super) fn key_of(tx: &Transaction<'_>, kind: &str, key: &str) -> Result<Option<i64>> {
    Ok(tx
        .prepare_cached("SELECT row_id FROM band_site_keys WHERE kind = ?1 AND key = ?2")?
        .query_row(params![kind, key], |row| row.get(0))
        .optional()?)
}

pub(super) fn set_key(tx: &Transaction<'_>, kind: &str, key: &str, id: i64) -> Result<()> {
    tx.prepare_cached("INSERT INTO band_site_keys (kind, key, row_id) VALUES (?1, ?2, ?3)")?
        .execute(params![kind, key, id])?;
    Ok(())
}

/// A row that was keyed but is gone (deleted through the API or by hand):
/// the key is dropped so the item is created again.
pub(super) fn live_key(
    tx: &Transaction<'_>,
    kind: &str,
    key: &str,
    table: &str,
) -> Result<Option<i64>> {
    let Some(id) = key_of(tx, kind, key)? else {
        return Ok(None);
    };
    let exists = tx
        .prepare_cached(&format!("SELECT 1 FROM {table} WHERE id = ?1"))?
        .exists([id])?;
    if exists {
        return Ok(Some(id));
    }
    tx.prepare_cached("DELETE FROM band_site_keys WHERE kind = ?1 AND key = ?2")?
        .execute(params![kind, key])?;
    Ok(None)
}
