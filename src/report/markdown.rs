//! `--format markdown`: a GitHub-flavoured Markdown summary for a
//! pull-request comment (issue 7).
//!
//! A heading with the totals; files that could not be scanned; a vendors
//! table (vendor, category, BAA status, pages, findings); a pages table
//! (page, sensitive, findings, vendors); and the findings list, "new since
//! the baseline" when a baseline was applied, each as `file:line:col`,
//! severity, rule, vendor and message.
//!
//! GitHub rejects comments over 65,536 characters, so every part has a row
//! cap and a byte budget (bytes are never fewer than characters). Rows past
//! either are left out, counted, and the reader is pointed to the full
//! report. Text is escaped for GitHub-flavoured Markdown: `|` in table
//! cells, backticks (code spans get a longer fence), `<` and `&` (entities,
//! not HTML), emphasis and link characters, and newlines (a space).

use std::fmt::Write as _;

use crate::report::model::Report;
use crate::rules::Severity;
use crate::vendors::Ruleset;

use super::summary::{self, plural};

/// GitHub's limit on a comment's body, in characters.
pub const LIMIT: usize = 65_536;

/// Row caps and byte budgets of the parts; with the heading they stay
/// well under [`LIMIT`].
const ERRORS: (usize, usize) = (20, 4_000);
const VENDORS: (usize, usize) = (50, 8_000);
const PAGES: (usize, usize) = (50, 14_000);
const FINDINGS: (usize, usize) = (100, 30_000);

/// Whether text goes into a table cell (where `|` must be escaped even in
/// code spans) or running text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Table,
    Text,
}

