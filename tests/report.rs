//! `tracklint report --html` and `--format markdown` (issue 7): the audit
//! report for the demo site, checked against values read by hand from the
//! fixtures and rulesets; escaping; the report's own freedom from trackers
//! (statically, by tracklint itself, and in headless Chromium); and the
//! Markdown summary's structure, escaping and size cap.
// The browser test says on stderr when it skips.
#![allow(clippy::print_stderr)]

mod common;

use common::browser::require_chromium;
use common::{assert_run, assert_snapshot, copy_dir, run, transcript};

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A run of `tracklint report`: its exit code, the HTML it wrote, its
/// stderr, and the whole run as a snapshot shows it (exit code, stdout,
/// stderr, then the report).
struct Report {
    code: i32,
    html: String,
    stderr: String,
    transcript: String,
}

/// Renders the audit report of `path` (run in `cwd`, with `extra`
/// arguments) into `out`.
fn report_with(path: &str, extra: &[&str], cwd: &Path, out: &Path) -> Report {
    let mut args = vec!["report", path, "--html", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let run = run(&args, cwd);
    let html = std::fs::read_to_string(out).unwrap_or_else(|e| {
        panic!(
            "no report written ({e}): {}",
            String::from_utf8_lossy(&run.stderr)
        )
    });
    let file = out.file_name().unwrap().to_str().unwrap();
    Report {
        code: run.status.code().unwrap(),
        transcript: format!("{}--- {file}\n{html}", transcript(&run)),
        html,
        stderr: String::from_utf8_lossy(&run.stderr).into_owned(),
    }
}

/// [`report_with`] without extra arguments.
fn report(path: &str, cwd: &Path, out: &Path) -> Report {
    report_with(path, &[], cwd, out)
}

/// Compares the run `r` with the snapshot `name`; `tmp` holds the report
/// (shown as `[TMP]`) and, for some, the site.
fn assert_report(name: &str, description: &str, r: &Report, tmp: &Path) {
    assert_snapshot(name, description, &r.transcript, &[tmp]);
}

/// Every finding of the demo site: (file below testdata/demo-site/, line,
/// column), as `tracklint check testdata/demo-site` reports them.
const DEMO_FINDINGS: [(&str, u64, u64); 33] = [
    ("appointments/index.html", 6, 31),
    ("appointments/index.html", 7, 49),
    ("appointments/index.html", 10, 11),
    ("appointments/index.html", 15, 25),
    ("appointments/index.html", 25, 30),
    ("appointments/index.html", 26, 11),
    ("appointments/index.html", 27, 9),
    ("appointments/index.html", 32, 65),
    ("assets/app.js", 2, 157),
    ("assets/app.js", 2, 749),
    ("assets/app.js", 2, 921),
    ("assets/app.js", 2, 956),
    ("assets/app.js", 3, 22),
    ("assets/app.js", 4, 41),
    ("find-a-doctor/index.html", 6, 16),
    ("find-a-doctor/index.html", 8, 14),
    ("find-a-doctor/index.html", 9, 11),
    ("find-a-doctor/index.html", 14, 36),
    ("find-a-doctor/index.html", 14, 65),
    ("find-a-doctor/index.html", 18, 51),
    ("index.html", 6, 32),
    ("index.html", 9, 57),
    ("index.html", 12, 4),
    ("index.html", 15, 22),
    ("index.html", 19, 5),
    ("index.html", 20, 5),
    ("index.html", 22, 16),
    ("index.html", 31, 26),
    ("index.html", 35, 16),
    ("index.html", 49, 4),
    ("index.html", 50, 3),
    ("index.html", 51, 3),
    ("index.html", 54, 8),
];

/// (id, category, BAA status) of every vendor in the demo site, from
/// rulesets/*.toml.
const DEMO_VENDORS: [(&str, &str, &str); 10] = [
    ("google-analytics", "analytics", "no"),
    ("meta-pixel", "advertising", "no"),
    (
        "segment",
        "customer-data-platform",
        "on Business plans with the HIPAA add-on",
    ),
    ("onetrust", "consent-manager", "unknown"),
    ("cookiebot", "consent-manager", "unknown"),
    ("google-tag-manager", "tag-manager", "no"),
    ("bing-uet", "advertising", "no"),
    ("linkedin-insight", "advertising", "no"),
    ("hotjar", "session-replay", "no"),
    ("pinterest-tag", "advertising", "unknown"),
];

/// The vendors-table row of the vendor `id`.
fn vendor_row<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!("<td><code>{id}</code></td>"))
        .unwrap_or_else(|| panic!("no vendor row for {id}"));
    let start = html[..at].rfind("<tr").unwrap();
    let end = at + html[at..].find("</tr>").unwrap();
    &html[start..end]
}

