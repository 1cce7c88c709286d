//! Templates: scanned directly with their syntax opaque, and searched for
//! the origins of findings in built output (`[sources] paths`).
//!
//! Expected positions were counted by hand from the fixture text: for
//! example `<script async src="` is 19 characters, so a URL after it starts
//! at column 20.

mod common;

use std::path::Path;

use common::{assert_run, copy_dir, run};
use serde_json::Value;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn json(args: &[&str], cwd: &Path) -> (i32, Value) {
    let out = run(args, cwd);
    let doc = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), doc)
}

fn matched(f: &Value) -> &str {
    let e = &f["excerpt"];
    let text = e["text"].as_str().unwrap();
    &text[e["start"].as_u64().unwrap() as usize..e["end"].as_u64().unwrap() as usize]
}

/// One template per language. Each has a tracker whose host is written
/// literally (a finding) and one whose host is a template expression (not
/// a finding); some also write a tracker URL inside an expression, which
/// is scanned as code.
#[test]
fn each_template_language_is_scanned_with_its_syntax_opaque() {
    let (code, doc) = json(&["check", "testdata/templates", "--format", "json"], repo());
    assert_eq!(code, 1);
    let got: Vec<(String, u64, u64, String, String, String)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["file"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches("testdata/templates/")
                    .to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["rule"].as_str().unwrap().to_string(),
                f["vendor"].as_str().unwrap_or("-").to_string(),
                matched(f).to_string(),
            )
        })
        .collect();
    let want = [
        // Front matter is code: `const pixel = "` is 15 characters.
        (
            "Analytics.astro",
            2,
            16,
            "tracker-pixel",
            "meta-pixel",
            "https://www.facebook.com/tr?id=",
        ),
        (
            "Analytics.astro",
            5,
            24,
            "tracker-script",
            "plausible",
            "https://plausible.io/js/script.js",
        ),
        // After `    <Script src="` (17).
        (
            "Analytics.tsx",
            5,
            18,
            "tracker-snippet",
            "hotjar",
            "https://static.hotjar.com/c/hotjar-1.js?sv=6",
        ),
        (
            "Head.svelte",
            6,
            16,
            "tracker-script",
            "hubspot",
            "https://js.hs-scripts.com/123456.js",
        ),
        // JSX is code; the literal host is found, `${host}` is not.
        (
            "Tags.jsx",
            4,
            19,
            "tracker-snippet",
            "google-analytics",
            "https://www.googletagmanager.com/gtag/js?id=$",
        ),
        (
            "Tracking.vue",
            6,
            37,
            "tracker-snippet",
            "meta-pixel",
            "fbq(\"init\"",
        ),
        (
            "base.twig",
            4,
            14,
            "tracker-pixel",
            "google-tag-manager",
            "https://www.googletagmanager.com/ns.html?id={{ gtm_id }}",
        ),
        // After `{% if consent %}` (16) and `<script src="` (13).
        (
            "flask.j2",
            3,
            30,
            "tracker-script",
            "meta-pixel",
            "https://connect.facebook.net/en_US/fbevents.js",
        ),
        // A URL inside a Jinja expression is code.
        (
            "flask.j2",
            4,
            15,
            "tracker-pixel",
            "bing-uet",
            "https://bat.bing.com/action/0?ti=",
        ),
        (
            "head.gohtml",
            3,
            20,
            "tracker-script",
            "google-analytics",
            "https://www.googletagmanager.com/gtag/js?id={{ .Site.Config.Services.GoogleAnalytics.ID }}",
        ),
        // Echoed by PHP: code inside `<?php … ?>`.
        (
            "header.php",
            4,
            27,
            "tracker-snippet",
            "linkedin-insight",
            "https://snap.licdn.com/li.lms-analytics/insight.min.js",
        ),
        (
            "jekyll.liquid",
            2,
            20,
            "tracker-script",
            "google-analytics",
            "https://www.googletagmanager.com/gtag/js?id={{ site.ga_id }}",
        ),
        (
            "layout.erb",
            3,
            14,
            "tracker-script",
            "segment",
            "https://cdn.segment.com/analytics.js/v1/<%= ENV[\"SEGMENT_KEY\"] %>/analytics.min.js",
        ),
        (
            "page.ejs",
            3,
            14,
            "tracker-script",
            "google-tag-manager",
            "https://www.googletagmanager.com/gtm.js?id=<%= gtmId %>",
        ),
        (
            "partial.hbs",
            3,
            14,
            "tracker-script",
            "hotjar",
            "https://static.hotjar.com/c/hotjar-{{hjid}}.js?sv=6",
        ),
        (
            "partial.mustache",
            3,
            14,
            "tracker-script",
            "heap",
            "https://cdn.heapanalytics.com/js/heap-{{appId}}.js",
        ),
    ];
    let want: Vec<_> = want
        .iter()
        .map(|(f, l, c, r, v, m)| {
            (
                f.to_string(),
                *l,
                *c,
                r.to_string(),
                v.to_string(),
                m.to_string(),
            )
        })
        .collect();
    assert_eq!(got, want);
    // No template expression was taken for a host: every other URL in the
    // fixtures (`https://{{ site.cdn_host }}/…`, `<?= $host ?>`, `${host}`)
    // is silent, including as a third-party script.
    assert!(
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["rule"] != "third-party-script")
    );
}

