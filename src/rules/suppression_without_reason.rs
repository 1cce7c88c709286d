//! `suppression-without-reason`: an inline `tracklint-ignore` without a reason
//! or a rule/vendor.

use super::{Rule, RuleDoc, RuleSpec, Seen, Severity};
use crate::vendors::Ruleset;

/// The rule's id, severity, summary and documentation.
pub(crate) const SPEC: RuleSpec = RuleSpec {
    id: "suppression-without-reason",
    severity: Severity::Error,
    summary: "an inline tracklint-ignore names no rule or vendor, or gives no reason",
    doc: RuleDoc {
        what: "Finds inline suppressions (`<!-- tracklint-ignore … -->`, `// tracklint-ignore …`, `/* tracklint-ignore … */`) that name no rule or vendor, name one that does not exist, or give no reason after a colon.",
        why: "Every exception to the gate must be auditable: a reviewer has to see what was accepted and why. A bare ignore hides a tracker without a record.",
        example: "<!-- tracklint-ignore -->\n<script src=\"https://www.googletagmanager.com/gtag/js?id=G-XXXX\"></script>",
        fix: "Name the rule or vendor and give the reason: `<!-- tracklint-ignore google-analytics: de-identified, proxied through our BAA-covered collector -->`, or better, remove the tracker.",
    },
};

/// A suppression that names nothing, names something that is neither a rule
/// nor a vendor, or gives no reason.
pub(crate) fn check(seen: &Seen<'_>, rs: &Ruleset) -> Option<String> {
    let Seen::Suppression { targets, reason } = *seen else {
        return None;
    };
    let unknown = targets
        .iter()
        .find(|t| Rule::from_id(t).is_none() && rs.vendor_by_id(t).is_none());
    if targets.is_empty() {
        Some("inline suppression names no rule or vendor".to_string())
    } else if let Some(t) = unknown {
        Some(format!(
            "inline suppression names `{t}`, which is neither a rule nor a vendor"
        ))
    } else if reason.is_none() {
        Some("inline suppression gives no reason: write `tracklint-ignore <rule-or-vendor>: <reason>`".to_string())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::{Rule, fixtures};

    /// `(file, source)` this rule must not report.
    const PASS: &[(&str, &str)] = &[
        (
            "index.html",
            "<!-- tracklint-ignore meta-pixel: proxied server-side -->\n<img src=\"https://www.facebook.com/tr?id=1\">",
        ),
        (
            "bundle.js",
            "x(); // tracklint-ignore tracker-snippet, hotjar: legacy",
        ),
        ("index.html", "<p>see tracklint-ignore docs</p>"),
    ];

    /// `(file, source, message)` this rule must report.
    const FAIL: &[(&str, &str, &str)] = &[
        (
            "index.html",
            "<!-- tracklint-ignore -->\n<script src=\"https://www.googletagmanager.com/gtag/js?id=G-XXXX\"></script>",
            "inline suppression names no rule or vendor",
        ),
        (
            "index.html",
            "<!-- tracklint-ignore meta-pxl: proxied server-side -->\n<img src=\"https://www.facebook.com/tr?id=1\">",
            "inline suppression names `meta-pxl`, which is neither a rule nor a vendor",
        ),
        (
            "index.html",
            "<!-- tracklint-ignore meta-pixel -->\n<img src=\"https://www.facebook.com/tr?id=1\">",
            "inline suppression gives no reason: write `tracklint-ignore <rule-or-vendor>: <reason>`",
        ),
        (
            "bundle.js",
            "fbq('init', '1'); // tracklint-ignore meta-pixel",
            "inline suppression gives no reason: write `tracklint-ignore <rule-or-vendor>: <reason>`",
        ),
    ];

    #[test]
    fn passes() {
        fixtures::passes(Rule::SuppressionWithoutReason, PASS);
    }

    #[test]
    fn fails() {
        fixtures::fails(Rule::SuppressionWithoutReason, FAIL);
    }
}
