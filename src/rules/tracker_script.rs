//! `tracker-script`: a `<script src>` (or script preload) loading a known
//! tracker.

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

#[cfg(test)]
mod tests {
    use crate::rules::{Rule, fixtures};

    /// `(file, source)` this rule must not report.
    const PASS: &[(&str, &str)] = &[
        (
            "index.html",
            "<script src=\"/js/site.js\"></script>\n<script src=\"js/relative.js\"></script>",
        ),
        (
            "index.html",
            r#"<a href="https://www.googletagmanager.com/gtag/js?id=G-X">a link is not a load</a>"#,
        ),
        (
            "index.html",
            r#"<script type="application/ld+json">{"sameAs": ["https://www.googletagmanager.com/gtag/js"]}</script>"#,
        ),
        (
            "index.html",
            r#"<script id="Cookiebot" src="https://consent.cookiebot.com/uc.js"></script>"#,
        ),
        (
            "index.html",
            r#"<link rel="preconnect" href="https://www.google-analytics.com">"#,
        ),
        (
            "index.html",
            r#"<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>"#,
        ),
    ];

    /// `(file, source, message)` this rule must report.
    const FAIL: &[(&str, &str, &str)] = &[
        (
            "index.html",
            r#"<script async src="https://www.googletagmanager.com/gtag/js?id=G-ABC123"></script>"#,
            "loads Google Analytics from www.googletagmanager.com/gtag/js",
        ),
        (
            "index.html",
            r#"<script src="//Connect.Facebook.NET/en_US/fbevents.js"></script>"#,
            "loads Meta Pixel from connect.facebook.net/en_US/fbevents.js",
        ),
        (
            "index.html",
            r#"<link rel="preload" as="script" href="https://cdn.segment.com/analytics.js/v1/k/analytics.min.js">"#,
            "loads Segment from cdn.segment.com/analytics.js/v1/k/analytics.min.js",
        ),
    ];

    #[test]
    fn passes() {
        fixtures::passes(Rule::TrackerScript, PASS);
    }

    #[test]
    fn fails() {
        fixtures::fails(Rule::TrackerScript, FAIL);
    }
}
