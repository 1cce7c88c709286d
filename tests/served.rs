//! Files that are served (issue 12, class 4): precompressed files, data
//! files frameworks render into pages, symbolic links in reports.

mod common;

use std::io::Write;
use std::path::Path;

/// A finding as the tests compare it: file, rule, vendor, line, column.
type Found = (String, String, String, u64, u64);

/// `(file, rule, vendor, line, column)` of every finding of
/// `tracklint check <dir> --format json` run in `cwd`, and the exit code.
fn findings(cwd: &Path, args: &[&str]) -> (i32, Vec<Found>, String) {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let out = common::run(&all, cwd);
    let code = out.status.code().expect("exit code");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let Ok(doc) = serde_json::from_slice::<serde_json::Value>(&out.stdout) else {
        return (code, Vec::new(), stderr);
    };
    let list = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
                f["vendor"].as_str().unwrap_or("").to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect();
    (code, list, stderr)
}

fn f(file: &str, rule: &str, vendor: &str, line: u64, column: u64) -> Found {
    (file.into(), rule.into(), vendor.into(), line, column)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
        w.write_all(bytes).unwrap();
    }
    out
}

fn zstd(bytes: &[u8]) -> Vec<u8> {
    ruzstd::encoding::compress_to_vec(bytes, ruzstd::encoding::CompressionLevel::Fastest)
}

const PAGE: &str = "<!DOCTYPE html>\n<title>t</title>\n<script src=\"https://www.google-analytics.com/analytics.js\"></script>\n";
const CODE: &str = "// app\nnew Image().src = \"https://www.facebook.com/tr?id=1\";\n";

#[test]
fn precompressed_files_are_scanned_as_the_file_they_are_served_as() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    std::fs::create_dir(&site).unwrap();
    std::fs::write(site.join("page.html.gz"), gzip(PAGE.as_bytes())).unwrap();
    std::fs::write(site.join("app.js.br"), brotli(CODE.as_bytes())).unwrap();
    // Two concatenated zstd frames: the tracker is in the second.
    let mut two = zstd(b"// first frame\n");
    two.extend(zstd(CODE.as_bytes()));
    std::fs::write(site.join("app.mjs.zst"), two).unwrap();
    // Not served as a page or code: not scanned.
    std::fs::write(site.join("data.csv.gz"), gzip(PAGE.as_bytes())).unwrap();
    let (code, list, stderr) = findings(tmp.path(), &["site"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        list,
        vec![
            f("site/app.js.br", "tracker-pixel", "meta-pixel", 2, 20),
            f("site/app.mjs.zst", "tracker-pixel", "meta-pixel", 3, 20),
            f(
                "site/page.html.gz",
                "tracker-script",
                "google-analytics",
                3,
                14
            ),
        ]
    );
}

#[test]
fn a_bad_compressed_stream_is_an_error_naming_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    std::fs::create_dir(&site).unwrap();
    std::fs::write(site.join("page.html"), PAGE).unwrap();
    std::fs::write(site.join("bad.html.gz"), b"<html>not gzip at all</html>").unwrap();
    let mut cut = brotli(CODE.repeat(50).as_bytes());
    cut.truncate(cut.len() / 2);
    std::fs::write(site.join("cut.js.br"), cut).unwrap();
    let mut cut = gzip(CODE.repeat(50).as_bytes());
    cut.truncate(cut.len() / 2);
    std::fs::write(site.join("cut.js.gz"), cut).unwrap();
    std::fs::write(site.join("bad.js.zst"), b"\x28\xB5\x2F\xFDgarbage").unwrap();
    let (code, list, stderr) = findings(tmp.path(), &["site"]);
    assert_eq!(code, 2, "{stderr}");
    // The other files are still scanned.
    assert_eq!(
        list,
        vec![f(
            "site/page.html",
            "tracker-script",
            "google-analytics",
            3,
            14
        )]
    );
    for (file, format) in [
        ("site/bad.html.gz", "gzip"),
        ("site/cut.js.br", "brotli"),
        ("site/cut.js.gz", "gzip"),
        ("site/bad.js.zst", "zstd"),
    ] {
        let line = stderr
            .lines()
            .find(|l| l.contains(file))
            .unwrap_or_else(|| panic!("{file} not named:\n{stderr}"));
        assert!(
            stderr.contains(&format!("not a valid {format} stream")),
            "{line}\n{stderr}"
        );
    }
}

