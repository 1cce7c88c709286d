//! `tracklint report --html` and `--format markdown` (issue 7): the audit
//! report for the demo site, checked against values read by hand from the
//! fixtures and rulesets; escaping; the report's own freedom from trackers
//! (statically, by tracklint itself, and in headless Chromium); and the
//! Markdown summary's structure, escaping and size cap.
// The browser test says on stderr when it skips.
#![allow(clippy::print_stderr)]

mod common;

use common::{copy_dir, run};

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Renders the audit report of `path` (run in `cwd`, with `extra`
/// arguments) into `out`; returns the exit code, the HTML and stderr.
fn report_with(path: &str, extra: &[&str], cwd: &Path, out: &Path) -> (i32, String, String) {
    let mut args = vec!["report", path, "--html", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let run = run(&args, cwd);
    let html = std::fs::read_to_string(out).unwrap_or_else(|e| {
        panic!(
            "no report written ({e}): {}",
            String::from_utf8_lossy(&run.stderr)
        )
    });
    (
        run.status.code().unwrap(),
        html,
        String::from_utf8_lossy(&run.stderr).into_owned(),
    )
}

/// [`report_with`] without extra arguments.
fn report(path: &str, cwd: &Path, out: &Path) -> (i32, String, String) {
    report_with(path, &[], cwd, out)
}

/// Every finding of the demo site: (file below testdata/demo-site/, line,
/// column), as `tracklint check testdata/demo-site` reports them.
const DEMO_FINDINGS: [(&str, u64, u64); 32] = [
    ("appointments/index.html", 6, 31),
    ("appointments/index.html", 7, 49),
    ("appointments/index.html", 10, 11),
    ("appointments/index.html", 15, 25),
    ("appointments/index.html", 25, 30),
    ("appointments/index.html", 26, 11),
    ("appointments/index.html", 27, 9),
    ("appointments/index.html", 32, 65),
    ("assets/app.js", 2, 157),
    ("assets/app.js", 2, 217),
    ("assets/app.js", 2, 252),
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
    ("meta-pixel", "social", "no"),
    (
        "segment",
        "customer-data-platform",
        "on Business plans with the HIPAA add-on",
    ),
    ("onetrust", "consent-manager", "unknown"),
    ("cookiebot", "consent-manager", "unknown"),
    ("google-tag-manager", "tag-manager", "no"),
    ("bing-uet", "advertising", "no"),
    ("linkedin-insight", "social", "no"),
    ("hotjar", "session-replay", "no"),
    ("pinterest-tag", "social", "unknown"),
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
    let (code, html, stderr) = report("testdata/demo-site", &root(), &out);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!("wrote the audit report {}", out.display()))
            && stderr.contains("7 files scanned; 32 findings (30 errors, 2 warnings, 0 info) on 4 pages from 11 vendors"),
        "{stderr}"
    );
    for (id, category, baa) in DEMO_VENDORS {
        let row = vendor_row(&html, id);
        assert!(row.contains(&format!("<td>{category}</td>")), "{row}");
        assert!(row.contains(&format!("\">{baa}</span>")), "{row}");
    }
    assert!(html.contains("<td>Other third parties</td>"));
    for (file, line, col) in DEMO_FINDINGS {
        let loc = format!("<code>testdata/demo-site/{file}:{line}:{col}</code>");
        assert_eq!(html.matches(&loc).count(), 1, "{loc}");
    }
    // No two demo findings are identical, so each has its own card.
    assert_eq!(html.matches("<article ").count(), 32);
    // The matrix: four pages with findings in four sections, index.html's
    // row has Google Analytics' 4 findings in an error cell.
    assert_eq!(html.matches("<details class=\"group\"").count(), 4);
    assert!(html.contains(
        "<summary><code>testdata/demo-site/</code> <span class=\"pill sev-error\">13 findings</span> on 1 page of 2 scanned"
    ));
    assert!(html.contains("<td class=\"n sev-error\" title=\"Google Analytics: error\">4</td>"));
    // Totals.
    assert!(html.contains("<tr><th scope=\"row\">Files scanned</th><td>7</td></tr>"));
    assert!(html.contains("<tr class=\"sev-error\"><th scope=\"row\">Errors</th><td>30</td></tr>"));
    // Deterministic: a second run writes the same bytes.
    let again = dir.path().join("again.html");
    let (_, html2, _) = report("testdata/demo-site", &root(), &again);
    assert!(html == html2, "the report differs between runs");
}

