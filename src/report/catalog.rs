//! `tracklint rules`: every rule and vendor, for people or tools.
//!
//! JSON shape: `{"rules":[{"id","severity","summary"}],
//! "vendors":[{"id","name","category","baa","source"}]}` where `source` is
//! `curated`, `third-party-web`, `easyprivacy` or the path of a user
//! ruleset.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::rules::{Rule, Severity};
use crate::vendors::{Baa, Ruleset};

#[derive(Serialize)]
struct Doc<'a> {
    rules: Vec<JsonRule>,
    vendors: Vec<JsonVendor<'a>>,
}

#[derive(Serialize)]
struct JsonRule {
    id: &'static str,
    severity: Severity,
    summary: &'static str,
}

#[derive(Serialize)]
struct JsonVendor<'a> {
    id: &'a str,
    name: &'a str,
    category: &'static str,
    baa: Baa,
    source: &'a str,
}

/// The listing as JSON.
pub fn json(ruleset: &Ruleset) -> String {
    let doc = Doc {
        rules: Rule::ALL
            .iter()
            .map(|&r| JsonRule {
                id: r.id(),
                severity: r.severity(),
                summary: r.summary(),
            })
            .collect(),
        vendors: ruleset
            .vendors
            .iter()
            .map(|v| JsonVendor {
                id: v.id.get_ref(),
                name: &v.name,
                category: v.category.as_str(),
                baa: v.baa,
                source: v.origin(),
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("listing serialises");
    s.push('\n');
    s
}

/// The listing as text: rules, vendor counts by source, then one line per
/// vendor.
pub fn human(ruleset: &Ruleset) -> String {
    let mut s = String::from("Rules:\n");
    for r in Rule::ALL {
        let _ = writeln!(s, "  {:<22} {:<8} {}", r.id(), r.severity(), r.summary());
    }
    let mut by_source: BTreeMap<&str, usize> = BTreeMap::new();
    for v in &ruleset.vendors {
        *by_source.entry(v.origin()).or_default() += 1;
    }
    let counts: Vec<String> = ["curated", "third-party-web", "easyprivacy"]
        .into_iter()
        .filter_map(|k| by_source.get(k).map(|n| format!("{n} {k}")))
        .chain(
            by_source
                .iter()
                .filter(|(k, _)| !matches!(**k, "curated" | "third-party-web" | "easyprivacy"))
                .map(|(k, n)| format!("{n} from {k}")),
        )
        .collect();
    let _ = writeln!(
        s,
        "\nVendors: {} ({})\n",
        ruleset.vendors.len(),
        counts.join(", ")
    );
    let _ = writeln!(
        s,
        "  {:<34} {:<40} {:<23} {:<8} SOURCE",
        "ID", "NAME", "CATEGORY", "BAA"
    );
    for v in &ruleset.vendors {
        let baa = match v.baa {
            Baa::No => "no",
            Baa::Yes => "yes",
            Baa::Tier => "tier",
            Baa::Unknown => "unknown",
        };
        let _ = writeln!(
            s,
            "  {:<34} {:<40} {:<23} {:<8} {}",
            v.id.get_ref(),
            v.name,
            v.category.as_str(),
            baa,
            v.origin()
        );
    }
    s
}
