//! What a scan reports: located findings, each with its status.
//!
//! Scanners produce [`RawFinding`]s (byte ranges into the scanned stream);
//! [`crate::scan::locate`] turns them into [`Finding`]s with lines, columns
//! and an excerpt. The policy stages then only set a finding's
//! [`Status`], severity, fingerprint and origins, in one direction; no
//! finding is moved between lists. Reporters only format findings; they
//! never scan.

use std::ops::Range;

use serde::Serialize;

use crate::rules::{Rule, Severity};

/// A match as a scanner sees it: a byte range into the scanned stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawFinding {
    /// Which rule matched.
    pub rule: Rule,
    /// Index of the vendor in the [`crate::vendors::Ruleset`], if any.
    pub vendor: Option<usize>,
    /// Who runs the host, for a finding that names a host rather than a
    /// vendor's product (a resource hint): `Google`, `Meta`.
    pub owner: Option<String>,
    /// First byte of the offending text.
    pub start: u64,
    /// One past the last byte of the offending text.
    pub end: u64,
    /// The one-line message.
    pub message: String,
    /// The URL involved, normalised (`host/path`), if the finding is about a URL.
    pub url: Option<String>,
}

/// A finding located in its file, ready to report.
#[derive(Clone, Debug)]
pub struct Finding {
    /// Which rule matched.
    pub rule: Rule,
    /// The severity it reports at.
    pub severity: Severity,
    /// Index of the vendor in the ruleset, if any. A resource hint
    /// ([`Rule::is_hint`]) names one only when the whole host is the
    /// vendor's, and does not make the vendor present on the page.
    pub vendor: Option<usize>,
    /// Who runs the host, for a finding that names a host rather than a
    /// vendor's product (a resource hint).
    pub owner: Option<String>,
    /// The path as walked.
    pub file: String,
    /// Where the offending text starts (1-based line and column).
    pub start: Position,
    /// Just past where it ends (1-based line, exclusive column).
    pub end: Position,
    /// The one-line message.
    pub message: String,
    /// The URL involved, if any.
    pub url: Option<String>,
    /// A window of the source around the finding, for diagnostics.
    pub excerpt: Excerpt,
    /// Content fingerprint (see [`crate::policy::baseline`]), set once the whole
    /// run's findings are known.
    pub fingerprint: String,
    /// Where the code came from: the one place a source map names, or
    /// every template that holds the finding's text.
    pub origins: Vec<Origin>,
    /// Why no origin could be given, when one was looked for.
    pub origin_note: Option<String>,
    /// What became of it: reported, or accepted by a suppression, an
    /// allowance or the baseline.
    pub status: Status,
}

/// What became of a finding. Only [`Status::Reported`] findings count
/// towards the exit code; the others are kept for the audit trail.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Status {
    /// Reported: it fails the run at its severity.
    #[default]
    Reported,
    /// Accepted by an inline `tracklint-ignore` comment.
    Suppressed {
        /// The comment's reason.
        reason: String,
    },
    /// Accepted by an `[[allow]]` entry of the config.
    Allowed {
        /// The entry's reason.
        reason: String,
        /// Where the entry is written (`tracklint.toml:14`).
        by: String,
    },
    /// Recorded in the baseline given with `--baseline`.
    Baselined,
}

impl Finding {
    /// The text the finding points at.
    pub fn matched_text(&self) -> &str {
        self.excerpt
            .text
            .get(self.excerpt.label.clone())
            .unwrap_or_default()
    }

    /// The sort key that makes output deterministic: file, line, column, rule.
    pub fn sort_key(&self) -> (&str, u64, u64, Rule, Option<usize>) {
        (
            &self.file,
            self.start.line,
            self.start.column,
            self.rule,
            self.vendor,
        )
    }
}

/// A 1-based line and column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    /// Line number, from 1.
    pub line: u64,
    /// Column in characters, from 1.
    pub column: u64,
}

/// A window of source text around a finding.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Excerpt {
    /// The text (UTF-8), starting and ending with `…` where a long line was cut.
    pub text: String,
    /// Byte range of the finding within `text`.
    pub label: Range<usize>,
    /// The line number of the first line of `text`.
    pub line: u64,
}

/// How an origin was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Via {
    /// A JavaScript file's source map.
    SourceMap,
    /// A template under `[sources] paths` holding the finding's text.
    Template,
}

/// A finding's position in the original source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Origin {
    /// The original file, relative to the current directory when the map
    /// names it relatively.
    pub file: String,
    /// 1-based line.
    pub line: u64,
    /// 1-based column.
    pub column: u64,
    /// The original line's text, when the map carries `sourcesContent`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub text: Option<String>,
    /// How it was found.
    pub via: Via,
}

/// Why a page is sensitive though `[sensitive] paths` does not list it:
/// its forms ask for health information
/// ([`crate::scan::health_fields`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct SensitiveReason {
    /// The page, as shown.
    pub file: String,
    /// What its forms ask for: "form asks for date of birth and insurance
    /// member id".
    pub reason: String,
    /// The 1-based line of the first field that asks for it.
    pub line: u64,
}

impl std::fmt::Display for SensitiveReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (line {})", self.reason, self.line)
    }
}
