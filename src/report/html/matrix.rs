//! The pages × vendors matrix: one collapsible group per site section, one
//! row per page with findings, one cell per vendor coloured by its worst
//! severity.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::report::model::Report;
use crate::report::summary::{self, PageRow, VendorRow, plural};
use crate::rules::Severity;
use crate::vendors::Ruleset;

use super::OPEN_GROUPS_UP_TO;
use super::escape::{Esc, sev_class};

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
pub(super) fn matrix(
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

#[cfg(test)]
mod tests {
    use super::*;

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