/// Every start tag in `html` as (name, the text inside `<…>`). Text is
/// escaped in the report, so each `<` starts a tag.
fn tags(html: &str) -> Vec<(String, String)> {
    html.split('<')
        .skip(1)
        .filter(|t| !t.starts_with('/') && !t.starts_with('!'))
        .map(|t| {
            let inner = &t[..t.find('>').expect("unclosed tag")];
            let name = inner
                .split(|c: char| c.is_whitespace())
                .next()
                .unwrap()
                .to_ascii_lowercase();
            (name, inner.to_string())
        })
        .collect()
}

/// What would make a page load something, found in its tags: elements
/// that fetch, `src`-like attributes, `href` outside `<a>`, external links
/// that are not plain https navigation, inline CSS `url(`.
fn loading_tags(html: &str) -> Vec<String> {
    let mut bad = Vec::new();
    for (name, inner) in tags(html) {
        let lower = inner.to_ascii_lowercase();
        let fetches = [
            "link", "img", "iframe", "frame", "object", "embed", "source", "video", "audio",
            "base", "form", "image", "use", "track", "portal",
        ]
        .contains(&name.as_str());
        let attr = [
            " src=",
            " srcset=",
            " data-src",
            " poster=",
            " action=",
            " background=",
            " ping=",
            " xlink:href=",
            "url(",
            "http-equiv=\"refresh\"",
        ]
        .iter()
        .any(|a| lower.contains(a));
        let href = lower.contains(" href=")
            && (name != "a"
                || !(lower.contains(" href=\"#") || lower.contains(" href=\"https://")));
        if fetches || attr || href {
            bad.push(inner);
        }
    }
    bad
}

#[test]
fn demo_report_has_every_vendor_and_finding() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    let r = report("testdata/demo-site", &root(), &out);
    assert_eq!(r.code, 1, "{}", r.stderr);
    // The whole report: the summary on stderr; the verdict, totals,
    // vendors table (with "Other third parties"), the page matrix,
    // "Where to fix" (empty: it says how to set `[sources] paths`) and
    // each finding's card with its escaped, marked excerpt.
    assert_report(
        "report-demo-site",
        "tracklint report testdata/demo-site --html [TMP]/report.html",
        &r,
        dir.path(),
    );
    // What a snapshot update must not lose, from the fixtures and rulesets
    // by hand: every vendor with its category and BAA status, and every
    // finding once, each on its own card, in the four sections.
    let html = r.html;
    for (id, category, baa) in DEMO_VENDORS {
        let row = vendor_row(&html, id);
        assert!(row.contains(&format!("<td>{category}</td>")), "{row}");
        assert!(row.contains(&format!("\">{baa}</span>")), "{row}");
    }
    for (file, line, col) in DEMO_FINDINGS {
        let loc = format!("<code>testdata/demo-site/{file}:{line}:{col}</code>");
        assert_eq!(html.matches(&loc).count(), 1, "{loc}");
    }
    // No two demo findings are identical, so each has its own card.
    assert_eq!(html.matches("<article ").count(), 33);
    assert_eq!(html.matches("<details class=\"group\"").count(), 4);
    // Deterministic: a second run writes the same bytes.
    let again = dir.path().join("again.html");
    let html2 = report("testdata/demo-site", &root(), &again).html;
    assert!(html == html2, "the report differs between runs");
}

