//! Tallies of a report by vendor and by page, shared by the HTML audit
//! report and the Markdown summary so both count the same way.
//!
//! Findings that name no known vendor (`third-party-*`, suppression rules)
//! are tallied under one column, [`OTHER`].

use std::collections::BTreeMap;

use crate::finding::{Finding, Severity};
use crate::rules::{Baa, Ruleset, Vendor};

/// The label of the column for findings that name no known vendor.
pub const OTHER: &str = "Other third parties";

/// How many findings, and the worst severity among them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tally {
    /// Number of findings.
    pub findings: usize,
    /// The most serious severity counted.
    pub worst: Severity,
}

impl Tally {
    /// A tally of one finding at `severity`.
    fn one(severity: Severity) -> Tally {
        Tally {
            findings: 1,
            worst: severity,
        }
    }

    /// Counts one more finding at `severity`.
    fn add(&mut self, severity: Severity) {
        self.findings += 1;
        self.worst = self.worst.max(severity);
    }
}

/// One vendor (or [`OTHER`], when `vendor` is `None`) across the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VendorRow {
    /// Index into the ruleset's vendors; `None` for findings without one.
    pub vendor: Option<usize>,
    /// Distinct files with at least one of its findings.
    pub pages: usize,
    /// Its findings and their worst severity.
    pub tally: Tally,
}

/// One file with findings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageRow<'a> {
    /// The file, as shown.
    pub file: &'a str,
    /// Whether `[sensitive]` matches it.
    pub sensitive: bool,
    /// All its findings.
    pub tally: Tally,
    /// Its findings per vendor (`None`: no known vendor).
    pub cells: BTreeMap<Option<usize>, Tally>,
}

impl PageRow<'_> {
    /// The names of the page's vendors, alphabetical, [`OTHER`] last.
    pub fn vendor_names<'r>(&self, ruleset: &'r Ruleset) -> Vec<&'r str> {
        let mut names: Vec<&str> = self
            .cells
            .keys()
            .filter(|v| v.is_some())
            .map(|v| vendor_name(ruleset, *v))
            .collect();
        names.sort_unstable();
        if self.cells.contains_key(&None) {
            names.push(OTHER);
        }
        names
    }
}

/// Every vendor with findings: worst severity first, then most findings,
/// then by ruleset order (deterministic).
pub fn vendors(findings: &[Finding]) -> Vec<VendorRow> {
    let mut by_vendor: BTreeMap<Option<usize>, (Tally, Vec<&str>)> = BTreeMap::new();
    for f in findings {
        by_vendor
            .entry(f.vendor)
            .and_modify(|(t, files)| {
                t.add(f.severity);
                files.push(&f.file);
            })
            .or_insert_with(|| (Tally::one(f.severity), vec![&f.file]));
    }
    let mut rows: Vec<VendorRow> = by_vendor
        .into_iter()
        .map(|(vendor, (tally, mut files))| {
            files.sort_unstable();
            files.dedup();
            VendorRow {
                vendor,
                pages: files.len(),
                tally,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        (
            b.tally.worst,
            b.tally.findings,
            a.vendor.is_none(),
            a.vendor,
        )
            .cmp(&(
                a.tally.worst,
                a.tally.findings,
                b.vendor.is_none(),
                b.vendor,
            ))
    });
    rows
}

/// Every file with findings, by path. `sensitive` is the report's sorted
/// list of sensitive files.
pub fn pages<'a>(findings: &'a [Finding], sensitive: &[String]) -> Vec<PageRow<'a>> {
    let mut by_file: BTreeMap<&str, PageRow<'a>> = BTreeMap::new();
    for f in findings {
        let row = by_file.entry(&f.file).or_insert_with(|| PageRow {
            file: &f.file,
            sensitive: is_sensitive(sensitive, &f.file),
            tally: Tally {
                findings: 0,
                worst: f.severity,
            },
            cells: BTreeMap::new(),
        });
        row.tally.add(f.severity);
        row.cells
            .entry(f.vendor)
            .and_modify(|t| t.add(f.severity))
            .or_insert_with(|| Tally::one(f.severity));
    }
    by_file.into_values().collect()
}

/// `n word` or `n words`.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Whether `file` is in the sorted list `sensitive`.
pub fn is_sensitive(sensitive: &[String], file: &str) -> bool {
    sensitive.binary_search_by(|s| s.as_str().cmp(file)).is_ok()
}

/// The vendor's display name, or [`OTHER`].
pub fn vendor_name(ruleset: &Ruleset, vendor: Option<usize>) -> &str {
    vendor
        .and_then(|v| ruleset.vendors.get(v))
        .map_or(OTHER, |v| v.name.as_str())
}

/// The vendor's BAA status in a word or two: `no`, `yes`, `on <plan>`,
/// `unknown`.
pub fn baa_short(v: &Vendor) -> String {
    match v.baa {
        Baa::No => "no".into(),
        Baa::Yes => "yes".into(),
        Baa::Tier => format!("on {}", v.baa_tier.as_deref().unwrap_or("some plans")),
        Baa::Unknown => "unknown".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Rule;
    use crate::source::{Excerpt, Position};

    fn finding(file: &str, vendor: Option<usize>, severity: Severity) -> Finding {
        Finding {
            rule: Rule::TrackerScript,
            severity,
            vendor,
            file: file.into(),
            start: Position { line: 1, column: 1 },
            end: Position { line: 1, column: 2 },
            message: String::new(),
            url: None,
            excerpt: Excerpt::default(),
            fingerprint: String::new(),
            origins: Vec::new(),
            origin_note: None,
        }
    }

    #[test]
    fn vendors_count_pages_once_and_sort_worst_first() {
        let findings = [
            finding("a.html", Some(3), Severity::Warning),
            finding("a.html", Some(3), Severity::Warning),
            finding("b.html", Some(3), Severity::Warning),
            finding("a.html", None, Severity::Error),
            finding("b.html", Some(1), Severity::Error),
        ];
        let rows = vendors(&findings);
        let got: Vec<(Option<usize>, usize, usize, Severity)> = rows
            .iter()
            .map(|r| (r.vendor, r.pages, r.tally.findings, r.tally.worst))
            .collect();
        assert_eq!(
            got,
            [
                (Some(1), 1, 1, Severity::Error),
                (None, 1, 1, Severity::Error),
                (Some(3), 2, 3, Severity::Warning),
            ]
        );
    }

    #[test]
    fn pages_tally_cells_and_mark_sensitive() {
        let findings = [
            finding("a.html", Some(3), Severity::Warning),
            finding("a.html", Some(3), Severity::Error),
            finding("b.html", None, Severity::Info),
        ];
        let rows = pages(&findings, &["b.html".to_string()]);
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].file, rows[0].sensitive), ("a.html", false));
        assert_eq!(
            rows[0].tally,
            Tally {
                findings: 2,
                worst: Severity::Error
            }
        );
        assert_eq!(rows[0].cells[&Some(3)].findings, 2);
        assert_eq!((rows[1].file, rows[1].sensitive), ("b.html", true));
        assert_eq!(rows[1].cells[&None].worst, Severity::Info);
    }
}
