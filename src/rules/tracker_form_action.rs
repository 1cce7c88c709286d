//! `tracker-form-action`: a form that submits to a known tracker.

use super::{RuleDoc, RuleSpec, Seen, Severity, Sink};
use crate::vendors::Ruleset;

/// The rule's id, severity, summary and documentation.
pub(crate) const SPEC: RuleSpec = RuleSpec {
    id: "tracker-form-action",
    severity: Severity::Warning,
    summary: "a form submits its fields to a known tracker",
    doc: RuleDoc {
        what: "Finds `<form action>` and `formaction` on buttons and inputs that send the form to a known tracker vendor's host. Nothing is sent until the form is submitted, so it is a warning, raised like any other finding on sensitive pages and for vendors that sign no BAA.",
        why: "A submitted form sends every field it holds (names, dates of birth, symptoms) with the visitor's cookies to the vendor: on a booking or intake form that is a disclosure of health information.",
        example: "<form action=\"https://www.facebook.com/tr\" method=\"post\"><input name=\"dob\"></form>",
        fix: "Submit forms to your own server, and forward only what a vendor under a BAA needs, server-side.",
    },
};

/// A form submission to any vendor's host, consent managers included.
pub(crate) fn check(seen: &Seen<'_>, rs: &Ruleset) -> Option<String> {
    match *seen {
        Seen::MarkupUrl {
            sink: Sink::Form,
            url,
            matched: Some(m),
            ..
        } => Some(format!(
            "form submits to {} endpoint {}",
            rs.vendors[m.vendor].name,
            url.display()
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
            r#"<form action="/appointments" method="post"><input name="dob"></form>"#,
        ),
        (
            "index.html",
            r#"<form action="https://forms.example.org/submit"><button>Send</button></form>"#,
        ),
        (
            "index.html",
            r#"<a href="https://www.facebook.com/tr?id=1">not a form</a>"#,
        ),
    ];

    /// `(file, source, message)` this rule must report.
    const FAIL: &[(&str, &str, &str)] = &[
        (
            "index.html",
            r#"<form action="https://www.facebook.com/tr?id=1" method="post"><input name="dob"></form>"#,
            "form submits to Meta Pixel endpoint www.facebook.com/tr",
        ),
        (
            "index.html",
            r#"<form action="/book"><button formaction="https://www.google-analytics.com/collect">Send</button></form>"#,
            "form submits to Google Analytics endpoint www.google-analytics.com/collect",
        ),
    ];

    #[test]
    fn passes() {
        fixtures::passes(Rule::TrackerFormAction, PASS);
    }

    #[test]
    fn fails() {
        fixtures::fails(Rule::TrackerFormAction, FAIL);
    }
}
