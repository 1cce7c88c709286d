//! `tracker-snippet`: inline or bundled code that loads or initialises a known vendor.

use super::{RuleDoc, RuleSpec, Severity};

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