#[test]
fn demo_report_escapes_excerpts_and_loads_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    let html = report("testdata/demo-site", &root(), &out).html;
    // Excerpts are escaped (tests/snapshots/report-demo-site.snap shows
    // them): the only script element is the report's own, at the end.
    assert_eq!(html.to_ascii_lowercase().matches("<script").count(), 1);
    // The one script is allowed by its hash, not by 'unsafe-inline'.
    assert!(html.contains(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; script-src &#39;sha256-"
    ));
    assert!(
        html.contains(
            "=&#39;; img-src data:; base-uri &#39;none&#39;; form-action &#39;none&#39;\">"
        )
    );
    assert!(!html.contains("script-src &#39;unsafe-inline"));
    assert_eq!(loading_tags(&html), Vec::<String>::new());
    // Links to vendor docs are plain navigation, and there are some.
    assert!(html.contains("<a href=\"https://"));
    // The checker sees it: an `<img src>` in the report would be reported.
    assert_eq!(
        loading_tags("<p>x</p><img src=\"https://www.facebook.com/tr?id=1\">").len(),
        1
    );
    // And tracklint itself finds nothing in its own report.
    let check = run(
        &["check", out.to_str().unwrap(), "--format", "json"],
        &root(),
    );
    let doc: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(doc["findings"], serde_json::json!([]), "{doc}");
    assert_eq!(doc["summary"]["files_scanned"], 1);
    assert_eq!(check.status.code(), Some(0));
}

/// The demo site in a temp dir with a config marking the appointments
/// section and the (clean) about page sensitive.
fn sensitive_demo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("testdata/demo-site"), &dir.path().join("site"));
    std::fs::write(
        dir.path().join("tracklint.toml"),
        "[sensitive]\npaths = [\"**/appointments/**\", \"about.html\"]\n",
    )
    .unwrap();
    dir
}

#[test]
fn sensitive_pages_are_marked() {
    let dir = sensitive_demo();
    let out = dir.path().join("report.html");
    let r = report("site", dir.path(), &out);
    assert_eq!(r.code, 1, "{}", r.stderr);
    // The count on stderr and in the totals; the list of sensitive pages
    // (the clean about page and the appointments page, 8 findings); the
    // matrix row marked.
    assert_report(
        "report-sensitive-pages",
        "cd [TMP] && tracklint report site --html [TMP]/report.html  # the demo site, [sensitive] paths = [\"**/appointments/**\", \"about.html\"]",
        &r,
        dir.path(),
    );
    let html = r.html;
    // One matrix row is sensitive, and each of its findings is marked.
    assert_eq!(
        html.matches("<tr data-filter class=\"sensitive\">").count(),
        1
    );
    for (file, line, col) in DEMO_FINDINGS {
        let loc = format!("<code>site/{file}:{line}:{col}</code>");
        let marked = format!("{loc} <span class=\"badge sens\">sensitive</span>");
        assert_eq!(
            html.contains(&marked),
            file.starts_with("appointments/"),
            "{loc}"
        );
    }
    // Markdown marks the page and counts the sensitive pages too.
    let md = run(&["check", "site", "--format", "markdown"], dir.path());
    assert_eq!(md.status.code(), Some(1));
    assert_run(
        "report-sensitive-pages-markdown",
        "cd [TMP] && tracklint check site --format markdown  # the demo site, [sensitive] paths = [\"**/appointments/**\", \"about.html\"]",
        &md,
        &[dir.path()],
    );
}

#[test]
fn unscannable_files_exit_2_and_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir(&site).unwrap();
    std::fs::write(
        site.join("index.html"),
        "<script src=\"https://www.googletagmanager.com/gtag/js?id=G-1\"></script>\n",
    )
    .unwrap();
    std::fs::write(
        site.join("broken.html"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01",
    )
    .unwrap();
    let out = dir.path().join("report.html");
    let r = report("site", dir.path(), &out);
    assert_eq!(r.code, 2, "{}", r.stderr);
    // The error on stderr; the report says it is incomplete, lists the
    // file, and still shows the finding in site/index.html.
    assert_report(
        "report-unscannable-file",
        "cd [TMP] && tracklint report site --html [TMP]/report.html  # site/broken.html is a PNG",
        &r,
        dir.path(),
    );
}

