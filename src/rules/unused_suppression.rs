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
