//! `third-party-script`: a script from a host that is neither first-party nor a
//! known tracker.

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

#[cfg(test)]
mod tests {
    use crate::rules::{Rule, fixtures};

    /// `(file, source)` this rule must not report.
    const PASS: &[(&str, &str)] = &[
        ("index.html", r#"<script src="/js/site.js"></script>"#),
        (
            "index.html",
            r#"<script src="https://www.clinic.example/app.js"></script>"#,
        ),
        (
            "index.html",
            r#"<img src="https://cdnjs.cloudflare.com/logo.png">"#,
        ),
        (
            "index.html",
            r#"<iframe src="https://www.youtube.com/embed/abc123"></iframe>"#,
        ),
        (
            "index.html",
            r#"<script async src="https://www.googletagmanager.com/gtag/js?id=G-ABC123"></script>"#,
        ),
    ];

    /// `(file, source, message)` this rule must report.
    const FAIL: &[(&str, &str, &str)] = &[
        (
            "index.html",
            r#"<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>"#,
            "script loaded from third-party host code.jquery.com (jQuery CDN — cdn)",
        ),
        (
            "index.html",
            r#"<link rel="modulepreload" href="https://cdnjs.cloudflare.com/ajax/libs/x.js">"#,
            "script loaded from third-party host cdnjs.cloudflare.com (Cloudflare CDN — cdn)",
        ),
        (
            "index.html",
            r#"<script src="https://widgets.unknown-vendor.example/w.js"></script>"#,
            "script loaded from third-party host widgets.unknown-vendor.example",
        ),
    ];

    #[test]
    fn passes() {
        fixtures::passes(Rule::ThirdPartyScript, PASS);
    }

    #[test]
    fn fails() {
        fixtures::fails(Rule::ThirdPartyScript, FAIL);
    }
}
