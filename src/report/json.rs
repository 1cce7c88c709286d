//! `--format json`: one JSON document on stdout, the report model's
//! serialised form. The shape is declared once, here: [`Doc`] is written by
//! [`render`] and read back by `tracklint merge` ([`read`]).
//!
//! The shape (version 1) is a contract; fields are only ever added:
//!
//! ```json
//! {
//!   "version": 1,
//!   "tool_version": "0.1.0",
//!   "config": "tracklint.toml",
//!   "config_digest": "9d3b1f0c2a7e4c55",
//!   "files_digest": "51c0e7a2b9d84f16",
//!   "shard": {"index": 2, "count": 4},
//!   "findings": [{
//!     "rule": "tracker-script", "severity": "error",
//!     "vendor": "meta-pixel", "vendor_name": "Meta Pixel", "category": "advertising",
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
//!   "sensitive": ["_site/appointments/index.html", "_site/portal/index.html"],
//!   "links_skipped": ["_site/latest"],
//!   "sensitive_reasons": [{"file": "_site/appointments/index.html",
//!                          "reason": "form asks for date of birth and insurance member id",
//!                          "line": 42}]
//! }
//! ```
//!
//! `sensitive` lists every sensitive page scanned: those `[sensitive]
//! paths` matches and those whose forms ask for health information;
//! `sensitive_reasons` says why for each page of the second kind, with the
//! line of the first field that asks (a page listed by `paths` alone has
//! no entry).
//!
//! `tool_version` is the tracklint that wrote the report; `config` the
//! config file in effect (`null`: none); `config_digest` a digest of it and
//! of the flags that change findings; `files_digest` a digest of the full
//! list of files to scan before sharding; `shard` the `--shard K/N` the
//! report covers (`null`: every file). `merge` refuses shards that differ
//! in any of these, or a shard missing or given twice.
//! Lines and columns are 1-based; columns count characters; `end_column` is
//! exclusive. `vendor`, `vendor_name`, `category` and `url` are `null` when
//! they do not apply. `owner`, only on a `tracker-preconnect` finding (a
//! resource hint, which names a host rather than a vendor's product), is
//! who runs the host as the ruleset names it (`"Google"`, `"Meta"`); such a
//! finding names a `vendor` only when the whole host is that vendor's, and
//! does not by itself mean the vendor is on the page (issue 13). `origin` is `{"file", "line", "column", "text"?,
//! "via"}` when a JavaScript file's source map (`"via": "source-map"`) or a
//! template under `[sources] paths` (`"via": "template"`) says where the
//! code came from, else `null`; when several templates hold the finding's
//! text, the others are in `more_origins`; when templates were searched and
//! none holds it, `origin_note` says so. `fingerprint` identifies the finding by content (see
//! baselines); `excerpt` is the window of source shown in diagnostics, with
//! the finding at bytes `start..end` of `text`, which starts on `line`.
//! Findings are sorted by file, line, column, rule.
//!
//! It stays one file past 500 lines: the shape is declared once, so the
//! types, their writing (streamed) and their reading back for `merge` live
//! together.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::finding::{Excerpt, Position};
use crate::finding::{Finding, SensitiveReason, Status};
use crate::origin::Origin;
use crate::policy::baseline::Entry;
use crate::report::model::{FileError, Report};
use crate::report::{Context, Reporter};
use crate::rules::{Rule, Severity};
use crate::vendors::Ruleset;

crate::layer_error!(
    /// A report to merge cannot be read, or does not fit the others or the
    /// ruleset.
    MergeError,
    "tracklint::merge"
);

/// The JSON document (version 1), as `merge` reads it back; [`write`]
/// writes the same fields in the same order.
#[derive(Deserialize)]
pub struct Doc {
    /// Format version: 1.
    pub version: u32,
    /// The tracklint version that wrote it (`None` when read from a report
    /// written before the field existed, which merge refuses).
    #[serde(default)]
    pub tool_version: Option<String>,
    /// The config file in effect, as shown; `null`: none.
    #[serde(default)]
    pub config: Option<String>,
    /// Digest of the config in effect (file and flags).
    #[serde(default)]
    pub config_digest: Option<String>,
    /// Digest of the full file list, before sharding.
    #[serde(default)]
    pub files_digest: Option<String>,
    /// The share of the files this report covers; `null`: all of them.
    #[serde(default)]
    pub shard: Option<JsonShard>,
    /// Reported findings.
    pub findings: Vec<JsonFinding>,
    /// Counts.
    pub summary: Summary,
    /// Files that could not be scanned.
    pub errors: Vec<JsonError>,
    /// Findings accepted by `[[allow]]` entries.
    pub allowed: Vec<JsonAllowed>,
    /// Findings accepted by inline suppressions.
    pub suppressed: Vec<JsonSuppressed>,
    /// Findings in the baseline.
    pub baselined: Vec<JsonFinding>,
    /// Baseline entries that no longer occur.
    pub fixed: Vec<Entry>,
    /// Sensitive pages scanned.
    #[serde(default)]
    pub sensitive: Vec<String>,
    /// Symbolic links met while walking and not followed (with `--strict`
    /// each is also in `errors`).
    #[serde(default)]
    pub links_skipped: Vec<String>,
    /// Why each page found by its forms is sensitive.
    #[serde(default)]
    pub sensitive_reasons: Vec<SensitiveReason>,
}

