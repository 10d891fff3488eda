//! The database's files are readable by their owner only (mode `0600`),
//! like the tokens file beside them: the database holds artists' emails,
//! sales and token digests.
//!
//! SQLite creates a new database file as `0644` (less the umask), and
//! creates its `-wal`, `-shm` and `-journal` files with the permissions of
//! the database file. So the store creates the database file itself, empty
//! and `0600`, before SQLite opens it (SQLite takes an empty file for a new
//! database), and the files SQLite makes next inherit that mode. A
//! database created before this rule is narrowed to `0600` when opened,
//! with any companion file present, before anything is written. Setting
//! the process umask would do the same for every file of the process,
//! which is the embedding program's business, not the store's.

use std::path::{Path, PathBuf};

use crate::store::Result;

/// The files SQLite keeps beside the database at `path`.
fn companions(path: &Path) -> [PathBuf; 3] {
    ["-wal", "-shm", "-journal"].map(|suffix| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    })
}

/// Makes sure the database at `path` and its companion files exist only
/// as `0600`: creates the database file so if it is missing, and narrows
/// the mode of those already there.
#[cfg(unix)]
pub(super) fn make_private(path: &Path) -> Result<()> {
    use std::fs::{OpenOptions, Permissions};
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};

    // `mode` applies only if this creates the file; never truncates.
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(path)?;
    for file in std::iter::once(path.to_owned()).chain(companions(path)) {
        match std::fs::metadata(&file) {
            Ok(meta) if meta.permissions().mode() & 0o077 != 0 => {
                std::fs::set_permissions(&file, Permissions::from_mode(0o600))?;
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// Elsewhere, file modes are left to the system.
#[cfg(not(unix))]
pub(super) fn make_private(_path: &Path) -> Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn companions_are_named_after_the_database() {
        let names = companions(Path::new("/data/licensing.db"));
        assert_eq!(
            names.map(|p| p.display().to_string()),
            [
                "/data/licensing.db-wal",
                "/data/licensing.db-shm",
                "/data/licensing.db-journal"
            ]
        );
    }
}