#[test]
fn identical_findings_share_a_card_listing_every_location() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..40 {
        let d = dir.path().join(format!("site/blog/post{i}"));
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(
            d.join("index.html"),
            "<p>post</p>\n<script src=\"https://static.hotjar.com/c/hotjar-1.js\"></script>\n",
        )
        .unwrap();
    }
    let out = dir.path().join("report.html");
    let r = report("site", dir.path(), &out);
    assert_eq!(r.code, 1, "{}", r.stderr);
    // One card, "40 locations on 40 pages"; one section, blog/, of 40
    // pages.
    assert_report(
        "report-identical-findings",
        "cd [TMP] && tracklint report site --html [TMP]/report.html  # site/blog/post0..39/index.html, one Hotjar tag each",
        &r,
        dir.path(),
    );
    let html = r.html;
    assert_eq!(html.matches("<article ").count(), 1);
    for i in 0..40 {
        let loc = format!("<li><code>site/blog/post{i}/index.html:2:14</code></li>");
        assert!(html.contains(&loc), "{loc}");
    }
}

#[test]
fn report_needs_html_and_explains_itself() {
    let out = run(&["report", "testdata/demo-site"], &root());
    assert_eq!(out.status.code(), Some(2));
    assert_run(
        "report-without-html",
        "tracklint report testdata/demo-site",
        &out,
        &[],
    );
    let help = run(&["report", "--help"], &root());
    assert_eq!(help.status.code(), Some(0));
    assert_run("report-help", "tracklint report --help", &help, &[]);
}

#[test]
fn markdown_summarises_the_demo_site() {
    // The exact text is in tests/snapshots/check-markdown.snap; these are
    // the properties a snapshot update must not lose.
    let out = run(
        &["check", "testdata/demo-site", "--format", "markdown"],
        &root(),
    );
    assert_eq!(out.status.code(), Some(1));
    let md = String::from_utf8_lossy(&out.stdout);
    // Every finding is listed: none is cut by the size cap.
    assert_eq!(md.lines().filter(|l| l.starts_with("- `")).count(), 33);
    assert!(!md.contains("not shown"));
    // The Cookiebot message names `<script>`: escaped, not HTML.
    assert!(!md.contains("<script"), "{md}");
}

