//! `third-party-embed`: a frame from a host that is neither first-party nor a known tracker.

use super::{RuleDoc, RuleSpec, Seen, Severity, Sink, operated_by};
use crate::vendors::Ruleset;

/// The rule's id, severity, summary and documentation.
pub(crate) const SPEC: RuleSpec = RuleSpec {
    id: "third-party-embed",
    severity: Severity::Warning,
    summary: "a frame embeds content from a third-party host",
    doc: RuleDoc {
        what: "Finds `<iframe>`, `<frame>`, `<embed>` and `<object>` content from a host that is neither first-party nor a known tracker: maps, video, widgets.",
        why: "A third-party frame lets its host set cookies and learn which page embeds it, and many embeds load their own trackers.",
        example: "<iframe src=\"https://www.youtube.com/embed/abc123\"></iframe>",
        fix: "Self-host the content, use a privacy-enhanced mode behind a click-to-load facade, or add the host with `--first-party` if your organisation controls it.",
    },
};

/// A frame from a host that no vendor claims and the organisation does not
/// control.
pub(crate) fn check(seen: &Seen<'_>, rs: &Ruleset) -> Option<String> {
    match *seen {
        Seen::MarkupUrl {
            sink: Sink::Frame,
            url,
            matched: None,
            first_party: false,
            owner,
        } => Some(format!(
            "frame embedded from third-party host {}{}",
            url.host,
            operated_by(owner, rs)
        )),
        _ => None,
    }
}
