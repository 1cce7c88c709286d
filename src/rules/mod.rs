//! The rules: what each finding means, how serious it is, and how to fix it.

use std::fmt;

use serde::Serialize;

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
