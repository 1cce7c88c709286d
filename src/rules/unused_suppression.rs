//! `unused-suppression`: an inline `tracklint-ignore` that suppressed nothing.

use super::{RuleDoc, RuleSpec, Severity};

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