/// Plain text, escaped: nothing in it becomes markup.
fn text(s: &str, place: Place) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' if place == Place::Table => out.push_str("\\|"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '~' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' => out.push(' '),
            c if c.is_control() => crate::report::controls::push_escaped(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// A code span holding `s` literally: the fence is one backtick longer
/// than the longest run inside, padded when `s` starts or ends with one.
fn code(s: &str, place: Place) -> String {
    let flat: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let flat = if place == Place::Table {
        flat.replace('|', "\\|")
    } else {
        flat
    };
    let longest = flat.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if flat.starts_with('`') || flat.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{flat}{pad}{fence}")
}

/// Appends `rows` while they fit in `cap` rows and `budget` bytes; then,
/// if any were left out, a line saying how many and where they are.
fn capped(
    out: &mut String,
    rows: impl Iterator<Item = String>,
    limits: (usize, usize),
    what: &str,
) {
    let (cap, budget) = limits;
    let (mut used, mut shown, mut left) = (0, 0, 0);
    for row in rows {
        if shown < cap && used + row.len() < budget {
            out.push_str(&row);
            out.push('\n');
            used += row.len() + 1;
            shown += 1;
        } else {
            left += 1;
        }
    }
    if left > 0 {
        let _ = writeln!(
            out,
            "\n_{} not shown. The full list is in the HTML audit report \
             (`tracklint report PATH --html report.html`) or `--format json`._",
            plural(left, &format!("more {what}"))
        );
    }
}

/// Renders the summary; with a baseline applied, the findings are called
/// the new ones.
pub fn render(report: &Report, ruleset: &Ruleset) -> String {
    let baseline = report.baseline;
    let vendors = summary::vendors(report.reported());
    let mut pages = summary::pages(report.reported(), &report.sensitive);
    let mut out = String::new();
    heading(&mut out, report, baseline, pages.len(), vendors.len());
    if !report.errors.is_empty() {
        let _ = writeln!(
            out,
            "\n**{} could not be scanned** (the run fails with exit code 2):\n",
            plural(report.errors.len(), "file")
        );
        let rows = report.errors.iter().map(|e| {
            format!(
                "- {}: {}",
                code(&e.file, Place::Text),
                text(&e.message, Place::Text)
            )
        });
        capped(&mut out, rows, ERRORS, "file");
    }
    if !vendors.is_empty() {
        out.push_str("\n#### Vendors\n\n| Vendor | Category | BAA | Pages | Findings |\n|---|---|---|--:|--:|\n");
        let rows = vendors.iter().map(|row| {
            let name = text(summary::vendor_name(ruleset, row.vendor), Place::Table);
            let (name, category, baa) = match row.vendor.and_then(|v| ruleset.vendors.get(v)) {
                Some(v) => (
                    format!("{name} ({})", code(v.id.get_ref(), Place::Table)),
                    text(v.category.as_str(), Place::Table),
                    text(&summary::baa_short(v), Place::Table),
                ),
                None => (name, "third-party host".into(), "–".into()),
            };
            format!(
                "| {name} | {category} | {baa} | {} | {} ({}) |",
                row.pages, row.tally.findings, row.tally.worst
            )
        });
        capped(&mut out, rows, VENDORS, "vendor");
    }
    if !pages.is_empty() {
        pages.sort_by(|a, b| {
            (b.tally.worst, b.sensitive, b.tally.findings, a.file).cmp(&(
                a.tally.worst,
                a.sensitive,
                a.tally.findings,
                b.file,
            ))
        });
        out.push_str(
            "\n#### Pages\n\n| Page | Sensitive | Findings | Vendors |\n|---|---|--:|---|\n",
        );
        let rows = pages.iter().map(|p| {
            let names: Vec<String> = p
                .vendor_names(ruleset)
                .into_iter()
                .map(|n| text(n, Place::Table))
                .collect();
            format!(
                "| {} | {} | {} ({}) | {} |",
                code(p.file, Place::Table),
                if p.sensitive { "**sensitive**" } else { "" },
                p.tally.findings,
                p.tally.worst,
                names.join(", ")
            )
        });
        capped(&mut out, rows, PAGES, "page");
    }
    if report.reported().next().is_some() {
        let _ = writeln!(
            out,
            "\n#### {}\n",
            if baseline {
                "New findings since the baseline"
            } else {
                "Findings"
            }
        );
        let rows = report.reported().map(|f| {
            // Where to fix it: the first origin (source map or template),
            // and how many other templates hold the same code.
            let from = match f.origins.split_first() {
                Some((o, rest)) => format!(
                    " (from {}{})",
                    code(&format!("{}:{}:{}", o.file, o.line, o.column), Place::Text),
                    match rest.len() {
                        0 => String::new(),
                        n => format!(" and {n} more"),
                    }
                ),
                None => String::new(),
            };
            format!(
                "- {} **{}** {} {}: {}{from}",
                code(
                    &format!("{}:{}:{}", f.file, f.start.line, f.start.column),
                    Place::Text
                ),
                f.severity,
                code(f.rule.id(), Place::Text),
                text(summary::finding_party(ruleset, f), Place::Text),
                text(&f.message, Place::Text)
            )
        });
        capped(&mut out, rows, FINDINGS, "finding");
    }
    out
}

/// The heading and the totals line.
fn heading(out: &mut String, report: &Report, baseline: bool, pages: usize, vendors: usize) {
    let findings = plural(
        report.reported().count(),
        if baseline { "new finding" } else { "finding" },
    );
    let _ = writeln!(
        out,
        "### tracklint: {findings} on {}\n",
        plural(pages, "page")
    );
    let errors = report.count(Severity::Error);
    let _ = write!(
        out,
        "{} · {} · {} info · {} scanned · {}",
        if errors > 0 {
            format!("**{}**", plural(errors, "error"))
        } else {
            plural(errors, "error")
        },
        plural(report.count(Severity::Warning), "warning"),
        report.count(Severity::Info),
        plural(report.files_scanned, "file"),
        plural(vendors, "vendor"),
    );
    if !report.sensitive.is_empty() {
        let _ = write!(
            out,
            " · {}",
            plural(report.sensitive.len(), "sensitive page")
        );
    }
    let _ = write!(
        out,
        " · accepted: {} allowed, {} suppressed, {} baselined",
        report.allowed().count(),
        report.suppressed().count(),
        report.baselined().count()
    );
    if !report.fixed.is_empty() {
        let _ = write!(out, " · {} fixed since the baseline", report.fixed.len());
    }
    out.push('\n');
}

/// The markdown reporter.
pub struct Markdown;

impl crate::report::Reporter for Markdown {
    fn write(
        &self,
        report: &Report,
        cx: &crate::report::Context<'_>,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        out.write_all(render(report, cx.ruleset).as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_cannot_become_markup() {
        assert_eq!(
            text("a|b <script> *x* [l](u) `c`\nd & e", Place::Table),
            "a\\|b &lt;script&gt; \\*x\\* \\[l\\](u) \\`c\\` d &amp; e"
        );
        assert_eq!(text("a|b", Place::Text), "a\\|b");
    }

    #[test]
    fn code_spans_hold_backticks_pipes_and_newlines() {
        assert_eq!(code("a`b", Place::Text), "``a`b``");
        assert_eq!(code("`x`", Place::Text), "`` `x` ``");
        assert_eq!(code("a|b\nc", Place::Table), "`a\\|b c`");
        assert_eq!(code("a|b", Place::Text), "`a|b`");
    }

    #[test]
    fn capped_counts_what_it_leaves_out() {
        let mut out = String::new();
        capped(
            &mut out,
            (0..5).map(|i| format!("row {i}")),
            (3, 1000),
            "row",
        );
        assert!(
            out.starts_with("row 0\nrow 1\nrow 2\n\n_2 more rows not shown."),
            "{out}"
        );
        let mut out = String::new();
        capped(
            &mut out,
            ["x".repeat(50), "y".into()].into_iter(),
            (10, 10),
            "row",
        );
        assert!(out.starts_with("y\n\n_1 more row not shown."), "{out}");
    }
}
