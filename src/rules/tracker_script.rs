//! `tracker-script`: a `<script src>` (or script preload) loading a known tracker.

use super::{RuleDoc, RuleSpec, Seen, Severity, Sink};
use crate::vendors::Ruleset;

/// The rule's id, severity, summary and documentation.
pub(crate) const SPEC: RuleSpec = RuleSpec {
    id: "tracker-script",
    severity: Severity::Error,
    summary: "a <script> loads a known tracker vendor's code",
    doc: RuleDoc {
        what: "Finds `<script src>` tags, and `<link rel=preload|prefetch as=script>` or `<link rel=modulepreload>` hints, that load a known tracker vendor's code: Google Analytics' gtag.js, Google Tag Manager, the Meta Pixel's fbevents.js, Segment's analytics.js, Hotjar and every other vendor in the rulesets. Protocol-relative and mixed-case URLs are resolved; relative URLs are first-party.",
        why: "Tracker code runs in every visitor's browser and sends the page URL, referrer, cookies and events straight to the vendor. On a healthcare site the URL alone (`/appointments/oncology`) can disclose protected health information; settlements since 2023 exceed $193 million for exactly this.",
        example: "<script async src=\"https://www.googletagmanager.com/gtag/js?id=G-XXXX\"></script>",
        fix: "Remove the tag. If you need measurement, send de-identified events from your own server to a collector you control, covered by a BAA with every vendor it forwards to.",
    },
};

/// A script from a vendor that is not a consent manager (whose SDK is
/// [`super::client_side_consent`]'s).
pub(crate) fn check(seen: &Seen<'_>, rs: &Ruleset) -> Option<String> {
    match *seen {
        Seen::MarkupUrl {
            sink: Sink::Script,
            url,
            matched: Some(m),
            ..
        } if !rs.matcher.is_consent_vendor(m.vendor) => Some(format!(
            "loads {} from {}",
            rs.vendors[m.vendor].name,
            url.display()
        )),
        _ => None,
    }
}
