//! The gate's conventions: inline suppressions, baselines, `--fail-on`,
//! `--output`, and the CI formats (SARIF validated against the SARIF 2.1.0
//! schema, GitHub workflow commands, JUnit).

mod common;

use common::{assert_run, positions, run};

use std::path::{Path, PathBuf};

use serde_json::Value;

fn json(args: &[&str], cwd: &Path) -> (i32, Value) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let out = run(&all, cwd);
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    (out.status.code().unwrap(), v)
}

/// (line, column, rule, vendor) of a JSON list of findings.
fn rows(list: &Value) -> Vec<(u64, u64, String, Option<String>)> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["rule"].as_str().unwrap().to_string(),
                f["vendor"].as_str().map(str::to_string),
            )
        })
        .collect()
}

fn r(line: u64, col: u64, rule: &str, vendor: Option<&str>) -> (u64, u64, String, Option<String>) {
    (line, col, rule.to_string(), vendor.map(str::to_string))
}

const SUPPRESSED_PAGE: &str = "<!-- tracklint-ignore meta-pixel: proxied through our collector -->
<script src=\"https://connect.facebook.net/en_US/fbevents.js\"></script>
<script src=\"https://static.hotjar.com/c/hotjar-1.js\"></script> <!-- tracklint-ignore hotjar: replay off by contract -->
<!-- tracklint-ignore -->
<script src=\"https://www.googletagmanager.com/gtag/js?id=G-1\"></script>
<!-- tracklint-ignore tracker-pixel: removed in 2025 -->
<p>hi</p>
<!-- tracklint-ignore hotjr: typo -->
<p>Writing tracklint-ignore in prose is not a directive.</p>
";

const SUPPRESSED_JS: &str = "// tracklint-ignore tracker-snippet: test fixture, never deployed
fbq('init', '1');
fbq('track', 'x'); /* tracklint-ignore meta-pixel */
";

fn suppression_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("page.html"), SUPPRESSED_PAGE).unwrap();
    std::fs::write(dir.path().join("app.js"), SUPPRESSED_JS).unwrap();
    dir
}

