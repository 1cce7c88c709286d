//! `tracker-snippet`: inline or bundled code that loads or initialises a known vendor.

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
