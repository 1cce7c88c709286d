//! `third-party-script`: a script from a host that is neither first-party nor a known tracker.

use super::{RuleDoc, RuleSpec, Seen, Severity, Sink, operated_by};
use crate::vendors::Ruleset;

/// The rule's id, severity, summary and documentation.
pub(crate) const SPEC: RuleSpec = RuleSpec {
    id: "third-party-script",
    severity: Severity::Warning,
    summary: "a script is loaded from a third-party host",
    doc: RuleDoc {
        what: "Finds `<script src>` from a host that is neither first-party (`--first-party`, `[site] first_party`) nor a known tracker, such as a public CDN.",
        why: "A third-party script runs with full access to the page, including form fields, and can be changed by its host at any time; its host also sees every page view.",
        example: "<script src=\"https://code.jquery.com/jquery-3.7.1.min.js\"></script>",
        fix: "Self-host the script, or add its host with `--first-party` if your organisation controls it.",
    },
};

/// A script from a host that no vendor claims and the organisation does not
/// control.
pub(crate) fn check(seen: &Seen<'_>, rs: &Ruleset) -> Option<String> {
    match *seen {
        Seen::MarkupUrl {
            sink: Sink::Script,
            url,
            matched: None,
            first_party: false,
            owner,
        } => Some(format!(
            "script loaded from third-party host {}{}",
            url.host,
            operated_by(owner, rs)
        )),
        _ => None,
    }
}