#[test]
fn inline_suppressions_need_a_target_and_a_reason() {
    let dir = suppression_site();
    let (code, doc) = json(&["."], dir.path());
    assert_eq!(code, 1);
    let findings: Vec<(String, u64, u64, String)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let f = |file: &str, line, col, rule: &str| (file.to_string(), line, col, rule.to_string());
    assert_eq!(
        findings,
        vec![
            // A directive without a reason suppresses nothing and is an error.
            f("app.js", 3, 1, "tracker-snippet"),
            f("app.js", 3, 20, "suppression-without-reason"),
            f("page.html", 4, 1, "suppression-without-reason"),
            f("page.html", 5, 14, "tracker-script"),
            f("page.html", 6, 1, "unused-suppression"),
            f("page.html", 8, 1, "suppression-without-reason"),
        ]
    );
    // What each says: the directive that names no rule or vendor, the
    // one without a reason, `hotjr` named as no known rule or vendor.
    let out = run(&["check", "."], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert_run(
        "gate-suppressions-human",
        "cd [TMP] && tracklint check .  # page.html and app.js with tracklint-ignore comments",
        &out,
        &[dir.path()],
    );

    // Suppressed findings are listed with their reason for review.
    let suppressed: Vec<(String, u64, String)> = doc["suppressed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["file"].as_str().unwrap().to_string(),
                s["line"].as_u64().unwrap(),
                s["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        suppressed,
        vec![
            ("app.js".into(), 2, "test fixture, never deployed".into()),
            (
                "page.html".into(),
                2,
                "proxied through our collector".into()
            ),
            ("page.html".into(), 3, "replay off by contract".into()),
        ]
    );
    assert_eq!(doc["summary"]["suppressed"], 3);

    // Audits see everything.
    let (code, doc) = json(&[".", "--no-inline-ignores"], dir.path());
    assert_eq!(code, 1);
    let rules: Vec<String> = rows(&doc["findings"]).into_iter().map(|r| r.2).collect();
    assert_eq!(
        rules,
        [
            "tracker-snippet",
            "tracker-snippet",
            "tracker-script",
            "tracker-script",
            "tracker-script"
        ]
    );
    assert_eq!(doc["summary"]["suppressed"], 0);
}

#[test]
fn baseline_survives_edits_above_and_reports_new_and_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let page = "<h1>Legacy</h1>\n<script src=\"https://static.hotjar.com/c/hotjar-1.js\"></script>\n<script>fbq('init', '1');</script>\n";
    std::fs::write(p.join("index.html"), page).unwrap();
    let out = run(
        &["check", ".", "--write-baseline", "baseline.json", "--quiet"],
        p,
    );
    assert_eq!(out.status.code(), Some(0));
    let b: Value =
        serde_json::from_slice(&std::fs::read(p.join("baseline.json")).unwrap()).unwrap();
    assert_eq!(b["version"], 1);
    assert_eq!(b["findings"].as_array().unwrap().len(), 2);
    assert_eq!(
        b["findings"][0]["text"],
        "https://static.hotjar.com/c/hotjar-1.js"
    );

    // Lines added above: still baselined.
    std::fs::write(
        p.join("index.html"),
        format!("<!DOCTYPE html>\n<meta charset=utf-8>\n<title>x</title>\n\n{page}"),
    )
    .unwrap();
    let (code, doc) = json(&[".", "--baseline", "baseline.json"], p);
    assert_eq!(code, 0, "{doc}");
    assert_eq!(rows(&doc["findings"]), vec![]);
    assert_eq!(
        rows(&doc["baselined"]),
        vec![
            r(6, 14, "tracker-script", Some("hotjar")),
            r(7, 9, "tracker-snippet", Some("meta-pixel")),
        ]
    );

    // A new tracker fails; a removed one is reported as fixed.
    std::fs::write(
        p.join("index.html"),
        "<h1>Legacy</h1>\n<script src=\"https://static.hotjar.com/c/hotjar-1.js\"></script>\n<script src=\"https://cdn.segment.com/analytics.js/v1/k/analytics.min.js\"></script>\n",
    )
    .unwrap();
    let out = run(
        &[
            "check",
            "--format",
            "json",
            ".",
            "--baseline",
            "baseline.json",
        ],
        p,
    );
    assert_eq!(out.status.code(), Some(1));
    // The fixed entry is named on stderr too.
    assert_run(
        "gate-baseline-new-and-fixed",
        "cd [TMP] && tracklint check --format json . --baseline baseline.json  # Hotjar kept, the Meta Pixel snippet removed, Segment added",
        &out,
        &[p],
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        rows(&doc["findings"]),
        vec![r(3, 14, "tracker-script", Some("segment"))]
    );
    assert_eq!(doc["summary"]["baselined"], 1);
    assert_eq!(doc["summary"]["baseline"], true);
    assert_eq!(doc["fixed"][0]["rule"], "tracker-snippet");
    assert_eq!(doc["fixed"][0]["text"], "fbq('init'");

    // Identical findings are told apart by their order, not their line.
    std::fs::write(
        p.join("twice.html"),
        "<img src=\"https://www.facebook.com/tr?id=1\">\n<img src=\"https://www.facebook.com/tr?id=1\">\n",
    )
    .unwrap();
    run(
        &["check", "twice.html", "--write-baseline", "b2.json", "-q"],
        p,
    );
    std::fs::write(
        p.join("twice.html"),
        "<img src=\"https://www.facebook.com/tr?id=1\">\n",
    )
    .unwrap();
    let (code, doc) = json(&["twice.html", "--baseline", "b2.json"], p);
    assert_eq!((code, doc["summary"]["fixed"].as_u64()), (0, Some(1)));

    let out = run(&["check", ".", "--baseline", "missing.json"], p);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn fail_on_and_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(
        p.join("w.html"),
        "<script src=\"https://code.jquery.com/jquery.js\"></script>\n",
    )
    .unwrap();
    let code = |extra: &[&str]| {
        let mut args = vec!["check", "w.html", "-q"];
        args.extend_from_slice(extra);
        run(&args, p).status.code().unwrap()
    };
    assert_eq!(code(&[]), 0);
    assert_eq!(code(&["--fail-on", "warning"]), 1);
    std::fs::write(
        p.join("e.html"),
        "<script src=\"https://static.hotjar.com/c/h.js\"></script>\n",
    )
    .unwrap();
    let out = run(
        &[
            "check",
            "e.html",
            "--fail-on",
            "never",
            "--format",
            "json",
            "-o",
            "out/report.json",
        ],
        p,
    );
    // A missing directory is an error, and nothing half-written is left.
    assert_eq!(out.status.code(), Some(2));
    std::fs::create_dir(p.join("out")).unwrap();
    let out = run(
        &[
            "check",
            "e.html",
            "--fail-on",
            "never",
            "--format",
            "json",
            "-o",
            "out/report.json",
        ],
        p,
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let doc: Value =
        serde_json::from_slice(&std::fs::read(p.join("out/report.json")).unwrap()).unwrap();
    assert_eq!(doc["summary"]["errors"], 1);
    let leftovers: Vec<_> = std::fs::read_dir(p.join("out")).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "temporary files left behind");
}

#[test]
fn github_annotations_are_escaped_and_drop_columns_across_lines() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(
        p.join("a,b.html"),
        "<script src=\"https://static.hotjar.com/c/h.js\"></script>\n<script>var u = 'https://api.segment.io/v1/t';</script>\n",
    )
    .unwrap();
    let out = run(&["check", "a,b.html", "--format", "github"], p);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            "::error file=a%2Cb.html,line=1,col=14,endLine=1,endColumn=46,title=tracklint tracker-script (Hotjar)::loads Hotjar from static.hotjar.com/c/h.js",
            "::error file=a%2Cb.html,line=2,col=18,endLine=2,endColumn=45,title=tracklint tracker-snippet (Segment)::code references Segment endpoint api.segment.io/v1/t",
        ]
    );
    // A span across lines (an attribute value with a line break, which
    // browsers strip from URLs) has no columns.
    std::fs::write(
        p.join("m.html"),
        "<img src=\"https://www.facebook.com/tr?id=1\n&ev=PageView\">\n<iframe src=\"https://www.youtube.com/embed/x\"></iframe>\n",
    )
    .unwrap();
    let out = run(&["check", "m.html", "--format", "github"], p);
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            "::error file=m.html,line=1,endLine=2,title=tracklint tracker-pixel (Meta Pixel)::Meta Pixel tracking pixel sends data to www.facebook.com/tr",
            "::warning file=m.html,line=3,col=14,endLine=3,endColumn=45,title=tracklint third-party-embed::frame embedded from third-party host www.youtube.com (YouTube — video)",
        ]
    );
}

