//! Helpers shared by test binaries (each uses some of them).
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// Runs the real binary in `cwd`, without colour.
pub fn run(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tracklint"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("run tracklint")
}

/// Fails unless the committed file at `path` (relative to the repository)
/// equals `expected`; with `TRACKLINT_BLESS` set, writes it instead.
pub fn check_generated(path: &str, expected: &str) {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    if std::env::var_os("TRACKLINT_BLESS").is_some() {
        std::fs::write(&full, expected).unwrap();
        return;
    }
    let actual = std::fs::read_to_string(&full).unwrap_or_default();
    assert!(
        actual == expected,
        "{path} is out of date: run TRACKLINT_BLESS=1 cargo test --test docs --test third_party_web"
    );
}

/// Copies the directory `from` into `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
}
