//! End-to-end tests: run the real binary on real files and assert the exact
//! findings (rule, vendor, line, column) and exit code. Expected positions
//! were checked by hand against the fixtures.

mod common;

use common::{assert_run, assert_snapshot, run, transcript};

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The JSON report, pinned: an unknown or missing field fails the test.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Doc {
    version: u32,
    tool_version: String,
    config: Option<String>,
    config_digest: String,
    files_digest: String,
    shard: Option<serde_json::Value>,
    findings: Vec<JsonFinding>,
    summary: Summary,
    errors: Vec<JsonError>,
    allowed: Vec<JsonAllowed>,
    suppressed: Vec<JsonSuppressed>,
    baselined: Vec<JsonFinding>,
    fixed: Vec<BaselineEntry>,
    sensitive: Vec<String>,
    links_skipped: Vec<String>,
    sensitive_reasons: Vec<SensitiveReason>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct SensitiveReason {
    file: String,
    reason: String,
    line: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonSuppressed {
    #[serde(flatten)]
    finding: JsonFinding,
    reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineEntry {
    fingerprint: String,
    rule: String,
    vendor: Option<String>,
    file: String,
    text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonAllowed {
    #[serde(flatten)]
    finding: JsonFinding,
    reason: String,
    allowed_by: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonFinding {
    rule: String,
    severity: String,
    vendor: Option<String>,
    vendor_name: Option<String>,
    category: Option<String>,
    #[serde(default)]
    owner: Option<String>,
    file: String,
    line: u64,
    column: u64,
    end_line: u64,
    end_column: u64,
    message: String,
    url: Option<String>,
    fingerprint: String,
    excerpt: JsonExcerpt,
    origin: Option<serde_json::Value>,
    #[serde(default)]
    more_origins: Vec<serde_json::Value>,
    #[serde(default)]
    origin_note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonExcerpt {
    text: String,
    line: u64,
    start: usize,
    end: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Summary {
    files_scanned: usize,
    findings: usize,
    errors: usize,
    warnings: usize,
    info: usize,
    allowed: usize,
    suppressed: usize,
    baselined: usize,
    fixed: usize,
    binary_skipped: usize,
    baseline: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonError {
    file: String,
    message: String,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `check --format json` and returns the exit code and report.
fn check_json(args: &[&str], cwd: &Path) -> (i32, Doc) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let out = run(&all, cwd);
    let doc: Doc = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "bad JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().expect("exit code"), doc)
}

/// (file, line, column, end_line, end_column, rule, vendor) of each finding.
type Row = (String, u64, u64, u64, u64, String, Option<String>);

fn rows(doc: &Doc) -> Vec<Row> {
    doc.findings
        .iter()
        .map(|f| {
            (
                f.file.clone(),
                f.line,
                f.column,
                f.end_line,
                f.end_column,
                f.rule.clone(),
                f.vendor.clone(),
            )
        })
        .collect()
}

fn row(file: &str, pos: (u64, u64, u64, u64), rule: &str, vendor: Option<&str>) -> Row {
    (
        file.to_string(),
        pos.0,
        pos.1,
        pos.2,
        pos.3,
        rule.to_string(),
        vendor.map(str::to_string),
    )
}

#[test]
fn demo_site_findings_are_exact() {
    let (code, doc) = check_json(&["testdata/demo-site"], &root());
    assert_eq!(code, 1);
    assert_eq!(doc.version, 1);
    let a = "testdata/demo-site/appointments/index.html";
    let j = "testdata/demo-site/assets/app.js";
    let d = "testdata/demo-site/find-a-doctor/index.html";
    let i = "testdata/demo-site/index.html";
    let expected = vec![
        row(a, (6, 31, 6, 66), "client-side-consent", Some("cookiebot")),
        row(a, (7, 49, 7, 59), "client-side-consent", Some("cookiebot")),
        row(a, (10, 11, 10, 22), "tracker-snippet", Some("hotjar")),
        row(a, (15, 25, 15, 60), "tracker-snippet", Some("hotjar")),
        row(
            a,
            (25, 30, 25, 47),
            "client-side-consent",
            Some("cookiebot"),
        ),
        row(
            a,
            (26, 11, 26, 28),
            "client-side-consent",
            Some("cookiebot"),
        ),
        row(
            a,
            (27, 9, 27, 29),
            "tracker-snippet",
            Some("linkedin-insight"),
        ),
        row(
            a,
            (32, 65, 32, 121),
            "tracker-pixel",
            Some("linkedin-insight"),
        ),
        row(j, (2, 157, 2, 187), "tracker-snippet", Some("segment")),
        // The loader URL the snippet builds (`+key+` ends the literal).
        row(j, (2, 749, 2, 789), "tracker-snippet", Some("segment")),
        row(j, (2, 921, 2, 946), "tracker-snippet", Some("segment")),
        row(j, (2, 956, 2, 971), "tracker-snippet", Some("segment")),
        row(j, (3, 22, 3, 53), "tracker-snippet", Some("segment")),
        row(j, (4, 41, 4, 84), "tracker-pixel", Some("bing-uet")),
        row(d, (6, 16, 6, 70), "client-side-consent", Some("onetrust")),
        row(d, (8, 14, 8, 28), "client-side-consent", Some("onetrust")),
        row(d, (9, 11, 9, 31), "client-side-consent", Some("onetrust")),
        row(d, (14, 36, 14, 58), "client-side-consent", Some("onetrust")),
        row(d, (14, 65, 14, 92), "tracker-script", Some("bing-uet")),
        row(d, (18, 51, 18, 112), "tracker-pixel", Some("pinterest-tag")),
        row(
            i,
            (6, 32, 6, 64),
            "tracker-preconnect",
            Some("google-analytics"),
        ),
        row(
            i,
            (9, 57, 9, 68),
            "tracker-snippet",
            Some("google-tag-manager"),
        ),
        row(
            i,
            (12, 4, 12, 47),
            "tracker-snippet",
            Some("google-tag-manager"),
        ),
        row(
            i,
            (15, 22, 15, 75),
            "tracker-script",
            Some("google-analytics"),
        ),
        row(
            i,
            (19, 5, 19, 14),
            "tracker-snippet",
            Some("google-analytics"),
        ),
        row(
            i,
            (20, 5, 20, 18),
            "tracker-snippet",
            Some("google-analytics"),
        ),
        row(i, (22, 16, 22, 59), "third-party-script", None),
        row(
            i,
            (31, 26, 31, 81),
            "tracker-pixel",
            Some("google-tag-manager"),
        ),
        row(i, (35, 16, 35, 61), "third-party-embed", None),
        row(i, (49, 4, 49, 50), "tracker-snippet", Some("meta-pixel")),
        row(i, (50, 3, 50, 13), "tracker-snippet", Some("meta-pixel")),
        row(i, (51, 3, 51, 14), "tracker-snippet", Some("meta-pixel")),
        row(i, (54, 8, 54, 85), "tracker-pixel", Some("meta-pixel")),
    ];
    assert_eq!(rows(&doc), expected);
    // 7 files: about.html, the blog post and site.js are clean.
    assert_eq!(doc.summary.files_scanned, 7);
    assert_eq!(doc.summary.findings, 33);
    assert_eq!(doc.summary.binary_skipped, 0);
    // tracker-preconnect is a warning: a hint sends no page data, so it is
    // not raised though Google Analytics signs no BAA (issue 13). It names
    // Google Analytics, whose host it is, and Google, who runs it.
    assert_eq!(doc.summary.errors, 30);
    assert_eq!(doc.summary.warnings, 3);
    let hint = &doc.findings[20];
    assert_eq!(hint.rule, "tracker-preconnect");
    assert_eq!(hint.severity, "warning");
    assert_eq!(hint.owner.as_deref(), Some("Google"));
    assert!(
        doc.findings
            .iter()
            .all(|f| f.owner.is_none() || f.rule == "tracker-preconnect")
    );
    assert!(doc.errors.is_empty());
    let gtag = &doc.findings[23];
    assert_eq!(gtag.severity, "error");
    assert_eq!(gtag.vendor_name.as_deref(), Some("Google Analytics"));
    assert_eq!(gtag.category.as_deref(), Some("analytics"));
    assert_eq!(
        gtag.url.as_deref(),
        Some("www.googletagmanager.com/gtag/js")
    );
    assert_eq!(gtag.fingerprint.len(), 16);
    assert_eq!(gtag.origin, None);
    // Without [sources], origins are neither searched for nor explained.
    assert!(gtag.more_origins.is_empty() && gtag.origin_note.is_none());
    assert_eq!(gtag.excerpt.line, 15);
    assert_eq!(
        &gtag.excerpt.text[gtag.excerpt.start..gtag.excerpt.end],
        "https://www.googletagmanager.com/gtag/js?id=G-XXXXXXX"
    );
}

#[test]
fn mentions_samples_links_and_json_ld_are_not_flagged() {
    let (code, doc) = check_json(&["testdata/must-not-flag"], &root());
    assert_eq!(rows(&doc), vec![]);
    assert_eq!(doc.summary.files_scanned, 2);
    assert_eq!(code, 0);
}

#[test]
fn crlf_latin1_and_multibyte_columns_are_exact() {
    let (code, doc) = check_json(&["testdata/encodings"], &root());
    assert_eq!(code, 1);
    let e = |f: &str| format!("testdata/encodings/{f}");
    assert_eq!(
        rows(&doc),
        vec![
            row(
                &e("crlf.html"),
                (5, 16, 5, 62),
                "tracker-script",
                Some("meta-pixel")
            ),
            row(
                &e("crlf.html"),
                (8, 3, 8, 13),
                "tracker-snippet",
                Some("meta-pixel")
            ),
            row(
                &e("latin1-undeclared.html"),
                (1, 31, 1, 70),
                "tracker-script",
                Some("hotjar")
            ),
            row(
                &e("latin1.html"),
                (4, 33, 4, 77),
                "tracker-pixel",
                Some("meta-pixel")
            ),
            row(
                &e("latin1.html"),
                (5, 24, 5, 34),
                "tracker-snippet",
                Some("meta-pixel")
            ),
            row(
                &e("utf8-multibyte.html"),
                (1, 25, 1, 59),
                "tracker-pixel",
                Some("bing-uet")
            ),
        ]
    );
}

/// Snippet signatures match JavaScript tokens, not bytes: whitespace,
/// line breaks, the quote a string is written with and minification do not
/// matter. Positions counted by hand from `testdata/snippets/`.
#[test]
fn snippets_match_tokens_whatever_the_spelling() {
    let (code, doc) = check_json(&["testdata/snippets"], &root());
    assert_eq!(code, 1);
    let (b, s) = (
        "testdata/snippets/bundle.js",
        "testdata/snippets/spellings.html",
    );
    let snippet = |file: &str, pos, vendor| row(file, pos, "tracker-snippet", Some(vendor));
    assert_eq!(
        rows(&doc),
        vec![
            // Minified, double quotes, an open string: `gtag('config', 'AW-`
            // (Google Ads' signature beats Google Analytics' `gtag('config'`).
            snippet(b, (1, 13, 1, 31), "google-ads"),
            // Line 2's 65 spaces are more than a gap may hold; line 3's 64
            // are not.
            snippet(b, (3, 1, 3, 75), "meta-pixel"),
            // `fbq( 'init'`, `fbq("init"`, and across a line break.
            snippet(s, (5, 3, 5, 14), "meta-pixel"),
            snippet(s, (7, 9, 7, 19), "meta-pixel"),
            snippet(s, (9, 3, 10, 11), "meta-pixel"),
            snippet(s, (14, 9, 14, 27), "google-ads"),
            // `window\n    .uetq` and `new\n    UET(`; line 24's near
            // misses (`xfbq('init'`, `fbq('initialize'`, `newUET(`,
            // `fbq('init"`) are not reported.
            snippet(s, (16, 3, 17, 10), "bing-uet"),
            snippet(s, (20, 11, 21, 9), "bing-uet"),
        ]
    );
}

#[test]
fn utf16_with_bom_is_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let text = "<p>é</p>\n<script src=\"https://cdn.segment.com/analytics.js/v1/k/analytics.min.js\"></script>\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(dir.path().join("utf16.html"), bytes).unwrap();
    let (code, doc) = check_json(&["utf16.html"], dir.path());
    assert_eq!(code, 1);
    assert_eq!(
        rows(&doc),
        vec![row(
            "utf16.html",
            (2, 14, 2, 72),
            "tracker-script",
            Some("segment")
        )]
    );
}

/// A 100 KB+ one-line bundle with findings past column 65,536, where miette
/// would panic if given the whole line.
fn write_minified(dir: &Path) -> (u64, u64) {
    let filler = "var a=function(b){return b*2};".repeat(2300); // 69,000 bytes
    let mid = "é".repeat(10); // 10 characters, 20 bytes
    let tail = "x".repeat(40_000);
    let js = format!(
        "{filler}{mid}fbq(\"init\",\"1\");new Image().src=\"https://www.facebook.com/tr?id=1\";{tail}"
    );
    assert!(js.len() > 100_000 && !js.contains('\n'));
    std::fs::write(dir.join("bundle.min.js"), js).unwrap();
    let snippet_col = 69_000 + 10 + 1;
    let pixel_col = snippet_col + "fbq(\"init\",\"1\");new Image().src=\"".len() as u64;
    (snippet_col, pixel_col)
}

#[test]
fn minified_bundle_reports_columns_past_65536() {
    let dir = tempfile::tempdir().unwrap();
    let (snippet_col, pixel_col) = write_minified(dir.path());
    let (code, doc) = check_json(&["."], dir.path());
    assert_eq!(code, 1);
    assert_eq!(
        rows(&doc),
        vec![
            row(
                "bundle.min.js",
                (1, snippet_col, 1, snippet_col + 10),
                "tracker-snippet",
                Some("meta-pixel")
            ),
            row(
                "bundle.min.js",
                (1, pixel_col, 1, pixel_col + 32),
                "tracker-pixel",
                Some("meta-pixel")
            ),
        ]
    );
}

#[test]
fn human_output_windows_long_lines() {
    let dir = tempfile::tempdir().unwrap();
    write_minified(dir.path());
    let out = run(&["check", "bundle.min.js"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    // Both findings, past column 69,000, each with its window.
    assert_run(
        "cli-minified-bundle-human",
        "tracklint check bundle.min.js  # a 109 KB one-line bundle",
        &out,
        &[dir.path()],
    );
    // The excerpt is a window, not the 100 KB line.
    assert!(
        out.stdout.len() < 8_000,
        "output is {} bytes",
        out.stdout.len()
    );
}

#[test]
fn clean_and_warning_only_sites_exit_zero() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("index.html"),
        "<script src=\"https://code.jquery.com/jquery.js\"></script>\n",
    )
    .unwrap();
    let (code, doc) = check_json(&["."], dir.path());
    assert_eq!(code, 0);
    assert_eq!(
        rows(&doc),
        vec![row(
            "index.html",
            (1, 14, 1, 47),
            "third-party-script",
            None
        )]
    );
    // A first-party host is not third-party.
    let (code, doc) = check_json(&[".", "--first-party", "*.jquery.com"], dir.path());
    assert_eq!((code, doc.findings.len()), (0, 0));
    // Turned down to info by config: still reported, still exit 0.
    write_config(
        dir.path(),
        "[rules]
third-party-script = \"info\"\n",
    );
    let (code, doc) = check_json(&["index.html"], dir.path());
    assert_eq!((code, doc.summary.info, doc.summary.warnings), (0, 1, 0));
    assert_eq!(doc.findings[0].severity, "info");
}

#[test]
fn first_party_never_hides_a_tracker() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.html"),
        "<script src=\"https://www.googletagmanager.com/gtm.js?id=GTM-1\"></script>",
    )
    .unwrap();
    let (code, doc) = check_json(
        &[".", "--first-party", "*.googletagmanager.com"],
        dir.path(),
    );
    assert_eq!(code, 1);
    assert_eq!(doc.findings[0].rule, "tracker-script");
}

#[test]
fn gitignored_build_output_is_scanned_and_globs_filter() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join(".git")).unwrap();
    std::fs::create_dir_all(p.join("_site/blog")).unwrap();
    std::fs::create_dir_all(p.join("node_modules/x")).unwrap();
    std::fs::write(p.join(".gitignore"), "_site/\n").unwrap();
    let tag = "<script src=\"https://static.hotjar.com/c/hotjar-1.js\"></script>";
    std::fs::write(p.join("_site/index.html"), tag).unwrap();
    std::fs::write(p.join("_site/blog/post.html"), tag).unwrap();
    std::fs::write(p.join("_site/notes.txt"), tag).unwrap();
    std::fs::write(p.join("node_modules/x/index.html"), tag).unwrap();

    let (_, doc) = check_json(&["."], p);
    let files: Vec<&str> = doc.findings.iter().map(|f| f.file.as_str()).collect();
    assert_eq!(files, ["_site/blog/post.html", "_site/index.html"]);

    let (_, doc) = check_json(&["_site", "--exclude", "blog/**"], p);
    let files: Vec<&str> = doc.findings.iter().map(|f| f.file.as_str()).collect();
    assert_eq!(files, ["_site/index.html"]);

    let (_, doc) = check_json(&["_site", "--include", "*.txt"], p);
    let files: Vec<&str> = doc.findings.iter().map(|f| f.file.as_str()).collect();
    assert_eq!(files, ["_site/notes.txt"]);

    // A file named on the command line is scanned whatever its extension.
    let (code, doc) = check_json(&["_site/notes.txt"], p);
    assert_eq!((code, doc.findings.len()), (1, 1));
}

#[test]
fn missing_path_is_an_error_not_a_pass() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ok.html"), "<p>hi</p>").unwrap();
    let args = ["check", "--format", "json", "ok.html", "missing.html"];
    let out = run(&args, dir.path());
    assert_eq!(out.status.code(), Some(2));
    // The error's message, in the JSON and on stderr.
    assert_run(
        "cli-missing-path-json",
        &format!("tracklint {}", args.join(" ")),
        &out,
        &[dir.path()],
    );
    let doc: Doc = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc.errors.len(), 1);
    assert_eq!(doc.errors[0].file, "missing.html");
    assert_eq!(
        doc.errors[0].message,
        "No such file or directory (os error 2)"
    );
    assert_eq!(doc.summary.files_scanned, 1);
}

#[test]
fn unsupported_encoding_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("jp.html"),
        "<meta charset=\"iso-2022-jp\"><script src=\"https://static.hotjar.com/c/h.js\"></script>",
    )
    .unwrap();
    let out = run(&["check", "jp.html"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert_run(
        "cli-unsupported-encoding",
        "tracklint check jp.html",
        &out,
        &[dir.path()],
    );
}

#[test]
fn config_errors_point_into_the_toml() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("tracklint.toml"),
        "[site]\nfirst_party = [\"clinic.example\"]\nfirts_party = []\n",
    )
    .unwrap();
    let out = run(&["check", "."], dir.path());
    assert_eq!(out.status.code(), Some(2));
    // The unknown key, labelled on line 3, with a did-you-mean.
    assert_run(
        "cli-config-error",
        "tracklint check .  # tracklint.toml has `firts_party` on line 3",
        &out,
        &[dir.path()],
    );
}

