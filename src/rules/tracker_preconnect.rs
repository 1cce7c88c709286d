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
