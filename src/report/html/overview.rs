//! The top of the report: the heading and verdict, the totals, the files
//! that could not be scanned, the sensitive pages, and the vendor and
//! "where to fix" tables.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::report::model::Report;
use crate::report::summary::{self, PageRow, Tally, VendorRow, plural};
use crate::rules::Severity;
use crate::vendors::Ruleset;

use super::escape::{Esc, sev_class};
use super::{OPEN_GROUPS_UP_TO, Options};

/// The page heading, the verdict and the (script-enabled) search tools.
pub(super) fn header(out: &mut String, report: &Report, opts: &Options, pages: usize) {
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
pub(super) fn totals(out: &mut String, report: &Report, pages: usize, vendors: usize) {
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
pub(super) fn errors(out: &mut String, report: &Report) {
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

/// The sensitive pages scanned, with their findings or "clean", and why
/// for a page found by its forms.
pub(super) fn sensitive(out: &mut String, report: &Report, pages: &[PageRow<'_>]) {
    if report.sensitive.is_empty() {
        return;
    }
    let tallies: HashMap<&str, Tally> = pages.iter().map(|p| (p.file, p.tally)).collect();
    let _ = writeln!(
        out,
        "<section id=\"sensitive\">\n<h2>Sensitive pages</h2>\n\
         <p>Pages matching <code>[sensitive]</code> paths or whose forms ask for health \
         information: tracking there can disclose protected health information, so their \
         findings are raised one level.</p>\n\
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
    let reasons: HashMap<&str, String> = report
        .sensitive_reasons
        .iter()
        .map(|r| (r.file.as_str(), format!("; {r}")))
        .collect();
    for file in &report.sensitive {
        let why = reasons.get(file.as_str()).map_or("", String::as_str);
        match tallies.get(file.as_str()) {
            Some(t) => {
                let _ = writeln!(
                    out,
                    "<li data-filter class=\"{}\"><span class=\"badge sens\">sensitive</span> \
                     <code>{}</code>: {}{}</li>",
                    sev_class(t.worst),
                    Esc(file),
                    plural(t.findings, "finding"),
                    Esc(why)
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "<li data-filter><span class=\"badge sens\">sensitive</span> \
                     <code>{}</code>: no findings{}</li>",
                    Esc(file),
                    Esc(why)
                );
            }
        }
    }
    out.push_str("</ul>\n</details>\n</section>\n");
}

/// The vendors table: who, what, BAA, how much, how bad.
pub(super) fn vendor_table(out: &mut String, ruleset: &Ruleset, vendors: &[VendorRow]) {
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
pub(super) fn fix_table(out: &mut String, ruleset: &Ruleset, rows: &[summary::FixRow<'_>]) {
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
