//! Helpers shared by the integration tests (each test file is its own crate; this module is
//! included with `mod common;`).

use std::fs;
use std::path::{Path, PathBuf};

/// A copy of the shipped phrasebank in a temp dir, for breaking.
pub fn phrasebank_copy() -> (tempfile::TempDir, PathBuf) {
    fn copy(from: &Path, to: &Path) {
        fs::create_dir_all(to).unwrap();
        for entry in fs::read_dir(from).unwrap() {
            let path = entry.unwrap().path();
            let target = to.join(path.file_name().unwrap());
            if path.is_dir() {
                copy(&path, &target);
            } else {
                fs::copy(&path, &target).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let bank = dir.path().join("phrasebank");
    copy(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("phrasebank"),
        &bank,
    );
    (dir, bank)
}