#[test]
fn markdown_says_new_since_the_baseline() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("testdata/demo-site"), &dir.path().join("site"));
    let w = run(
        &["check", "site", "--write-baseline", "base.json"],
        dir.path(),
    );
    assert_eq!(w.status.code(), Some(0));
    std::fs::write(
        dir.path().join("site/new.html"),
        "<img src=\"https://www.facebook.com/tr?id=9&ev=PageView\">\n",
    )
    .unwrap();
    let out = run(
        &[
            "check",
            "site",
            "--baseline",
            "base.json",
            "--format",
            "markdown",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    // "1 new finding on 1 page", the 32 baselined counted as accepted, and
    // only the new finding listed.
    assert_run(
        "report-baseline-markdown",
        "cd [TMP] && tracklint check site --baseline base.json --format markdown  # the demo site's baseline, then site/new.html",
        &out,
        &[dir.path()],
    );
    let md = String::from_utf8_lossy(&out.stdout);
    assert_eq!(md.lines().filter(|l| l.starts_with("- `")).count(), 1);
    // The HTML report says the same, and lists the baselined findings.
    let out = dir.path().join("report.html");
    let r = report_with("site", &["--baseline", "base.json"], dir.path(), &out);
    assert_eq!(r.code, 1);
    assert_report(
        "report-baseline",
        "cd [TMP] && tracklint report site --html [TMP]/report.html --baseline base.json  # as above",
        &r,
        dir.path(),
    );
    assert_eq!(r.html.matches("<article ").count(), 1);
}

/// What headless Chromium saw of a page.
struct Browsed {
    /// The DOM after load and scripts, from `--dump-dom`.
    dom: String,
    /// Console messages (Chromium logs each as a `:CONSOLE` line).
    console: Vec<String>,
    /// URLs the page itself requested that are not file:, data:, about:
    /// or chrome: (Chromium's own background requests have no initiator).
    leaks: Vec<String>,
    /// How long the load took.
    elapsed: Duration,
}

/// Loads `page` (with the URL suffix `query`) in headless Chromium with a
/// net log, and reads what it did.
fn browse(chromium: &Path, page: &Path, query: &str) -> Browsed {
    let work = tempfile::tempdir().unwrap();
    let net = work.path().join("net.json");
    let started = Instant::now();
    let mut cmd = Command::new(chromium);
    cmd.args(common::browser::HEADLESS)
        .args(["--enable-logging=stderr", "--v=0"])
        .arg(format!(
            "--user-data-dir={}",
            work.path().join("profile").display()
        ))
        .arg(format!("--log-net-log={}", net.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}{query}", page.display()));
    let what = page.display().to_string();
    let (dom, log) = common::browser::run(&mut cmd, &what, Duration::from_secs(180));
    let elapsed = started.elapsed();
    let console = log
        .lines()
        .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught") || l.contains("Refused to"))
        .map(str::to_string)
        .collect();
    let netlog: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&net).expect("chromium wrote no net log"))
            .expect("the net log is JSON");
    Browsed {
        dom,
        console,
        leaks: page_requests(&netlog),
        elapsed,
    }
}

/// The host of `url` (`scheme://host[:port]/…`, or a bare host).
fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..end];
    host.rsplit_once(':')
        .filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()))
        .map_or(host, |(h, _)| h)
}

/// URLs and hosts in the net log that leave the machine and are not
/// Chromium's own background traffic. Chromium's own requests start with
/// the initiator "not an origin" and no file:// isolation key; every other
/// request, and any connection or DNS lookup to a host none of Chromium's
/// own requests named, is the page's.
fn page_requests(netlog: &serde_json::Value) -> Vec<String> {
    let events = netlog["events"].as_array().expect("net log events");
    let start_job = &netlog["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"];
    let local = |url: &str| {
        ["file:", "data:", "about:", "chrome:", "blob:"]
            .iter()
            .any(|s| url.starts_with(s))
    };
    let mut browser_hosts: Vec<&str> = Vec::new();
    let mut leaks: Vec<String> = Vec::new();
    for e in events.iter().filter(|e| &e["type"] == start_job) {
        let p = &e["params"];
        let Some(url) = p["url"].as_str() else {
            continue;
        };
        let browser_own = p["initiator"].as_str() == Some("not an origin")
            && !p["network_isolation_key"]
                .as_str()
                .is_some_and(|k| k.contains("file://"));
        if browser_own {
            browser_hosts.push(host_of(url));
        } else if !local(url) {
            leaks.push(url.to_string());
        }
    }
    for e in events {
        for key in ["url", "host"] {
            let Some(url) = e["params"][key].as_str() else {
                continue;
            };
            if !local(url) && !browser_hosts.contains(&host_of(url)) {
                leaks.push(url.to_string());
            }
        }
    }
    leaks.sort();
    leaks.dedup();
    leaks
}

