//! `tracklint report --html FILE`: one self-contained HTML page for web
//! teams auditing a site (issue 7).
//!
//! The page holds, in order: totals; files that could not be scanned;
//! sensitive pages; a vendors table (category, BAA status, pages, findings,
//! worst severity); a matrix of pages by vendor, one collapsible group per
//! site section, each cell coloured by its worst severity; every finding,
//! identical ones (same severity, rule, vendor, matched text and message)
//! sharing one card whose locations are listed in a collapsed list; and the
//! findings accepted by config, inline comments or the baseline.
//!
//! The report must itself be tracker-free. It loads nothing: no external
//! stylesheet, script, font or image, and a Content-Security-Policy
//! (`default-src 'none'`) makes the browser refuse anything that slipped
//! in. Every piece of scanned text is HTML-escaped (an excerpt is often a
//! `<script src=…>` tag). Finding data is rendered as HTML, never embedded
//! in a `<script>`, which tracklint would scan as code; the one small
//! inline script only hides and shows DOM nodes for the search box and the
//! expand/collapse buttons, and the page reads fine without it. Output is
//! deterministic: no timestamps, everything sorted.

mod assets;
mod cards;
mod escape;
mod matrix;
mod overview;

use std::fmt::Write as _;

use crate::report::model::Report;
use crate::rules::Severity;
use crate::vendors::Ruleset;

use super::summary::{self, plural};
use assets::{SCRIPT, STYLE};
use cards::{accepted, findings};
use escape::Esc;
use matrix::matrix;
use overview::{errors, fix_table, header, sensitive, totals, vendor_table};

/// The policy that keeps the report from loading anything: only its own
/// inline style and its one script (allowed by its hash, so no other
/// inline script could run), images only as `data:` URLs.
pub fn csp() -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(SCRIPT));
    format!(
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{hash}'; \
         img-src data:; base-uri 'none'; form-action 'none'"
    )
}

/// Up to this many pages with findings, the directory groups start open.
const OPEN_GROUPS_UP_TO: usize = 100;

/// What the report says about how it was made.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The paths scanned, as given.
    pub paths: Vec<String>,
}

/// One line of totals for stderr after the report is written.
pub fn totals_line(report: &Report) -> String {
    let pages = summary::pages(report.reported(), &report.sensitive).len();
    let vendors = summary::vendors(report.reported()).len();
    let mut s = format!(
        "{} scanned; {} ({}, {}, {} info) on {} from {}",
        plural(report.files_scanned, "file"),
        plural(report.reported().count(), "finding"),
        plural(report.count(Severity::Error), "error"),
        plural(report.count(Severity::Warning), "warning"),
        report.count(Severity::Info),
        plural(pages, "page"),
        plural(vendors, "vendor"),
    );
    if !report.sensitive.is_empty() {
        let _ = write!(s, "; {}", plural(report.sensitive.len(), "sensitive page"));
    }
    if !report.errors.is_empty() {
        let _ = write!(
            s,
            "; {} could not be scanned",
            plural(report.errors.len(), "file")
        );
    }
    s
}

/// Renders the whole report.
pub fn render(report: &Report, ruleset: &Ruleset, opts: &Options) -> String {
    let vendors = summary::vendors(report.reported());
    let pages = summary::pages(report.reported(), &report.sensitive);
    let mut out = String::with_capacity(64 * 1024);
    head(&mut out, opts);
    header(&mut out, report, opts, pages.len());
    totals(&mut out, report, pages.len(), vendors.len());
    errors(&mut out, report);
    sensitive(&mut out, report, &pages);
    vendor_table(&mut out, ruleset, &vendors);
    fix_table(&mut out, ruleset, &summary::fixes(report.reported()));
    matrix(&mut out, report, ruleset, &vendors, &pages, &opts.paths);
    findings(&mut out, report, ruleset);
    accepted(&mut out, report, ruleset);
    out.push_str("</main>\n<script>");
    out.push_str(SCRIPT);
    out.push_str("</script>\n</body>\n</html>\n");
    out
}

/// `<head>`: charset, the CSP, title and the inline stylesheet.
fn head(out: &mut String, opts: &Options) {
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>tracklint audit: {}</title>\n<style>\n{STYLE}</style>\n</head>\n",
        Esc(&csp()),
        Esc(&opts.paths.join(", "))
    );
}

/// The html reporter.
pub struct Html;

impl crate::report::Reporter for Html {
    fn write(
        &self,
        report: &Report,
        cx: &crate::report::Context<'_>,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        let options = Options {
            paths: cx.paths.to_vec(),
        };
        out.write_all(render(report, cx.ruleset, &options).as_bytes())
    }
}
