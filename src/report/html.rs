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

use std::collections::{BTreeMap, HashMap};
use std::fmt::{self, Write as _};

use crate::finding::Finding;
use crate::origin::{Origin, Via};
use crate::report::model::Report;
use crate::rules::Severity;
use crate::vendors::Ruleset;

use super::summary::{self, PageRow, Tally, VendorRow, plural};

/// The policy that keeps the report from loading anything: only its own
/// inline style and script run, images only as `data:` URLs.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/// Up to this many pages with findings, the directory groups start open.
const OPEN_GROUPS_UP_TO: usize = 100;

/// What the report says about how it was made.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The paths scanned, as given.
    pub paths: Vec<String>,
}

/// Text escaped for HTML element content and quoted attribute values.
/// Control characters other than tab and newlines become U+FFFD.
struct Esc<'a>(&'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(at) = rest.find(|c: char| {
            matches!(c, '&' | '<' | '>' | '"' | '\'')
                || (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        }) {
            f.write_str(&rest[..at])?;
            let c = rest[at..].chars().next().unwrap_or('\u{FFFD}');
            f.write_str(match c {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => "\u{FFFD}",
            })?;
            rest = &rest[at + c.len_utf8()..];
        }
        f.write_str(rest)
    }
}

/// The CSS class of a severity.
fn sev_class(s: Severity) -> &'static str {
    match s {
        Severity::Error => "sev-error",
        Severity::Warning => "sev-warning",
        Severity::Info => "sev-info",
    }
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
    out.push_str("</main>\n<script>\n");
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
        Esc(CSP),
        Esc(&opts.paths.join(", "))
    );
}

/// The page heading, the verdict and the (script-enabled) search tools.
fn header(out: &mut String, report: &Report, opts: &Options, pages: usize) {
    let verdict = if !report.errors.is_empty() {
        ("sev-error", "Incomplete: some files could not be scanned.")
    } else if report.count(Severity::Error) > 0 {
        ("sev-error", "Trackers found.")
    } else if report.reported().next().is_none() {
        ("ok", "No findings.")
    } else {
        ("sev-warning", "Findings to review.")
    };
    let _ = write!(
        out,
        "<body>\n<header>\n<h1>Tracking audit</h1>\n\
         <p>tracklint {} report for <code>{}</code>.</p>\n\
         <p class=\"verdict {}\">{} {} on {}.</p>\n\
         <div id=\"tools\" hidden><input id=\"q\" type=\"search\" \
         placeholder=\"Filter pages, vendors and findings\" aria-label=\"Filter\"> \
         <button id=\"expand\" type=\"button\">Expand all</button> \
         <button id=\"collapse\" type=\"button\">Collapse all</button> \
         <span id=\"q-count\"></span></div>\n\
         <nav><a href=\"#totals\">Totals</a> <a href=\"#vendors\">Vendors</a> \
         <a href=\"#fix\">Where to fix</a> \
         <a href=\"#matrix\">Pages</a> <a href=\"#findings\">Findings</a> \
         <a href=\"#accepted\">Accepted</a></nav>\n</header>\n<main>\n",
        env!("CARGO_PKG_VERSION"),
        Esc(&opts.paths.join(", ")),
        verdict.0,
        verdict.1,
        plural(
            report.reported().count(),
            if report.baseline {
                "new finding"
            } else {
                "finding"
            }
        ),
        plural(pages, "page"),
    );
}

