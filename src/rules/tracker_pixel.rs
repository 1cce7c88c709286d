//! `tracker-pixel`: a known vendor's collection endpoint requested as an image,
//! frame or beacon.

use super::{RuleDoc, RuleSpec, Seen, Severity, Sink};
use crate::vendors::{PatternKind, Ruleset};

/// The rule's id, severity, summary and documentation.
pub(crate) const SPEC: RuleSpec = RuleSpec {
    id: "tracker-pixel",
    severity: Severity::Error,
    summary: "a tracking pixel or beacon sends data to a vendor's collection endpoint",
    doc: RuleDoc {
        what: "Finds requests to a vendor's collection endpoint made without a script: `<img>`, `<iframe>`, `<source>` and `<video>` sources, `srcset`, lazy-load attributes (`data-src`, `data-lazy-src`, `data-srcset`), CSS `url()` in `style` attributes, `<a ping>`, the same inside `<noscript>`, and collection endpoints in code (`new Image().src`, `navigator.sendBeacon`, `fetch`), including event-handler attributes.",
        why: "A pixel request carries the page URL, the vendor's cookies and the event data to the vendor, even when JavaScript is off: it is the tracker, not a fallback.",
        example: "<noscript><img src=\"https://www.facebook.com/tr?id=123&ev=PageView&noscript=1\"></noscript>",
        fix: "Remove the pixel along with the tag it belongs to. Server-side conversion APIs are only acceptable with de-identified data and a BAA.",
    },
};

/// An image-like request or a frame to a vendor that is not a consent
/// manager, or one of its collection endpoints in code.
pub(crate) fn check(seen: &Seen<'_>, rs: &Ruleset) -> Option<String> {
    match *seen {
        Seen::MarkupUrl {
            sink: Sink::Pixel | Sink::Frame,
            url,
            matched: Some(m),
            ..
        } if !rs.matcher.is_consent_vendor(m.vendor) => {
            let name = &rs.vendors[m.vendor].name;
            Some(match m.kind {
                PatternKind::Pixel => {
                    format!("{name} tracking pixel sends data to {}", url.display())
                }
                _ => format!("requests {name} resource {}", url.display()),
            })
        }
        Seen::CodeUrl { url, matched: m }
            if m.kind == PatternKind::Pixel && !rs.matcher.is_consent_vendor(m.vendor) =>
        {
            Some(format!(
                "code sends data to {} collection endpoint {}",
                rs.vendors[m.vendor].name,
                url.display()
            ))
        }
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
            r#"<img src="https://www.facebook.com/images/fb_icon_325x325.png" alt="">"#,
        ),
        (
            "index.html",
            r#"<!-- <img src="https://www.facebook.com/tr?id=1&ev=PageView"> -->"#,
        ),
        (
            "index.html",
            r#"<pre><code>&lt;img src="https://www.facebook.com/tr?id=123&amp;ev=PageView"&gt;</code></pre>"#,
        ),
        (
            "index.html",
            r#"<a href="https://www.facebook.com/tr?id=1&ev=Lead">a link is not a request</a>"#,
        ),
        (
            "index.html",
            r#"<img src="https://consent.cookiebot.com/logo.png">"#,
        ),
        ("index.html", "<script>fbq('track', 'PageView');</script>"),
    ];

    /// `(file, source, message)` this rule must report.
    const FAIL: &[(&str, &str, &str)] = &[
        (
            "index.html",
            r#"<noscript><img src="https://www.facebook.com/tr?id=123&ev=PageView&noscript=1"></noscript>"#,
            "Meta Pixel tracking pixel sends data to www.facebook.com/tr",
        ),
        (
            "index.html",
            r#"<noscript><iframe src="https://www.googletagmanager.com/ns.html?id=GTM-X"></iframe></noscript>"#,
            "Google Tag Manager tracking pixel sends data to www.googletagmanager.com/ns.html",
        ),
        (
            "index.html",
            r#"<a href="/book" ping="https://www.facebook.com/tr?id=1&ev=Lead">Book</a>"#,
            "Meta Pixel tracking pixel sends data to www.facebook.com/tr",
        ),
        (
            "index.html",
            r#"<div style="background: url(https://www.facebook.com/tr?id=1&ev=PageView)"></div>"#,
            "Meta Pixel tracking pixel sends data to www.facebook.com/tr",
        ),
        (
            "index.html",
            r#"<iframe src="https://vars.hotjar.com/box-0123.html"></iframe>"#,
            "requests Hotjar resource vars.hotjar.com/box-0123.html",
        ),
        (
            "index.html",
            r#"<script>navigator.sendBeacon("https://region1.google-analytics.com/g/collect?v=2&tid=G-1")</script>"#,
            "code sends data to Google Analytics collection endpoint region1.google-analytics.com/g/collect",
        ),
        (
            "bundle.js",
            r#"fetch("https://www.facebook.com/tr?id=1&ev=Lead");"#,
            "code sends data to Meta Pixel collection endpoint www.facebook.com/tr",
        ),
    ];

    #[test]
    fn passes() {
        fixtures::passes(Rule::TrackerPixel, PASS);
    }

    #[test]
    fn fails() {
        fixtures::fails(Rule::TrackerPixel, FAIL);
    }
}
