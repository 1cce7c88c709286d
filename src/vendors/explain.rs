//! The text `tracklint explain <vendor>` prints.

use std::fmt::Write as _;

use super::{Baa, Category, Vendor};

impl Vendor {
    /// `tracklint explain <vendor>`: what it is, why it matters, the fix, its
    /// BAA status and where that comes from.
    pub fn explain(&self) -> String {
        let v = self;
        let mut s = String::new();
        let _ = writeln!(s, "# {} ({})\n", v.name, v.id.get_ref());
        let company = v.company.as_deref().unwrap_or("unknown");
        let _ = writeln!(
            s,
            "Category: {}. Company: {company}. Source: {}.",
            v.category.as_str(),
            v.origin()
        );
        if v.origin() == "easyprivacy" {
            // The attribution CC BY-SA asks for, where the data is shown.
            let _ = writeln!(
                s,
                "Listed as tracking by EasyPrivacy, by The EasyList authors (https://easylist.to/); \
                 this entry is adapted from it under CC BY-SA 3.0 (rulesets/easyprivacy.toml)."
            );
        }
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
                Category::ConsentManager =>
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
}
