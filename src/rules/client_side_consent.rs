//! `client-side-consent`: a consent manager's client SDK, or tracking gated on
//! a consent check in the browser.

use super::{RuleDoc, RuleSpec, Seen, Severity, Sink};
use crate::vendors::Ruleset;

/// The rule's id, severity, summary and documentation.
pub(crate) const SPEC: RuleSpec = RuleSpec {
    id: "client-side-consent",
    severity: Severity::Error,
    summary: "consent for tracking is decided in the browser, where it can be bypassed",
    doc: RuleDoc {
        what: "Finds consent managers' client SDKs (OneTrust, Cookiebot, …) and code or markup that gates tracking on a consent check in the browser: `OptanonWrapper`, `OnetrustActiveGroups`, `Cookiebot.consent`, `gtag('consent'`, `__tcfapi(`, `<script type=\"text/plain\" data-cookieconsent=…>`, `class=\"optanon-category-…\"`.",
        why: "A consent check in the browser can be bypassed, misconfigured or raced, and the tracker's code still ships to every visitor. Consent must be enforced server-side, before any data leaves the organisation's infrastructure.",
        example: "<script type=\"text/plain\" data-cookieconsent=\"statistics\" src=\"https://www.googletagmanager.com/gtag/js?id=G-XXXX\"></script>",
        fix: "Remove the client-side gate and the trackers behind it. Record consent on your server and forward only consented, de-identified events server-side.",
    },
};

/// A consent manager's code loaded by markup (except a preconnect, which is
/// [`super::tracker_preconnect`]'s) or by code, a consent check in code,
/// or a consent-gating attribute.
pub(crate) fn check(seen: &Seen<'_>, rs: &Ruleset) -> Option<String> {
    let name = |v: usize| &rs.vendors[v].name;
    match *seen {
        Seen::MarkupUrl {
            sink: Sink::Script | Sink::Pixel | Sink::Frame,
            url,
            matched: Some(m),
            ..
        } if rs.matcher.is_consent_vendor(m.vendor) => Some(format!(
            "loads {}'s client-side consent manager from {}",
            name(m.vendor),
            url.host
        )),
        Seen::CodeUrl { url, matched: m } if rs.matcher.is_consent_vendor(m.vendor) => {
            Some(format!(
                "code loads {}'s client-side consent manager from {}",
                name(m.vendor),
                url.host
            ))
        }
        Seen::Snippet {
            vendor,
            consent,
            signature,
        } if consent || rs.matcher.is_consent_vendor(vendor) => Some(format!(
            "code gates tracking on a client-side {} consent check (`{signature}`)",
            name(vendor)
        )),
        Seen::ConsentAttribute {
            tag,
            vendor,
            pattern,
        } => Some(format!(
            "<{tag}> is gated on a client-side {} consent check (`{pattern}`)",
            name(vendor)
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
            r#"<link rel="preconnect" href="https://consent.cookiebot.com">"#,
        ),
        (
            "index.html",
            r#"<script async src="https://www.googletagmanager.com/gtag/js?id=G-ABC123"></script>"#,
        ),
        (
            "index.html",
            r#"<div data-cookieconsent="statistics">Statistics</div>"#,
        ),
        ("index.html", "<script>gtag('config', 'G-1');</script>"),
    ];

    /// `(file, source, message)` this rule must report.
    const FAIL: &[(&str, &str, &str)] = &[
        (
            "index.html",
            r#"<script id="Cookiebot" src="https://consent.cookiebot.com/uc.js" data-cbid="00000000-0000-0000-0000-000000000000" type="text/javascript"></script>"#,
            "loads Cookiebot's client-side consent manager from consent.cookiebot.com",
        ),
        (
            "index.html",
            r#"<script type="text/plain" data-cookieconsent="statistics" src="https://www.googletagmanager.com/gtag/js?id=G-XXXX"></script>"#,
            "<script> is gated on a client-side Cookiebot consent check (`data-cookieconsent`)",
        ),
        (
            "index.html",
            "<script>if (Cookiebot.consent.marketing) { loadPixel(); }</script>",
            "code gates tracking on a client-side Cookiebot consent check (`Cookiebot.consent`)",
        ),
        (
            "bundle.js",
            "gtag('consent', 'default', { analytics_storage: 'denied' });",
            "code gates tracking on a client-side Google Analytics consent check (`gtag('consent'`)",
        ),
        (
            "bundle.js",
            r#"s.src = "https://cdn.cookielaw.org/scripttemplates/otSDKStub.js";"#,
            "code loads OneTrust's client-side consent manager from cdn.cookielaw.org",
        ),
    ];

    #[test]
    fn passes() {
        fixtures::passes(Rule::ClientSideConsent, PASS);
    }

    #[test]
    fn fails() {
        fixtures::fails(Rule::ClientSideConsent, FAIL);
    }
}
