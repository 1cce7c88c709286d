//! Property: findings do not depend on how the input is split into reads.
//! lol_html sees each read as one chunk (so text nodes and attributes arrive
//! split at arbitrary bytes), and the code scanner's sliding window moves at
//! different places.

use std::path::Path;

use proptest::prelude::*;
use tracklint::config::HostSet;
use tracklint::finding::RawFinding;
use tracklint::input::read::{self, FileKind};
use tracklint::scan::ScanContext;
use tracklint::testing::invariants::Chunked;
use tracklint::vendors::Ruleset;

fn scan(rs: &Ruleset, bytes: &[u8], kind: FileKind, sizes: &[usize]) -> Vec<RawFinding> {
    let fp = HostSet::default();
    let ctx = ScanContext::new(rs, &fp);
    let d = read::detect(&bytes[..bytes.len().min(65536)], kind).unwrap();
    assert_eq!(d.bom_len, 0, "fixtures here have no BOM");
    ctx.scan_stream(Chunked::new(bytes, sizes), kind, d)
        .unwrap()
}

/// Every HTML and JS fixture, plus a large generated bundle and page.
fn corpus() -> Vec<(String, Vec<u8>, FileKind)> {
    let mut out = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if let Some(kind) = read::kind_for_extension(&p)
                // Precompressed fixtures are scanned decoded, not as is.
                && read::compression(&p).is_none()
            {
                out.push((p.display().to_string(), std::fs::read(&p).unwrap(), kind));
            }
        }
    }
    // A bundle of ~300 KB with tracker URLs and snippets spread through it,
    // so hits fall on every side of the scanner's window boundaries.
    let mut js = String::new();
    for i in 0..3000 {
        js.push_str(&"var q=function(a){return a+1};".repeat(3));
        match i % 7 {
            0 => js.push_str("x=\"https:\\/\\/api.segment.io\\/v1\\/t\";"),
            3 => js.push_str("fbq('track','Lead');"),
            5 => js.push_str("navigator.sendBeacon('https://bat.bing.com/action/0?ti=1');"),
            _ => {}
        }
    }
    out.push(("generated.js".into(), js.clone().into_bytes(), FileKind::Js));
    out.push(("snippets.js".into(), straddling_snippets(), FileKind::Js));
    let html = format!(
        "<html><body><script>{js}</script><p>{}</p><img src=\"https://www.facebook.com/tr?id=1\"></body></html>",
        "prose ".repeat(20_000)
    );
    out.push(("generated.html".into(), html.into_bytes(), FileKind::Html));
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn findings_do_not_depend_on_read_sizes(
        sizes in prop::collection::vec(prop_oneof![1usize..16, 16usize..4096, 4096usize..70_000], 1..24)
    ) {
        // check_scan compares whole and split scans (and more) and panics
        // on a difference, naming the read sizes.
        for (_, bytes, kind) in corpus() {
            tracklint::testing::invariants::check_scan(&bytes, kind, &sizes);
        }
    }
}

#[test]
fn generated_corpus_has_the_expected_hits() {
    // Guards the property above against passing on empty results.
    let rs = tracklint::testing::invariants::builtin();
    let corpus = corpus();
    let (_, js, kind) = corpus.iter().find(|c| c.0 == "generated.js").unwrap();
    let found = scan(rs, js, *kind, &[usize::MAX]);
    // 429 segment URLs + 429 bing beacons + 1 deduplicated fbq snippet.
    assert_eq!(found.len(), 429 + 428 + 1);
}

/// Distinct snippet signatures written across line breaks, searched by
/// their last token, each straddling one of the boundaries where reads of
/// one byte make the code scanner's window report (multiples of 64 KiB),
/// the boundary at a different byte of each match.
const STRADDLING: &[&str] = &[
    "window\n  .uetq",
    "window\n  .criteo_q",
    "window\n  .optimizely",
    "window\n  .heapReadyCb",
    "window\n  ._tfa",
    "window\n  .lpTag",
    "window\n  .Evergage",
    "new\n  UET(",
];

fn straddling_snippets() -> Vec<u8> {
    let mut js = String::new();
    for (k, snippet) in STRADDLING.iter().enumerate() {
        let start = (k + 1) * 65536 - (2 * k + 1);
        let filler = "var q=function(a){return a+1};";
        while js.len() + filler.len() < start {
            js.push_str(filler);
        }
        js.push_str(&" ".repeat(start - 1 - js.len()));
        js.push(';');
        js.push_str(snippet);
        js.push_str(";\n");
    }
    js.into_bytes()
}