/// The Eleventy fixture's Nunjucks sources, scanned directly: the literal
/// tracker hosts are found where they are written; the chat widget, whose
/// host is `{{ site.widgetHost }}`, is not a finding.
#[test]
fn nunjucks_sources_are_scanned_directly() {
    let (code, doc) = json(
        &["check", "testdata/eleventy-site/src", "--format", "json"],
        repo(),
    );
    assert_eq!(code, 1);
    let got: Vec<String> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}:{}:{} {}",
                f["file"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches("testdata/eleventy-site/src/"),
                f["line"],
                f["column"],
                f["rule"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            "_includes/analytics.njk:1:20 tracker-script",
            "_includes/analytics.njk:5:3 tracker-snippet",
            "_includes/analytics.njk:6:3 tracker-snippet",
            "_includes/layouts/campaign.njk:7:22 tracker-script",
            "_includes/pixel.njk:2:63 tracker-pixel",
        ]
    );
}

/// The Eleventy fixture: `_site/` was built from `src/` by Eleventy 3.1.8.
#[test]
fn findings_in_built_pages_name_the_template_lines_that_produced_them() {
    let dir = repo().join("testdata/eleventy-site");
    let (code, doc) = json(&["check", "--format", "json"], &dir);
    assert_eq!(code, 1);
    let mut got = Vec::new();
    for f in doc["findings"].as_array().unwrap() {
        let mut origins: Vec<String> = std::iter::once(&f["origin"])
            .chain(f["more_origins"].as_array().into_iter().flatten())
            .filter(|o| !o.is_null())
            .map(|o| {
                assert_eq!(o["via"], "template");
                format!(
                    "{}:{}:{}",
                    o["file"].as_str().unwrap(),
                    o["line"],
                    o["column"]
                )
            })
            .collect();
        if let Some(note) = f["origin_note"].as_str() {
            origins.push(format!("note: {note}"));
        }
        got.push((
            format!(
                "{}:{}:{}",
                f["file"].as_str().unwrap(),
                f["line"],
                f["column"]
            ),
            origins,
        ));
    }
    let gtag = [
        "src/_includes/analytics.njk:1:20",
        "src/_includes/layouts/campaign.njk:7:22",
    ];
    let widget = "note: no file under [sources] paths (src/**) contains `https://cdn.clinic-partner.example/chat-widget.js`";
    let page = |p: &str| -> Vec<(String, Vec<&str>)> {
        vec![
            (format!("{p}:6:22"), gtag.to_vec()),
            (format!("{p}:10:3"), vec!["src/_includes/analytics.njk:5:3"]),
            (format!("{p}:11:3"), vec!["src/_includes/analytics.njk:6:3"]),
            (format!("{p}:14:16"), vec![widget]),
        ]
    };
    let mut want = page("_site/about/index.html");
    // Markdown pages are sources too.
    want.push((
        "_site/about/index.html:19:14".into(),
        vec!["src/about.md:9:14"],
    ));
    want.extend(page("_site/appointments/index.html"));
    want.push((
        "_site/appointments/index.html:21:63".into(),
        vec!["src/_includes/pixel.njk:2:63"],
    ));
    want.push(("_site/campaign/index.html:7:22".into(), gtag.to_vec()));
    want.extend(page("_site/index.html"));
    let want: Vec<(String, Vec<String>)> = want
        .into_iter()
        .map(|(l, o)| (l, o.into_iter().map(str::to_string).collect()))
        .collect();
    assert_eq!(got, want);

    // The human diagnostic names every origin ("Originates in …", "or in
    // …") and shows each template line, the origin labelled.
    let out = run(&["check", "_site/campaign/index.html"], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert_run(
        "eleventy-campaign-human",
        "cd testdata/eleventy-site && tracklint check _site/campaign/index.html",
        &out,
        &[],
    );
}

#[test]
fn sources_outside_the_project_and_empty_sources_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), "<p>hi</p>").unwrap();
    std::fs::write(
        dir.path().join("tracklint.toml"),
        "[sources]\npaths = [\"../elsewhere/**\"]\n",
    )
    .unwrap();
    let out = run(&["check", "."], dir.path());
    assert_eq!(out.status.code(), Some(2));
    // Located at tracklint.toml:2.
    assert_run(
        "templates-sources-outside",
        "cd [TMP] && tracklint check .  # [sources] paths = [\"../elsewhere/**\"]",
        &out,
        &[dir.path()],
    );

    std::fs::write(
        dir.path().join("tracklint.toml"),
        "[sources]\npaths = [\"_includes/**\"]\n",
    )
    .unwrap();
    let out = run(&["check", "."], dir.path());
    assert_eq!(out.status.code(), Some(0));
    assert_run(
        "templates-sources-empty",
        "cd [TMP] && tracklint check .  # [sources] paths = [\"_includes/**\"], no _includes",
        &out,
        &[dir.path()],
    );
}

