//! The guide stays whole: every page in `docs/` is compiled as doctests
//! (listed in the `guide` module of this crate's `lib.rs`) and linked
//! from `docs/index.md`, and every relative link in it leads to a file.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate is in the workspace")
        .to_path_buf()
}

fn pages() -> Vec<String> {
    let mut pages: Vec<String> = std::fs::read_dir(root().join("docs"))
        .expect("docs/ exists")
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".md"))
        .collect();
    pages.sort();
    pages
}

#[test]
fn every_page_is_compiled_and_indexed() {
    let lib = std::fs::read_to_string(root().join("tests/src/lib.rs")).unwrap();
    let index = std::fs::read_to_string(root().join("docs/index.md")).unwrap();
    for page in pages() {
        assert!(
            lib.contains(&format!("include_str!(\"../../docs/{page}\")")),
            "docs/{page} is not in the `guide` module of tests/src/lib.rs"
        );
        if page != "index.md" {
            assert!(
                index.contains(&format!("]({page})")),
                "docs/{page} is not linked from docs/index.md"
            );
        }
    }
}

#[test]
fn relative_links_lead_to_files() {
    for page in pages() {
        let text = std::fs::read_to_string(root().join("docs").join(&page)).unwrap();
        for (at, _) in text.match_indices("](") {
            let rest = &text[at + 2..];
            let target = &rest[..rest.find(')').expect("a closed link")];
            let path = target.split('#').next().unwrap();
            if path.is_empty() || path.contains("://") {
                continue;
            }
            assert!(
                root().join("docs").join(path).exists(),
                "docs/{page} links to {target}, which does not exist"
            );
        }
    }
}
