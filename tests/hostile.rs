//! Hostile input and faults (testdata/hostile/ plus generated cases): each
//! is handled in bounded time, never panics, and ends with the exact exit
//! code and message. Never a silent pass.

mod common;

use common::{assert_run, assert_snapshot, run, transcript};

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Exit code, (line, column, rule) of each finding, and stderr.
fn check(args: &[&str], cwd: &Path) -> (i32, Vec<(u64, u64, String)>, String) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let out = run(&all, cwd);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    let doc: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    let findings = common::positions(&doc["findings"]);
    (out.status.code().unwrap(), findings, stderr)
}

fn hostile(name: &str) -> String {
    format!("testdata/hostile/{name}")
}

fn f(line: u64, col: u64, rule: &str) -> (u64, u64, String) {
    (line, col, rule.to_string())
}

#[test]
fn a_binary_page_is_an_error_and_other_binaries_are_skipped() {
    let (code, found, _) = check(&[&hostile("binary-page.html")], &root());
    assert_eq!((code, found.len()), (2, 0));
    // "the file holds a PNG image, not text", in the JSON and on stderr.
    let out = run(
        &["check", "--format", "json", &hostile("binary-page.html")],
        &root(),
    );
    assert_run(
        "hostile-binary-page",
        "tracklint check --format json testdata/hostile/binary-page.html",
        &out,
        &[],
    );
    let out = run(
        &[
            "check",
            "testdata/hostile",
            "--include",
            "*.bin",
            "--format",
            "json",
        ],
        &root(),
    );
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["summary"]["binary_skipped"], 1);
    assert_eq!(doc["summary"]["files_scanned"], 0);
    let out = run(
        &["check", "testdata/hostile", "--include", "*.bin"],
        &root(),
    );
    // The summary counts the skipped file.
    assert_run(
        "hostile-binary-skipped",
        "tracklint check testdata/hostile --include *.bin",
        &out,
        &[],
    );
}

#[test]
fn truncated_markup_nul_bytes_and_line_endings() {
    type Case = (&'static str, i32, Vec<(u64, u64, String)>);
    let cases: [Case; 7] = [
        // An unterminated <script> still runs in a browser: scanned.
        (
            "unterminated-script.html",
            1,
            vec![f(3, 1, "tracker-snippet")],
        ),
        // An unterminated comment hides the rest of the page: nothing runs.
        ("unterminated-comment.html", 0, vec![]),
        ("nul-bytes.html", 1, vec![f(2, 11, "tracker-snippet")]),
        (
            "mixed-line-endings.html",
            1,
            vec![f(4, 11, "tracker-pixel")],
        ),
        // C0 AF (an overlong `/`) shows as two U+FFFD, E2 82 as one.
        ("invalid-utf8.html", 1, vec![f(1, 43, "tracker-pixel")]),
        // The byte-order mark is not a column.
        ("bom.html", 1, vec![f(1, 11, "tracker-pixel")]),
        // An unknown charset label is ignored, as browsers do.
        ("unknown-charset.html", 1, vec![f(1, 37, "tracker-pixel")]),
    ];
    for (name, want_code, want) in cases {
        let (code, found, err) = check(&[&hostile(name)], &root());
        assert_eq!((code, &found), (want_code, &want), "{name}: {err}");
    }
}

#[cfg(unix)]
#[test]
fn unreadable_special_and_non_utf8_paths_are_errors() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(
        p.join("ok.html"),
        "<script src=\"https://static.hotjar.com/c/h.js\"></script>",
    )
    .unwrap();
    std::fs::write(
        p.join(std::ffi::OsStr::from_bytes(b"caf\xe9.html")),
        "<p>x</p>",
    )
    .unwrap();
    assert!(
        Command::new("mkfifo")
            .arg(p.join("pipe.html"))
            .status()
            .unwrap()
            .success()
    );
    let (code, found, _) = check(&["."], p);
    // The readable file is still scanned and reported.
    assert_eq!(code, 2);
    assert_eq!(found, vec![f(1, 14, "tracker-script")]);
    // caf\xe9.html "is not valid UTF-8", pipe.html "not a regular file".
    let out = run(&["check", "--format", "json", "."], p);
    assert_run(
        "hostile-unreadable-paths",
        "cd [TMP] && tracklint check --format json .  # ok.html, caf\\xe9.html, pipe.html (a FIFO)",
        &out,
        &[p],
    );
}