/// The totals table.
fn totals(out: &mut String, report: &Report, pages: usize, vendors: usize) {
    let rows: [(&str, String); 11] = [
        ("Files scanned", report.files_scanned.to_string()),
        ("Pages with findings", pages.to_string()),
        (
            if report.baseline {
                "New findings (not in the baseline)"
            } else {
                "Findings"
            },
            report.reported().count().to_string(),
        ),
        ("Errors", report.count(Severity::Error).to_string()),
        ("Warnings", report.count(Severity::Warning).to_string()),
        ("Info", report.count(Severity::Info).to_string()),
        ("Vendors (and other third parties)", vendors.to_string()),
        (
            "Sensitive pages scanned",
            report.sensitive.len().to_string(),
        ),
        (
            "Accepted: allowed by config / suppressed inline / baselined",
            format!(
                "{} / {} / {}",
                report.allowed().count(),
                report.suppressed().count(),
                report.baselined().count()
            ),
        ),
        ("Fixed since the baseline", report.fixed.len().to_string()),
        (
            "Files that could not be scanned",
            report.errors.len().to_string(),
        ),
    ];
    out.push_str("<section id=\"totals\">\n<h2>Totals</h2>\n<table class=\"totals\">\n");
    for (label, value) in rows {
        let class = match label {
            "Errors" if report.count(Severity::Error) > 0 => " class=\"sev-error\"",
            "Warnings" if report.count(Severity::Warning) > 0 => " class=\"sev-warning\"",
            "Files that could not be scanned" if !report.errors.is_empty() => {
                " class=\"sev-error\""
            }
            _ => "",
        };
        let _ = writeln!(
            out,
            "<tr{class}><th scope=\"row\">{}</th><td>{}</td></tr>",
            Esc(label),
            value
        );
    }
    let _ = writeln!(
        out,
        "</table>\n<p class=\"note\">{} binary skipped; {} not followed.</p>\n</section>",
        plural(report.binary_skipped, "file"),
        plural(report.links_skipped.len(), "symbolic link")
    );
}

/// Files that could not be scanned, prominently: the audit is incomplete.
fn errors(out: &mut String, report: &Report) {
    if report.errors.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<section id=\"errors\" class=\"alert\">\n<h2>{} could not be scanned</h2>\n\
         <p>These files were not checked, so this audit is incomplete (exit code 2).</p>\n<ul>",
        plural(report.errors.len(), "file")
    );
    for e in &report.errors {
        let _ = writeln!(
            out,
            "<li data-filter><code>{}</code>: {}</li>",
            Esc(&e.file),
            Esc(&e.message)
        );
    }
    out.push_str("</ul>\n</section>\n");
}