#[test]
fn config_first_party_and_user_ruleset_apply() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(
        p.join("tracklint.toml"),
        "[site]\nfirst_party = [\"*.clinic.example\"]\n\n[extend]\nrulesets = [\"inhouse.toml\"]\n",
    )
    .unwrap();
    std::fs::write(
        p.join("inhouse.toml"),
        "[[vendor]]\nid = \"inhouse-tracker\"\nname = \"In-house tracker\"\ncategory = \"analytics\"\nbaa = \"unknown\"\nhosts = [\"cdn.inhouse-tracker.example\"]\n",
    )
    .unwrap();
    std::fs::write(
        p.join("index.html"),
        "<script src=\"https://static.clinic.example/app.js\"></script>\n<script src=\"//CDN.Inhouse-Tracker.example/t.js\"></script>\n",
    )
    .unwrap();
    let (code, doc) = check_json(&["index.html"], p);
    assert_eq!(code, 1);
    assert_eq!(
        rows(&doc),
        vec![row(
            "index.html",
            (2, 14, 2, 48),
            "tracker-script",
            Some("inhouse-tracker")
        )]
    );
}

#[test]
fn bad_user_ruleset_pattern_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("t.toml"), "[extend]\nrulesets = [\"bad.toml\"]\n").unwrap();
    std::fs::write(
        p.join("bad.toml"),
        "[[vendor]]\nid = \"bad\"\nname = \"Bad\"\ncategory = \"analytics\"\nbaa = \"no\"\nhosts = [\"https://x.example/\"]\n",
    )
    .unwrap();
    let out = run(&["check", "--config", "t.toml", "."], p);
    assert_eq!(out.status.code(), Some(2));
    // Labelled on line 6 of bad.toml.
    assert_run(
        "cli-bad-user-ruleset",
        "tracklint check --config t.toml .  # bad.toml: hosts = [\"https://x.example/\"]",
        &out,
        &[p],
    );
}

