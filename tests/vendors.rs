//! Every built-in vendor has fixtures that must match and near-misses that
//! must not (testdata/vendors/cases.toml), and every one of them holds.

use std::collections::BTreeMap;

use serde::Deserialize;
use tracklint::classify::FileKind;
use tracklint::config::HostSet;
use tracklint::rules::Ruleset;
use tracklint::scan::ScanContext;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    vendor: String,
    #[serde(rename = "match")]
    matches: Vec<String>,
    near_miss: Vec<String>,
}

fn load_cases() -> BTreeMap<String, Case> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/vendors/cases.toml");
    let cases: Cases = toml::from_str(&std::fs::read_to_string(path).unwrap())
        .unwrap_or_else(|e| panic!("{path}: {}", e.message()));
    let mut map = BTreeMap::new();
    for c in cases.case {
        let id = c.vendor.clone();
        assert!(map.insert(id.clone(), c).is_none(), "two entries for {id}");
    }
    map
}

/// The vendor ids of every finding in `html`.
fn vendors_found(rs: &Ruleset, html: &str) -> Vec<String> {
    let fp = HostSet::default();
    let ctx = ScanContext {
        ruleset: rs,
        first_party: &fp,
    };
    ctx.scan_bytes(html.as_bytes(), "case.html", FileKind::Html)
        .unwrap()
        .into_iter()
        .filter_map(|f| f.vendor.map(|v| rs.vendors[v].id.get_ref().clone()))
        .collect()
}

#[test]
fn every_vendor_has_a_match_and_a_near_miss() {
    let rs = Ruleset::builtin().unwrap();
    let cases = load_cases();
    let missing: Vec<&str> = rs
        .vendors
        .iter()
        .map(|v| v.id.get_ref().as_str())
        .filter(|id| {
            cases
                .get(*id)
                .is_none_or(|c| c.matches.is_empty() || c.near_miss.is_empty())
        })
        .collect();
    assert!(missing.is_empty(), "vendors without fixtures: {missing:?}");
    for id in cases.keys() {
        assert!(
            rs.vendor_by_id(id).is_some(),
            "cases for unknown vendor {id}"
        );
    }
}

#[test]
fn matches_are_attributed_and_near_misses_are_not() {
    let rs = Ruleset::builtin().unwrap();
    let mut failures = Vec::new();
    for (id, case) in load_cases() {
        for html in &case.matches {
            let found = vendors_found(&rs, html);
            if !found.contains(&id) {
                failures.push(format!("{id}: no match in {html} (found {found:?})"));
            }
        }
        for html in &case.near_miss {
            let found = vendors_found(&rs, html);
            if found.contains(&id) {
                failures.push(format!("{id}: near-miss matched: {html}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