#[test]
fn demo_report_runs_in_chromium_without_errors_or_requests() {
    // Chromium is needed: CI installs it and sets TRACKLINT_REQUIRE_BROWSER;
    // elsewhere the test is skipped, loudly.
    let Some(chromium) = require_chromium("the headless-browser test of the audit report") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // The controls: a page that loads from the network and throws must be
    // caught, or a clean result below would mean nothing.
    let control = dir.path().join("control.html");
    std::fs::write(
        &control,
        "<!DOCTYPE html><img src=\"http://127.0.0.1:9/pixel.gif\">\
         <script>missingFunction();</script>",
    )
    .unwrap();
    let seen = browse(&chromium, &control, "");
    assert!(
        seen.leaks
            .iter()
            .any(|l| l == "http://127.0.0.1:9/pixel.gif"),
        "{:?}",
        seen.leaks
    );
    assert!(
        seen.console
            .iter()
            .any(|l| l.contains("Uncaught ReferenceError")),
        "{:?}",
        seen.console
    );

    let out = dir.path().join("report.html");
    let r = report("testdata/demo-site", &root(), &out);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let seen = browse(&chromium, &out, "");
    assert!(
        seen.dom.contains("<body data-ready=\"1\">"),
        "the report's script did not finish: {}",
        &seen.dom[..seen.dom.len().min(2000)]
    );
    // The search tools are shown once the script has wired them.
    assert!(seen.dom.contains("<div id=\"tools\"><input id=\"q\""));
    assert_eq!(seen.console, Vec::<String>::new());
    assert_eq!(seen.leaks, Vec::<String>::new());
    eprintln!("chromium loaded the demo report in {:?}", seen.elapsed);

    // The search box filters: `?q=hotjar` leaves Hotjar's 2 cards of 33
    // and the one section (appointments/) of 4 that has Hotjar.
    let seen = browse(&chromium, &out, "?q=hotjar");
    assert!(seen.dom.contains("<body data-ready=\"1\">"));
    let hidden = |tag: &str| {
        seen.dom
            .split(tag)
            .skip(1)
            .filter(|t| t[..t.find('>').unwrap()].contains(" hidden=\"\""))
            .count()
    };
    assert_eq!(hidden("<article "), 31, "{}", seen.dom);
    assert_eq!(hidden("<details class=\"group\""), 3);
    // Hotjar's vendor row, the appointments row and the 2 cards, of 11
    // vendor rows, 4 page rows, the sensitive page (the appointments form
    // asks for the reason for a visit) and 33 cards.
    assert!(
        seen.dom
            .contains("<span id=\"q-count\">4 of 49 rows and cards match</span>")
    );
    assert_eq!(seen.console, Vec::<String>::new());
}

