//! `tracker-preconnect`: `preconnect` / `dns-prefetch` to a tracker host.
//!
//! A hint names a host, not a path, so it names the host's owner (the
//! claiming vendor's company) and a vendor only when the whole host is that
//! vendor's ([`crate::vendors::HostClaim`]). It fetches nothing and sends
//! no page data, so policy never raises it ([`super::Rule::is_hint`]).

use super::{RuleDoc, RuleSpec, Seen, Severity};
use crate::vendors::Ruleset;

/// The rule's id, severity, summary and documentation.
pub(crate) const SPEC: RuleSpec = RuleSpec {
    id: "tracker-preconnect",
    severity: Severity::Warning,
    summary: "the page opens an early connection to a tracker host",
    doc: RuleDoc {
        what: "Finds `<link rel=preconnect>` and `<link rel=dns-prefetch>` hints to a host that a tracker vendor uses, and names who runs the host: its company (`www.google.com` is Google's, not Google Ads'), and the vendor too when the whole host is one vendor's (`www.google-analytics.com`). A hint fetches nothing and sends no page data, so it stays a warning: it is not raised for vendors that sign no BAA or on sensitive pages (a `[rules]` level still applies), and a hint alone does not count its vendor as present in the reports' vendor tables.",
        why: "A preconnect or DNS lookup tells the host's owner that a visitor opened a page of the site (their IP address and the time, not the page), and usually means tracker code is loaded somewhere else on the page or by a tag manager, or was removed and left the hint behind.",
        example: "<link rel=\"preconnect\" href=\"https://www.google-analytics.com\">",
        fix: "Remove the hint along with the tracker it serves, or on its own when the tracker is gone.",
    },
};

/// A connection hint to any vendor's host, consent managers included.
pub(crate) fn check(seen: &Seen<'_>, rs: &Ruleset) -> Option<String> {
    match *seen {
        Seen::Hint {
            url,
            claim: Some(c),
        } => {
            let v = &rs.vendors[c.vendor];
            let owner = v.owner();
            Some(if c.whole && v.name != owner {
                format!(
                    "opens an early connection to {owner} host {} ({})",
                    url.host, v.name
                )
            } else {
                format!("opens an early connection to {owner} host {}", url.host)
            })
        }
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
        // A host no vendor has a pattern on, though its company has trackers.
        (
            "index.html",
            r#"<link rel="preconnect" href="https://fonts.googleapis.com" crossorigin>"#,
        ),
        // A link, not a hint.
        (
            "index.html",
            r#"<link rel="alternate" href="https://www.google-analytics.com/feed">"#,
        ),
    ];

    /// `(file, source, message)` this rule must report.
    const FAIL: &[(&str, &str, &str)] = &[
        (
            "index.html",
            r#"<link rel="preconnect" href="https://www.google-analytics.com">"#,
            "opens an early connection to Google host www.google-analytics.com (Google Analytics)",
        ),
        (
            "index.html",
            r#"<link rel="dns-prefetch" href="//connect.facebook.net">"#,
            "opens an early connection to Meta host connect.facebook.net (Meta Pixel)",
        ),
        (
            "index.html",
            r#"<link rel="preconnect" href="https://consent.cookiebot.com">"#,
            "opens an early connection to Usercentrics host consent.cookiebot.com (Cookiebot)",
        ),
        // Hosts claimed by path only name their company, not a vendor.
        (
            "index.html",
            r#"<link rel="preconnect" href="https://www.google.com">"#,
            "opens an early connection to Google host www.google.com",
        ),
        (
            "index.html",
            r#"<link rel=dns-prefetch href=https://www.facebook.com>"#,
            "opens an early connection to Meta host www.facebook.com",
        ),
        // Google Analytics claims `/gtag/js` on Tag Manager's host.
        (
            "index.html",
            r#"<link rel="preconnect dns-prefetch" href="https://www.googletagmanager.com">"#,
            "opens an early connection to Google host www.googletagmanager.com",
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
