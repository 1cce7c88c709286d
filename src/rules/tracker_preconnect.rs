//! `tracker-preconnect`: `preconnect` / `dns-prefetch` to a tracker host.

use super::{RuleDoc, RuleSpec, Seen, Severity, Sink};
use crate::vendors::Ruleset;

/// The rule's id, severity, summary and documentation.
pub(crate) const SPEC: RuleSpec = RuleSpec {
    id: "tracker-preconnect",
    severity: Severity::Warning,
    summary: "the page opens an early connection to a tracker host",
    doc: RuleDoc {
        what: "Finds `<link rel=preconnect>` and `<link rel=dns-prefetch>` hints to a tracker host.",
        why: "A preconnect tells the tracker's host that a visitor opened the page, and usually means tracker code is loaded somewhere else on the page or by a tag manager.",
        example: "<link rel=\"preconnect\" href=\"https://www.google-analytics.com\">",
        fix: "Remove the hint along with the tracker it serves.",
    },
};

/// A connection hint to any vendor's host, consent managers included.
pub(crate) fn check(seen: &Seen<'_>, rs: &Ruleset) -> Option<String> {
    match *seen {
        Seen::MarkupUrl {
            sink: Sink::Preconnect,
            url,
            matched: Some(m),
            ..
        } => Some(format!(
            "opens an early connection to {} host {}",
            rs.vendors[m.vendor].name, url.host
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
            r#"<link rel="preconnect" href="https://fonts.example.org">"#,
        ),
        (
            "index.html",
            r#"<link rel="preconnect" href="https://www.clinic.example">"#,
        ),
        (
            "index.html",
            r#"<a href="https://www.google-analytics.com/">Google Analytics</a>"#,
        ),
        (
            "index.html",
            r#"<script async src="https://www.googletagmanager.com/gtag/js?id=G-ABC123"></script>"#,
        ),
    ];

    /// `(file, source, message)` this rule must report.
    const FAIL: &[(&str, &str, &str)] = &[
        (
            "index.html",
            r#"<link rel="preconnect" href="https://www.google-analytics.com">"#,
            "opens an early connection to Google Analytics host www.google-analytics.com",
        ),
        (
            "index.html",
            r#"<link rel="dns-prefetch" href="//connect.facebook.net">"#,
            "opens an early connection to Meta Pixel host connect.facebook.net",
        ),
        (
            "index.html",
            r#"<link rel="preconnect" href="https://consent.cookiebot.com">"#,
            "opens an early connection to Cookiebot host consent.cookiebot.com",
        ),
    ];

    #[test]
    fn passes() {
        fixtures::passes(Rule::TrackerPreconnect, PASS);
    }

    #[test]
    fn fails() {
        fixtures::fails(Rule::TrackerPreconnect, FAIL);
    }
}