#[test]
fn quiet_drops_the_summary() {
    let out = run(&["check", "--quiet", "testdata/must-not-flag"], &root());
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn help_teaches_usage() {
    let out = run(&["check", "--help"], &root());
    assert_eq!(out.status.code(), Some(0));
    // Every flag, the examples and the rules.
    assert_run("cli-check-help", "tracklint check --help", &out, &[]);
}

#[test]
fn nothing_to_scan_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("_site")).unwrap();
    std::fs::write(dir.path().join("_site/logo.png"), [0x89, b'P', b'N', b'G']).unwrap();
    let out = run(&["check", "_site"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert_run(
        "cli-nothing-to-scan",
        "tracklint check _site  # _site holds only logo.png",
        &out,
        &[dir.path()],
    );
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_not_followed_and_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir(p.join("site")).unwrap();
    std::fs::write(p.join("site/index.html"), "<p>clean</p>").unwrap();
    std::fs::write(
        p.join("outside.html"),
        "<script src=\"https://static.hotjar.com/c/h.js\"></script>",
    )
    .unwrap();
    std::os::unix::fs::symlink(p.join("outside.html"), p.join("site/linked.html")).unwrap();
    let out = run(&["check", "site"], p);
    assert_eq!(out.status.code(), Some(0));
    // The link is named on stderr and counted in the summary.
    assert_run(
        "cli-symbolic-link",
        "tracklint check site  # site/linked.html -> ../outside.html",
        &out,
        &[p],
    );
}

#[test]
fn event_handlers_and_ping_are_scanned() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.html"),
        "<button onclick=\"track(); fbq('track', 'Lead')\">Book</button>\n<a href=\"/x\" ping=\"/log https://www.facebook.com/tr?id=1\">x</a>\n",
    )
    .unwrap();
    let (code, doc) = check_json(&["a.html"], dir.path());
    assert_eq!(code, 1);
    assert_eq!(
        rows(&doc),
        vec![
            row(
                "a.html",
                (1, 27, 1, 38),
                "tracker-snippet",
                Some("meta-pixel")
            ),
            row(
                "a.html",
                (2, 25, 2, 57),
                "tracker-pixel",
                Some("meta-pixel")
            ),
        ]
    );
}

