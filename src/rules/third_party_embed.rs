//! `third-party-embed`: a frame from a host that is neither first-party nor a
//! known tracker.

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

#[cfg(test)]
mod tests {
    use crate::rules::{Rule, fixtures};

    /// `(file, source)` this rule must not report.
    const PASS: &[(&str, &str)] = &[
        (
            "index.html",
            r#"<iframe src="https://maps.clinic.example/embed"></iframe>"#,
        ),
        ("index.html", r#"<iframe src="/embed/video.html"></iframe>"#),
        (
            "index.html",
            r#"<a href="https://www.youtube.com/watch?v=abc123">Our video</a>"#,
        ),
        (
            "index.html",
            r#"<noscript><iframe src="https://www.googletagmanager.com/ns.html?id=GTM-X"></iframe></noscript>"#,
        ),
        (
            "index.html",
            r#"<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>"#,
        ),
    ];

    /// `(file, source, message)` this rule must report.
    const FAIL: &[(&str, &str, &str)] = &[
        (
            "index.html",
            r#"<iframe src="https://www.youtube.com/embed/abc123"></iframe>"#,
            "frame embedded from third-party host www.youtube.com (YouTube — video)",
        ),
        (
            "index.html",
            r#"<iframe src="https://www.youtube-nocookie.com/embed/abc123" title="Welcome video"></iframe>"#,
            "frame embedded from third-party host www.youtube-nocookie.com (YouTube — video)",
        ),
        (
            "index.html",
            r#"<object data="https://maps.unknown-vendor.example/m"></object>"#,
            "frame embedded from third-party host maps.unknown-vendor.example",
        ),
    ];

    #[test]
    fn passes() {
        fixtures::passes(Rule::ThirdPartyEmbed, PASS);
    }

    #[test]
    fn fails() {
        fixtures::fails(Rule::ThirdPartyEmbed, FAIL);
    }
}
