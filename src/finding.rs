//! What a scan reports: rule ids, severities and located findings.
//!
//! Scanners produce [`RawFinding`]s (byte ranges into the scanned stream);
//! [`crate::source`] turns them into [`Finding`]s with lines, columns and an
//! excerpt. Reporters only format findings; they never scan.

use std::fmt;

use serde::Serialize;

use crate::source::{Excerpt, Position};

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// For the record; never fails a run.
    Info,
    /// Worth a look; does not fail the run.
    Warning,
    /// Fails the run (exit code 1).
    Error,
}

impl Severity {
    /// One level up (`Error` stays `Error`).
    pub fn raised(self) -> Severity {
        match self {
            Severity::Info => Severity::Warning,
            Severity::Warning | Severity::Error => Severity::Error,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// Every rule tracklint knows. The kebab-case ids are part of the public
/// contract (JSON output, suppressions, config): never rename one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// A `<script src>` (or script preload) loading a known tracker.
    TrackerScript,
    /// A known vendor's collection endpoint requested as an image, frame or beacon.
    TrackerPixel,
    /// Inline or bundled code that loads or initialises a known vendor.
    TrackerSnippet,
    /// A consent manager's client SDK, or tracking gated on a consent check in the browser.
    ClientSideConsent,
    /// A script from a host that is neither first-party nor a known tracker.
    ThirdPartyScript,
    /// A frame from a host that is neither first-party nor a known tracker.
    ThirdPartyEmbed,
    /// `preconnect` / `dns-prefetch` to a tracker host.
    TrackerPreconnect,
    /// An inline `tracklint-ignore` without a reason or a rule/vendor.
    SuppressionWithoutReason,
    /// An inline `tracklint-ignore` that suppressed nothing.
    UnusedSuppression,
}

impl Rule {
    /// All rules, in documentation order.
    pub const ALL: [Rule; 9] = [
        Rule::TrackerScript,
        Rule::TrackerPixel,
        Rule::TrackerSnippet,
        Rule::ClientSideConsent,
        Rule::ThirdPartyScript,
        Rule::ThirdPartyEmbed,
        Rule::TrackerPreconnect,
        Rule::SuppressionWithoutReason,
        Rule::UnusedSuppression,
    ];

    /// The stable kebab-case id.
    pub fn id(self) -> &'static str {
        match self {
            Rule::TrackerScript => "tracker-script",
            Rule::TrackerPixel => "tracker-pixel",
            Rule::TrackerSnippet => "tracker-snippet",
            Rule::ClientSideConsent => "client-side-consent",
            Rule::ThirdPartyScript => "third-party-script",
            Rule::ThirdPartyEmbed => "third-party-embed",
            Rule::TrackerPreconnect => "tracker-preconnect",
            Rule::SuppressionWithoutReason => "suppression-without-reason",
            Rule::UnusedSuppression => "unused-suppression",
        }
    }

    /// The severity the rule reports at.
    pub fn severity(self) -> Severity {
        match self {
            Rule::TrackerScript
            | Rule::TrackerPixel
            | Rule::TrackerSnippet
            | Rule::ClientSideConsent
            | Rule::SuppressionWithoutReason => Severity::Error,
            Rule::ThirdPartyScript
            | Rule::ThirdPartyEmbed
            | Rule::TrackerPreconnect
            | Rule::UnusedSuppression => Severity::Warning,
        }
    }

    /// One line on what the rule finds.
    pub fn summary(self) -> &'static str {
        match self {
            Rule::TrackerScript => "a <script> loads a known tracker vendor's code",
            Rule::TrackerPixel => {
                "a tracking pixel or beacon sends data to a vendor's collection endpoint"
            }
            Rule::TrackerSnippet => {
                "inline or bundled JavaScript loads or initialises a known tracker"
            }
            Rule::ClientSideConsent => {
                "consent for tracking is decided in the browser, where it can be bypassed"
            }
            Rule::ThirdPartyScript => "a script is loaded from a third-party host",
            Rule::ThirdPartyEmbed => "a frame embeds content from a third-party host",
            Rule::TrackerPreconnect => "the page opens an early connection to a tracker host",
            Rule::SuppressionWithoutReason => {
                "an inline tracklint-ignore names no rule or vendor, or gives no reason"
            }
            Rule::UnusedSuppression => "an inline tracklint-ignore suppressed nothing",
        }
    }

    /// Looks a rule up by its id.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.id() == id)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.id())
    }
}

/// A match as a scanner sees it: a byte range into the scanned stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawFinding {
    /// Which rule matched.
    pub rule: Rule,
    /// Index of the vendor in the [`crate::rules::Ruleset`], if any.
    pub vendor: Option<usize>,
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
    /// Index of the vendor in the ruleset, if any.
    pub vendor: Option<usize>,
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
    /// Content fingerprint (see [`crate::baseline`]), set once the whole
    /// run's findings are known.
    pub fingerprint: String,
    /// Where the code came from: the one place a source map names, or
    /// every template that holds the finding's text.
    pub origins: Vec<crate::origin::Origin>,
    /// Why no origin could be given, when one was looked for.
    pub origin_note: Option<String>,
}

impl Finding {
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