/// A small site for config tests: a GTM tag on the home page and on a
/// patient-portal page, and a YouTube embed.
fn config_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("_site/portal")).unwrap();
    std::fs::create_dir_all(p.join("_site/careers")).unwrap();
    let page = "<script src=\"https://www.googletagmanager.com/gtm.js?id=GTM-1\"></script>\n<iframe src=\"https://www.youtube.com/embed/x\"></iframe>\n<link rel=\"dns-prefetch\" href=\"//cdn.example-cdn.net\">\n";
    for f in [
        "_site/index.html",
        "_site/portal/index.html",
        "_site/careers/index.html",
    ] {
        std::fs::write(p.join(f), page).unwrap();
    }
    dir
}

fn write_config(dir: &Path, text: &str) {
    std::fs::write(dir.join("tracklint.toml"), text).unwrap();
}

#[test]
fn config_levels_sensitive_pages_and_root() {
    let dir = config_site();
    write_config(
        dir.path(),
        "[site]\nroot = \"_site\"\n\n[sensitive]\npaths = [\"**/portal/**\"]\n\n[rules]\ntracker-script = \"info\"\nthird-party-embed = \"off\"\n",
    );
    // No PATH: `root` is scanned.
    let (code, doc) = check_json(&[], dir.path());
    let got: Vec<(String, String, String)> = doc
        .findings
        .iter()
        .map(|f| (f.file.clone(), f.rule.clone(), f.severity.clone()))
        .collect();
    let r =
        |f: &str, rule: &str, sev: &str| (format!("_site/{f}"), rule.to_string(), sev.to_string());
    // info, raised once because Google Tag Manager signs no BAA; raised
    // again on the sensitive portal page.
    assert_eq!(
        got,
        vec![
            r("careers/index.html", "tracker-script", "warning"),
            r("index.html", "tracker-script", "warning"),
            r("portal/index.html", "tracker-script", "error"),
        ]
    );
    assert_eq!(code, 1);
    assert_eq!(
        doc.findings[2].message,
        "loads Google Tag Manager from www.googletagmanager.com/gtm.js (sensitive page: HHS OCR \
         guidance treats tracking on authenticated, login, registration, booking and \
         symptom-checker pages as a disclosure of PHI)"
    );
    assert_eq!(doc.sensitive, ["_site/portal/index.html"]);
    assert!(doc.links_skipped.is_empty());
    assert!(!doc.summary.baseline);
    // The portal finding's message names the sensitive page and HHS OCR's
    // guidance; the summary counts the page.
    let out = run(&["check"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert_run(
        "cli-sensitive-page-human",
        "tracklint check  # [site] root = \"_site\", [sensitive] paths = [\"**/portal/**\"]",
        &out,
        &[dir.path()],
    );
}

#[test]
fn allowances_need_a_reason_and_expire() {
    let dir = config_site();
    write_config(
        dir.path(),
        "[[allow]]\nvendor = \"google-tag-manager\"\npaths = [\"careers/**\"]\nreason = \"HR's vendor runs careers under its own BAA\"\n\n[[allow]]\nrule = \"third-party-embed\"\nreason = \"videos are click-to-load\"\nexpires = \"2099-01-01\"\n",
    );
    let (code, doc) = check_json(&["_site"], dir.path());
    assert_eq!(code, 1);
    let files: Vec<&str> = doc.findings.iter().map(|f| f.file.as_str()).collect();
    assert_eq!(files, ["_site/index.html", "_site/portal/index.html"]);
    assert_eq!(doc.summary.allowed, 4);
    assert_eq!(doc.allowed.len(), 4);
    let careers = doc
        .allowed
        .iter()
        .find(|a| a.finding.rule == "tracker-script")
        .unwrap();
    assert_eq!(careers.finding.file, "_site/careers/index.html");
    assert_eq!(careers.reason, "HR's vendor runs careers under its own BAA");
    assert_eq!(careers.allowed_by, "tracklint.toml:1");

    // An expired allowance stops applying and says so.
    write_config(
        dir.path(),
        "[[allow]]\nrule = \"third-party-embed\"\nreason = \"videos are click-to-load\"\nexpires = \"2020-01-01\"\n",
    );
    let out = run(&["check", "--format", "json", "_site"], dir.path());
    let human = run(&["check", "_site"], dir.path());
    assert_eq!(human.status.code(), Some(1));
    assert_run(
        "cli-allow-expired",
        "tracklint check _site  # [[allow]] third-party-embed, expires = \"2020-01-01\"",
        &human,
        &[dir.path()],
    );
    // The JSON run names the expired entry on stderr the same way.
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&human.stderr)
    );
    let doc: Doc = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc.summary.allowed, 0);
    assert!(doc.findings.iter().any(|f| f.rule == "third-party-embed"));

    // No reason: a located error.
    write_config(dir.path(), "[[allow]]\nvendor = \"google-tag-manager\"\n");
    let out = run(&["check", "_site"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert_run(
        "cli-allow-without-reason",
        "tracklint check _site  # [[allow]] vendor = \"google-tag-manager\", no reason",
        &out,
        &[dir.path()],
    );
}

/// Issue 13: a page whose form asks for health information is sensitive
/// without `[sensitive] paths`, and each finding on it says why, with the
/// line of the first field that asks (lines counted by hand in
/// `testdata/sensitive/`). Newsletter sign-ups, search boxes (a find-a-doctor
/// search too) and contact forms stay ordinary.
#[test]
fn pages_whose_forms_ask_for_health_information_are_sensitive() {
    let (code, doc) = check_json(&["testdata/sensitive"], &root());
    assert_eq!(code, 1);
    let gtm = "loads Google Tag Manager from www.googletagmanager.com/gtm.js";
    let guidance = "HHS OCR guidance treats tracking on authenticated, login, registration, \
                    booking and symptom-checker pages as a disclosure of PHI";
    let must = |page: &str, line: u64, why: &str| {
        (
            format!("testdata/sensitive/must-infer/{page}"),
            line,
            "error".to_string(),
            format!("{gtm} (sensitive page: {why}; {guidance})"),
        )
    };
    let near = |page: &str| {
        (
            format!("testdata/sensitive/near-miss/{page}"),
            6,
            "error".to_string(),
            gtm.to_string(),
        )
    };
    let got: Vec<(String, u64, String, String)> = doc
        .findings
        .iter()
        .map(|f| {
            (
                f.file.clone(),
                f.line,
                f.severity.clone(),
                f.message.clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            // autocomplete="bday" alone.
            must("bday.html", 6, "form asks for date of birth (line 11)"),
            // The first clue is the "Date of birth" label, on line 14.
            must(
                "booking.html",
                6,
                "form asks for date of birth and insurance member id (line 14)"
            ),
            must(
                "cita.html",
                6,
                "form asks for date of birth and insurance member id (line 11)"
            ),
            // A placeholder, then a label around a textarea.
            must(
                "intake.html",
                14,
                "form asks for medications and health condition (line 10)"
            ),
            // Only the label's text says it: "Reason&nbsp;for <em>visit</em>".
            must(
                "label-only.html",
                6,
                "form asks for reason for visit (line 11)"
            ),
            must(
                "symptom-checker.html",
                6,
                "form asks for symptoms (line 10)"
            ),
            must(
                "termin.html",
                6,
                "form asks for provider or appointment choice, date of birth and insurance \
                 member id (line 10)"
            ),
            near("contact.html"),
            near("find-a-doctor.html"),
            near("newsletter.html"),
            near("search.html"),
        ]
    );
    let pages = [
        "bday",
        "booking",
        "cita",
        "intake",
        "label-only",
        "symptom-checker",
        "termin",
    ];
    let files: Vec<String> = pages
        .iter()
        .map(|p| format!("testdata/sensitive/must-infer/{p}.html"))
        .collect();
    assert_eq!(doc.sensitive, files);
    assert_eq!(
        doc.sensitive_reasons[0],
        SensitiveReason {
            file: files[0].clone(),
            reason: "form asks for date of birth".into(),
            line: 11,
        }
    );
    let listed: Vec<&str> = doc
        .sensitive_reasons
        .iter()
        .map(|r| r.file.as_str())
        .collect();
    assert_eq!(listed, files);
}

/// `[sensitive] infer = false` turns inference off; `paths` still adds
/// pages, and a page both listed and inferred says why it was inferred.
#[test]
fn sensitive_infer_off_and_paths_still_add_pages() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&root().join("testdata/sensitive"), dir.path());
    write_config(
        dir.path(),
        "[sensitive]\ninfer = false\npaths = [\"near-miss/contact.html\"]\n",
    );
    let (_, doc) = check_json(&["."], dir.path());
    assert_eq!(doc.sensitive, ["near-miss/contact.html"]);
    assert!(doc.sensitive_reasons.is_empty());
    let raised: Vec<&str> = doc
        .findings
        .iter()
        .filter(|f| f.message.contains("sensitive page"))
        .map(|f| f.file.as_str())
        .collect();
    assert_eq!(raised, ["near-miss/contact.html"]);

    write_config(
        dir.path(),
        "[sensitive]\npaths = [\"must-infer/bday.html\", \"near-miss/contact.html\"]\n",
    );
    let (_, doc) = check_json(&["."], dir.path());
    assert_eq!(doc.sensitive.len(), 8);
    let message = |file: &str| {
        doc.findings
            .iter()
            .find(|f| f.file == file)
            .map(|f| f.message.clone())
            .unwrap()
    };
    assert!(
        message("must-infer/bday.html")
            .contains("(sensitive page: form asks for date of birth (line 11); HHS OCR")
    );
    assert!(message("near-miss/contact.html").ends_with("(sensitive page: HHS OCR guidance treats tracking on authenticated, login, registration, booking and symptom-checker pages as a disclosure of PHI)"));
}

