//! `unused-suppression`: an inline `tracklint-ignore` that suppressed nothing.

use super::{RuleDoc, RuleSpec, Seen, Severity};
use crate::vendors::Ruleset;

/// The rule's id, severity, summary and documentation.
pub(crate) const SPEC: RuleSpec = RuleSpec {
    id: "unused-suppression",
    severity: Severity::Warning,
    summary: "an inline tracklint-ignore suppressed nothing",
    doc: RuleDoc {
        what: "Finds inline suppressions that matched no finding on their line (at the end of a line) or on the next line (on a line of their own).",
        why: "A stale suppression silently accepts whatever tracker is added there next.",
        example: "<!-- tracklint-ignore meta-pixel: removed in 2025 -->\n<p>Welcome</p>",
        fix: "Delete the suppression.",
    },
};

/// Every well-formed suppression that suppressed nothing.
pub(crate) fn check(seen: &Seen<'_>, _: &Ruleset) -> Option<String> {
    match *seen {
        Seen::UnusedSuppression { targets, trailing } => Some(format!(
            "inline suppression of `{}` matched no finding on the {} line",
            targets.join(", "),
            if trailing { "same" } else { "next" }
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
            "<!-- tracklint-ignore meta-pixel: proxied server-side -->\n<img src=\"https://www.facebook.com/tr?id=1\">",
        ),
        (
            "index.html",
            r#"<img src="https://www.facebook.com/tr?id=1"> <!-- tracklint-ignore tracker-pixel: proxied -->"#,
        ),
        ("index.html", "<!-- tracklint-ignore -->\n<p>Welcome</p>"),
    ];

    /// `(file, source, message)` this rule must report.
    const FAIL: &[(&str, &str, &str)] = &[
        (
            "index.html",
            "<!-- tracklint-ignore meta-pixel: removed in 2025 -->\n<p>Welcome</p>",
            "inline suppression of `meta-pixel` matched no finding on the next line",
        ),
        (
            "index.html",
            "<p>Welcome</p> <!-- tracklint-ignore hotjar: legacy -->",
            "inline suppression of `hotjar` matched no finding on the same line",
        ),
        (
            "index.html",
            "<!-- tracklint-ignore hotjar: proxied -->\n<img src=\"https://www.facebook.com/tr?id=1\">",
            "inline suppression of `hotjar` matched no finding on the next line",
        ),
        (
            "bundle.js",
            "x(); // tracklint-ignore tracker-snippet, hotjar: legacy",
            "inline suppression of `tracker-snippet, hotjar` matched no finding on the same line",
        ),
    ];

    #[test]
    fn passes() {
        fixtures::passes(Rule::UnusedSuppression, PASS);
    }

    #[test]
    fn fails() {
        fixtures::fails(Rule::UnusedSuppression, FAIL);
    }
}
