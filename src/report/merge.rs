//! `tracklint merge`: combine the JSON reports of sharded runs
//! (`check --shard K/N --format json`) into one report, as if one run had
//! scanned every file. Shards split by file and fingerprints are per file,
//! so findings, audit lists and fingerprints come out identical.

use std::path::Path;

use serde::Deserialize;

use crate::check::{FileError, Report};
use crate::error::UsageError;
use crate::finding::Finding;
use crate::policy::Allowed;
use crate::policy::baseline::Entry;
use crate::policy::suppress::Suppressed;
use crate::rules::{Rule, Severity};
use crate::scan::locate::{Excerpt, Position};
use crate::vendors::Ruleset;

#[derive(Deserialize)]
struct Doc {
    version: u32,
    findings: Vec<InFinding>,
    summary: InSummary,
    errors: Vec<InError>,
    allowed: Vec<InAllowed>,
    suppressed: Vec<InSuppressed>,
    baselined: Vec<InFinding>,
    fixed: Vec<Entry>,
    #[serde(default)]
    sensitive: Vec<String>,
}

#[derive(Deserialize)]
struct InSummary {
    files_scanned: usize,
    #[serde(default)]
    binary_skipped: usize,
    #[serde(default)]
    baseline: bool,
}

#[derive(Deserialize)]
struct InError {
    file: String,
    message: String,
}

#[derive(Deserialize)]
struct InAllowed {
    #[serde(flatten)]
    finding: InFinding,
    reason: String,
    allowed_by: String,
}

#[derive(Deserialize)]
struct InSuppressed {
    #[serde(flatten)]
    finding: InFinding,
    reason: String,
}

#[derive(Deserialize)]
struct InFinding {
    rule: String,
    severity: String,
    vendor: Option<String>,
    file: String,
    line: u64,
    column: u64,
    end_line: u64,
    end_column: u64,
    message: String,
    url: Option<String>,
    fingerprint: String,
    excerpt: InExcerpt,
    #[serde(default)]
    origin: Option<crate::origin::Origin>,
    #[serde(default)]
    more_origins: Vec<crate::origin::Origin>,
    #[serde(default)]
    origin_note: Option<String>,
}

#[derive(Deserialize)]
struct InExcerpt {
    text: String,
    line: u64,
    start: usize,
    end: usize,
}

impl InFinding {
    fn into_finding(self, ruleset: &Ruleset, from: &Path) -> Result<Finding, UsageError> {
        let bad = |what: String| UsageError::new(format!("{}: {what}", from.display()));
        let rule = Rule::from_id(&self.rule)
            .ok_or_else(|| bad(format!("unknown rule `{}`", self.rule)))?;
        let severity = match self.severity.as_str() {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            "info" => Severity::Info,
            other => return Err(bad(format!("unknown severity `{other}`"))),
        };
        let vendor = match &self.vendor {
            Some(id) => Some(
                ruleset
                    .vendor_by_id(id)
                    .ok_or_else(|| {
                        bad(format!(
                            "vendor `{id}` is not in this ruleset: merge with the config the shards used"
                        ))
                    })?
                    .0,
            ),
            None => None,
        };
        let text_len = self.excerpt.text.len();
        if self.excerpt.start > self.excerpt.end
            || self.excerpt.end > text_len
            || !self.excerpt.text.is_char_boundary(self.excerpt.start)
            || !self.excerpt.text.is_char_boundary(self.excerpt.end)
        {
            return Err(bad("excerpt range outside its text".into()));
        }
        Ok(Finding {
            rule,
            severity,
            vendor,
            file: self.file,
            start: Position {
                line: self.line,
                column: self.column,
            },
            end: Position {
                line: self.end_line,
                column: self.end_column,
            },
            message: self.message,
            url: self.url,
            excerpt: Excerpt {
                text: self.excerpt.text,
                label: self.excerpt.start..self.excerpt.end,
                line: self.excerpt.line,
            },
            fingerprint: self.fingerprint,
            origins: self.origin.into_iter().chain(self.more_origins).collect(),
            origin_note: self.origin_note,
        })
    }
}

/// Reads and combines the reports at `paths`.
pub fn merge(paths: &[std::path::PathBuf], ruleset: &Ruleset) -> Result<Report, UsageError> {
    let mut report = Report::default();
    for path in paths {
        let text = std::fs::read_to_string(path)
            .map_err(|e| UsageError::new(format!("cannot read {}: {e}", path.display())))?;
        let doc: Doc = serde_json::from_str(&text).map_err(|e| {
            UsageError::new(format!(
                "{} is not a tracklint JSON report: {e}",
                path.display()
            ))
        })?;
        if doc.version != 1 {
            return Err(UsageError::new(format!(
                "{}: unsupported report version {}",
                path.display(),
                doc.version
            )));
        }
        report.files_scanned += doc.summary.files_scanned;
        report.binary_skipped += doc.summary.binary_skipped;
        report.baseline |= doc.summary.baseline;
        report.sensitive.extend(doc.sensitive);
        for f in doc.findings {
            report.findings.push(f.into_finding(ruleset, path)?);
        }
        for f in doc.baselined {
            report.baselined.push(f.into_finding(ruleset, path)?);
        }
        for a in doc.allowed {
            report.allowed.push(Allowed {
                finding: a.finding.into_finding(ruleset, path)?,
                reason: a.reason,
                origin: a.allowed_by,
            });
        }
        for s in doc.suppressed {
            report.suppressed.push(Suppressed {
                finding: s.finding.into_finding(ruleset, path)?,
                reason: s.reason,
            });
        }
        report.fixed.extend(doc.fixed);
        report
            .errors
            .extend(doc.errors.into_iter().map(|e| FileError {
                file: e.file,
                message: e.message,
            }));
    }
    report.sort();
    report.sensitive.sort();
    report.sensitive.dedup();
    // The same path reported by several shards (a walk error) once.
    report
        .errors
        .dedup_by(|a, b| a.file == b.file && a.message == b.message);
    Ok(report)
}