#[test]
fn junit_has_a_case_per_file_and_a_failure_per_failing_finding() {
    let dir = suppression_site();
    std::fs::write(dir.path().join("clean.html"), "<p>&amp; ok</p>").unwrap();
    let out = run(&["check", ".", "--format", "junit"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    // 3 test cases (clean.html passes), 5 failures; the warning goes to
    // system-out; everything XML-escaped.
    assert_run(
        "gate-junit",
        "cd [TMP] && tracklint check . --format junit  # page.html and app.js with tracklint-ignore comments, clean.html",
        &out,
        &[dir.path()],
    );
    let xml = String::from_utf8(out.stdout).unwrap();
    assert_eq!(xml.matches("<failure ").count(), 5);
}

/// The SARIF 2.1.0 schema, committed in `testdata/schemas/` (from the npm
/// package `@microsoft/jest-sarif`; see the README there).
fn sarif_schema() -> Value {
    let schema =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/schemas/sarif-2.1.0-rtm.5.json");
    let mut schema: Value = serde_json::from_slice(&std::fs::read(schema).unwrap()).unwrap();
    // The published rtm.5 schema has a stray `]` in run.language's pattern,
    // which a strict validator rejects as a regex; SARIF 2.1.0 errata 01
    // corrects it to this.
    fn fix(v: &mut Value, fixed: &mut usize) {
        match v {
            Value::String(s) if s == "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$" => {
                *s = "^[a-zA-Z]{2}$|^[a-zA-Z]{2}-[a-zA-Z]{2}$".into();
                *fixed += 1;
            }
            Value::Array(a) => a.iter_mut().for_each(|x| fix(x, fixed)),
            Value::Object(o) => o.values_mut().for_each(|x| fix(x, fixed)),
            _ => {}
        }
    }
    let mut fixed = 0;
    fix(&mut schema, &mut fixed);
    assert!(
        fixed > 0,
        "the schema no longer has the erratum: drop this fix"
    );
    schema
}

#[test]
fn sarif_is_valid_2_1_0_with_rules_fingerprints_and_suppressions() {
    let dir = suppression_site();
    let sub = dir.path().join("site");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(
        sub.join("with space.html"),
        "<img src=\"https://www.facebook.com/tr?id=1\">\n",
    )
    .unwrap();
    let out = run(&["check", ".", "--format", "sarif"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();

    let validator = jsonschema::validator_for(&sarif_schema()).unwrap();
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    // So is the demo site's (pinned in tests/snapshots/check-sarif.snap).
    let demo = run(
        &["check", "testdata/demo-site", "--format", "sarif"],
        Path::new(env!("CARGO_MANIFEST_DIR")),
    );
    let demo: Value = serde_json::from_slice(&demo.stdout).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&demo)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    // The validator does reject a broken log.
    let mut broken = doc.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("loud");
    assert!(!validator.is_valid(&broken));

    let run0 = &doc["runs"][0];
    let rules: Vec<&str> = run0["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        [
            "tracker-script",
            "tracker-pixel",
            "tracker-snippet",
            "suppression-without-reason",
            "unused-suppression"
        ]
    );
    for rule in run0["tool"]["driver"]["rules"].as_array().unwrap() {
        for key in ["shortDescription", "fullDescription", "help"] {
            assert!(!rule[key]["text"].as_str().unwrap().is_empty());
        }
        assert!(rule["helpUri"].as_str().unwrap().starts_with("https://"));
    }
    let results = run0["results"].as_array().unwrap();
    // 7 reported + 3 suppressed inline.
    assert_eq!(results.len(), 10);
    let pixel = results
        .iter()
        .find(|r| r["ruleId"] == "tracker-pixel")
        .unwrap();
    let loc = &pixel["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "site/with%20space.html");
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(loc["region"]["startLine"], 1);
    assert_eq!(loc["region"]["startColumn"], 11);
    assert_eq!(loc["region"]["endColumn"], 43);
    assert_eq!(pixel["level"], "error");
    assert!(
        pixel["partialFingerprints"]["tracklint/v1"]
            .as_str()
            .unwrap()
            .len()
            == 16
    );
    let suppressed: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 3);
    assert_eq!(suppressed[0]["suppressions"][0]["kind"], "inSource");
    assert_eq!(
        suppressed[0]["suppressions"][0]["justification"],
        "test fixture, never deployed"
    );
}

#[test]
fn shards_merge_into_the_unsharded_result() {
    let dir = suppression_site();
    let p = dir.path();
    for (name, text) in [
        (
            "a.html",
            "<script src=\"https://static.hotjar.com/c/h.js\"></script>\n",
        ),
        ("b.html", "<img src=\"https://www.facebook.com/tr?id=1\">\n"),
        ("c.js", "analytics.load('k');\n"),
        ("d.html", "<p>clean</p>\n"),
        (
            "e.html",
            "<iframe src=\"https://www.youtube.com/embed/x\"></iframe>\n",
        ),
    ] {
        std::fs::write(p.join(name), text).unwrap();
    }
    let whole = |format: &str| {
        let out = run(&["check", ".", "--format", format, "-j", "1"], p);
        String::from_utf8(out.stdout).unwrap()
    };
    let mut shard_files = Vec::new();
    let mut seen_files: Vec<String> = Vec::new();
    let mut scanned = 0;
    for k in 1..=3 {
        let name = format!("shard-{k}.json");
        let out = run(
            &[
                "check",
                ".",
                "--format",
                "json",
                "--shard",
                &format!("{k}/3"),
                "-o",
                &name,
            ],
            p,
        );
        assert!(matches!(out.status.code(), Some(0 | 1)));
        let doc: Value = serde_json::from_slice(&std::fs::read(p.join(&name)).unwrap()).unwrap();
        scanned += doc["summary"]["files_scanned"].as_u64().unwrap();
        let mut files: Vec<String> = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["file"].as_str().unwrap().to_string())
            .collect();
        files.dedup();
        seen_files.extend(files);
        shard_files.push(name);
    }
    // Each file lands in exactly one shard.
    assert_eq!(scanned, 7);
    let total = seen_files.len();
    seen_files.sort();
    seen_files.dedup();
    assert_eq!(seen_files.len(), total, "a file was scanned by two shards");
    let merged = |format: &str| {
        let mut args = vec!["merge", "--format", format];
        args.extend(shard_files.iter().map(String::as_str));
        let out = run(&args, p);
        (out.status.code(), String::from_utf8(out.stdout).unwrap())
    };
    let (code, json) = merged("json");
    assert_eq!(code, Some(1));
    assert_eq!(json, whole("json"));
    assert_eq!(merged("sarif").1, whole("sarif"));
    assert_eq!(merged("github").1, whole("github"));
    // Human output differs only in the summary's timing.
    let strip = |s: String| {
        s.lines()
            .filter(|l| !l.starts_with("tracklint: "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(merged("human").1), strip(whole("human")));

    // Bad shard specs are usage errors.
    for bad in ["0/3", "4/3", "x", "1/0"] {
        assert_eq!(
            run(&["check", ".", "--shard", bad], p).status.code(),
            Some(2),
            "{bad}"
        );
    }
    assert_eq!(run(&["merge", "nope.json"], p).status.code(), Some(2));

    // Each shard records what it covers, and merge refuses what does not fit.
    let doc: Value =
        serde_json::from_slice(&std::fs::read(p.join("shard-2.json")).unwrap()).unwrap();
    assert_eq!(doc["shard"], serde_json::json!({"index": 2, "count": 3}));
    assert_eq!(doc["tool_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(doc["config"], Value::Null);
    let refused = |reports: &[&str], needle: &str| {
        let mut args = vec!["merge"];
        args.extend(reports);
        let out = run(&args, p);
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(2), "{reports:?}: {err}");
        assert!(err.contains(needle), "{reports:?}: {err}");
        assert!(out.stdout.is_empty(), "{reports:?}");
    };
    refused(&["shard-1.json", "shard-2.json"], "shard 3/3 missing");
    refused(
        &[
            "shard-1.json",
            "shard-2.json",
            "shard-2.json",
            "shard-3.json",
        ],
        "shard-2.json and shard-2.json are both shard 2/3",
    );
    let write = |name: &str, doc: &Value| {
        std::fs::write(p.join(name), serde_json::to_string(doc).unwrap()).unwrap();
    };
    let mut other = doc.clone();
    other["shard"]["count"] = 4.into();
    write("four.json", &other);
    refused(
        &["shard-1.json", "four.json", "shard-3.json"],
        "four.json is shard 2/4, but shard-1.json is one of 3",
    );
    let mut other = doc.clone();
    other["config_digest"] = "0000000000000000".into();
    write("config.json", &other);
    refused(
        &["shard-1.json", "config.json", "shard-3.json"],
        "config.json was checked with a different config than shard-1.json",
    );
    let mut other = doc.clone();
    other["tool_version"] = "0.0.1".into();
    write("old.json", &other);
    refused(
        &["shard-1.json", "old.json", "shard-3.json"],
        "old.json was written by tracklint 0.0.1",
    );
    let mut other = doc.clone();
    other.as_object_mut().unwrap().remove("files_digest");
    write("older.json", &other);
    refused(
        &["shard-1.json", "older.json", "shard-3.json"],
        "older.json does not say which tracklint, config and files it covers",
    );
    // A shard of a run over other files (one more page) does not fit.
    std::fs::write(p.join("f.html"), "<p>new</p>\n").unwrap();
    let out = run(
        &[
            "check",
            ".",
            "--format",
            "json",
            "--shard",
            "2/3",
            "-o",
            "later.json",
        ],
        p,
    );
    assert!(matches!(out.status.code(), Some(0 | 1)));
    refused(
        &["shard-1.json", "later.json", "shard-3.json"],
        "later.json was checked over a different list of files than shard-1.json",
    );
    // With other flags, other findings: a different config.
    let out = run(
        &[
            "check",
            ".",
            "--format",
            "json",
            "--shard",
            "3/3",
            "--exclude",
            "f.html",
            "-o",
            "flags.json",
        ],
        p,
    );
    assert!(matches!(out.status.code(), Some(0 | 1)));
    refused(
        &["shard-1.json", "shard-2.json", "flags.json"],
        "flags.json was checked with a different config",
    );
    // Two unsharded reports are the same files twice.
    let out = run(&["check", ".", "--format", "json", "-o", "all.json"], p);
    assert!(matches!(out.status.code(), Some(0 | 1)));
    refused(&["all.json", "all.json"], "are both shard 1/1");
    assert_eq!(run(&["merge", "all.json"], p).status.code(), Some(1));
}

/// Source maps built by a real bundler (esbuild 0.24.2, `--bundle --minify
/// --sourcemap` and `--sourcemap=inline`): findings carry their original
/// location; a broken map degrades to the built one with a note.
#[test]
fn source_maps_point_at_the_original_source() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/sourcemaps");
    let out = run(&["check", "dist", "--format", "json"], &dir);
    assert_eq!(out.status.code(), Some(1));
    // The origins, and the note on the map that cannot be read.
    assert_run(
        "sourcemaps-json",
        "cd testdata/sourcemaps && tracklint check dist --format json",
        &out,
        &[],
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let got: Vec<(String, u64, u64, Value)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["origin"].clone(),
            )
        })
        .collect();
    let origin = serde_json::json!({
        "file": "src/analytics.ts", "line": 6, "column": 25,
        "text": "  navigator.sendBeacon(\"https://api.segment.io/v1/t\", body);",
        "via": "source-map"
    });
    assert_eq!(
        got,
        vec![
            ("dist/app.js".into(), 1, 85, origin.clone()),
            ("dist/broken.js".into(), 1, 85, Value::Null),
            ("dist/inline.js".into(), 1, 85, origin),
        ]
    );
    // "Originates in src/analytics.ts:6:25", and the original line from
    // sourcesContent, labelled.
    let out = run(&["check", "dist/app.js"], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert_run(
        "sourcemaps-app-human",
        "cd testdata/sourcemaps && tracklint check dist/app.js",
        &out,
        &[],
    );

    // SARIF shows the alert on the committed source, the bundle as related.
    let out = run(&["check", "dist/app.js", "--format", "sarif"], &dir);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let result = &doc["runs"][0]["results"][0];
    let loc = &result["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "testdata/sourcemaps/src/analytics.ts"
    );
    assert_eq!(loc["region"]["startLine"], 6);
    assert_eq!(loc["region"]["startColumn"], 25);
    assert_eq!(
        result["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "testdata/sourcemaps/dist/app.js"
    );
    let validator = jsonschema::validator_for(&sarif_schema()).unwrap();
    assert!(validator.is_valid(&doc));
}

/// A map's `sources` resolve only inside the project: `/etc/passwd` or
/// `../../x` beyond it is a note on the finding, never an origin.
#[test]
fn source_maps_cannot_point_outside_the_project() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/sourcemaps/dist");
    let map: Value =
        serde_json::from_slice(&std::fs::read(src.join("app.js.map")).unwrap()).unwrap();
    for outside in ["/etc/passwd", "../../../x.ts"] {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("project");
        std::fs::create_dir_all(p.join("dist")).unwrap();
        std::fs::copy(src.join("app.js"), p.join("dist/app.js")).unwrap();
        let mut map = map.clone();
        map["sources"] = serde_json::json!([outside, outside]);
        std::fs::write(p.join("dist/app.js.map"), map.to_string()).unwrap();
        let out = run(&["check", "dist", "--format", "json"], &p);
        assert_eq!(out.status.code(), Some(1), "{outside}");
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        let f = &doc["findings"][0];
        assert_eq!(f["origin"], Value::Null, "{outside}");
        assert!(
            f["origin_note"]
                .as_str()
                .is_some_and(|n| n.contains("outside the project")),
            "{outside}: {f}"
        );
        for format in ["github", "sarif"] {
            let out = run(&["check", "dist", "--format", format], &p);
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(!text.contains("passwd") || format == "sarif", "{text}");
            assert!(
                !text.contains("file=/etc") && !text.contains("x.ts,"),
                "{text}"
            );
        }
    }
}

/// Template origins in SARIF: the alert sits on the first template line,
/// the built page and any other template are related locations.
#[test]
fn sarif_puts_template_origins_first() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/eleventy-site");
    let out = run(
        &["check", "_site/campaign/index.html", "--format", "sarif"],
        &dir,
    );
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let result = &doc["runs"][0]["results"][0];
    let uri = |v: &Value| v["physicalLocation"]["artifactLocation"]["uri"].clone();
    let loc = &result["locations"][0];
    assert_eq!(
        uri(loc),
        "testdata/eleventy-site/src/_includes/analytics.njk"
    );
    assert_eq!(loc["physicalLocation"]["region"]["startLine"], 1);
    assert_eq!(loc["physicalLocation"]["region"]["startColumn"], 20);
    let related = result["relatedLocations"].as_array().unwrap();
    assert_eq!(
        related.iter().map(uri).collect::<Vec<_>>(),
        vec![
            "testdata/eleventy-site/_site/campaign/index.html",
            "testdata/eleventy-site/src/_includes/layouts/campaign.njk"
        ]
    );
    let validator = jsonschema::validator_for(&sarif_schema()).unwrap();
    assert!(validator.is_valid(&doc));
}

/// GitHub annotations land on the committed template, naming the built page.
#[test]
fn github_annotations_point_at_the_template() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/eleventy-site");
    let out = run(
        &[
            "check",
            "_site/appointments/index.html",
            "--format",
            "github",
        ],
        &dir,
    );
    assert_eq!(out.status.code(), Some(1));
    // The pixel's annotation is on src/_includes/pixel.njk:2:63 "(built
    // into _site/appointments/index.html:21:63)"; no template holds the
    // widget's URL, so its annotation stays on the page.
    assert_run(
        "eleventy-site-github",
        "cd testdata/eleventy-site && tracklint check _site/appointments/index.html --format github",
        &out,
        &[],
    );
}

