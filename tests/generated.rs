//! The committed generated files (`rulesets/third-party-web.toml`,
//! `docs/rules.md`) are exactly what their generators in `xtask/` write.
//! When this fails, run `cargo xtask gen` and commit the result.

use std::path::Path;

#[test]
fn generated_files_are_up_to_date() {
    let stale = xtask::stale(Path::new(env!("CARGO_MANIFEST_DIR")));
    let list: Vec<String> = stale
        .iter()
        .map(|s| format!("{} (first difference on line {})", s.path, s.line))
        .collect();
    assert!(
        stale.is_empty(),
        "out of date: {}; run `{}` and commit the result",
        list.join(", "),
        xtask::GEN_COMMAND
    );
}