#[cfg(unix)]
#[test]
fn permission_denied_is_an_error() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(p.join("secret.html"), "<p>x</p>").unwrap();
    std::fs::write(p.join("open.html"), "<p>x</p>").unwrap();
    std::fs::set_permissions(
        p.join("secret.html"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    // Root reads anything: run as an unprivileged user when we are root.
    let mut cmd = if unsafe_is_root() {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]);
        c.arg(env!("CARGO_BIN_EXE_tracklint"));
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_tracklint"))
    };
    let out = cmd
        .args(["check", "--format", "json", "."])
        .current_dir(p)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_run(
        "hostile-permission-denied",
        "cd [TMP] && tracklint check --format json .  # secret.html is mode 000, open.html readable",
        &out,
        &[p],
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["summary"]["files_scanned"], 1);
}

fn unsafe_is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_errors_with_follow() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir(p.join("site")).unwrap();
    std::fs::write(p.join("site/index.html"), "<p>x</p>").unwrap();
    std::os::unix::fs::symlink("..", p.join("site/up")).unwrap();
    let (code, found, _) = check(&["site", "--follow"], p);
    assert_eq!((code, found.len()), (2, 0));
    // Without --follow the link is named, not followed.
    let (code, _, _) = check(&["site"], p);
    assert_eq!(code, 0);
    let follow = run(&["check", "site", "--follow"], p);
    let named = run(&["check", "site"], p);
    assert_snapshot(
        "hostile-symlink-loop",
        "cd [TMP] && tracklint check site --follow; tracklint check site  # site/up -> ..",
        &format!(
            "{}=== without --follow\n{}",
            transcript(&follow),
            transcript(&named)
        ),
        &[p],
    );
}

#[test]
fn deep_nesting_huge_attributes_and_long_lines() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    // 100,000 nested elements.
    let mut page = "<div>".repeat(100_000);
    page.push_str("<img src=\"https://www.facebook.com/tr?id=1\">");
    std::fs::write(p.join("nested.html"), &page).unwrap();
    let (code, found, _) = check(&["nested.html"], p);
    assert_eq!((code, found), (1, vec![f(1, 500_011, "tracker-pixel")]));

    // A 50 MB attribute value.
    let mut big = Vec::with_capacity(50 * 1024 * 1024 + 100);
    big.extend_from_slice(b"<img src=\"https://www.facebook.com/tr?x=");
    big.resize(50 * 1024 * 1024, b'a');
    big.extend_from_slice(b"\">\n<p>end</p>\n");
    std::fs::write(p.join("attr.html"), &big).unwrap();
    let (code, found, _) = check(&["attr.html"], p);
    assert_eq!((code, found), (1, vec![f(1, 11, "tracker-pixel")]));

    // A 20 MB single-line bundle with a finding near its end.
    let mut js = "x=1;".repeat(5 * 1024 * 1024);
    js.push_str("fbq('init','1');");
    std::fs::write(p.join("bundle.js"), &js).unwrap();
    let (code, found, _) = check(&["bundle.js"], p);
    assert_eq!(
        (code, found),
        (1, vec![f(1, 20 * 1024 * 1024 + 1, "tracker-snippet")])
    );
}

#[test]
fn empty_or_match_everything_patterns_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(
        p.join("tracklint.toml"),
        "[extend]\nrulesets = [\"r.toml\"]\n",
    )
    .unwrap();
    // Each is labelled on line 6 of r.toml.
    let mut all = String::new();
    for body in [
        "hosts = [\"\"]",
        "hosts = [\"*.\"]",
        "scripts = [\"x.example/*\"]",
        "snippets = [\"\"]",
    ] {
        std::fs::write(
            p.join("r.toml"),
            format!("[[vendor]]\nid = \"x\"\nname = \"X\"\ncategory = \"analytics\"\nbaa = \"no\"\n{body}\n"),
        )
        .unwrap();
        let out = run(&["rules"], p);
        assert_eq!(out.status.code(), Some(2), "{body}");
        all.push_str(&format!("=== {body}\n{}\n", transcript(&out)));
    }
    assert_snapshot(
        "hostile-empty-patterns",
        "cd [TMP] && tracklint rules  # r.toml: one vendor, with each pattern shown",
        &all,
        &[p],
    );
}

