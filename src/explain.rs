//! The text `tracklint explain` prints and `docs/rules.md` shows, from one
//! source so the two never drift (a test regenerates the docs and compares).

use std::fmt::Write as _;

use crate::rules::Rule;
use crate::vendors::{Baa, Vendor};

/// A rule's documentation, in fixed sections.
pub struct RuleDoc {
    /// What it finds.
    pub what: &'static str,
    /// Why it matters.
    pub why: &'static str,
    /// A minimal example that is reported.
    pub example: &'static str,
    /// What to do instead.
    pub fix: &'static str,
}

/// The documentation of `rule`.
pub fn rule_doc(rule: Rule) -> RuleDoc {
    match rule {
        Rule::TrackerScript => RuleDoc {
            what: "Finds `<script src>` tags, and `<link rel=preload|prefetch as=script>` or `<link rel=modulepreload>` hints, that load a known tracker vendor's code: Google Analytics' gtag.js, Google Tag Manager, the Meta Pixel's fbevents.js, Segment's analytics.js, Hotjar and every other vendor in the rulesets. Protocol-relative and mixed-case URLs are resolved; relative URLs are first-party.",
            why: "Tracker code runs in every visitor's browser and sends the page URL, referrer, cookies and events straight to the vendor. On a healthcare site the URL alone (`/appointments/oncology`) can disclose protected health information; settlements since 2023 exceed $193 million for exactly this.",
            example: "<script async src=\"https://www.googletagmanager.com/gtag/js?id=G-XXXX\"></script>",
            fix: "Remove the tag. If you need measurement, send de-identified events from your own server to a collector you control, covered by a BAA with every vendor it forwards to.",
        },
        Rule::TrackerPixel => RuleDoc {
            what: "Finds requests to a vendor's collection endpoint made without a script: `<img>`, `<iframe>`, `<source>` and `<video>` sources, `srcset`, lazy-load attributes (`data-src`, `data-lazy-src`, `data-srcset`), CSS `url()` in `style` attributes, `<a ping>`, the same inside `<noscript>`, and collection endpoints in code (`new Image().src`, `navigator.sendBeacon`, `fetch`), including event-handler attributes.",
            why: "A pixel request carries the page URL, the vendor's cookies and the event data to the vendor, even when JavaScript is off: it is the tracker, not a fallback.",
            example: "<noscript><img src=\"https://www.facebook.com/tr?id=123&ev=PageView&noscript=1\"></noscript>",
            fix: "Remove the pixel along with the tag it belongs to. Server-side conversion APIs are only acceptable with de-identified data and a BAA.",
        },
        Rule::TrackerSnippet => RuleDoc {
            what: "Finds inline or bundled JavaScript that loads or initialises a vendor: `gtag('config'`, `ga('create'`, the GTM loader, `fbq('init'`, the Segment snippet and `analytics.load(`, Hotjar's `_hjSettings`, `mixpanel.init(`, and vendor hosts or endpoints inside code, including JSON-escaped `https:\\/\\/host\\/path`. A signature repeated within one script or file is reported once; every URL is reported.",
            why: "A snippet bundled into your JavaScript ships the tracker as surely as a script tag, and hides it from anyone reviewing the HTML.",
            example: "<script>fbq('init', '123456789'); fbq('track', 'PageView');</script>",
            fix: "Remove the snippet and the dependency that brings it in (check the bundle's source map or `package.json`).",
        },
        Rule::ClientSideConsent => RuleDoc {
            what: "Finds consent managers' client SDKs (OneTrust, Cookiebot, …) and code or markup that gates tracking on a consent check in the browser: `OptanonWrapper`, `OnetrustActiveGroups`, `Cookiebot.consent`, `gtag('consent'`, `__tcfapi(`, `<script type=\"text/plain\" data-cookieconsent=…>`, `class=\"optanon-category-…\"`.",
            why: "A consent check in the browser can be bypassed, misconfigured or raced, and the tracker's code still ships to every visitor. Consent must be enforced server-side, before any data leaves the organisation's infrastructure.",
            example: "<script type=\"text/plain\" data-cookieconsent=\"statistics\" src=\"https://www.googletagmanager.com/gtag/js?id=G-XXXX\"></script>",
            fix: "Remove the client-side gate and the trackers behind it. Record consent on your server and forward only consented, de-identified events server-side.",
        },
        Rule::ThirdPartyScript => RuleDoc {
            what: "Finds `<script src>` from a host that is neither first-party (`--first-party`, `[site] first_party`) nor a known tracker, such as a public CDN.",
            why: "A third-party script runs with full access to the page, including form fields, and can be changed by its host at any time; its host also sees every page view.",
            example: "<script src=\"https://code.jquery.com/jquery-3.7.1.min.js\"></script>",
            fix: "Self-host the script, or add its host with `--first-party` if your organisation controls it.",
        },
        Rule::ThirdPartyEmbed => RuleDoc {
            what: "Finds `<iframe>`, `<frame>`, `<embed>` and `<object>` content from a host that is neither first-party nor a known tracker: maps, video, widgets.",
            why: "A third-party frame lets its host set cookies and learn which page embeds it, and many embeds load their own trackers.",
            example: "<iframe src=\"https://www.youtube.com/embed/abc123\"></iframe>",
            fix: "Self-host the content, use a privacy-enhanced mode behind a click-to-load facade, or add the host with `--first-party` if your organisation controls it.",
        },
        Rule::SuppressionWithoutReason => RuleDoc {
            what: "Finds inline suppressions (`<!-- tracklint-ignore … -->`, `// tracklint-ignore …`, `/* tracklint-ignore … */`) that name no rule or vendor, name one that does not exist, or give no reason after a colon.",
            why: "Every exception to the gate must be auditable: a reviewer has to see what was accepted and why. A bare ignore hides a tracker without a record.",
            example: "<!-- tracklint-ignore -->\n<script src=\"https://www.googletagmanager.com/gtag/js?id=G-XXXX\"></script>",
            fix: "Name the rule or vendor and give the reason: `<!-- tracklint-ignore google-analytics: de-identified, proxied through our BAA-covered collector -->`, or better, remove the tracker.",
        },
        Rule::UnusedSuppression => RuleDoc {
            what: "Finds inline suppressions that matched no finding on their line (at the end of a line) or on the next line (on a line of their own).",
            why: "A stale suppression silently accepts whatever tracker is added there next.",
            example: "<!-- tracklint-ignore meta-pixel: removed in 2025 -->\n<p>Welcome</p>",
            fix: "Delete the suppression.",
        },
        Rule::TrackerPreconnect => RuleDoc {
            what: "Finds `<link rel=preconnect>` and `<link rel=dns-prefetch>` hints to a tracker host.",
            why: "A preconnect tells the tracker's host that a visitor opened the page, and usually means tracker code is loaded somewhere else on the page or by a tag manager.",
            example: "<link rel=\"preconnect\" href=\"https://www.google-analytics.com\">",
            fix: "Remove the hint along with the tracker it serves.",
        },
    }
}