#[test]
fn demo_report_escapes_excerpts_and_loads_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    let (_, html, _) = report("testdata/demo-site", &root(), &out);
    // The excerpt of index.html:15:22, escaped, its URL marked.
    assert!(html.contains(
        "&lt;script async src=&quot;<mark>https://www.googletagmanager.com/gtag/js?id=G-XXXXXXX</mark>&quot;&gt;&lt;/script&gt;"
    ));
    // The only script element is the report's own, at the end.
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
    let (code, html, stderr) = report("site", dir.path(), &out);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("; 2 sensitive pages"), "{stderr}");
    assert!(html.contains("<tr><th scope=\"row\">Sensitive pages scanned</th><td>2</td></tr>"));
    // The list: the clean about page and the appointments page.
    assert!(html.contains(
        "<li data-filter><span class=\"badge sens\">sensitive</span> <code>site/about.html</code>: no findings</li>"
    ));
    assert!(html.contains(
        "<li data-filter class=\"sev-error\"><span class=\"badge sens\">sensitive</span> <code>site/appointments/index.html</code>: 8 findings</li>"
    ));
    // The matrix row, and each of its 8 findings' locations.
    assert!(html.contains(
        "<tr data-filter class=\"sensitive\"><th scope=\"row\"><code>appointments/index.html</code> <span class=\"badge sens\">sensitive</span>"
    ));
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
    // Markdown marks the page too.
    let md = run(&["check", "site", "--format", "markdown"], dir.path());
    let md = String::from_utf8_lossy(&md.stdout);
    assert!(
        md.contains("| `site/appointments/index.html` | **sensitive** | 8 (error) |"),
        "{md}"
    );
    assert!(md.contains(" · 2 sensitive pages · "), "{md}");
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
    let (code, html, stderr) = report("site", dir.path(), &out);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("error: could not scan site/broken.html"),
        "{stderr}"
    );
    assert!(
        html.contains(
            "<section id=\"errors\" class=\"alert\">\n<h2>1 file could not be scanned</h2>"
        )
    );
    assert!(html.contains("<li data-filter><code>site/broken.html</code>: "));
    assert!(html.contains("Incomplete: some files could not be scanned."));
    assert!(html.contains("<code>site/index.html:1:14</code>"));
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
    let (code, html, stderr) = report("site", dir.path(), &out);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(html.matches("<article ").count(), 1);
    assert!(html.contains("<summary>40 locations on 40 pages</summary>"));
    for i in 0..40 {
        let loc = format!("<li><code>site/blog/post{i}/index.html:2:14</code></li>");
        assert!(html.contains(&loc), "{loc}");
    }
    // One section, blog/, of 40 pages.
    assert!(html.contains("<summary><code>site/blog/</code> <span class=\"pill sev-error\">40 findings</span> on 40 pages of 40 scanned"));
}

#[test]
fn report_needs_html_and_explains_itself() {
    let out = run(&["report", "testdata/demo-site"], &root());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--html <FILE>"));
    let help = run(&["report", "--help"], &root());
    let text = String::from_utf8_lossy(&help.stdout);
    for needle in [
        "--html <FILE>",
        "--baseline",
        "--first-party",
        "Examples:",
        "tracklint report _site --html",
    ] {
        assert!(text.contains(needle), "missing {needle}: {text}");
    }
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
    assert_eq!(md.lines().filter(|l| l.starts_with("- `")).count(), 32);
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
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        md.starts_with("### tracklint: 1 new finding on 1 page\n"),
        "{md}"
    );
    assert!(
        md.contains("accepted: 0 allowed, 0 suppressed, 32 baselined"),
        "{md}"
    );
    assert!(md.contains("#### New findings since the baseline\n\n- `site/new.html:1:11` **error** `tracker-pixel` Meta Pixel: "), "{md}");
    assert_eq!(md.lines().filter(|l| l.starts_with("- `")).count(), 1);
    // The HTML report says the same, and lists the baselined findings.
    let out = dir.path().join("report.html");
    let (code, html, _) = report_with("site", &["--baseline", "base.json"], dir.path(), &out);
    assert_eq!(code, 1);
    assert!(html.contains("Trackers found. 1 new finding on 1 page."));
    assert!(html.contains("<h2>New findings (not in the baseline)</h2>"));
    assert!(html.contains("<details><summary>Baselined: 32</summary>"));
    assert_eq!(html.matches("<article ").count(), 1);
}