#[test]
fn config_mistakes_get_did_you_mean() {
    let dir = config_site();
    // Each mistake is labelled on its line, with a did-you-mean where a
    // known name is close.
    let cases = [
        "[site]\nfirst_partys = []\n",
        "[rules]\ntracker-scripts = \"off\"\n",
        "[rules]\ntracker-script = \"loud\"\n",
        "[extend]\ndisabled_vendors = [\"google-analytic\"]\n",
        "[[allow]]\nvendor = \"hotjr\"\nreason = \"x\"\n",
        "[[allow]]\nrule = \"tracker-script\"\nreason = \"x\"\nexpires = \"next year\"\n",
        "[sensitive]\npaths = [\"portal/[\"]\n",
        "[sensitive]\ninfers = false\n",
        "[sensitive]\ninfer = \"no\"\n",
        "[sources]\ninfer = false\n",
    ];
    let mut all = String::new();
    for text in cases {
        write_config(dir.path(), text);
        let out = run(&["check", "_site"], dir.path());
        assert_eq!(out.status.code(), Some(2), "{text}");
        all.push_str(&format!("=== tracklint.toml\n{text}{}\n", transcript(&out)));
    }
    assert_snapshot(
        "cli-config-mistakes",
        "tracklint check _site  # with each tracklint.toml shown",
        &all,
        &[dir.path()],
    );
}

