//! The browser oracle of issue 12: "No tracker a browser would load ships
//! unreported". Whether a page loads a tracker is decided by what headless
//! Chromium does with it, not by reading the page.
//!
//! Every page of `testdata/evasion/`, `testdata/deferred/`,
//! `testdata/inert/` and `testdata/demo-site/` is served from 127.0.0.1
//! and loaded in Chromium
//! behind a recording proxy that refuses everything (see
//! tests/common/browser.rs: no request leaves the machine). Each host
//! Chromium tried to reach after the page started loading is mapped to a
//! vendor with tracklint's own vendor database (by host and path when the
//! net log has the URL, else by host: a bare `CONNECT`, a preconnect).
//! That is the browser's set. tracklint's set is the vendors of the
//! findings `tracklint check <site> --format json` reports in the files
//! the page made the file server serve (the page itself, its scripts and
//! frames).
//!
//! A consent gate found by its attribute or code (`client-side-consent`
//! with no URL) is left out of tracklint's set: it names the consent
//! manager checking consent, not a host the page fetches.
//!
//! Pages whose source mentions `noscript` are loaded a second time with
//! scripting disabled (inside `<iframe sandbox>`), where Chromium renders
//! `<noscript>` contents as a browser with JavaScript off does. Every page
//! but the evasion ones is also loaded for a visitor who consents and
//! clicks ([`browser::VISITOR_SCRIPT`]). The browser's set is the union of
//! the loads.
//!
//! Expected: every evasion page reaches at least one vendor on load; every
//! deferred page reaches none on load and at least one for the visitor;
//! every inert page reaches none even for the visitor; and on every page
//! the two sets are equal, except for the gaps and over-reports listed
//! below. Those lists must match exactly:
//! the test fails when a new gap appears and when a listed one is closed.
// The table goes to stderr (shown on failure), as do the timings.
#![allow(clippy::print_stderr)]

mod common;

use common::browser::{self, Scripting, Visit};

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use tracklint::vendors::Ruleset;

/// Pages whose only request is made by the browser at its own pace after
/// the load, with why: when a run catches none, the page is not judged (a
/// run that catches it must agree with tracklint as any other page).
const BROWSER_PACED: &[(&str, &str)] = &[(
    "evasion/sinks/link-icon.html",
    "the favicon is fetched by the browser's UI after the load; headless Chromium \
     sometimes has not fetched it yet when --dump-dom returns",
)];

/// Vendors the browser reached on a page that tracklint does not report
/// there: (page below testdata/, vendor id). Empty: a gap found is fixed,
/// not listed; the list exists so a gap that cannot be fixed at once is
/// written down where the test checks it.
const KNOWN_GAPS: &[(&str, &str)] = &[];

/// Vendors tracklint reports on a page that the browser did not reach:
/// (page below testdata/, vendor id, why it is accepted).
const KNOWN_OVERREPORTS: &[(&str, &str, &str)] = &[];

/// The fixture sites, and what their pages must do in the browser.
const SITES: &[(&str, Expect)] = &[
    ("evasion", Expect::Loads),
    ("deferred", Expect::OnVisit),
    ("inert", Expect::Nothing),
    ("demo-site", Expect::Any),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// Every page reaches at least one tracker vendor.
    Loads,
    /// No page reaches any tracker vendor, even for a visitor who
    /// consents and clicks.
    Nothing,
    /// No page reaches a tracker vendor on load; every page does once a
    /// visitor consents and clicks.
    OnVisit,
    /// Whatever the browser does (only the comparison counts).
    Any,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One page: the site directory below testdata/, the file on disk and the
/// path it is requested as (`x.html.gz` is served as `x.html`).
#[derive(Clone, Debug)]
struct Page {
    site: &'static str,
    expect: Expect,
    file: String,
    url: String,
}

impl Page {
    /// The page's name in the lists: its path below testdata/.
    fn id(&self) -> String {
        format!("{}/{}", self.site, self.file)
    }
}

/// The pages of a site: every `.html`, `.htm`, `.svg` and `.html.gz` file
/// outside `assets/` folders (which hold what pages load).
fn pages(site: &'static str, expect: Expect) -> Vec<Page> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "assets") {
                    walk(&path, base, out);
                }
            } else {
                let rel = path.strip_prefix(base).unwrap().to_string_lossy();
                out.push(rel.replace('\\', "/"));
            }
        }
    }
    let base = root().join("testdata").join(site);
    let mut files = Vec::new();
    walk(&base, &base, &mut files);
    files.sort();
    files
        .into_iter()
        .filter_map(|file| {
            let url = file.strip_suffix(".gz").unwrap_or(&file).to_string();
            let page = [".html", ".htm", ".svg"].iter().any(|e| url.ends_with(e));
            page.then_some(Page {
                site,
                expect,
                file,
                url,
            })
        })
        .collect()
}