#[test]
fn a_marker_outside_a_real_comment_suppresses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let hotjar = "<script src=\"https://static.hotjar.com/c/hotjar-1.js\"></script>";
    let page = format!(
        "<div title=\"<!-- tracklint-ignore hotjar: in an attribute -->\"></div>\n{hotjar}\n\
         <p>see // tracklint-ignore hotjar: prose</p>\n{hotjar}\n\
         <script>var s = \"// tracklint-ignore hotjar: a string\";</script>\n{hotjar}\n\
         <a href=\"https://e.example/<!-- tracklint-ignore hotjar: url -->\">x</a>\n{hotjar}\n\
         <!-- tracklint-ignore hotjar: a real comment -->\n{hotjar}\n"
    );
    std::fs::write(p.join("page.html"), page).unwrap();
    std::fs::write(
        p.join("app.js"),
        "var s = '/* tracklint-ignore hotjar: a string */';\n\
         var u = 'https://static.hotjar.com/c/hotjar-1.js';\n",
    )
    .unwrap();
    let (code, doc) = json(&["."], p);
    assert_eq!(code, 1);
    let reported: Vec<(String, u64)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        reported,
        [
            ("app.js".to_string(), 2),
            ("page.html".to_string(), 2),
            ("page.html".to_string(), 4),
            ("page.html".to_string(), 6),
            ("page.html".to_string(), 8),
        ]
    );
    assert_eq!(
        positions(&doc["suppressed"]),
        [(10, 14, "tracker-script".to_string())]
    );
}