/// A file named with an ESC sequence, a newline, a CR and a BEL, holding
/// a tracker URL with control characters: no format lets a raw control
/// byte through, and each GitHub annotation stays one line.
#[cfg(unix)]
#[test]
fn control_characters_never_reach_any_output_raw() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let name = "evil\x1b[31m\n\r\x07\u{9b}2J.html";
    std::fs::write(
        p.join(name),
        "<html><body>\n<img src=\"https://www.facebook.com/tr?id=1&ev=\x1b[2J\x07\x00\u{9b}\">\n\
         <script src=\"https://www.googletagmanager.com/gtag/js?id=G-1\x1b]0;x\x07\"></script>\n</body></html>\n",
    )
    .unwrap();
    // Raw controls other than newline and tab, and C1 as characters.
    let raw = |bytes: &[u8]| {
        let text = String::from_utf8_lossy(bytes);
        text.chars()
            .find(|&c| c.is_control() && c != '\n' && c != '\t')
            .map(|c| format!("{c:?}"))
    };
    let mut seen_findings = 0;
    for format in ["human", "json", "sarif", "github", "junit", "markdown"] {
        let out = run(&["check", ".", "--format", format, "--color", "never"], p);
        assert_eq!(out.status.code(), Some(1), "{format}");
        assert_eq!(
            raw(&out.stdout),
            None,
            "{format} stdout: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert_eq!(raw(&out.stderr), None, "{format} stderr");
        let text = String::from_utf8_lossy(&out.stdout);
        if format == "github" {
            for line in text.lines() {
                assert!(
                    line.starts_with("::error ") || line.starts_with("::warning "),
                    "{line}"
                );
                seen_findings += 1;
            }
            assert!(text.contains("evil\\u{1b}[31m%0A%0D\\u{7}"), "{text}");
        }
        if format == "human" {
            assert!(
                text.contains("evil\\u{1b}[31m\\u{a}\\u{d}\\u{7}\\u{9b}2J.html"),
                "{text}"
            );
        }
    }
    assert_eq!(seen_findings, 2);
    let out = run(&["report", ".", "--html", "r.html"], p);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(raw(&std::fs::read(p.join("r.html")).unwrap()), None, "html");
    assert_eq!(raw(&out.stderr), None, "report stderr");
    // A file that cannot be scanned: its name in the error on stderr.
    let out = run(&["check", "missing\x1b[31m\n.html"], p);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        raw(&out.stderr),
        None,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A ruleset outside the project, a special file or a binary file is
/// refused by name: no error shows its content (the environment's secrets).
#[test]
fn rulesets_outside_the_project_or_not_text_are_refused_without_content() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(
        p.join("bin.toml"),
        b"SECRET_BYTES=1\n\x00\xff\xfe[[vendor]]\n",
    )
    .unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("o.toml"), "SECRET_TOML = [\n").unwrap();
    let outside_toml = outside.path().join("o.toml").display().to_string();
    for (ruleset, needle) in [
        ("/proc/self/environ", "outside the project"),
        (outside_toml.as_str(), "outside the project"),
        ("bin.toml", "not UTF-8 text"),
    ] {
        std::fs::write(
            p.join("tracklint.toml"),
            format!("[extend]\nrulesets = [{ruleset:?}]\n"),
        )
        .unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_tracklint"))
            .args(["rules"])
            .current_dir(p)
            .env("TRACKLINT_CANARY", "SECRET_ENV_VALUE")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{ruleset}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{ruleset}: {err}");
        assert!(!err.contains("SECRET"), "{ruleset}: {err}");
        assert!(!err.contains("PATH="), "{ruleset}: {err}");
    }
}

#[cfg(unix)]
#[test]
fn interrupted_runs_fail_and_leave_no_partial_report() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    // Enough work to still be running when the signal arrives.
    let page = "<p>text</p>\n".repeat(400_000);
    for i in 0..40 {
        std::fs::write(p.join(format!("p{i}.html")), &page).unwrap();
    }
    let child = Command::new(env!("CARGO_BIN_EXE_tracklint"))
        .args([
            "check",
            ".",
            "--format",
            "sarif",
            "--output",
            "report.sarif",
        ])
        .current_dir(p)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(
        Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap()
            .success()
    );
    let status = child.wait_with_output().unwrap().status;
    assert!(!status.success(), "an interrupted run must not pass");
    assert!(!p.join("report.sarif").exists(), "no partial report");
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tracklint"))
        .args(["check", "testdata/demo-site"])
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // like `tracklint check … | head -0`
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("cannot write"),
        "{err}"
    );
    let _ = std::io::stderr().flush();
}

/// Template openers without closers, millions of them: each is read as
/// text, and the run stays linear (a search of the 64 KiB lookahead per
/// opener made a 4 MB file take minutes). A real tag after them is found
/// at its exact place.
#[test]
fn millions_of_unclosed_template_openers() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    // (No `<?` here: in HTML it opens a bogus comment that would swallow
    // the tag, as a browser would.)
    let mut page = "{{ {% {# <% ${ ".repeat(250_000);
    let col = page.len() as u64 + "<script src=\"".len() as u64 + 1;
    page.push_str("<script src=\"https://connect.facebook.net/en_US/fbevents.js\"></script>");
    std::fs::write(p.join("open.liquid"), &page).unwrap();
    let (code, found, _) = check(&["open.liquid"], p);
    assert_eq!((code, found), (1, vec![f(1, col, "tracker-script")]));
}