/// The vendors tracklint reports in each file of `site` (paths relative
/// to the site).
fn tracklint_vendors(site: &str) -> BTreeMap<String, BTreeSet<String>> {
    let dir = format!("testdata/{site}");
    let out = common::run(&["check", &dir, "--format", "json"], &root());
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "tracklint check {dir} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    let mut by_file: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in doc["findings"].as_array().expect("findings") {
        let Some(vendor) = f["vendor"].as_str() else {
            continue;
        };
        // A consent gate found by its attribute or code names the consent
        // manager that checks consent in the browser; it does not claim
        // the page fetches anything from it.
        if f["rule"] == "client-side-consent" && f["url"].is_null() {
            continue;
        }
        let file = f["file"].as_str().unwrap();
        let rel = file
            .strip_prefix(&format!("{dir}/"))
            .unwrap_or_else(|| panic!("finding outside {dir}: {file}"));
        by_file
            .entry(rel.to_string())
            .or_default()
            .insert(vendor.to_string());
    }
    by_file
}

/// What the browser did on one page.
struct Seen {
    page: Page,
    /// Tracker vendors reached by the page on its own (no visitor).
    on_load: BTreeSet<String>,
    /// Tracker vendors reached in all the page's loads.
    vendors: BTreeSet<String>,
    /// Other hosts reached (not in the vendor database).
    others: BTreeSet<String>,
    /// Files the page made the server serve.
    served: BTreeSet<String>,
    /// The loads, for timings.
    visits: Vec<Visit>,
}

/// The vendor ids of the hosts `visits` reached, minus `background`
/// hosts; and the hosts no vendor claims.
fn reached(
    ruleset: &Ruleset,
    visits: &[Visit],
    background: &BTreeSet<String>,
) -> (BTreeSet<String>, BTreeSet<String>) {
    let (mut vendors, mut others) = (BTreeSet::new(), BTreeSet::new());
    for v in visits {
        for host in v.page_hosts() {
            if background.contains(&host) {
                continue;
            }
            // `host.` is the same DNS name as `host`.
            let name = host.strip_suffix('.').unwrap_or(&host);
            // The paths asked of this host: from the proxy for http, from
            // the net log for https. None (a preconnect): the host alone.
            let mut paths: Vec<String> = v
                .requests
                .iter()
                .filter(|r| r.host == host)
                .filter_map(|r| r.path.clone())
                .collect();
            for url in &v.urls {
                let rest = url.split_once("://").unwrap().1;
                let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
                let (authority, path) = rest.split_at(end);
                let h = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
                if h.eq_ignore_ascii_case(&host) {
                    paths.push(if path.is_empty() { "/" } else { path }.to_string());
                }
            }
            let matched: Vec<_> = if paths.is_empty() {
                ruleset.matcher.resolve_host(name).into_iter().collect()
            } else {
                // By host and path only: falling back to the host would give
                // a request no pattern matches to any vendor with a path
                // pattern on its host (Chromium's own
                // accounts.google.com/ListAccounts to EasyPrivacy's
                // accounts.google.com/gsi/log).
                paths
                    .iter()
                    .filter_map(|p| {
                        let p = p.split(['?', '#']).next().unwrap();
                        ruleset.matcher.resolve(name, p)
                    })
                    .collect()
            };
            if matched.is_empty() {
                others.insert(host.clone());
            }
            for m in matched {
                vendors.insert(ruleset.vendors[m.vendor].id.get_ref().clone());
            }
        }
    }
    (vendors, others)
}

fn join(set: &BTreeSet<String>) -> String {
    if set.is_empty() {
        "-".to_string()
    } else {
        set.iter().cloned().collect::<Vec<_>>().join(", ")
    }
}