/// A plain `.html` template (Jekyll, Hugo) is recognised as a template by
/// `[sources]`: its expressions are scanned as code, so a tracker URL
/// written inside one is found. Read as plain HTML, the quotes inside the
/// expression break the attribute and the URL is missed.
#[test]
fn html_templates_under_sources_are_templates() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("_includes")).unwrap();
    std::fs::write(
        dir.path().join("_includes/pixel.html"),
        "<img src=\"{{ \"https://www.facebook.com/tr?id=\" | append: site.pixel }}\">\n",
    )
    .unwrap();
    let out = run(&["check", "_includes", "--format", "json"], dir.path());
    assert_eq!(out.status.code(), Some(0));

    std::fs::write(
        dir.path().join("tracklint.toml"),
        "[sources]\npaths = [\"_includes/**\"]\n",
    )
    .unwrap();
    let out = run(&["check", "_includes", "--format", "json"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &doc["findings"][0];
    assert_eq!(
        (&f["rule"], &f["line"], &f["column"]),
        (&"tracker-pixel".into(), &1.into(), &15.into())
    );
    assert_eq!(matched(f), "https://www.facebook.com/tr?id=");
    // A file under [sources] is its own origin: no search, no note.
    assert!(f["origin"].is_null() && f.get("origin_note").is_none());
}

/// A suppression in a template is written as a template comment, which
/// never reaches the built page.
#[test]
fn template_comments_suppress_findings_in_templates() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("head.njk"),
        "{# tracklint-ignore meta-pixel: proxied through our BAA-covered collector #}\n\
         <script src=\"https://connect.facebook.net/en_US/fbevents.js\"></script>\n\
         <script src=\"https://www.googletagmanager.com/gtag/js?id={{ id }}\"></script>\n\
         {# tracklint-ignore hotjar: nothing here to suppress #}\n",
    )
    .unwrap();
    let (code, doc) = json(&["check", "head.njk", "--format", "json"], dir.path());
    assert_eq!(code, 1);
    let rows: Vec<(u64, &str)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["line"].as_u64().unwrap(), f["rule"].as_str().unwrap()))
        .collect();
    assert_eq!(rows, [(3, "tracker-script"), (4, "unused-suppression")]);
    assert_eq!(doc["suppressed"][0]["line"], 2);
    assert_eq!(
        doc["suppressed"][0]["reason"],
        "proxied through our BAA-covered collector"
    );
}

