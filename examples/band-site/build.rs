//! Embeds the web front end (`web/**`) and the example catalogue's cover
//! art (`covers/**`) in the binary: writes a table of `(path, bytes)` with
//! one `include_bytes!` per file, sorted, so the binary serves them with
//! no files beside it and a rebuild picks up every change.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let mut files = Vec::new();
    for (dir, prefix) in [("web", ""), ("covers", "covers/")] {
        println!("cargo:rerun-if-changed={dir}");
        collect(&root.join(dir), prefix, &mut files);
    }
    files.sort();
    let mut table = String::from("&[\n");
    for (name, path) in &files {
        writeln!(
            table,
            "    ({name:?}, include_bytes!({:?}) as &[u8]),",
            path.display().to_string()
        )
        .expect("writing to a string");
    }
    table.push(']');
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("embedded.rs");
    std::fs::write(out, table).expect("write the embedded table");
}

/// Every file under `dir`, named by `prefix` and its path below `dir`
/// (`/`-separated). Hidden files (editor leftovers) are skipped.
fn collect(dir: &Path, prefix: &str, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let entry = entry.expect("read a directory entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            collect(&path, &format!("{prefix}{name}/"), out);
        } else {
            out.push((format!("{prefix}{name}"), path));
        }
    }
}
