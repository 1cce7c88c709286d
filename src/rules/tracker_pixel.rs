//! `tracker-pixel`: a known vendor's collection endpoint requested as an image, frame or beacon.

use super::{RuleDoc, RuleSpec, Severity};

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