/// A Hugo build (Debian's hugo 0.111.3): Go templates in plain `.html`
/// layouts, recognised as templates through `[sources]`.
#[test]
fn hugo_pixels_name_their_partial() {
    let dir = repo().join("testdata/hugo-site");
    let (code, doc) = json(&["check", "--format", "json"], &dir);
    assert_eq!(code, 1);
    let got: Vec<String> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let o = &f["origin"];
            format!(
                "{}:{}:{} {} <- {}:{}:{}",
                f["file"].as_str().unwrap(),
                f["line"],
                f["column"],
                f["vendor"].as_str().unwrap(),
                o["file"].as_str().unwrap(),
                o["line"],
                o["column"]
            )
        })
        .collect();
    // `<noscript><img height="1" width="1" style="display:none" src="` is
    // 62 characters, `<noscript><img src="` 20, in the partial as built.
    assert_eq!(
        got,
        [
            "public/book/index.html:11:63 meta-pixel <- layouts/partials/pixels.html:2:63",
            "public/book/index.html:12:21 bing-uet <- layouts/partials/pixels.html:3:21",
            "public/index.html:11:63 meta-pixel <- layouts/partials/pixels.html:2:63",
            "public/index.html:12:21 bing-uet <- layouts/partials/pixels.html:3:21",
        ]
    );
    // The layouts themselves, scanned directly, are templates too.
    let (code, doc) = json(&["check", "layouts", "--format", "json"], &dir);
    assert_eq!(code, 1);
    assert_eq!(doc["findings"].as_array().unwrap().len(), 2);
}

/// `--sources` gives origins without a config (a local audit), relative to
/// the current directory, and replaces the config's list.
#[test]
fn sources_flag_works_without_a_config() {
    let dir = tempfile::tempdir().unwrap();
    let site = repo().join("testdata/eleventy-site");
    for sub in ["_site", "src"] {
        copy_dir(&site.join(sub), &dir.path().join(sub));
    }
    let (code, doc) = json(
        &[
            "check",
            "_site/campaign",
            "--sources",
            "src/**",
            "--format",
            "json",
        ],
        dir.path(),
    );
    assert_eq!(code, 1);
    assert_eq!(
        doc["findings"][0]["origin"]["file"],
        "src/_includes/analytics.njk"
    );
    assert_eq!(
        doc["findings"][0]["more_origins"][0]["file"],
        "src/_includes/layouts/campaign.njk"
    );
    // Narrower globs: only the layout.
    let (_, doc) = json(
        &[
            "check",
            "_site/campaign",
            "--sources",
            "src/_includes/layouts/*",
            "--format",
            "json",
        ],
        dir.path(),
    );
    assert_eq!(
        doc["findings"][0]["origin"]["file"],
        "src/_includes/layouts/campaign.njk"
    );
    assert!(doc["findings"][0].get("more_origins").is_none());

    let out = run(&["check", "_site", "--sources", "../src/**"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert_run(
        "templates-sources-flag-outside",
        "cd [TMP] && tracklint check _site --sources ../src/**",
        &out,
        &[dir.path()],
    );
}