/// The Chromium binary on PATH, if any.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|d| ["chromium", "chromium-browser"].map(|n| d.join(n)))
        .find(|p| p.is_file())
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
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--disable-extensions",
            "--no-first-run",
            "--no-default-browser-check",
            "--metrics-recording-only",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!(
            "--user-data-dir={}",
            work.path().join("profile").display()
        ))
        .arg(format!("--log-net-log={}", net.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}{query}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    // Read both pipes on threads so a full pipe cannot stall Chromium.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut s).unwrap();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut s).unwrap();
        s
    });
    let deadline = started + Duration::from_secs(180);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!(
                "chromium did not finish loading {} in 180 s",
                page.display()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let elapsed = started.elapsed();
    let (dom, log) = (out.join().unwrap(), err.join().unwrap());
    assert!(status.success(), "chromium failed ({status}): {log}");
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

/// Chromium is needed for the end-to-end test: CI installs it and sets
/// TRACKLINT_REQUIRE_BROWSER; elsewhere the test is skipped, loudly.
fn require_chromium() -> Option<PathBuf> {
    match chromium() {
        Some(c) => Some(c),
        None if std::env::var_os("TRACKLINT_REQUIRE_BROWSER").is_some() => panic!(
            "TRACKLINT_REQUIRE_BROWSER is set but no chromium is on PATH: \
             apt-get install chromium"
        ),
        None => {
            eprintln!(
                "\n*** SKIPPED: the headless-browser test of the audit report needs \
                 `chromium` on PATH (apt-get install chromium); set \
                 TRACKLINT_REQUIRE_BROWSER=1 to make this a failure. ***\n"
            );
            None
        }
    }
}

#[test]
fn demo_report_runs_in_chromium_without_errors_or_requests() {
    let Some(chromium) = require_chromium() else {
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
    let (code, _, stderr) = report("testdata/demo-site", &root(), &out);
    assert_eq!(code, 1, "{stderr}");
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

    // The search box filters: `?q=hotjar` leaves Hotjar's 2 cards of 32
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
    assert_eq!(hidden("<article "), 30, "{}", seen.dom);
    assert_eq!(hidden("<details class=\"group\""), 3);
    // Hotjar's vendor row, the appointments row and the 2 cards, of 11
    // vendor rows, 4 page rows and 32 cards.
    assert!(
        seen.dom
            .contains("<span id=\"q-count\">4 of 47 rows and cards match</span>")
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
    let md = String::from_utf8_lossy(&out.stdout);
    // In the table the pipe is escaped even inside the code span; the
    // backtick gets a longer fence.
    assert!(
        md.contains("| ``site/a\\|b`c*_d.html`` |  | 1 (error) | Hotjar |\n"),
        "{md}"
    );
    // In the list, the code span holds the name as is.
    assert!(
        md.contains("- ``site/a|b`c*_d.html:1:14`` **error** `tracker-script` Hotjar: "),
        "{md}"
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
    let merged = String::from_utf8_lossy(&merged.stdout);
    assert_eq!(merged, String::from_utf8_lossy(&single.stdout));
    assert!(
        merged.contains("| `site/appointments/index.html` | **sensitive** |"),
        "{merged}"
    );
}

#[test]
fn findings_name_their_source_map_origin() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    let (code, html, stderr) = report("testdata/sourcemaps/dist/app.js", &root(), &out);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        html.contains(
            "<p class=\"where\"><code>testdata/sourcemaps/dist/app.js:1:85</code> \
             <span class=\"origin\">from <code>testdata/sourcemaps/src/analytics.ts:6:25</code> \
             (source map): <code>navigator.sendBeacon(&quot;https://api.segment.io/v1/t&quot;, body);</code></span></p>"
        ),
        "{html}"
    );
    // A file named on the command line is its own section.
    assert!(html.contains("<summary><code>testdata/sourcemaps/dist/</code> "));
}

/// Template origins (the Eleventy fixture): each location lists every
/// template that holds its code, or says that none does.
#[test]
fn findings_name_their_template_origins() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    let site = root().join("testdata/eleventy-site");
    let (code, html, stderr) = report("_site", &site, &out);
    assert_eq!(code, 1, "{stderr}");
    let tag = "<code>&lt;script async src=&quot;https://www.googletagmanager.com/gtag/js?id={{ site.gaId }}&quot;&gt;&lt;/script&gt;</code>";
    assert!(
        html.contains(&format!(
            "<li><code>_site/campaign/index.html:7:22</code> \
             <span class=\"origin\">from <code>src/_includes/analytics.njk:1:20</code> (template): {tag}</span> \
             <span class=\"origin\">from <code>src/_includes/layouts/campaign.njk:7:22</code> (template): {tag}</span></li>"
        )),
        "{html}"
    );
    assert!(html.contains(
        "<li><code>_site/about/index.html:14:16</code> <span class=\"origin\">origin: no file under \
         [sources] paths (src/**) contains `https://cdn.clinic-partner.example/chat-widget.js`</span></li>"
    ));
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
    assert!(fix.contains(
        "<td>template</td><td>Google Analytics</td><td class=\"n\">4</td><td class=\"n\">4</td>"
    ));
}

/// Without origins, "Where to fix" says how to get them.
#[test]
fn where_to_fix_explains_sources_when_empty() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    let (_, html, _) = report("testdata/demo-site", &root(), &out);
    assert!(html.contains("<a href=\"#fix\">Where to fix</a>"));
    assert!(
        html.contains("No finding names the code it came from. Set <code>[sources] paths</code>")
    );
}

/// Pull-request comments say where to fix each finding.
#[test]
fn markdown_findings_name_their_origin() {
    let site = root().join("testdata/eleventy-site");
    let out = run(&["check", "--format", "markdown"], &site);
    assert_eq!(out.status.code(), Some(1));
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(md.contains(
        "- `_site/campaign/index.html:7:22` **error** `tracker-script` Google Analytics: loads Google \
         Analytics from www.googletagmanager.com/gtag/js (from `src/_includes/analytics.njk:1:20` and 1 more)\n"
    ), "{md}");
    assert!(md.contains(
        "- `_site/appointments/index.html:21:63` **error** `tracker-pixel` Meta Pixel: Meta Pixel tracking \
         pixel sends data to www.facebook.com/tr (from `src/_includes/pixel.njk:2:63`)\n"
    ), "{md}");
}