/// `--shard K/N`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JsonShard {
    /// K, from 1.
    pub index: u32,
    /// N.
    pub count: u32,
}

/// A finding accepted by an inline suppression.
#[derive(Serialize, Deserialize)]
pub struct JsonSuppressed {
    /// The finding.
    #[serde(flatten)]
    pub finding: JsonFinding,
    /// The suppression's reason.
    pub reason: String,
}

/// A finding accepted by an `[[allow]]` entry.
#[derive(Serialize, Deserialize)]
pub struct JsonAllowed {
    /// The finding.
    #[serde(flatten)]
    pub finding: JsonFinding,
    /// The entry's reason.
    pub reason: String,
    /// Where the entry is written.
    pub allowed_by: String,
}

/// One finding.
#[derive(Serialize, Deserialize)]
pub struct JsonFinding {
    /// Rule id.
    pub rule: String,
    /// `error`, `warning` or `info`.
    pub severity: String,
    /// Vendor id.
    pub vendor: Option<String>,
    /// Vendor name (written, not read).
    #[serde(default)]
    pub vendor_name: Option<String>,
    /// Vendor category (written, not read).
    #[serde(default)]
    pub category: Option<String>,
    /// Who runs the host a resource hint names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The file as walked.
    pub file: String,
    /// 1-based line.
    pub line: u64,
    /// 1-based column, in characters.
    pub column: u64,
    /// Line of the end.
    pub end_line: u64,
    /// Column just past the end.
    pub end_column: u64,
    /// The message.
    pub message: String,
    /// The URL involved.
    pub url: Option<String>,
    /// Content fingerprint.
    pub fingerprint: String,
    /// The source window shown in diagnostics.
    pub excerpt: JsonExcerpt,
    /// Where the code came from.
    #[serde(default)]
    pub origin: Option<Origin>,
    /// Other templates holding the same text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub more_origins: Vec<Origin>,
    /// Why no origin was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin_note: Option<String>,
}

/// A window of source text with the finding at `start..end`.
#[derive(Serialize, Deserialize)]
pub struct JsonExcerpt {
    /// The text.
    pub text: String,
    /// The line it starts on.
    pub line: u64,
    /// Byte offset of the finding in `text`.
    pub start: usize,
    /// Byte offset just past it.
    pub end: usize,
}

/// Counts (merge reads only what it cannot recount).
#[derive(Serialize, Deserialize)]
pub struct Summary {
    /// Files scanned.
    pub files_scanned: usize,
    /// Reported findings.
    #[serde(default)]
    pub findings: usize,
    /// Reported errors.
    #[serde(default)]
    pub errors: usize,
    /// Reported warnings.
    #[serde(default)]
    pub warnings: usize,
    /// Reported info findings.
    #[serde(default)]
    pub info: usize,
    /// Allowed findings.
    #[serde(default)]
    pub allowed: usize,
    /// Suppressed findings.
    #[serde(default)]
    pub suppressed: usize,
    /// Baselined findings.
    #[serde(default)]
    pub baselined: usize,
    /// Fixed baseline entries.
    #[serde(default)]
    pub fixed: usize,
    /// Binary files skipped.
    #[serde(default)]
    pub binary_skipped: usize,
    /// Whether a baseline was applied.
    #[serde(default)]
    pub baseline: bool,
}

/// A file that could not be scanned.
#[derive(Serialize, Deserialize)]
pub struct JsonError {
    /// The path.
    pub file: String,
    /// Why.
    pub message: String,
}

impl Summary {
    /// The counts of `report`.
    fn of(report: &Report) -> Summary {
        let tally = report.tally();
        Summary {
            files_scanned: report.files_scanned,
            findings: tally.reported,
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            info: report.count(Severity::Info),
            allowed: tally.allowed,
            suppressed: tally.suppressed,
            baselined: tally.baselined,
            fixed: report.fixed.len(),
            binary_skipped: report.binary_skipped,
            baseline: report.baseline,
        }
    }
}

impl JsonFinding {
    fn of(f: &Finding, ruleset: &Ruleset) -> JsonFinding {
        let v = f.vendor.map(|i| &ruleset.vendors[i]);
        JsonFinding {
            rule: f.rule.id().to_string(),
            severity: f.severity.to_string(),
            vendor: v.map(|v| v.id.get_ref().clone()),
            vendor_name: v.map(|v| v.name.clone()),
            category: v.map(|v| v.category.as_str().to_string()),
            owner: f.owner.clone(),
            file: f.file.clone(),
            line: f.start.line,
            column: f.start.column,
            end_line: f.end.line,
            end_column: f.end.column,
            message: f.message.clone(),
            url: f.url.clone(),
            fingerprint: f.fingerprint.clone(),
            excerpt: JsonExcerpt {
                text: f.excerpt.text.clone(),
                line: f.excerpt.line,
                start: f.excerpt.label.start,
                end: f.excerpt.label.end,
            },
            origin: f.origins.first().cloned(),
            more_origins: f.origins.get(1..).unwrap_or_default().to_vec(),
            origin_note: f.origin_note.clone(),
        }
    }

