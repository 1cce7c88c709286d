//! The generators of tracklint's committed generated files, shared by
//! `cargo xtask gen` / `cargo xtask check` (`src/main.rs`) and by the
//! root test `tests/generated.rs`, which fails while a committed file is
//! stale.
//!
//! - `rulesets/third-party-web.toml`, from the third-party-web dataset
//!   (`data/third-party-web/entities.json`, MIT) and the curated rulesets:
//!   [`generate_third_party_web`].
//! - `rulesets/easyprivacy.toml`, from EasyPrivacy's lists
//!   (`data/easyprivacy/`, CC BY-SA 3.0 for the generated file), the
//!   curated rulesets and third-party-web: [`generate_easyprivacy`].
//! - `docs/rules.md`, what `tracklint explain <rule>` prints for every
//!   rule: [`generate_rules_doc`]. This is the only call into the
//!   tracklint library.

use std::path::{Path, PathBuf};

pub mod easyprivacy;
pub mod third_party_web;

pub use easyprivacy::generate as generate_easyprivacy;
pub use third_party_web::generate as generate_third_party_web;

/// The command that rewrites every generated file.
pub const GEN_COMMAND: &str = "cargo xtask gen";

/// `docs/rules.md`: every rule's documentation, as `tracklint explain`
/// prints it.
pub fn generate_rules_doc() -> String {
    tracklint::rules::markdown()
}

/// The repository's root (the directory above `xtask/`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ has a parent directory")
        .to_path_buf()
}

/// Every generated file: its path relative to `root`, and what it must
/// contain.
pub fn generated(root: &Path) -> Vec<(&'static str, String)> {
    let third_party_web = generate_third_party_web(root);
    vec![
        (
            easyprivacy::OUTPUT,
            generate_easyprivacy(root, &third_party_web),
        ),
        (third_party_web::OUTPUT, third_party_web),
        ("docs/rules.md", generate_rules_doc()),
    ]
}

/// A committed generated file that differs from what its generator writes.
#[derive(Debug)]
pub struct Stale {
    /// Relative to the repository root.
    pub path: &'static str,
    /// The first line (1-based) that differs, or the line after the
    /// shorter file's last one.
    pub line: usize,
}

/// The generated files under `root` that are missing or out of date.
pub fn stale(root: &Path) -> Vec<Stale> {
    generated(root)
        .into_iter()
        .filter_map(|(path, expected)| {
            let actual = std::fs::read_to_string(root.join(path)).unwrap_or_default();
            (actual != expected).then(|| Stale {
                path,
                line: first_difference(&actual, &expected),
            })
        })
        .collect()
}

/// The first line (1-based) where `a` and `b` differ.
fn first_difference(a: &str, b: &str) -> usize {
    let (mut x, mut y) = (a.split_inclusive('\n'), b.split_inclusive('\n'));
    let mut line = 1;
    while let (Some(l), Some(r)) = (x.next(), y.next()) {
        if l != r {
            return line;
        }
        line += 1;
    }
    line
}

/// Writes every generated file under `root`; returns the paths that
/// changed.
pub fn write_all(root: &Path) -> std::io::Result<Vec<&'static str>> {
    let mut changed = Vec::new();
    for (path, contents) in generated(root) {
        let full = root.join(path);
        if std::fs::read_to_string(&full).ok().as_deref() != Some(contents.as_str()) {
            std::fs::write(&full, contents)?;
            changed.push(path);
        }
    }
    Ok(changed)
}