#[test]
fn one_directive_covers_one_finding_and_one_baseline_entry_one_occurrence() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let hotjar = "<script src=\"https://static.hotjar.com/c/hotjar-1.js\"></script>";
    // Two identical findings on the line after one directive.
    std::fs::write(
        p.join("page.html"),
        format!("<!-- tracklint-ignore hotjar: one of them -->\n{hotjar}{hotjar}\n"),
    )
    .unwrap();
    let (code, doc) = json(&["."], p);
    assert_eq!(code, 1);
    assert_eq!(
        positions(&doc["suppressed"]),
        [(2, 14, "tracker-script".to_string())]
    );
    assert_eq!(
        positions(&doc["findings"]),
        [(2, 77, "tracker-script".to_string())]
    );
    let (a, b) = (
        doc["suppressed"][0]["fingerprint"].as_str().unwrap(),
        doc["findings"][0]["fingerprint"].as_str().unwrap(),
    );
    assert_ne!(a, b);
    // A second directive covers the second.
    std::fs::write(
        p.join("page.html"),
        format!(
            "<!-- tracklint-ignore hotjar: one of them -->\n{hotjar}{hotjar} <!-- tracklint-ignore hotjar: the other -->\n"
        ),
    )
    .unwrap();
    let (code, doc) = json(&["."], p);
    assert_eq!(code, 0);
    assert_eq!(doc["suppressed"].as_array().unwrap().len(), 2);

    // A baseline of one occurrence does not accept a second one.
    std::fs::write(p.join("page.html"), format!("{hotjar}\n")).unwrap();
    assert_eq!(
        run(&["check", ".", "--write-baseline", "base.json"], p)
            .status
            .code(),
        Some(0)
    );
    std::fs::write(p.join("page.html"), format!("{hotjar}{hotjar}\n")).unwrap();
    let (code, doc) = json(&[".", "--baseline", "base.json"], p);
    assert_eq!(code, 1);
    assert_eq!(
        positions(&doc["baselined"]),
        [(1, 14, "tracker-script".to_string())]
    );
    assert_eq!(
        positions(&doc["findings"]),
        [(1, 77, "tracker-script".to_string())]
    );
}