    /// The finding, checked against `ruleset` (`from` names the file in
    /// errors).
    fn into_finding(
        self,
        status: Status,
        ruleset: &Ruleset,
        from: &Path,
    ) -> Result<Finding, MergeError> {
        let bad = |what: String| MergeError::new(format!("{}: {what}", from.display()));
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
            owner: self.owner,
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
            status,
        })
    }
}

impl Doc {
    /// Adds this document's contents to `report` (`from` names the file
    /// in errors). The report is not sorted.
    pub fn add_to(
        self,
        report: &mut Report,
        ruleset: &Ruleset,
        from: &Path,
    ) -> Result<(), MergeError> {
        report.files_scanned += self.summary.files_scanned;
        report.binary_skipped += self.summary.binary_skipped;
        report.baseline |= self.summary.baseline;
        report.sensitive.extend(self.sensitive);
        report.links_skipped.extend(self.links_skipped);
        report.sensitive_reasons.extend(self.sensitive_reasons);
        for f in self.findings {
            report
                .findings
                .push(f.into_finding(Status::Reported, ruleset, from)?);
        }
        for f in self.baselined {
            report
                .findings
                .push(f.into_finding(Status::Baselined, ruleset, from)?);
        }
        for a in self.allowed {
            let status = Status::Allowed {
                reason: a.reason,
                by: a.allowed_by,
            };
            report
                .findings
                .push(a.finding.into_finding(status, ruleset, from)?);
        }
        for s in self.suppressed {
            let status = Status::Suppressed { reason: s.reason };
            report
                .findings
                .push(s.finding.into_finding(status, ruleset, from)?);
        }
        report.fixed.extend(self.fixed);
        report
            .errors
            .extend(self.errors.into_iter().map(|e| FileError {
                file: e.file,
                message: e.message,
            }));
        Ok(())
    }
}

/// Writes the report as pretty-printed JSON to `out`, finding by finding:
/// the shape of [`Doc`], which `merge` reads back.
pub fn write(
    report: &Report,
    ruleset: &Ruleset,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let finding = move |f| JsonFinding::of(f, ruleset);
    let doc = DocOut {
        version: 1,
        tool_version: env!("CARGO_PKG_VERSION"),
        config: &report.config,
        config_digest: &report.config_digest,
        files_digest: &report.files_digest,
        shard: report.shard.map(|s| JsonShard {
            index: s.index,
            count: s.count,
        }),
        findings: Each(report.reported().map(finding)),
        summary: Summary::of(report),
        errors: Each(report.errors.iter().map(|e| JsonError {
            file: e.file.clone(),
            message: e.message.clone(),
        })),
        allowed: Each(report.allowed().map(move |(f, reason, by)| JsonAllowed {
            finding: JsonFinding::of(f, ruleset),
            reason: reason.to_string(),
            allowed_by: by.to_string(),
        })),
        suppressed: Each(report.suppressed().map(move |(f, reason)| JsonSuppressed {
            finding: JsonFinding::of(f, ruleset),
            reason: reason.to_string(),
        })),
        baselined: Each(report.baselined().map(finding)),
        fixed: &report.fixed,
        sensitive: &report.sensitive,
        links_skipped: &report.links_skipped,
        sensitive_reasons: &report.sensitive_reasons,
    };
    crate::report::controls::write_json(&mut *out, &doc)?;
    out.write_all(b"\n")
}

/// [`Doc`] as written: the same fields in the same order (a field added to
/// one belongs in both), the lists borrowed or built one item at a time.
#[derive(Serialize)]
#[serde(bound(
    serialize = "Each<F>: Serialize, Each<E>: Serialize, Each<A>: Serialize, \
    Each<S>: Serialize, Each<B>: Serialize"
))]
struct DocOut<'a, F, E, A, S, B> {
    version: u32,
    tool_version: &'static str,
    config: &'a Option<String>,
    config_digest: &'a str,
    files_digest: &'a str,
    shard: Option<JsonShard>,
    findings: Each<F>,
    summary: Summary,
    errors: Each<E>,
    allowed: Each<A>,
    suppressed: Each<S>,
    baselined: Each<B>,
    fixed: &'a [Entry],
    sensitive: &'a [String],
    links_skipped: &'a [String],
    sensitive_reasons: &'a [SensitiveReason],
}

/// A list serialised item by item from an iterator.
struct Each<I>(I);

impl<I> Serialize for Each<I>
where
    I: Iterator + Clone,
    I::Item: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.clone())
    }
}

/// The JSON reporter.
pub struct Json;

impl Reporter for Json {
    fn write(
        &self,
        report: &Report,
        cx: &Context<'_>,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        write(report, cx.ruleset, out)
    }
}