#[test]
fn a_compression_bomb_is_an_error_not_exhausted_memory() {
    // 257 concatenated gzip members of 1 MiB of spaces each: 257 MiB of
    // text from about 260 KiB.
    let member = gzip(&vec![b' '; 1024 * 1024]);
    let mut bomb = Vec::new();
    for _ in 0..257 {
        bomb.extend_from_slice(&member);
    }
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("bomb.js.gz"), bomb).unwrap();
    let (code, _, stderr) = findings(tmp.path(), &["bomb.js.gz"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("bomb.js.gz"), "{stderr}");
    assert!(
        stderr.contains("decompresses to more than 256 MiB"),
        "{stderr}"
    );
}

#[test]
fn data_files_frameworks_render_into_pages_are_scanned_as_code() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Not scanned: robots.txt and notes.txt (beside notes.html, but not an
    // RSC payload), config.json and Gatsby's app-data.json.
    let (code, list, stderr) = findings(root, &["testdata/served/next", "testdata/served/gatsby"]);
    assert_eq!(code, 1, "{stderr}");
    let next = "testdata/served/next/out";
    assert_eq!(
        list,
        vec![
            f(
                "testdata/served/gatsby/public/page-data/about/page-data.json",
                "tracker-snippet",
                "google-analytics",
                1,
                113
            ),
            f(
                &format!("{next}/_next/data/build1/about.json"),
                "tracker-snippet",
                "segment",
                1,
                36
            ),
            f(
                &format!("{next}/_next/static/rsc/page.txt"),
                "tracker-snippet",
                "hotjar",
                1,
                30
            ),
            f(
                &format!("{next}/about.txt"),
                "tracker-snippet",
                "meta-pixel",
                2,
                30
            ),
            f(
                &format!("{next}/index.txt"),
                "tracker-snippet",
                "google-analytics",
                2,
                56
            ),
        ]
    );
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_in_the_reports_and_strict_fails_on_them() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    std::fs::create_dir_all(site.join("real")).unwrap();
    std::fs::write(site.join("real/page.html"), "<title>clean</title>\n").unwrap();
    std::os::unix::fs::symlink("real", site.join("latest")).unwrap();
    let json = |args: &[&str]| {
        let out = common::run(args, tmp.path());
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        (out.status.code().unwrap(), doc)
    };

    let (code, doc) = json(&["check", "site", "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(doc["links_skipped"], serde_json::json!(["site/latest"]));
    assert_eq!(doc["errors"], serde_json::json!([]));

    let (code, doc) = json(&["check", "site", "--format", "json", "--strict"]);
    assert_eq!(code, 2);
    assert_eq!(doc["links_skipped"], serde_json::json!(["site/latest"]));
    assert_eq!(doc["errors"][0]["file"], "site/latest");

    let (code, doc) = json(&["check", "site", "--format", "sarif"]);
    assert_eq!(code, 0);
    let run = &doc["runs"][0];
    assert_eq!(
        run["properties"]["linksSkipped"],
        serde_json::json!(["site/latest"])
    );
    assert_eq!(
        run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"],
        "not following symbolic link site/latest: not scanned"
    );

    // merge reads them back, once however many shards name them.
    for k in 1..=2 {
        let out = common::run(
            &[
                "check",
                "site",
                "--format",
                "json",
                "--shard",
                &format!("{k}/2"),
            ],
            tmp.path(),
        );
        std::fs::write(tmp.path().join(format!("s{k}.json")), out.stdout).unwrap();
    }
    let (code, doc) = json(&["merge", "s1.json", "s2.json", "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(doc["links_skipped"], serde_json::json!(["site/latest"]));
}

#[test]
fn inline_suppressions_work_in_precompressed_files() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    std::fs::create_dir(&site).unwrap();
    // The directive is in a real comment of the decoded page; the
    // suppressed finding is on the next line. A second copy in a comment
    // of nothing but text in the page (a <p>) is not a directive.
    let page = "<!DOCTYPE html>\n<!-- tracklint-ignore google-analytics: proxied by our collector -->\n\
                <script src=\"https://www.google-analytics.com/analytics.js\"></script>\n\
                <p>tracklint-ignore google-analytics: not a comment</p>\n\
                <script src=\"https://www.google-analytics.com/analytics.js\"></script>\n";
    std::fs::write(site.join("page.html.gz"), gzip(page.as_bytes())).unwrap();
    let (code, list, stderr) = findings(tmp.path(), &["site"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        list,
        [f(
            "site/page.html.gz",
            "tracker-script",
            "google-analytics",
            5,
            14
        )]
    );
}