#[test]
fn snippets_straddling_window_boundaries_are_found_once() {
    let rs = tracklint::testing::invariants::builtin();
    let js = straddling_snippets();
    let whole = scan(rs, &js, FileKind::Js, &[usize::MAX]);
    assert_eq!(whole.len(), STRADDLING.len());
    for (f, k) in whole.iter().zip(0..) {
        assert_eq!(f.start, (k + 1) * 65536 - (2 * k + 1), "{f:?}");
    }
    for sizes in [&[1usize][..], &[2, 3], &[65536]] {
        assert_eq!(scan(rs, &js, FileKind::Js, sizes), whole, "{sizes:?}");
    }
}

/// Pieces that make scanners take their unusual paths.
const PIECES: &[&str] = &[
    "<script>",
    "</script>",
    "<noscript>",
    "</noscript>",
    "<img src=\"",
    "\">",
    "<iframe src='",
    "<link rel=preconnect href=",
    "<!--",
    "-->",
    "<pre>",
    "&amp;",
    "&#47;",
    "https://",
    "//",
    "\\/",
    "www.facebook.com/tr",
    "connect.facebook.net",
    "google-analytics.com",
    "fbq('init'",
    "_hjSettings",
    "style=\"background:url(",
    "srcset=\"",
    " 2x,",
    "\r\n",
    "\r",
    "\n",
    "é",
    "😀",
    "\u{0}",
    "\u{FFFD}",
    "<meta charset=latin1>",
    "'",
    "\"",
    "`",
    ":443",
    "?",
    "#",
    ".",
    "-",
    "data-cookieconsent=x ",
    "onclick=\"",
    "ping=\"",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_input_never_panics_and_spans_stay_inside(
        parts in prop::collection::vec(prop_oneof![
            prop::sample::select(PIECES).prop_map(|s| s.as_bytes().to_vec()),
            prop::collection::vec(any::<u8>(), 0..8),
        ], 0..80)
    ) {
        let bytes: Vec<u8> = parts.concat();
        let rs = tracklint::testing::invariants::builtin();
        let fp = HostSet::default();
        let ctx = ScanContext::new(rs, &fp );
        for kind in [FileKind::Html, FileKind::Js] {
            // Errors (an unsupported declared charset) are fine; panics are not.
            if let Ok(found) = tracklint::check::scan_bytes(&ctx, &bytes, "x", kind) {
                for f in found {
                    prop_assert!(f.start.line >= 1 && f.start.column >= 1);
                    prop_assert!(f.start <= f.end, "{:?}", f);
                    let ex = &f.excerpt;
                    prop_assert!(ex.label.end <= ex.text.len());
                    prop_assert!(ex.text.is_char_boundary(ex.label.start));
                    prop_assert!(ex.text.is_char_boundary(ex.label.end));
                }
            }
        }
    }
}

/// Inputs fuzzing found, kept as regression tests.
#[test]
fn fuzz_regressions_keep_the_invariants() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/fuzz-regressions");
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let bytes = std::fs::read(&p).unwrap();
        for kind in [FileKind::Html, FileKind::Js] {
            for sizes in [&[1usize][..], &[7, 64], &[4096]] {
                tracklint::testing::invariants::check_scan(&bytes, kind, sizes);
            }
        }
        n += 1;
    }
    assert!(n > 0);
}

/// The differential check on the whole test corpus: every URL finding's
/// bytes contain its host, positions agree with a naive count, and
/// chunking changes nothing.
#[test]
fn invariants_hold_on_the_whole_corpus() {
    let mut total = 0;
    for (_, bytes, kind) in corpus() {
        for sizes in [&[1usize][..], &[3, 5000], &[65536]] {
            total += tracklint::testing::invariants::check_scan(&bytes, kind, sizes);
        }
    }
    assert!(total > 100, "only {total} findings checked");
}

/// The exact read sizes fuzzing used when it found each regression (the
/// first byte of the fuzz input picks them).
#[test]
fn fuzz_regressions_with_their_read_sizes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/fuzz-regressions");
    for e in std::fs::read_dir(dir).unwrap() {
        let data = std::fs::read(e.unwrap().path()).unwrap();
        let (&b, body) = data.split_first().unwrap();
        let sizes = [usize::from(b % 61) + 1, usize::from(b) * 13 + 1, 3];
        tracklint::testing::invariants::check_scan(body, FileKind::Html, &sizes);
    }
}
