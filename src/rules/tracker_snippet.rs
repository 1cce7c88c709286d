//! `tracker-snippet`: inline or bundled code that loads or initialises a known
//! vendor.

use super::{RuleDoc, RuleSpec, Seen, Severity};
use crate::vendors::{PatternKind, Ruleset};

/// The rule's id, severity, summary and documentation.
pub(crate) const SPEC: RuleSpec = RuleSpec {
    id: "tracker-snippet",
    severity: Severity::Error,
    summary: "inline or bundled JavaScript loads or initialises a known tracker",
    doc: RuleDoc {
        what: "Finds inline or bundled JavaScript that loads or initialises a vendor: `gtag('config'`, `ga('create'`, the GTM loader, `fbq('init'`, the Segment snippet and `analytics.load(`, Hotjar's `_hjSettings`, `mixpanel.init(`, and vendor hosts or endpoints inside code, including JSON-escaped `https:\\/\\/host\\/path`. A signature repeated within one script or file is reported once; every URL is reported.",
        why: "A snippet bundled into your JavaScript ships the tracker as surely as a script tag, and hides it from anyone reviewing the HTML.",
        example: "<script>fbq('init', '123456789'); fbq('track', 'PageView');</script>",
        fix: "Remove the snippet and the dependency that brings it in (check the bundle's source map or `package.json`).",
    },
};

/// A code signature, or a URL in code other than a collection endpoint
/// ([`super::tracker_pixel`]'s), of a vendor that is not a consent manager.
pub(crate) fn check(seen: &Seen<'_>, rs: &Ruleset) -> Option<String> {
    match *seen {
        Seen::CodeUrl { url, matched: m }
            if m.kind != PatternKind::Pixel && !rs.matcher.is_consent_vendor(m.vendor) =>
        {
            Some(format!(
                "code references {} endpoint {}",
                rs.vendors[m.vendor].name,
                url.display()
            ))
        }
        Seen::Snippet {
            vendor,
            consent: false,
            signature,
        } if !rs.matcher.is_consent_vendor(vendor) => Some(format!(
            "code loads or initialises {} (`{signature}`)",
            rs.vendors[vendor].name
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
            "<p>Our pages used to call gtag('config', 'G-1') and fbq('init', '1').</p>",
        ),
        (
            "index.html",
            "<script>omega('create', 1); stag('config', 2);</script>",
        ),
        (
            "index.html",
            r#"<script>fetch("https://www.facebook.com/tr?id=1&ev=Lead")</script>"#,
        ),
        (
            "bundle.js",
            "if (Cookiebot.consent.marketing) { loadPixel(); }",
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
            "<script>fbq('init', '123456789'); fbq('track', 'PageView');</script>",
            "code loads or initialises Meta Pixel (`fbq('init'`)",
        ),
        (
            "bundle.js",
            "ga('create', 'UA-1-1', 'auto'); ga('send', 'pageview');",
            "code loads or initialises Google Analytics (`ga('create'`)",
        ),
        (
            "bundle.js",
            r#"var u = "https:\/\/api.segment.io\/v1\/t";"#,
            "code references Segment endpoint api.segment.io/v1/t",
        ),
        (
            "index.html",
            r#"<script>s.src = "https://www.googletagmanager.com/gtag/js?id=" + id;</script>"#,
            "code references Google Analytics endpoint www.googletagmanager.com/gtag/js",
        ),
    ];

    #[test]
    fn passes() {
        fixtures::passes(Rule::TrackerSnippet, PASS);
    }

    #[test]
    fn fails() {
        fixtures::fails(Rule::TrackerSnippet, FAIL);
    }
}