#[test]
fn disabled_vendors_and_use_default() {
    let dir = config_site();
    write_config(
        dir.path(),
        "[extend]\ndisabled_vendors = [\"google-tag-manager\"]\n",
    );
    let (_, doc) = check_json(&["_site/index.html"], dir.path());
    let rules: Vec<&str> = doc.findings.iter().map(|f| f.rule.as_str()).collect();
    // Not a known tracker any more: an unknown third-party script.
    assert_eq!(rules, ["third-party-script", "third-party-embed"]);

    std::fs::write(
        dir.path().join("mine.toml"),
        "[[vendor]]\nid = \"example-cdn\"\nname = \"Example CDN beacon\"\ncategory = \"analytics\"\nbaa = \"unknown\"\nhosts = [\"cdn.example-cdn.net\"]\n",
    )
    .unwrap();
    write_config(
        dir.path(),
        "[extend]\nuse_default = false\nrulesets = [\"mine.toml\"]\n",
    );
    let (_, doc) = check_json(&["_site/index.html"], dir.path());
    let got: Vec<(&str, Option<&str>)> = doc
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.vendor.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("third-party-script", None),
            ("third-party-embed", None),
            ("tracker-preconnect", Some("example-cdn"))
        ]
    );
}

#[test]
fn rules_lists_rules_and_vendors_with_sources() {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Listing {
        rules: Vec<ListedRule>,
        vendors: Vec<ListedVendor>,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct ListedRule {
        id: String,
        severity: String,
        summary: String,
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct ListedVendor {
        id: String,
        name: String,
        category: String,
        baa: String,
        source: String,
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mine.toml"),
        "[[vendor]]\nid = \"inhouse-tracker\"\nname = \"In-house tracker\"\ncategory = \"analytics\"\nbaa = \"unknown\"\nhosts = [\"cdn.inhouse-tracker.example\"]\n",
    )
    .unwrap();
    write_config(dir.path(), "[extend]\nrulesets = [\"mine.toml\"]\n");
    let out = run(&["rules", "--format", "json"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    let l: Listing = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = l.rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "tracker-script",
            "tracker-pixel",
            "tracker-snippet",
            "client-side-consent",
            "third-party-script",
            "third-party-embed",
            "tracker-preconnect",
            "tracker-form-action",
            "suppression-without-reason",
            "unused-suppression"
        ]
    );
    assert!(l.rules.iter().all(|r| !r.summary.is_empty()));
    assert_eq!(l.rules[4].severity, "warning");
    let ga = l
        .vendors
        .iter()
        .find(|v| v.id == "google-analytics")
        .unwrap();
    assert_eq!(
        (
            ga.name.as_str(),
            ga.category.as_str(),
            ga.baa.as_str(),
            ga.source.as_str()
        ),
        ("Google Analytics", "analytics", "no", "curated")
    );
    let mine = l
        .vendors
        .iter()
        .find(|v| v.id == "inhouse-tracker")
        .unwrap();
    assert_eq!(mine.source, "mine.toml");

    // The listing counts the user's vendor and names where each comes
    // from. The whole listing is in tests/snapshots/rules.snap: this one
    // shows it without the built-in vendors' rows after the first.
    let out = run(&["rules"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout.clone()).unwrap();
    let mut built_in = 0;
    let shown: String = stdout
        .lines()
        .filter(|l| {
            let row = l.ends_with(" curated")
                || l.ends_with(" third-party-web")
                || l.ends_with(" easyprivacy");
            built_in += usize::from(row);
            !row || built_in == 1
        })
        .map(|l| format!("{l}\n"))
        .collect();
    assert_snapshot(
        "cli-rules-with-user-ruleset",
        "tracklint rules  # [extend] rulesets = [\"mine.toml\"]; built-in rows after the first left out",
        &format!(
            "exit code: 0\n--- stdout\n{shown}--- stderr\n{}",
            String::from_utf8_lossy(&out.stderr)
        ),
        &[dir.path()],
    );
}

#[test]
fn explain_prints_rules_and_vendors() {
    let out = run(&["explain", "client-side-consent"], &root());
    assert_eq!(out.status.code(), Some(0));
    assert_run(
        "explain-client-side-consent",
        "tracklint explain client-side-consent",
        &out,
        &[],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    // The docs show exactly this text.
    let docs = std::fs::read_to_string(root().join("docs/rules.md")).unwrap();
    assert!(docs.contains(text.lines().nth(2).unwrap()));

    // A vendor's explanation is in tests/snapshots/explain-hotjar.snap.
    let out = run(&["explain", "hotjr"], &root());
    assert_eq!(out.status.code(), Some(2));
    assert_run("explain-typo", "tracklint explain hotjr", &out, &[]);
}

#[test]
fn init_writes_a_config_from_the_site_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir(p.join("_site")).unwrap();
    std::fs::write(p.join("_site/index.html"), "<p>hi</p>").unwrap();
    std::fs::create_dir(p.join("_includes")).unwrap();
    std::fs::write(
        p.join("_includes/head.html"),
        "<title>{{ page.title }}</title>",
    )
    .unwrap();
    std::fs::write(
        p.join("_config.yml"),
        "title: Clinic\nurl: https://www.riverside-clinic.example\n",
    )
    .unwrap();
    let out = run(&["init"], p);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(p.join("tracklint.toml")).unwrap();
    // What init says, and the config it writes: first_party from
    // _config.yml's url, root _site, the usual sensitive paths, the
    // templates under _includes as [sources].
    assert_snapshot(
        "cli-init",
        "tracklint init  # in a Jekyll site: _config.yml, _site/, _includes/",
        &format!("{}--- tracklint.toml\n{text}", transcript(&out)),
        &[p],
    );
    // The written config works as is.
    let (code, doc) = check_json(&[], p);
    assert_eq!((code, doc.summary.files_scanned), (0, 1));

    let out = run(&["init"], p);
    assert_eq!(out.status.code(), Some(2));
    assert_run(
        "cli-init-exists",
        "tracklint init  # tracklint.toml exists",
        &out,
        &[p],
    );
    assert_eq!(
        std::fs::read_to_string(p.join("tracklint.toml")).unwrap(),
        text
    );
}

#[test]
fn user_ruleset_unknown_key_gets_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mine.toml"),
        "[[vendor]]\nid = \"x\"\nname = \"X\"\ncategory = \"analytics\"\nbaa = \"unknown\"\nhost = [\"a.example\"]\n",
    )
    .unwrap();
    write_config(dir.path(), "[extend]\nrulesets = [\"mine.toml\"]\n");
    let out = run(&["rules"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    // Labelled on line 6 of mine.toml, with a did-you-mean.
    assert_run(
        "cli-user-ruleset-unknown-key",
        "tracklint rules  # mine.toml: host = [\"a.example\"]",
        &out,
        &[dir.path()],
    );
}

/// The whole JSON shape, including the audit lists, deserialises into the
/// pinned structs above.
#[test]
fn json_lists_suppressed_baselined_and_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(
        p.join("a.html"),
        "<script src=\"https://static.hotjar.com/c/h.js\"></script>\n<script src=\"https://cdn.segment.com/analytics.js/v1/k/analytics.min.js\"></script>\n",
    )
    .unwrap();
    let out = run(&["check", "a.html", "--write-baseline", "b.json", "-q"], p);
    assert_eq!(out.status.code(), Some(0));
    std::fs::write(
        p.join("a.html"),
        "<!-- tracklint-ignore hotjar: replay is off -->\n<script src=\"https://static.hotjar.com/c/h.js\"></script>\n",
    )
    .unwrap();
    let (code, doc) = check_json(&["a.html", "--baseline", "b.json"], p);
    assert_eq!(code, 0);
    assert_eq!(doc.suppressed.len(), 1);
    assert_eq!(doc.suppressed[0].reason, "replay is off");
    assert_eq!(doc.suppressed[0].finding.vendor.as_deref(), Some("hotjar"));
    assert_eq!(doc.suppressed[0].finding.line, 2);
    assert!(doc.baselined.is_empty());
    assert_eq!(doc.fixed.len(), 1);
    let fixed = &doc.fixed[0];
    assert_eq!(
        (
            fixed.rule.as_str(),
            fixed.vendor.as_deref(),
            fixed.file.as_str()
        ),
        ("tracker-script", Some("segment"), "a.html")
    );
    assert_eq!(
        fixed.text,
        "https://cdn.segment.com/analytics.js/v1/k/analytics.min.js"
    );
    assert_eq!(fixed.fingerprint.len(), 16);
    assert_eq!(
        (
            doc.summary.suppressed,
            doc.summary.baselined,
            doc.summary.fixed
        ),
        (1, 0, 1)
    );
}

#[test]
fn files_named_but_excluded_are_skipped_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(
        p.join("tracklint.toml"),
        "[site]\nexclude = [\"vendor/**\"]\n",
    )
    .unwrap();
    std::fs::create_dir(p.join("vendor")).unwrap();
    let tracker = "<script src=\"https://static.hotjar.com/c/hotjar-1.js\"></script>\n";
    std::fs::write(p.join("vendor/lib.html"), tracker).unwrap();
    std::fs::write(p.join("page.html"), tracker).unwrap();
    std::fs::write(p.join("clean.html"), "<p>hi</p>\n").unwrap();

    // One named file excluded, one scanned: the scan's verdict, and a note.
    let out = common::run(&["check", "page.html", "vendor/lib.html"], p);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "note: vendor/lib.html is excluded by the config's or --exclude's globs: not scanned"
        ),
        "{err}"
    );
    let out = common::run(&["check", "clean.html", "vendor/lib.html"], p);
    assert_eq!(out.status.code(), Some(0));

    // Every named file excluded on purpose: nothing to do, exit 0.
    let out = common::run(&["check", "vendor/lib.html"], p);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("vendor/lib.html is excluded"));
    // A directory with nothing to scan is still an error.
    std::fs::create_dir(p.join("empty")).unwrap();
    let out = common::run(&["check", "empty", "vendor/lib.html"], p);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn config_is_found_up_to_the_repository_root_only_and_every_report_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    // A config in a parent directory that is no repository: not ours.
    std::fs::write(
        p.join("tracklint.toml"),
        "[rules]\ntracker-script = \"off\"\n",
    )
    .unwrap();
    let site = p.join("site");
    std::fs::create_dir(&site).unwrap();
    std::fs::write(
        site.join("index.html"),
        "<script src=\"https://static.hotjar.com/c/hotjar-1.js\"></script>\n",
    )
    .unwrap();
    let summary = |out: &std::process::Output| {
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .last()
            .unwrap_or_default()
            .to_string()
    };
    let out = run(&["check", "."], &site);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        summary(&out).ends_with("; no config file"),
        "{}",
        summary(&out)
    );
    let (code, doc) = check_json(&["."], &site);
    assert_eq!(code, 1);
    assert_eq!(doc.config, None);
    assert_eq!(doc.tool_version, env!("CARGO_PKG_VERSION"));
    assert_eq!((doc.config_digest.len(), doc.files_digest.len()), (16, 16));
    assert_eq!(doc.shard, None);
    let out = run(&["check", ".", "--format", "sarif"], &site);
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        sarif["runs"][0]["properties"]["config"],
        serde_json::Value::Null
    );

    // Named with --config, it is used and named.
    let out = run(&["check", ".", "--config", "../tracklint.toml"], &site);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        summary(&out).ends_with("; config ../tracklint.toml"),
        "{}",
        summary(&out)
    );
    let out = run(
        &[
            "check",
            ".",
            "--config",
            "../tracklint.toml",
            "--format",
            "sarif",
        ],
        &site,
    );
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        sarif["runs"][0]["properties"]["config"],
        "../tracklint.toml"
    );

    // Inside a repository, discovery walks up to its root.
    std::fs::create_dir(p.join(".git")).unwrap();
    let (code, doc) = check_json(&["."], &site);
    assert_eq!(code, 0);
    assert_eq!(doc.config.as_deref(), Some("../tracklint.toml"));
}