#[test]
fn no_tracker_a_browser_would_load_ships_unreported() {
    let Some(chromium) = browser::require_chromium("the browser oracle (tests/oracle.rs)") else {
        return;
    };
    let started = Instant::now();
    let ruleset = Ruleset::builtin().expect("built-in vendors");

    // The control: an empty page. Hosts Chromium contacts on its own
    // after the page started are subtracted from every page's.
    let empty = tempfile::tempdir().unwrap();
    std::fs::write(
        empty.path().join("index.html"),
        "<!DOCTYPE html><title>empty</title><p>nothing here</p>\n",
    )
    .unwrap();
    let control = browser::visit(&chromium, empty.path(), "index.html", Scripting::Enabled);
    let background: BTreeSet<String> = control.page_hosts().into_iter().collect();
    let (control_vendors, _) = reached(&ruleset, &[control], &BTreeSet::new());
    assert_eq!(
        control_vendors,
        BTreeSet::new(),
        "an empty page reaches tracker vendors: Chromium's background traffic \
         would be mistaken for the page's ({background:?})"
    );

    // TRACKLINT_ORACLE_ONLY=deferred/ judges only the pages whose id
    // starts with it (for working on a fixture; the lists of gaps and
    // over-reports are then checked only for those pages).
    let only = std::env::var("TRACKLINT_ORACLE_ONLY").unwrap_or_default();
    let all: Vec<Page> = SITES
        .iter()
        .flat_map(|&(site, expect)| pages(site, expect))
        .filter(|p| p.id().starts_with(&only))
        .collect();
    let reports: BTreeMap<&str, _> = SITES
        .iter()
        .map(|&(site, _)| (site, tracklint_vendors(site)))
        .collect();

    // Load the pages on a few threads: Chromium waits on virtual time, not
    // the CPU, for most of a load.
    let jobs = std::env::var("TRACKLINT_ORACLE_JOBS")
        .ok()
        .and_then(|j| j.parse().ok())
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map_or(2, |n| n.get() + 1)
                .min(6)
        });
    let queue = Mutex::new(all.clone());
    let results = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| {
                loop {
                    let Some(page) = queue.lock().unwrap().pop() else {
                        break;
                    };
                    let dir = root().join("testdata").join(page.site);
                    let source = std::fs::read(dir.join(&page.file)).unwrap();
                    let noscript = String::from_utf8_lossy(&source)
                        .to_ascii_lowercase()
                        .contains("noscript");
                    let mut visits = vec![browser::visit(
                        &chromium,
                        &dir,
                        &page.url,
                        Scripting::Enabled,
                    )];
                    if noscript {
                        visits.push(browser::visit(
                            &chromium,
                            &dir,
                            &page.url,
                            Scripting::Disabled,
                        ));
                    }
                    let (on_load, _) = reached(&ruleset, &visits, &background);
                    // Then as a visitor who consents and clicks, on every
                    // page where that can matter (evasion pages load
                    // without it).
                    if page.expect != Expect::Loads {
                        visits.push(browser::visit(
                            &chromium,
                            &dir,
                            &page.url,
                            Scripting::Visitor,
                        ));
                    }
                    let (mut vendors, mut others) = reached(&ruleset, &visits, &background);
                    // An evasion page whose request hangs on an event
                    // (an animation, a focus, a timer) can miss Chromium's
                    // virtual-time budget on a loaded machine: load it once
                    // more before judging. A page that loads nothing twice
                    // is judged as such.
                    if vendors.is_empty() && page.expect == Expect::Loads {
                        visits.push(browser::visit(
                            &chromium,
                            &dir,
                            &page.url,
                            Scripting::Enabled,
                        ));
                        (vendors, others) = reached(&ruleset, &visits, &background);
                    }
                    let served = visits.iter().flat_map(|v| v.served.clone()).collect();
                    results.lock().unwrap().push(Seen {
                        page,
                        on_load,
                        vendors,
                        others,
                        served,
                        visits,
                    });
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|s| s.page.id());

    let mut table = String::from("page | browser reached | tracklint reports | other hosts\n");
    let mut problems = Vec::new();
    let mut gaps = BTreeSet::new();
    let mut over = BTreeSet::new();
    for seen in &results {
        let id = seen.page.id();
        let report = &reports[seen.page.site];
        let mut files = seen.served.clone();
        files.insert(seen.page.file.clone());
        let reported: BTreeSet<String> = files
            .iter()
            .filter_map(|f| report.get(f))
            .flatten()
            .cloned()
            .collect();
        table.push_str(&format!(
            "{id} | {} | {} | {}\n",
            join(&seen.vendors),
            join(&reported),
            join(&seen.others)
        ));
        // A request the browser makes at its own pace, after the load: when
        // this run caught none, the page cannot be judged this time.
        if seen.vendors.is_empty() && BROWSER_PACED.iter().any(|(p, _)| *p == id) {
            eprintln!(
                "{id}: the browser made its own-paced request after this run ended; not judged"
            );
            continue;
        }
        match seen.page.expect {
            Expect::Loads if seen.vendors.is_empty() => problems.push(format!(
                "{id}: an evasion fixture, but the browser reached no tracker vendor"
            )),
            Expect::Nothing if !seen.vendors.is_empty() => problems.push(format!(
                "{id}: an inert fixture, but the browser reached {}",
                join(&seen.vendors)
            )),
            Expect::OnVisit if !seen.on_load.is_empty() => problems.push(format!(
                "{id}: a deferred fixture, but the browser reached {} before any visitor acted",
                join(&seen.on_load)
            )),
            Expect::OnVisit if seen.vendors.is_empty() => problems.push(format!(
                "{id}: a deferred fixture, but the browser reached no tracker vendor \
                 even for a visitor who consents and clicks"
            )),
            _ => {}
        }
        for v in seen.vendors.difference(&reported) {
            gaps.insert((id.clone(), v.clone()));
        }
        for v in reported.difference(&seen.vendors) {
            over.insert((id.clone(), v.clone()));
        }
    }
    let known_gaps: BTreeSet<(String, String)> = KNOWN_GAPS
        .iter()
        .filter(|(p, _)| p.starts_with(&only))
        .map(|&(p, v)| (p.to_string(), v.to_string()))
        .collect();
    let known_over: BTreeSet<(String, String)> = KNOWN_OVERREPORTS
        .iter()
        .filter(|(p, _, _)| p.starts_with(&only))
        .map(|&(p, v, _)| (p.to_string(), v.to_string()))
        .collect();
    for (p, v) in gaps.difference(&known_gaps) {
        problems.push(format!(
            "new gap: the browser reached {v} on {p}, tracklint does not report it"
        ));
    }
    for (p, v) in known_gaps.difference(&gaps) {
        problems.push(format!(
            "closed gap: tracklint now agrees with the browser on {v} on {p}: \
             remove (\"{p}\", \"{v}\") from KNOWN_GAPS"
        ));
    }
    for (p, v) in over.difference(&known_over) {
        problems.push(format!(
            "over-report: tracklint reports {v} on {p}, the browser did not reach it"
        ));
    }
    for (p, v) in known_over.difference(&over) {
        problems.push(format!(
            "closed over-report: remove (\"{p}\", \"{v}\", …) from KNOWN_OVERREPORTS"
        ));
    }

    let loads: usize = results.iter().map(|s| s.visits.len()).sum();
    let slowest = results
        .iter()
        .flat_map(|s| s.visits.iter().map(move |v| (v.elapsed, s.page.id())))
        .max();
    eprintln!(
        "{table}\n{} pages, {loads} Chromium loads on {jobs} threads in {:?} (slowest: {slowest:?}); \
         {} known gaps, {} known over-reports",
        results.len(),
        started.elapsed(),
        gaps.len(),
        over.len()
    );
    if !problems.is_empty() {
        let gap_list: String = gaps
            .iter()
            .map(|(p, v)| format!("    (\"{p}\", \"{v}\"),\n"))
            .collect();
        panic!(
            "the browser and tracklint disagree:\n{}\n\n{table}\nthe gaps as found:\n{gap_list}",
            problems.join("\n")
        );
    }
}

/// Every request stays on the machine: the proxy has no code that could
/// open a connection, and Chromium cannot resolve a name itself.
#[test]
fn the_recording_proxy_cannot_reach_the_network() {
    let src = include_str!("common/browser.rs");
    // The only connect in the harness wakes its own listener on loopback.
    let connects: Vec<&str> = src
        .lines()
        .filter(|l| l.contains("connect(") && !l.trim_start().starts_with("//"))
        .collect();
    assert_eq!(
        connects,
        ["        let _ = TcpStream::connect(self.addr);"],
        "the harness must not open connections"
    );
    for banned in [
        "UdpSocket",
        "ToSocketAddrs",
        "to_socket_addrs",
        "lookup_host",
    ] {
        assert!(!src.contains(banned), "{banned} in tests/common/browser.rs");
    }
    assert!(src.contains("\"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1\""));
    assert!(src.contains("TcpListener::bind(\"127.0.0.1:0\")"));
}