/// The sensitive pages scanned, with their findings or "clean".
fn sensitive(out: &mut String, report: &Report, pages: &[PageRow<'_>]) {
    if report.sensitive.is_empty() {
        return;
    }
    let tallies: HashMap<&str, Tally> = pages.iter().map(|p| (p.file, p.tally)).collect();
    let _ = writeln!(
        out,
        "<section id=\"sensitive\">\n<h2>Sensitive pages</h2>\n\
         <p>Pages matching <code>[sensitive]</code> paths: tracking there can disclose \
         protected health information, so their findings are raised one level.</p>\n\
         <details{}><summary>{}, {} with findings</summary>\n<ul class=\"sensitive-list\">",
        if report.sensitive.len() <= OPEN_GROUPS_UP_TO {
            " open"
        } else {
            ""
        },
        plural(report.sensitive.len(), "sensitive page"),
        report
            .sensitive
            .iter()
            .filter(|s| tallies.contains_key(s.as_str()))
            .count()
    );
    for file in &report.sensitive {
        match tallies.get(file.as_str()) {
            Some(t) => {
                let _ = writeln!(
                    out,
                    "<li data-filter class=\"{}\"><span class=\"badge sens\">sensitive</span> \
                     <code>{}</code>: {}</li>",
                    sev_class(t.worst),
                    Esc(file),
                    plural(t.findings, "finding")
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "<li data-filter><span class=\"badge sens\">sensitive</span> \
                     <code>{}</code>: no findings</li>",
                    Esc(file)
                );
            }
        }
    }
    out.push_str("</ul>\n</details>\n</section>\n");
}

/// The vendors table: who, what, BAA, how much, how bad.
fn vendor_table(out: &mut String, ruleset: &Ruleset, vendors: &[VendorRow]) {
    out.push_str(
        "<section id=\"vendors\">\n<h2>Vendors</h2>\n<table class=\"list\">\n<thead><tr>\
         <th>Vendor</th><th>Id</th><th>Category</th><th>BAA</th><th>Pages</th>\
         <th>Findings</th><th>Worst</th></tr></thead>\n<tbody>\n",
    );
    for row in vendors {
        let v = row.vendor.and_then(|i| ruleset.vendors.get(i));
        let (id, category, baa) = match v {
            Some(v) => (
                format!("<code>{}</code>", Esc(v.id.get_ref())),
                Esc(v.category.as_str()).to_string(),
                format!(
                    "<span title=\"{}\">{}</span>",
                    Esc(&v.baa_line()),
                    Esc(&summary::baa_short(v))
                ),
            ),
            None => (
                "&ndash;".into(),
                "third-party host".into(),
                "&ndash;".into(),
            ),
        };
        let name = match v.and_then(|v| v.docs.as_deref()) {
            Some(docs) if docs.starts_with("https://") => format!(
                "<a href=\"{}\" rel=\"noreferrer noopener\">{}</a>",
                Esc(docs),
                Esc(summary::vendor_name(ruleset, row.vendor))
            ),
            _ => Esc(summary::vendor_name(ruleset, row.vendor)).to_string(),
        };
        let _ = writeln!(
            out,
            "<tr data-filter><td>{name}</td><td>{id}</td><td>{category}</td><td>{baa}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"{}\">{}</td></tr>",
            row.pages,
            row.tally.findings,
            sev_class(row.tally.worst),
            row.tally.worst
        );
    }
    if vendors.is_empty() {
        out.push_str("<tr><td colspan=\"7\">No vendors found.</td></tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

/// "Where to fix": the source lines findings come from (template origins
/// and source maps), most findings first; without any, how to get them.
fn fix_table(out: &mut String, ruleset: &Ruleset, rows: &[summary::FixRow<'_>]) {
    out.push_str("<section id=\"fix\">\n<h2>Where to fix</h2>\n");
    if rows.is_empty() {
        out.push_str(
            "<p>No finding names the code it came from. Set <code>[sources] paths</code> \
             in tracklint.toml to the site's templates (or ship source maps with bundles) \
             and each finding names the template line that produced it.</p>\n</section>\n",
        );
        return;
    }
    out.push_str(
        "<p>The template and source lines the findings come from: editing one line \
         fixes every page it is built into.</p>\n<table class=\"list\">\n<thead><tr><th>Source line</th><th>Via</th><th>Vendors</th>\
         <th>Pages</th><th>Findings</th><th>Worst</th></tr></thead>\n<tbody>\n",
    );
    for row in rows {
        let vendors: Vec<String> = row
            .vendors
            .iter()
            .map(|v| Esc(summary::vendor_name(ruleset, *v)).to_string())
            .collect();
        let text = row
            .text
            .map(|t| format!("<br><code>{}</code>", Esc(t.trim())))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<tr data-filter><td><code>{}:{}</code>{text}</td><td>{}</td><td>{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"{}\">{}</td></tr>",
            Esc(row.file),
            row.line,
            row.via,
            vendors.join(", "),
            row.pages,
            row.tally.findings,
            sev_class(row.tally.worst),
            row.tally.worst
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

/// The byte length of the scanned directory `file` was found under (up to
/// and including its `/`): the longest of `roots` (paths as given) that
/// prefixes it on a segment boundary, else the file's own directory.
fn root_len(file: &str, roots: &[String]) -> usize {
    let under = |root: &String| {
        let root = root
            .strip_prefix("./")
            .unwrap_or(root)
            .trim_end_matches('/');
        if root.is_empty() || root == "." {
            Some(0)
        } else {
            file.strip_prefix(root)
                .filter(|rest| rest.starts_with('/'))
                .map(|_| root.len() + 1)
        }
    };
    roots
        .iter()
        .filter_map(under)
        .max()
        .unwrap_or_else(|| file.rfind('/').map_or(0, |i| i + 1))
}

/// The site section `file` belongs to: its scanned directory plus the next
/// path segment (`site/blog/`), or the scanned directory for files in it.
fn section<'f>(file: &'f str, roots: &[String]) -> &'f str {
    let root = root_len(file, roots);
    let rest = file.get(root..).unwrap_or_default();
    match rest.find('/') {
        Some(i) => &file[..root + i + 1],
        None => file.get(..root).unwrap_or_default(),
    }
}

/// The pages × vendors matrix, one collapsible group per site section.
fn matrix(
    out: &mut String,
    report: &Report,
    ruleset: &Ruleset,
    vendors: &[VendorRow],
    pages: &[PageRow<'_>],
    roots: &[String],
) {
    out.push_str(
        "<section id=\"matrix\">\n<h2>Pages &times; vendors</h2>\n\
         <p>Each row is a file with findings; each cell counts its findings for one vendor, \
         coloured by the worst severity. Files are grouped by site section.</p>\n",
    );
    if pages.is_empty() {
        out.push_str("<p>No page has findings.</p>\n</section>\n");
        return;
    }
    let mut scanned: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &report.files {
        *scanned.entry(section(f, roots)).or_default() += 1;
    }
    let mut sections: BTreeMap<&str, Vec<&PageRow<'_>>> = BTreeMap::new();
    for p in pages {
        sections.entry(section(p.file, roots)).or_default().push(p);
    }
    let open = pages.len() <= OPEN_GROUPS_UP_TO;
    for (name, rows) in &sections {
        let group = Section {
            name,
            rows,
            scanned: scanned.get(name).copied(),
            roots,
        };
        section_group(out, ruleset, vendors, &group, open);
    }
    out.push_str("</section>\n");
}

/// One site section of the matrix.
struct Section<'a, 'r> {
    /// The section's directory, as shown (`site/blog/`).
    name: &'a str,
    /// Its pages with findings.
    rows: &'a [&'a PageRow<'r>],
    /// How many of its files were scanned (unknown for merged reports).
    scanned: Option<usize>,
    /// The paths scanned, left out of page names.
    roots: &'a [String],
}

/// One site section of the matrix: a `<details>` whose summary gives the
/// section's totals, holding one row per page.
fn section_group(
    out: &mut String,
    ruleset: &Ruleset,
    vendors: &[VendorRow],
    section: &Section<'_, '_>,
    open: bool,
) {
    let Section {
        name,
        rows,
        scanned,
        roots,
    } = *section;
    let findings: usize = rows.iter().map(|r| r.tally.findings).sum();
    let worst = rows
        .iter()
        .map(|r| r.tally.worst)
        .max()
        .unwrap_or(Severity::Info);
    let sensitive = rows.iter().filter(|r| r.sensitive).count();
    let _ = write!(
        out,
        "<details class=\"group\" data-group{}>\n<summary><code>{}</code> \
         <span class=\"pill {}\">{}</span> on {}",
        if open { " open" } else { "" },
        Esc(if name.is_empty() { "./" } else { name }),
        sev_class(worst),
        plural(findings, "finding"),
        plural(rows.len(), "page"),
    );
    if let Some(n) = scanned {
        let _ = write!(out, " of {n} scanned");
    }
    if sensitive > 0 {
        let _ = write!(
            out,
            " <span class=\"badge sens\">{sensitive} sensitive</span>"
        );
    }
    out.push_str("</summary>\n<table class=\"matrix\">\n<thead><tr><th>Page</th><th>All</th>");
    for v in vendors {
        let _ = write!(
            out,
            "<th>{}</th>",
            Esc(summary::vendor_name(ruleset, v.vendor))
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        matrix_row(out, ruleset, vendors, row, root_len(row.file, roots));
    }
    out.push_str("</tbody>\n</table>\n</details>\n");
}

/// One page's row: its path below the scanned directory (and vendor names,
/// hidden, for the search box), then one cell per vendor.
fn matrix_row(
    out: &mut String,
    ruleset: &Ruleset,
    vendors: &[VendorRow],
    row: &PageRow<'_>,
    root: usize,
) {
    let names = row.vendor_names(ruleset);
    let _ = write!(
        out,
        "<tr data-filter{}><th scope=\"row\"><code>{}</code>{} <span class=\"sr\">{}</span></th>\
         <td class=\"n {}\">{}</td>",
        if row.sensitive {
            " class=\"sensitive\""
        } else {
            ""
        },
        Esc(row
            .file
            .get(root..)
            .filter(|s| !s.is_empty())
            .unwrap_or(row.file)),
        if row.sensitive {
            " <span class=\"badge sens\">sensitive</span>"
        } else {
            ""
        },
        Esc(&names.join(", ")),
        sev_class(row.tally.worst),
        row.tally.findings
    );
    for v in vendors {
        match row.cells.get(&v.vendor) {
            Some(t) => {
                let _ = write!(
                    out,
                    "<td class=\"n {}\" title=\"{}: {}\">{}</td>",
                    sev_class(t.worst),
                    Esc(summary::vendor_name(ruleset, v.vendor)),
                    t.worst,
                    t.findings
                );
            }
            None => out.push_str("<td></td>"),
        }
    }
    out.push_str("</tr>\n");
}

/// Identical findings: same severity, rule, vendor, matched text and
/// message, wherever they are.
struct Group<'a> {
    /// Every occurrence, in report order (the first one is shown in full).
    all: Vec<&'a Finding>,
    /// Distinct files among them.
    pages: usize,
}

/// Groups identical findings; worst severity first, then the most
/// widespread, then by where the first one is.
fn groups<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Vec<Group<'a>> {
    type Key<'a> = (
        Severity,
        crate::rules::Rule,
        Option<usize>,
        &'a str,
        &'a str,
    );
    let mut index: HashMap<Key<'_>, usize> = HashMap::new();
    let mut out: Vec<Group<'_>> = Vec::new();
    for f in findings {
        let key = (
            f.severity,
            f.rule,
            f.vendor,
            f.matched_text(),
            f.message.as_str(),
        );
        let i = *index.entry(key).or_insert_with(|| {
            out.push(Group {
                all: Vec::new(),
                pages: 0,
            });
            out.len() - 1
        });
        let g = &mut out[i];
        if g.all.last().is_none_or(|last| last.file != f.file) {
            g.pages += 1;
        }
        g.all.push(f);
    }
    out.sort_by(|a, b| {
        (b.all[0].severity, b.all.len())
            .cmp(&(a.all[0].severity, a.all.len()))
            .then_with(|| a.all[0].sort_key().cmp(&b.all[0].sort_key()))
    });
    out
}

/// Every finding, identical ones sharing a card.
fn findings(out: &mut String, report: &Report, ruleset: &Ruleset) {
    let groups = groups(report.reported());
    let _ = writeln!(
        out,
        "<section id=\"findings\">\n<h2>{}</h2>\n<p>{} in {}: identical findings (same \
         rule, vendor, matched text and message) share one card listing every location.</p>",
        if report.baseline {
            "New findings (not in the baseline)"
        } else {
            "Findings"
        },
        plural(report.reported().count(), "finding"),
        plural(groups.len(), "card"),
    );
    for (i, g) in groups.iter().enumerate() {
        card(out, report, ruleset, i, g);
    }
    out.push_str("</section>\n");
}

/// One card: the finding in full, then its other locations.
fn card(out: &mut String, report: &Report, ruleset: &Ruleset, i: usize, g: &Group<'_>) {
    let f = g.all[0];
    let vendor = f.vendor.and_then(|v| ruleset.vendors.get(v));
    let _ = write!(
        out,
        "<article class=\"card {sev}\" id=\"f{i}\" data-filter>\n<h3><span class=\"pill {sev}\">{}\
         </span> <code>{}</code> {}",
        f.severity,
        f.rule,
        Esc(summary::vendor_name(ruleset, f.vendor)),
        sev = sev_class(f.severity),
    );
    if let Some(v) = vendor {
        let _ = write!(
            out,
            " <span class=\"tag\">{}</span> <span class=\"tag\">BAA: {}</span>",
            Esc(v.category.as_str()),
            Esc(&summary::baa_short(v))
        );
    }
    let _ = writeln!(out, "</h3>\n<p class=\"msg\">{}</p>", Esc(&f.message));
    excerpt(out, f);
    if g.all.len() == 1 {
        out.push_str("<p class=\"where\">");
        location(out, report, f);
        out.push_str("</p>\n");
    } else {
        let _ = writeln!(
            out,
            "<details class=\"locs\"><summary>{} on {}</summary>\n<ol>",
            plural(g.all.len(), "location"),
            plural(g.pages, "page")
        );
        for f in &g.all {
            out.push_str("<li>");
            location(out, report, f);
            out.push_str("</li>\n");
        }
        out.push_str("</ol>\n</details>\n");
    }
    out.push_str("</article>\n");
}

/// The source window with the matched bytes in `<mark>`.
fn excerpt(out: &mut String, f: &Finding) {
    let text = &f.excerpt.text;
    let r = &f.excerpt.label;
    let _ = write!(
        out,
        "<pre class=\"excerpt\"><span class=\"ln\">{}</span>",
        f.excerpt.line
    );
    match (text.get(..r.start), text.get(r.clone()), text.get(r.end..)) {
        (Some(before), Some(hit), Some(after)) => {
            let _ = write!(
                out,
                "{}<mark>{}</mark>{}",
                Esc(before),
                Esc(hit),
                Esc(after)
            );
        }
        // A label that does not fall on character boundaries: show the
        // text without a highlight rather than lose it.
        _ => {
            let _ = write!(out, "{}", Esc(text));
        }
    }
    out.push_str("</pre>\n");
}

/// `file:line:col`, a sensitive badge, and where the code came from.
fn location(out: &mut String, report: &Report, f: &Finding) {
    let _ = write!(
        out,
        "<code>{}:{}:{}</code>",
        Esc(&f.file),
        f.start.line,
        f.start.column
    );
    if summary::is_sensitive(&report.sensitive, &f.file) {
        out.push_str(" <span class=\"badge sens\">sensitive</span>");
    }
    for o in &f.origins {
        origin(out, o);
    }
    if let Some(note) = &f.origin_note {
        let _ = write!(out, " <span class=\"origin\">origin: {}</span>", Esc(note));
    }
}

/// One origin: file, line, column, how it was found, the original line.
fn origin(out: &mut String, o: &Origin) {
    let via = match o.via {
        Via::SourceMap => "source map",
        Via::Template => "template",
    };
    let _ = write!(
        out,
        " <span class=\"origin\">from <code>{}:{}:{}</code> ({via})",
        Esc(&o.file),
        o.line,
        o.column
    );
    if let Some(t) = &o.text {
        let _ = write!(out, ": <code>{}</code>", Esc(t.trim()));
    }
    out.push_str("</span>");
}

/// Findings accepted by config, inline comments or the baseline, and
/// baseline entries that no longer occur.
fn accepted(out: &mut String, report: &Report, ruleset: &Ruleset) {
    out.push_str("<section id=\"accepted\">\n<h2>Accepted findings</h2>\n");
    let allowed: Vec<(&Finding, String)> = report
        .allowed()
        .map(|(f, reason, by)| (f, format!("{reason} ({by})")))
        .collect();
    let suppressed: Vec<(&Finding, String)> = report
        .suppressed()
        .map(|(f, reason)| (f, reason.to_string()))
        .collect();
    let baselined: Vec<(&Finding, String)> = report
        .baselined()
        .map(|f| (f, "in the baseline".to_string()))
        .collect();
    accepted_list(out, ruleset, "Allowed by config", &allowed);
    accepted_list(out, ruleset, "Suppressed inline", &suppressed);
    accepted_list(out, ruleset, "Baselined", &baselined);
    if !report.fixed.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>Fixed since the baseline: {}</summary>\n<ul>",
            report.fixed.len()
        );
        for e in &report.fixed {
            let _ = writeln!(
                out,
                "<li data-filter><code>{}</code> <code>{}</code> {}: <code>{}</code></li>",
                Esc(&e.file),
                Esc(&e.rule),
                Esc(e.vendor.as_deref().unwrap_or("")),
                Esc(&e.text)
            );
        }
        out.push_str("</ul>\n</details>\n");
    }
    out.push_str("</section>\n");
}

/// One collapsed table of accepted findings with their reasons.
fn accepted_list(out: &mut String, ruleset: &Ruleset, title: &str, list: &[(&Finding, String)]) {
    let _ = writeln!(
        out,
        "<details><summary>{}: {}</summary>",
        Esc(title),
        list.len()
    );
    if !list.is_empty() {
        out.push_str(
            "<table class=\"list\">\n<thead><tr><th>Location</th><th>Severity</th><th>Rule</th>\
             <th>Vendor</th><th>Matched text</th><th>Reason</th></tr></thead>\n<tbody>\n",
        );
        for (f, reason) in list {
            let _ = writeln!(
                out,
                "<tr data-filter><td><code>{}:{}:{}</code></td><td class=\"{}\">{}</td>\
                 <td><code>{}</code></td><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
                Esc(&f.file),
                f.start.line,
                f.start.column,
                sev_class(f.severity),
                f.severity,
                f.rule,
                Esc(summary::vendor_name(ruleset, f.vendor)),
                Esc(f.matched_text()),
                Esc(reason)
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</details>\n");
}

/// The stylesheet: system fonts, no images, severity colours.
const STYLE: &str = r#"body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
header{background:#fff;border-bottom:1px solid #ddd;padding:12px 24px;position:sticky;top:0;z-index:1}
header h1{margin:0 0 4px;font-size:22px}header p{margin:2px 0}
main{padding:0 24px 48px;max-width:1400px}
h2{margin:28px 0 8px;font-size:19px}h3{margin:0 0 4px;font-size:15px}
code,pre{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
nav a{margin-right:12px}
#tools{margin:6px 0}#q{width:min(480px,70vw);padding:4px 8px;font:inherit}
[hidden]{display:none!important}
table{border-collapse:collapse;background:#fff}th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
thead th{background:#f0f0f0;font-weight:600}td.n{text-align:right}
table.totals th{font-weight:normal}
.matrix th[scope=row]{font-weight:normal;max-width:48ch;overflow-wrap:anywhere}
.matrix thead th{font-size:12px;max-width:12ch}
.sev-error{background:#fdecea;color:#8e1b10}.sev-warning{background:#fff4e0;color:#7a4a00}.sev-info{background:#e8f1fb;color:#0d4a8f}
.ok{background:#e8f5e9;color:#1b5e20}
.verdict{display:inline-block;padding:2px 8px;border-radius:4px;font-weight:600}
.pill{display:inline-block;padding:0 6px;border-radius:9px;font-size:12px;font-weight:600;border:1px solid currentColor}
.badge{display:inline-block;padding:0 6px;border-radius:3px;font-size:11px;font-weight:700;text-transform:uppercase;letter-spacing:.03em}
.sens{background:#5b2a86;color:#fff}
tr.sensitive th{box-shadow:inset 4px 0 #5b2a86;background:#f4ecfb}
.tag{display:inline-block;padding:0 5px;border-radius:3px;background:#eee;color:#333;font-size:12px;font-weight:normal}
.alert{border:2px solid #c62828;background:#fdecea;padding:4px 16px;margin-top:20px}
details.group{background:#fff;border:1px solid #ddd;margin:6px 0;padding:4px 8px}
details.group>summary{cursor:pointer;padding:2px 0}
details.group table{margin:6px 0}
.card{background:#fff;border:1px solid #ddd;border-left-width:6px;margin:10px 0;padding:8px 12px;color:#1d1d1f}
.card.sev-error{border-left-color:#c62828}.card.sev-warning{border-left-color:#e0a000}.card.sev-info{border-left-color:#1565c0}
.msg{margin:2px 0 6px}
pre.excerpt{background:#f6f6f6;border:1px solid #e4e4e4;padding:6px 8px;white-space:pre-wrap;overflow-wrap:anywhere;margin:4px 0}
pre.excerpt .ln{color:#888;margin-right:10px;user-select:none}
mark{background:#ffe08a;color:inherit;outline:1px solid #d4a000}
.origin{color:#444;margin-left:6px}
.locs ol{margin:4px 0;padding-left:28px}
.note{color:#555;font-size:13px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
"#;

/// The only script: filtering by the search box (prefilled from `?q=` in
/// the URL), expand/collapse all, and `data-ready="1"` on `<body>` once
/// wired (tests look for it). It reads
/// the DOM; it holds no report data.
const SCRIPT: &str = r#"(function () {
  "use strict";
  var input = document.getElementById("q");
  var count = document.getElementById("q-count");
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-filter]"));
  var texts = items.map(function (el) { return el.textContent.toLowerCase(); });
  var groups = Array.prototype.slice.call(document.querySelectorAll("details[data-group]"));
  function apply() {
    var q = input.value.trim().toLowerCase();
    var shown = 0;
    items.forEach(function (el, i) {
      var hit = q === "" || texts[i].indexOf(q) !== -1;
      el.hidden = !hit;
      if (hit) { shown++; }
    });
    groups.forEach(function (g) {
      var any = g.querySelector("[data-filter]:not([hidden])") !== null;
      g.hidden = !any;
      if (q !== "" && any) { g.open = true; }
    });
    count.textContent = q === "" ? "" : shown + " of " + items.length + " rows and cards match";
  }
  var timer = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(apply, 150);
  });
  function setAll(open) {
    document.querySelectorAll("main details").forEach(function (d) { d.open = open; });
  }
  document.getElementById("expand").addEventListener("click", function () { setAll(true); });
  document.getElementById("collapse").addEventListener("click", function () { setAll(false); });
  // `report.html?q=hotjar` opens the report filtered.
  var m = /[?&]q=([^&]*)/.exec(location.search);
  if (m) {
    try { input.value = decodeURIComponent(m[1].replace(/\+/g, " ")); } catch (e) { input.value = m[1]; }
    apply();
  }
  document.getElementById("tools").hidden = false;
  document.body.setAttribute("data-ready", "1");
})();
"#;

/// The html reporter.
pub struct Html;

impl crate::report::Reporter for Html {
    fn render(&self, report: &Report, cx: &crate::report::Context<'_>) -> String {
        render(
            report,
            cx.ruleset,
            &Options {
                paths: cx.paths.to_vec(),
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_quotes_and_controls() {
        assert_eq!(
            Esc("<script src=\"x\">a&b's\u{0}</script>").to_string(),
            "&lt;script src=&quot;x&quot;&gt;a&amp;b&#39;s\u{FFFD}&lt;/script&gt;"
        );
        assert_eq!(Esc("é\tok\n").to_string(), "é\tok\n");
    }

    #[test]
    fn sections_are_the_first_directory_below_the_scanned_one() {
        let roots = ["./site/".to_string()];
        let got: Vec<&str> = [
            "site/index.html",
            "site/blog/a/index.html",
            "site/blog/b.html",
            "site/assets/app.js",
        ]
        .iter()
        .map(|f| section(f, &roots))
        .collect();
        assert_eq!(got, ["site/", "site/blog/", "site/blog/", "site/assets/"]);
    }

    #[test]
    fn root_len_takes_the_longest_root_on_a_segment_boundary() {
        let roots = ["a".to_string(), "a/blog".to_string(), ".".to_string()];
        assert_eq!(root_len("a/blog/x.html", &roots), 7);
        assert_eq!(root_len("a/blogs/y.html", &roots), 2);
        assert_eq!(root_len("b/y.html", &roots), 0);
        // A file named on the command line: its own directory.
        assert_eq!(root_len("a/b/c.html", &["a/b/c.html".to_string()]), 4);
    }
}
