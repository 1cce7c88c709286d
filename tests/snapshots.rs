//! Snapshots of what users read: the real binary's exit code, stdout and
//! stderr for `check` in every format on the demo site, for `rules` and
//! `explain`, and for the fixtures whose findings name their origins.
//! The snapshots live in `tests/snapshots/`, beside those of the other
//! integration tests (`cli-…`, `report-…`, `gate-…`, …), which use
//! `common::assert_snapshot` with the same redactions and temporary
//! directories shown as `[TMP]`.
//!
//! Only what varies between runs is redacted: the elapsed time (the human
//! summary line, JUnit's `time` attributes) and tracklint's own version in
//! SARIF's `tool.driver` and JSON's `tool_version`.
//!
//! When the output changes on purpose, review and accept the new snapshots
//! with `cargo insta review` (from `cargo install cargo-insta`), or without
//! it: `INSTA_UPDATE=always cargo test --test snapshots` (or the test
//! binary that owns the snapshot), then read
//! `git diff tests/snapshots`. With `CI=true` a mismatch fails and nothing
//! is written.

mod common;

use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `tracklint ARGS` in `cwd` (relative to the repository) and
/// compares its exit code, stdout and stderr with the snapshot `name`.
fn snapshot(name: &str, cwd: &str, args: &[&str]) {
    let out = common::run(args, &root().join(cwd));
    let transcript = format!(
        "exit code: {}\n--- stdout\n{}--- stderr\n{}",
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    );
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_description(format!(
        "{}tracklint {}",
        match cwd {
            "" => String::new(),
            dir => format!("cd {dir} && "),
        },
        args.join(" ")
    ));
    settings.add_filter(r"( scanned in )\d+\.\d+s", "${1}[ELAPSED]s");
    settings.add_filter(r#" time="\d+\.\d+""#, r#" time="[ELAPSED]""#);
    let version = env!("CARGO_PKG_VERSION").replace('.', r"\.");
    settings.add_filter(
        &format!(r#""(semanticVersion|version|tool_version)": "{version}""#),
        r#""$1": "[VERSION]""#,
    );
    settings.bind(|| insta::assert_snapshot!(name, transcript));
}

#[test]
fn check_human() {
    snapshot(
        "check-human",
        "",
        &["check", "testdata/demo-site", "--color", "never"],
    );
}

#[test]
fn check_json() {
    snapshot(
        "check-json",
        "",
        &["check", "testdata/demo-site", "--format", "json"],
    );
}

#[test]
fn check_sarif() {
    snapshot(
        "check-sarif",
        "",
        &["check", "testdata/demo-site", "--format", "sarif"],
    );
}

#[test]
fn check_junit() {
    snapshot(
        "check-junit",
        "",
        &["check", "testdata/demo-site", "--format", "junit"],
    );
}

#[test]
fn check_github() {
    snapshot(
        "check-github",
        "",
        &["check", "testdata/demo-site", "--format", "github"],
    );
}

#[test]
fn check_markdown() {
    snapshot(
        "check-markdown",
        "",
        &["check", "testdata/demo-site", "--format", "markdown"],
    );
}

#[test]
fn rules() {
    snapshot("rules", "", &["rules"]);
}

#[test]
fn explain_rule() {
    snapshot("explain-tracker-script", "", &["explain", "tracker-script"]);
}

#[test]
fn explain_vendor() {
    snapshot("explain-hotjar", "", &["explain", "hotjar"]);
}

/// Source-map origins, and the note about a map that cannot be read.
#[test]
fn check_human_source_maps() {
    snapshot(
        "sourcemaps-human",
        "testdata/sourcemaps",
        &["check", "dist", "--color", "never"],
    );
}

/// Template origins, from the fixture's own tracklint.toml (`[site] root`,
/// `[sources] paths`).
#[test]
fn check_human_templates() {
    snapshot(
        "eleventy-site-human",
        "testdata/eleventy-site",
        &["check", "--color", "never"],
    );
}
