//! Tallies of a report by vendor and by page, shared by the HTML audit
//! report and the Markdown summary so both count the same way.
//!
//! Findings that name no known vendor (`third-party-*`, suppression rules)
//! are tallied under one column, [`OTHER`]. Resource hints
//! ([`crate::rules::Rule::is_hint`]) count as findings of their page, but
//! under no vendor and not under [`OTHER`]: a hint sends no page data, so a
//! site whose only trace of a vendor is a hint does not list it (issue 13).

use std::collections::BTreeMap;

use crate::finding::Finding;
use crate::rules::Severity;
use crate::vendors::{Baa, Ruleset, Vendor};

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
    /// Its findings per vendor (`None`: no known vendor), resource hints
    /// left out.
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

/// Whether a finding makes its vendor (or [`OTHER`]) present on its page:
/// every finding but a resource hint.
fn present(f: &Finding) -> bool {
    !f.rule.is_hint()
}

/// Every vendor with findings, resource hints left out: worst severity
/// first, then most findings, then by ruleset order (deterministic).
pub fn vendors<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Vec<VendorRow> {
    let mut by_vendor: BTreeMap<Option<usize>, (Tally, Vec<&str>)> = BTreeMap::new();
    for f in findings.into_iter().filter(|f| present(f)) {
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
pub fn pages<'a>(
    findings: impl IntoIterator<Item = &'a Finding>,
    sensitive: &[String],
) -> Vec<PageRow<'a>> {
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
        if present(f) {
            row.cells
                .entry(f.vendor)
                .and_modify(|t| t.add(f.severity))
                .or_insert_with(|| Tally::one(f.severity));
        }
    }
    by_file.into_values().collect()
}

/// One place in the sources that findings come from: a template line or
/// an original source line (each origin of a finding counts; a copied
/// snippet in two templates is two places to fix).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixRow<'a> {
    /// The source file.
    pub file: &'a str,
    /// Its 1-based line.
    pub line: u64,
    /// The line's text, when known.
    pub text: Option<&'a str>,
    /// `template` or `source map`.
    pub via: &'static str,
    /// Distinct built files with findings from it.
    pub pages: usize,
    /// Its findings and their worst severity.
    pub tally: Tally,
    /// The vendors of its findings (`None`: no known vendor), in order,
    /// resource hints left out.
    pub vendors: Vec<Option<usize>>,
}

/// Every source line that findings come from: most findings first, then
/// by file and line.
pub fn fixes<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Vec<FixRow<'a>> {
    type Acc<'a> = (FixRow<'a>, Vec<&'a str>);
    let mut by_place: BTreeMap<(&str, u64), Acc<'_>> = BTreeMap::new();
    for f in findings {
        for o in &f.origins {
            let (row, files) = by_place.entry((&o.file, o.line)).or_insert_with(|| {
                (
                    FixRow {
                        file: &o.file,
                        line: o.line,
                        text: o.text.as_deref(),
                        via: match o.via {
                            crate::origin::Via::Template => "template",
                            crate::origin::Via::SourceMap => "source map",
                        },
                        pages: 0,
                        tally: Tally {
                            findings: 0,
                            worst: f.severity,
                        },
                        vendors: Vec::new(),
                    },
                    Vec::new(),
                )
            });
            row.tally.add(f.severity);
            if present(f) && !row.vendors.contains(&f.vendor) {
                row.vendors.push(f.vendor);
            }
            files.push(&f.file);
        }
    }
    let mut rows: Vec<FixRow<'_>> = by_place
        .into_values()
        .map(|(mut row, mut files)| {
            files.sort_unstable();
            files.dedup();
            row.pages = files.len();
            row.vendors.sort_unstable_by_key(|v| (v.is_none(), *v));
            row
        })
        .collect();
    rows.sort_by(|a, b| {
        (b.tally.findings, a.file, a.line).cmp(&(a.tally.findings, b.file, b.line))
    });
    rows
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

/// Whom a finding names, for a list of findings: its vendor, else the
/// owner of the host a resource hint names, else [`OTHER`].
pub fn finding_party<'a>(ruleset: &'a Ruleset, f: &'a Finding) -> &'a str {
    match (f.vendor, &f.owner) {
        (None, Some(owner)) => owner,
        _ => vendor_name(ruleset, f.vendor),
    }
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
    use crate::finding::{Excerpt, Position};
    use crate::rules::Rule;

    fn finding(file: &str, vendor: Option<usize>, severity: Severity) -> Finding {
        Finding {
            rule: Rule::TrackerScript,
            severity,
            vendor,
            owner: None,
            file: file.into(),
            start: Position { line: 1, column: 1 },
            end: Position { line: 1, column: 2 },
            message: String::new(),
            url: None,
            excerpt: Excerpt::default(),
            fingerprint: String::new(),
            origins: Vec::new(),
            origin_note: None,
            status: crate::finding::Status::Reported,
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
    fn fixes_count_each_origin_line() {
        use crate::origin::{Origin, Via};
        let origin = |file: &str, line| Origin {
            file: file.into(),
            line,
            column: 1,
            text: None,
            via: Via::Template,
        };
        let mut a = finding("a.html", Some(3), Severity::Error);
        a.origins = vec![origin("inc/ga.njk", 1), origin("layouts/c.njk", 7)];
        let mut b = finding("b.html", Some(3), Severity::Warning);
        b.origins = vec![origin("inc/ga.njk", 1)];
        let mut c = finding("b.html", None, Severity::Warning);
        c.origins = vec![origin("inc/ga.njk", 1)];
        let none = finding("c.html", Some(1), Severity::Error);
        let findings = [a, b, c, none];
        type Row<'a> = (&'a str, u64, usize, usize, Severity, Vec<Option<usize>>);
        let got: Vec<Row<'_>> = fixes(&findings)
            .into_iter()
            .map(|r| {
                (
                    r.file,
                    r.line,
                    r.pages,
                    r.tally.findings,
                    r.tally.worst,
                    r.vendors,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("inc/ga.njk", 1, 2, 3, Severity::Error, vec![Some(3), None]),
                ("layouts/c.njk", 7, 1, 1, Severity::Error, vec![Some(3)]),
            ]
        );
    }

    #[test]
    fn hints_are_findings_of_their_page_but_make_no_vendor_present() {
        let hint = |file: &str, vendor| {
            let mut f = finding(file, vendor, Severity::Warning);
            f.rule = Rule::TrackerPreconnect;
            f
        };
        let mut with_origin = hint("a.html", Some(3));
        with_origin.origins = vec![crate::origin::Origin {
            file: "inc/head.njk".into(),
            line: 2,
            column: 1,
            text: None,
            via: crate::origin::Via::Template,
        }];
        let findings = [
            with_origin,
            hint("a.html", None),
            hint("b.html", Some(1)),
            finding("b.html", Some(1), Severity::Error),
        ];
        let got: Vec<(Option<usize>, usize)> = vendors(&findings)
            .iter()
            .map(|r| (r.vendor, r.tally.findings))
            .collect();
        assert_eq!(got, [(Some(1), 1)]);
        let rows = pages(&findings, &[]);
        assert_eq!((rows[0].file, rows[0].tally.findings), ("a.html", 2));
        assert!(rows[0].cells.is_empty());
        assert_eq!(rows[1].tally.findings, 2);
        assert_eq!(rows[1].cells[&Some(1)].findings, 1);
        let fixes = fixes(&findings);
        assert_eq!((fixes[0].tally.findings, fixes[0].vendors.len()), (1, 0));
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