#[test]
fn markdown_escapes_file_names() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("site")).unwrap();
    std::fs::write(
        dir.path().join("site/a|b`c*_d.html"),
        "<script src=\"https://static.hotjar.com/c/hotjar-1.js\"></script>\n",
    )
    .unwrap();
    let out = run(&["check", "site", "--format", "markdown"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    // In the table the pipe is escaped even inside the code span; the
    // backtick gets a longer fence. In the list, the code span holds the
    // name as is.
    assert_run(
        "report-markdown-escaped-file-name",
        "cd [TMP] && tracklint check site --format markdown  # site/a|b`c*_d.html",
        &out,
        &[dir.path()],
    );
}

#[test]
fn markdown_stays_under_the_comment_limit() {
    let dir = tempfile::tempdir().unwrap();
    let long = "x".repeat(150);
    for i in 0..300 {
        let d = dir.path().join(format!("site/{long}{i}"));
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(
            d.join("index.html"),
            format!("<script src=\"https://static.hotjar.com/c/hotjar-{i}.js\"></script>\n"),
        )
        .unwrap();
    }
    let out = run(&["check", "site", "--format", "markdown"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(md.chars().count() < 65_536, "{} characters", md.len());
    let left = |what: &str| -> usize {
        let tail = md
            .split(&format!(" more {what} not shown."))
            .next()
            .unwrap();
        tail.rsplit('_').next().unwrap().parse().unwrap()
    };
    let pages = md.lines().filter(|l| l.starts_with("| `site/")).count();
    let findings = md.lines().filter(|l| l.starts_with("- `site/")).count();
    assert!(pages > 0 && pages <= 50 && findings > 0 && findings <= 100);
    assert_eq!(pages + left("pages"), 300);
    assert_eq!(findings + left("findings"), 300);
    assert!(md.contains("The full list is in the HTML audit report"));
}

#[test]
fn merged_markdown_matches_an_unsharded_run() {
    // With [sensitive] pages: the shards' JSON carries them to the merge.
    let dir = sensitive_demo();
    let site = "site";
    let mut shards = Vec::new();
    for k in 1..=2 {
        let file = dir.path().join(format!("shard-{k}.json"));
        let shard = format!("{k}/2");
        let out = run(
            &[
                "check",
                site,
                "--shard",
                &shard,
                "--format",
                "json",
                "--fail-on",
                "never",
                "--output",
                file.to_str().unwrap(),
            ],
            dir.path(),
        );
        assert_eq!(out.status.code(), Some(0));
        shards.push(file.to_str().unwrap().to_string());
    }
    let mut args = vec!["merge", "--format", "markdown"];
    args.extend(shards.iter().map(String::as_str));
    let merged = run(&args, dir.path());
    let single = run(&["check", site, "--format", "markdown"], dir.path());
    assert_eq!(merged.status.code(), Some(1));
    // The sensitive page is marked in the merged summary.
    assert_run(
        "report-merged-markdown",
        "cd [TMP] && tracklint merge --format markdown [TMP]/shard-1.json [TMP]/shard-2.json  # the demo site with [sensitive] pages, 2 shards",
        &merged,
        &[dir.path()],
    );
    assert_eq!(
        String::from_utf8_lossy(&merged.stdout),
        String::from_utf8_lossy(&single.stdout)
    );
}

#[test]
fn findings_name_their_source_map_origin() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    let r = report("testdata/sourcemaps/dist/app.js", &root(), &out);
    assert_eq!(r.code, 1, "{}", r.stderr);
    // The card names src/analytics.ts:6:25 "from … (source map)" with its
    // line; the file named on the command line is its own section.
    assert_report(
        "report-source-map-origin",
        "tracklint report testdata/sourcemaps/dist/app.js --html [TMP]/report.html",
        &r,
        dir.path(),
    );
}

/// Template origins (the Eleventy fixture): each location lists every
/// template that holds its code, or says that none does.
#[test]
fn findings_name_their_template_origins() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    let site = root().join("testdata/eleventy-site");
    let r = report("_site", &site, &out);
    assert_eq!(r.code, 1, "{}", r.stderr);
    // _site/campaign/index.html:7:22 names both templates that hold the
    // gtag tag; _site/about/index.html:14:16 says that no file under
    // [sources] paths holds the chat widget's URL.
    assert_report(
        "report-template-origins",
        "cd testdata/eleventy-site && tracklint report _site --html [TMP]/report.html",
        &r,
        dir.path(),
    );
    let html = r.html;
    // "Where to fix": one row per source line, most findings first
    // (counted from the fixture: the gtag tag is on all four pages, the
    // copy in campaign.njk matches the same four findings).
    let fix = &html[html.find("<section id=\"fix\">").unwrap()..];
    let fix = &fix[..fix.find("</section>").unwrap()];
    let rows: Vec<&str> = fix
        .split("<tr data-filter><td><code>")
        .skip(1)
        .map(|r| r.split("</code>").next().unwrap())
        .collect();
    assert_eq!(
        rows,
        [
            "src/_includes/analytics.njk:1",
            "src/_includes/layouts/campaign.njk:7",
            "src/_includes/analytics.njk:5",
            "src/_includes/analytics.njk:6",
            "src/_includes/pixel.njk:2",
            "src/about.md:9",
        ]
    );
}

/// Pull-request comments say where to fix each finding.
#[test]
fn markdown_findings_name_their_origin() {
    let site = root().join("testdata/eleventy-site");
    let out = run(&["check", "--format", "markdown"], &site);
    assert_eq!(out.status.code(), Some(1));
    // Each finding says "(from `template:line:col`)", "and 1 more" when
    // two templates hold it.
    assert_run(
        "eleventy-site-markdown",
        "cd testdata/eleventy-site && tracklint check --format markdown",
        &out,
        &[],
    );
}
