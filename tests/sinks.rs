//! Every way a page makes the browser fetch (issue 12): each sink in
//! `testdata/sinks/fetching-sinks.html` is reported at the exact value
//! that fetches, by the rule for its kind of request. The positions were
//! counted by hand from the fixture (see the comments).

mod common;

use common::run;

#[derive(serde::Deserialize)]
struct Doc {
    findings: Vec<F>,
}

#[derive(serde::Deserialize)]
struct F {
    rule: String,
    vendor: Option<String>,
    line: u64,
    column: u64,
    end_line: u64,
    end_column: u64,
}

#[test]
fn every_fetching_sink_is_reported_at_its_value() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = run(
        &[
            "check",
            "testdata/sinks/fetching-sinks.html",
            "--format",
            "json",
        ],
        root,
    );
    assert_eq!(out.status.code(), Some(1));
    let doc: Doc = serde_json::from_slice(&out.stdout).unwrap();
    let got: Vec<(u64, u64, u64, &str, &str)> = doc
        .findings
        .iter()
        .map(|f| {
            (
                f.line,
                f.column,
                f.end_column,
                f.rule.as_str(),
                f.vendor.as_deref().unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            // A relative script under a <base href> on a tracker host.
            (3, 14, 25, "tracker-script", "hotjar"),
            // <style>: @import and image-set().
            (4, 17, 55, "tracker-pixel", "google-analytics"),
            (4, 83, 115, "tracker-pixel", "meta-pixel"),
            // A stylesheet with backslashes after the scheme.
            (5, 30, 70, "tracker-pixel", "google-tag-manager"),
            // The background attribute, and an onpageshow handler.
            (6, 26, 52, "tracker-pixel", "meta-pixel"),
            (6, 66, 76, "tracker-snippet", "meta-pixel"),
            // Tabs in the scheme and host, a percent-encoded host, a C0
            // control before the URL.
            (7, 11, 65, "tracker-pixel", "meta-pixel"),
            (8, 11, 57, "tracker-pixel", "google-analytics"),
            (9, 11, 49, "tracker-pixel", "bing-uet"),
            // <iframe srcdoc>: the URL inside the attribute, exactly.
            (10, 38, 84, "tracker-script", "meta-pixel"),
            // javascript: and data: frames: the whole value.
            (11, 14, 76, "tracker-pixel", "google-analytics"),
            (12, 14, 120, "tracker-script", "hotjar"),
            // SVG <script href> and <image href>.
            (13, 20, 78, "tracker-script", "segment"),
            (13, 102, 134, "tracker-pixel", "meta-pixel"),
            // <meta http-equiv=refresh>.
            (14, 44, 76, "tracker-pixel", "meta-pixel"),
            // A form that posts to a tracker: a warning.
            (15, 15, 42, "tracker-form-action", "meta-pixel"),
            // ontoggle on <details open>.
            (16, 25, 38, "tracker-snippet", "google-analytics"),
        ]
    );
}

/// CSS escapes are decoded as the CSS tokenizer decodes them, and each
/// URL is reported at its source text, escapes included:
/// `testdata/sinks/css-escapes.html`, positions counted by hand.
#[test]
fn css_escapes_are_reported_at_their_source_text() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = run(
        &[
            "check",
            "testdata/sinks/css-escapes.html",
            "--format",
            "json",
        ],
        root,
    );
    assert_eq!(out.status.code(), Some(1));
    let doc: Doc = serde_json::from_slice(&out.stdout).unwrap();
    let got: Vec<(u64, u64, u64, u64, &str)> = doc
        .findings
        .iter()
        .map(|f| {
            (
                f.line,
                f.column,
                f.end_line,
                f.end_column,
                f.vendor.as_deref().unwrap_or("-"),
            )
        })
        .collect();
    assert!(doc.findings.iter().all(|f| f.rule == "tracker-pixel"));
    assert_eq!(
        got,
        [
            // `url("https://www\2e facebook\2e com/tr?id=1")`: the URL is
            // the 23rd to the 60th character.
            (4, 23, 4, 61, "meta-pixel"),
            // `u\72l(` is `url(`.
            (5, 24, 5, 56, "meta-pixel"),
            // `@\69mport` is `@import`, its string a URL with an escape.
            (6, 12, 6, 54, "hotjar"),
            // After a two-byte `é`: columns count characters.
            (7, 38, 7, 78, "meta-pixel"),
            // A line continuation: from line 8 to line 9.
            (8, 23, 9, 17, "meta-pixel"),
            // Line 10 is a comment and line 11 a bad URL: nothing.
            // A style attribute: `&quot;` quotes the URL.
            (13, 35, 13, 73, "meta-pixel"),
        ]
    );
}

#[test]
fn nesting_past_the_limit_is_an_error_not_a_pass() {
    let dir = tempfile::tempdir().unwrap();
    let mut page =
        String::from("<script src=\"https://static.hotjar.com/c/hotjar-1.js\"></script>");
    for _ in 0..20 {
        page = format!("<noscript>{page}</noscript>");
    }
    std::fs::write(dir.path().join("deep.html"), &page).unwrap();
    let out = run(&["check", "deep.html"], dir.path());
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("nested more than 16 deep"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Within the limit, the innermost script is found.
    let mut page =
        String::from("<script src=\"https://static.hotjar.com/c/hotjar-1.js\"></script>");
    for _ in 0..10 {
        page = format!("<noscript>{page}</noscript>");
    }
    std::fs::write(dir.path().join("deep.html"), &page).unwrap();
    let out = run(&["check", "deep.html", "--format", "json"], dir.path());
    assert_eq!(out.status.code(), Some(1));
}
