//! Helpers shared by test binaries (each uses some of them).
#![allow(dead_code)]

pub mod browser;

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

/// A run as a snapshot shows it: exit code, stdout and stderr.
pub fn transcript(out: &Output) -> String {
    format!(
        "exit code: {}\n--- stdout\n{}--- stderr\n{}",
        out.status.code().expect("exit code"),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    )
}

/// `text` with every regex metacharacter escaped.
fn regex_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if r"\.+*?()|[]{}^$#&-~".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// Compares `text` with the snapshot `name` in `tests/snapshots/`, with
/// the same redactions as `tests/snapshots.rs`: the elapsed time (the
/// human summary line, JUnit's `time` attributes) and tracklint's own
/// version; and each directory in `tmp` (a temporary directory, as
/// given and canonicalised) shown as `[TMP]`. `description` says what
/// produced the text (the command line).
pub fn assert_snapshot(name: &str, description: &str, text: &str, tmp: &[&Path]) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_description(description);
    for dir in tmp {
        let canonical = dir.canonicalize().unwrap();
        for path in [canonical.as_path(), dir] {
            let path = path.to_str().expect("temporary path is UTF-8");
            settings.add_filter(&regex_escape(path), "[TMP]");
        }
    }
    settings.add_filter(r"( scanned in )\d+\.\d+s", "${1}[ELAPSED]s");
    settings.add_filter(r#" time="\d+\.\d+""#, r#" time="[ELAPSED]""#);
    let version = regex_escape(env!("CARGO_PKG_VERSION"));
    settings.add_filter(
        &format!(r#""(semanticVersion|version)": "{version}""#),
        r#""$1": "[VERSION]""#,
    );
    settings.add_filter(&format!("tracklint {version}"), "tracklint [VERSION]");
    settings.bind(|| insta::assert_snapshot!(name, text));
}

/// [`assert_snapshot`] of a run's [`transcript`].
pub fn assert_run(name: &str, description: &str, out: &Output, tmp: &[&Path]) {
    assert_snapshot(name, description, &transcript(out), tmp);
}

/// (line, column, rule) of each finding in a JSON list.
pub fn positions(list: &serde_json::Value) -> Vec<(u64, u64, String)> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}
