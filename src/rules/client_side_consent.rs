//! `client-side-consent`: a consent manager's client SDK, or tracking gated on a consent check in the browser.

use super::{RuleDoc, RuleSpec, Severity};

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