/// A page whose only traces of Google and Meta are resource hints (issue
/// 13): `www.google.com` is claimed by Google Ads and Google Analytics by
/// path only, `connect.facebook.net` wholly by the Meta Pixel.
const HINTS_ONLY: &str = "<!DOCTYPE html>\n<title>Riverside Family Clinic</title>\n<link rel=\"preconnect\" href=\"https://www.google.com\">\n<link rel=\"dns-prefetch\" href=\"//connect.facebook.net\">\n";

/// `site/index.html` holding `page`, in a new temporary directory.
fn one_page_site(page: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("site")).unwrap();
    std::fs::write(dir.path().join("site/index.html"), page).unwrap();
    dir
}

/// (rule, severity, vendor, owner) of each reported finding.
fn hint_rows(doc: &Doc) -> Vec<(&str, &str, Option<&str>, Option<&str>)> {
    doc.findings
        .iter()
        .map(|f| {
            (
                f.rule.as_str(),
                f.severity.as_str(),
                f.vendor.as_deref(),
                f.owner.as_deref(),
            )
        })
        .collect()
}

#[test]
fn resource_hints_alone_are_warnings_naming_the_owner_and_no_vendor_is_present() {
    let dir = one_page_site(HINTS_ONLY);
    let (code, doc) = check_json(&["site"], dir.path());
    // Warnings do not fail the run by default; Meta signs no BAA, and the
    // hint is not raised for it.
    assert_eq!(code, 0);
    assert_eq!(
        hint_rows(&doc),
        [
            ("tracker-preconnect", "warning", None, Some("Google")),
            (
                "tracker-preconnect",
                "warning",
                Some("meta-pixel"),
                Some("Meta")
            ),
        ]
    );
    assert_eq!(
        doc.findings[0].message,
        "opens an early connection to Google host www.google.com"
    );
    assert_eq!((doc.summary.errors, doc.summary.warnings), (0, 2));
    let (code, _) = check_json(&["site", "--fail-on", "warning"], dir.path());
    assert_eq!(code, 1);

    // The Markdown summary counts 0 vendors: no vendors table, and the
    // page's Vendors cell is empty; the findings are listed.
    let md = run(&["check", "site", "--format", "markdown"], dir.path());
    assert_run(
        "cli-hints-only-markdown",
        "cd [TMP] && tracklint check site --format markdown  # a preconnect to www.google.com, a dns-prefetch to connect.facebook.net",
        &md,
        &[dir.path()],
    );

    // The audit report: no vendor row, no vendor column in the matrix.
    let out = dir.path().join("report.html");
    let r = run(
        &["report", "site", "--html", out.to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(r.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&r.stderr).ends_with("on 1 page from 0 vendors\n"),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("<tr><td colspan=\"7\">No vendors found.</td></tr>"));
    assert!(html.contains("<thead><tr><th>Page</th><th>All</th></tr></thead>"));
    assert!(html.contains("<th scope=\"row\">Vendors (and other third parties)</th><td>0</td>"));
    // Both hints are still findings, each on its card.
    assert!(html.contains("<code>tracker-preconnect</code> Google</h3>"));
    assert!(html.contains("<code>tracker-preconnect</code> Meta Pixel "));
}

#[test]
fn a_hint_beside_the_vendors_own_tag_keeps_the_vendor_present() {
    let page = format!(
        "{HINTS_ONLY}<script async src=\"https://connect.facebook.net/en_US/fbevents.js\"></script>\n<img src=\"https://www.google.com/pagead/1p-conversion/123/?label=x\">\n"
    );
    let dir = one_page_site(&page);
    let (code, doc) = check_json(&["site"], dir.path());
    assert_eq!(code, 1);
    assert_eq!(
        hint_rows(&doc),
        [
            ("tracker-preconnect", "warning", None, Some("Google")),
            (
                "tracker-preconnect",
                "warning",
                Some("meta-pixel"),
                Some("Meta")
            ),
            ("tracker-script", "error", Some("meta-pixel"), None),
            ("tracker-pixel", "error", Some("google-ads"), None),
        ]
    );
    // Each vendor is present through its own tag, counted once.
    let md = run(&["check", "site", "--format", "markdown"], dir.path());
    assert_run(
        "cli-hints-and-tags-markdown",
        "cd [TMP] && tracklint check site --format markdown  # the two hints, the Meta Pixel's script and a Google Ads pixel",
        &md,
        &[dir.path()],
    );
    let out = dir.path().join("report.html");
    let r = run(
        &["report", "site", "--html", out.to_str().unwrap()],
        dir.path(),
    );
    assert!(
        String::from_utf8_lossy(&r.stderr).ends_with("on 1 page from 2 vendors\n"),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("<td><code>meta-pixel</code></td>"));
    assert!(html.contains("<td><code>google-ads</code></td>"));
}

#[test]
fn hints_are_not_raised_on_sensitive_pages_but_rule_levels_apply() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("site/portal")).unwrap();
    std::fs::write(dir.path().join("site/portal/index.html"), HINTS_ONLY).unwrap();
    let sensitive = "[sensitive]\npaths = [\"**/portal/**\"]\n";
    write_config(dir.path(), sensitive);
    let (code, doc) = check_json(&["site"], dir.path());
    assert_eq!(code, 0);
    let severities: Vec<&str> = doc.findings.iter().map(|f| f.severity.as_str()).collect();
    assert_eq!(severities, ["warning", "warning"]);
    assert_eq!(doc.sensitive, ["site/portal/index.html"]);
    assert!(!doc.findings[0].message.contains("sensitive page"));

    // A level set in [rules] is the level, whatever the vendor or page.
    for (level, expected, exit) in [
        ("error", &["error", "error"][..], 1),
        ("info", &["info", "info"][..], 0),
        ("off", &[][..], 0),
    ] {
        write_config(
            dir.path(),
            &format!("{sensitive}\n[rules]\ntracker-preconnect = \"{level}\"\n"),
        );
        let (code, doc) = check_json(&["site"], dir.path());
        let severities: Vec<&str> = doc.findings.iter().map(|f| f.severity.as_str()).collect();
        assert_eq!((severities.as_slice(), code), (expected, exit), "{level}");
    }
}