/// `tracklint explain <rule>`: the rule's documentation as Markdown.
pub fn explain_rule(rule: Rule) -> String {
    let d = rule_doc(rule);
    let mut s = String::new();
    let _ = writeln!(s, "# {} ({})\n", rule.id(), rule.severity());
    let _ = writeln!(s, "## What it does\n\n{}\n", d.what);
    let _ = writeln!(s, "## Why is this bad?\n\n{}\n", d.why);
    let _ = writeln!(s, "## Example\n\n```html\n{}\n```\n", d.example);
    let _ = writeln!(s, "## Use instead\n\n{}", d.fix);
    s
}

/// `tracklint explain <vendor>`: what it is, why it matters, the fix, its
/// BAA status and where that comes from.
pub fn explain_vendor(v: &Vendor) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# {} ({})\n", v.name, v.id.get_ref());
    let company = v.company.as_deref().unwrap_or("unknown");
    let _ = writeln!(
        s,
        "Category: {}. Company: {company}. Source: {}.",
        v.category.as_str(),
        v.origin()
    );
    if v.session_replay {
        let _ = writeln!(
            s,
            "Records sessions: its findings are raised one severity level."
        );
    }
    let _ = writeln!(s, "\n## What it does\n");
    let _ = writeln!(
        s,
        "{}",
        v.what.as_deref().unwrap_or(match v.category {
            crate::vendors::Category::ConsentManager =>
                "A consent-management platform that decides in the browser which tags may run.",
            _ => "Loads the vendor's code or pixels in the visitor's browser and sends page and event data to the vendor.",
        })
    );
    let _ = writeln!(s, "\n## BAA\n");
    let status = match v.baa {
        Baa::No => "No: the vendor does not sign a Business Associate Agreement for this product (findings are raised one severity level).".to_string(),
        Baa::Yes => "Yes: the vendor signs a Business Associate Agreement for this product. A BAA does not make client-side tracking safe by itself.".to_string(),
        Baa::Tier => format!(
            "Only on {}.",
            v.baa_tier.as_deref().unwrap_or("some plans")
        ),
        Baa::Unknown => "Unknown: no public statement was verified.".to_string(),
    };
    let _ = writeln!(s, "{status}");
    if let Some(src) = &v.baa_source {
        let _ = writeln!(s, "Source: {src}");
    }
    if let Some(checked) = &v.checked {
        let _ = writeln!(s, "Checked: {checked}");
    }
    if let Some(why) = &v.why {
        let _ = writeln!(s, "\n## Why is this bad?\n\n{why}");
    }
    let _ = writeln!(s, "\n## Matched by\n");
    for (label, list) in [
        ("hosts", &v.hosts),
        ("scripts", &v.scripts),
        ("pixels", &v.pixels),
        ("snippets", &v.snippets),
        ("consent checks", &v.consent_snippets),
        ("consent attributes", &v.consent_attributes),
    ] {
        if !list.is_empty() {
            let items: Vec<&str> = list.iter().map(|p| p.get_ref().as_str()).collect();
            let _ = writeln!(s, "- {label}: `{}`", items.join("`, `"));
        }
    }
    let _ = writeln!(s, "\n## Use instead\n");
    let _ = writeln!(
        s,
        "{}",
        v.fix.as_deref().unwrap_or(
            "Remove the vendor's tags, pixels and snippets. If the data is needed, collect it server-side, de-identified, under a BAA."
        )
    );
    if let Some(docs) = &v.docs {
        let _ = writeln!(s, "\nVendor documentation: {docs}");
    }
    s
}

/// `docs/rules.md`: every rule's documentation.
pub fn rules_markdown() -> String {
    let mut s = String::from(
        "<!-- Generated from src/explain.rs; `tracklint explain <rule>` prints the same text. Regenerate with TRACKLINT_BLESS=1 cargo test --test docs. -->\n\n# tracklint rules\n\n",
    );
    for rule in Rule::ALL {
        s.push_str(
            &explain_rule(rule)
                .replacen("# ", "## ", 1)
                .replace("\n## ", "\n### "),
        );
        s.push('\n');
    }
    s
}
