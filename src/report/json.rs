//! `--format json`: one JSON document on stdout.
//!
//! The shape (version 1) is a contract; fields are only ever added:
//!
//! ```json
//! {
//!   "version": 1,
//!   "findings": [{
//!     "rule": "tracker-script", "severity": "error",
//!     "vendor": "meta-pixel", "vendor_name": "Meta Pixel", "category": "social",
//!     "file": "_site/index.html", "line": 12, "column": 17,
//!     "end_line": 12, "end_column": 63,
//!     "message": "loads Meta Pixel from connect.facebook.net/en_US/fbevents.js",
//!     "url": "connect.facebook.net/en_US/fbevents.js",
//!     "fingerprint": "3f1c0a9e5b7d2c41",
//!     "excerpt": {"text": "  <script src=\"https://connect…\"></script>", "line": 12,
//!                 "start": 15, "end": 61}
//!   }],
//!   "summary": {"files_scanned": 9, "findings": 1, "errors": 1, "warnings": 0,
//!               "info": 0, "allowed": 1, "suppressed": 1, "baselined": 0, "fixed": 0,
//!               "binary_skipped": 0, "baseline": false},
//!   "errors": [{"file": "_site/broken.html", "message": "permission denied"}],
//!   "allowed": [{ ...the finding's fields..., "reason": "BAA signed 2026-03-01",
//!                "allowed_by": "tracklint.toml:14"}],
//!   "suppressed": [{ ...the finding's fields..., "reason": "proxied server-side"}],
//!   "baselined": [{ ...the finding's fields... }],
//!   "fixed": [{"fingerprint": "…", "rule": "…", "vendor": "…", "file": "…", "text": "…"}],
//!   "sensitive": ["_site/appointments/index.html"]
//! }
//! ```
//!
//! Lines and columns are 1-based; columns count characters; `end_column` is
//! exclusive. `vendor`, `vendor_name`, `category` and `url` are `null` when
//! they do not apply. `origin` is `{"file", "line", "column", "text"?,
//! "via"}` when a JavaScript file's source map (`"via": "source-map"`) or a
//! template under `[sources] paths` (`"via": "template"`) says where the
//! code came from, else `null`; when several templates hold the finding's
//! text, the others are in `more_origins`; when templates were searched and
//! none holds it, `origin_note` says so. `fingerprint` identifies the finding by content (see
//! baselines); `excerpt` is the window of source shown in diagnostics, with
//! the finding at bytes `start..end` of `text`, which starts on `line`.
//! Findings are sorted by file, line, column, rule.

use serde::Serialize;

use crate::check::Report;
use crate::finding::Finding;
use crate::rules::{Rule, Severity};
use crate::vendors::Ruleset;

#[derive(Serialize)]
struct Doc<'a> {
    version: u32,
    findings: Vec<JsonFinding<'a>>,
    summary: Summary,
    errors: Vec<JsonError<'a>>,
    allowed: Vec<JsonAllowed<'a>>,
    suppressed: Vec<JsonSuppressed<'a>>,
    baselined: Vec<JsonFinding<'a>>,
    fixed: &'a [crate::policy::baseline::Entry],
    sensitive: &'a [String],
}

#[derive(Serialize)]
struct JsonSuppressed<'a> {
    #[serde(flatten)]
    finding: JsonFinding<'a>,
    reason: &'a str,
}

#[derive(Serialize)]
struct JsonAllowed<'a> {
    #[serde(flatten)]
    finding: JsonFinding<'a>,
    reason: &'a str,
    allowed_by: &'a str,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: Rule,
    severity: Severity,
    vendor: Option<&'a str>,
    vendor_name: Option<&'a str>,
    category: Option<&'a str>,
    file: &'a str,
    line: u64,
    column: u64,
    end_line: u64,
    end_column: u64,
    message: &'a str,
    url: Option<&'a str>,
    fingerprint: &'a str,
    excerpt: JsonExcerpt<'a>,
    origin: Option<&'a crate::origin::Origin>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    more_origins: &'a [crate::origin::Origin],
    #[serde(skip_serializing_if = "Option::is_none")]
    origin_note: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonExcerpt<'a> {
    text: &'a str,
    line: u64,
    start: usize,
    end: usize,
}

#[derive(Serialize)]
struct Summary {
    files_scanned: usize,
    findings: usize,
    errors: usize,
    warnings: usize,
    info: usize,
    allowed: usize,
    suppressed: usize,
    baselined: usize,
    fixed: usize,
    binary_skipped: usize,
    baseline: bool,
}

#[derive(Serialize)]
struct JsonError<'a> {
    file: &'a str,
    message: &'a str,
}

fn json_finding<'a>(f: &'a Finding, ruleset: &'a Ruleset) -> JsonFinding<'a> {
    let v = f.vendor.map(|i| &ruleset.vendors[i]);
    JsonFinding {
        rule: f.rule,
        severity: f.severity,
        vendor: v.map(|v| v.id.get_ref().as_str()),
        vendor_name: v.map(|v| v.name.as_str()),
        category: v.map(|v| v.category.as_str()),
        file: &f.file,
        line: f.start.line,
        column: f.start.column,
        end_line: f.end.line,
        end_column: f.end.column,
        message: &f.message,
        url: f.url.as_deref(),
        fingerprint: &f.fingerprint,
        excerpt: JsonExcerpt {
            text: &f.excerpt.text,
            line: f.excerpt.line,
            start: f.excerpt.label.start,
            end: f.excerpt.label.end,
        },
        origin: f.origins.first(),
        more_origins: f.origins.get(1..).unwrap_or_default(),
        origin_note: f.origin_note.as_deref(),
    }
}

/// Renders the report as pretty-printed JSON.
pub fn render(report: &Report, ruleset: &Ruleset) -> String {
    let doc = Doc {
        version: 1,
        findings: report
            .findings
            .iter()
            .map(|f| json_finding(f, ruleset))
            .collect(),
        allowed: report
            .allowed
            .iter()
            .map(|a| JsonAllowed {
                finding: json_finding(&a.finding, ruleset),
                reason: &a.reason,
                allowed_by: &a.origin,
            })
            .collect(),
        suppressed: report
            .suppressed
            .iter()
            .map(|s| JsonSuppressed {
                finding: json_finding(&s.finding, ruleset),
                reason: &s.reason,
            })
            .collect(),
        baselined: report
            .baselined
            .iter()
            .map(|f| json_finding(f, ruleset))
            .collect(),
        fixed: &report.fixed,
        sensitive: &report.sensitive,
        summary: Summary {
            files_scanned: report.files_scanned,
            findings: report.findings.len(),
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            info: report.count(Severity::Info),
            allowed: report.allowed.len(),
            suppressed: report.suppressed.len(),
            baselined: report.baselined.len(),
            fixed: report.fixed.len(),
            binary_skipped: report.binary_skipped,
            baseline: report.baseline,
        },
        errors: report
            .errors
            .iter()
            .map(|e| JsonError {
                file: &e.file,
                message: &e.message,
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("report serialises");
    s.push('\n');
    s
}