#[test]
fn comments_in_code_are_not_findings_and_code_after_them_is() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    // Line 1: a comment; line 2: a regular expression holding `//`, then
    // real code; line 3: a block comment then real code; line 4: a
    // division, then a comment.
    std::fs::write(
        p.join("app.js"),
        "// https://connect.facebook.net/en_US/fbevents.js\n\
         var re = /https?:\\/\\//; fbq('init', '1');\n\
         /* https://static.hotjar.com/c/hotjar-1.js */ s.src = 'https://static.hotjar.com/c/hotjar-1.js';\n\
         var half = a / 2; // fbq('init', '2')\n",
    )
    .unwrap();
    std::fs::write(
        p.join("page.html"),
        "<script>\n/* fbq('init', '1') */ // https://static.hotjar.com/c/hotjar-1.js\n\
         fbq('track', 'PageView');\n</script>\n",
    )
    .unwrap();
    let (code, doc) = json(&["."], p);
    assert_eq!(code, 1);
    let found: Vec<(String, u64, u64)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect();
    // Columns counted from the text above: `fbq(` at 25 of line 2, the
    // quoted URL's `h` at 56 of line 3, `fbq('track'` at 1 of line 3.
    assert_eq!(
        found,
        [
            ("app.js".to_string(), 2, 25),
            ("app.js".to_string(), 3, 56),
            ("page.html".to_string(), 3, 1),
        ]
    );
}
