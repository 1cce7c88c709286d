//! Bounded resources (issue 12, class 7): one page with 20,000 tracking
//! pixels completes in every format and every occurrence is counted.
//! `benches/pixels.py` makes the 200,000-pixel page of BENCHMARKS.md; this
//! is its debug-build, no-timing counterpart.

mod common;

use common::run;

const PIXELS: usize = 20_000;

/// A page of `PIXELS` tracking pixels, one to a line, each with its own id.
fn page(dir: &std::path::Path) {
    let mut html = String::from("<!doctype html><html><head><title>pixels</title></head><body>\n");
    for i in 0..PIXELS {
        html.push_str(&format!(
            "<img src=\"https://www.facebook.com/tr?id={i}\">\n"
        ));
    }
    html.push_str("</body></html>\n");
    std::fs::write(dir.join("page.html"), html).unwrap();
}

#[test]
fn every_pixel_is_counted_in_json_and_sarif() {
    let tmp = tempfile::tempdir().unwrap();
    page(tmp.path());

    // JSON on stdout, and the same bytes through --output.
    let out = run(&["check", "page.html", "--format", "json"], tmp.path());
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["findings"].as_array().unwrap().len(), PIXELS);
    assert_eq!(doc["summary"]["findings"], PIXELS);
    assert_eq!(doc["summary"]["errors"], PIXELS);
    let written = run(
        &["check", "page.html", "--format", "json", "-o", "out.json"],
        tmp.path(),
    );
    assert_eq!(written.status.code(), Some(1));
    assert!(written.stdout.is_empty());
    assert_eq!(
        std::fs::read(tmp.path().join("out.json")).unwrap(),
        out.stdout
    );

    // SARIF through --output.
    let out = run(
        &["check", "page.html", "--format", "sarif", "-o", "out.sarif"],
        tmp.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sarif: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("out.sarif")).unwrap()).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), PIXELS);
    assert!(results.iter().all(|r| r["ruleId"] == "tracker-pixel"));
    let last = &results[PIXELS - 1]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(last["startLine"], PIXELS as u64 + 1);
}

#[test]
fn every_pixel_is_counted_in_the_text_formats() {
    let tmp = tempfile::tempdir().unwrap();
    page(tmp.path());
    let text = |format: &str| {
        let out = run(&["check", "page.html", "--format", format], tmp.path());
        assert_eq!(out.status.code(), Some(1), "{format}");
        String::from_utf8(out.stdout).unwrap()
    };
    let human = text("human");
    assert_eq!(human.matches("tracker-pixel").count(), PIXELS);
    assert!(human.ends_with(&format!("{PIXELS} errors, 0 warnings; no config file\n")));
    let github = text("github");
    assert_eq!(
        github.lines().filter(|l| l.starts_with("::error ")).count(),
        PIXELS
    );
    let junit = text("junit");
    assert_eq!(junit.matches("<failure").count(), PIXELS);
}
