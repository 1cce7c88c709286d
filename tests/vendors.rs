//! Every built-in vendor has fixtures that must match and near-misses that
//! must not (testdata/vendors/cases.toml), and every one of them holds.

use std::collections::BTreeMap;

use serde::Deserialize;
use tracklint::config::HostSet;
use tracklint::input::read::FileKind;
use tracklint::scan::ScanContext;
use tracklint::vendors::Ruleset;

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
    let ctx = ScanContext::new(rs, &fp);
    tracklint::check::scan_bytes(&ctx, html.as_bytes(), "case.html", FileKind::Html)
        .unwrap()
        .into_iter()
        .filter_map(|f| f.vendor.map(|v| rs.vendors[v].id.get_ref().clone()))
        .collect()
}

#[test]
fn every_vendor_has_a_match_and_a_near_miss() {
    let rs = Ruleset::builtin().unwrap();
    let cases = load_cases();
    // Curated vendors only: generated third-party-web entries are checked
    // by tests/third_party_web.rs and tests/generated.rs.
    let missing: Vec<&str> = rs
        .vendors
        .iter()
        .filter(|v| v.origin() == "curated")
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

/// Host-only patterns of two curated vendors must never overlap: the same
/// host, or one's `*.domain` covering the other's host, would attribute a
/// URL to the wrong vendor. A path pattern may refine another vendor's host
/// (`googleads.g.doubleclick.net/pagead/*` inside `*.doubleclick.net`): it is
/// more specific and always wins.
#[test]
fn curated_host_patterns_do_not_overlap() {
    let rs = Ruleset::builtin().unwrap();
    let mut hosts: Vec<(&str, bool, &str)> = Vec::new();
    for v in rs.vendors.iter().filter(|v| v.origin() == "curated") {
        for h in &v.hosts {
            let h = h.get_ref().as_str();
            match h.strip_prefix("*.") {
                Some(base) => hosts.push((base, true, v.id.get_ref())),
                None => hosts.push((h, false, v.id.get_ref())),
            }
        }
    }
    let covers = |w: &(&str, bool, &str), h: &(&str, bool, &str)| {
        w.1 && (h.0 == w.0 || h.0.ends_with(&format!(".{}", w.0)))
    };
    let mut clashes = Vec::new();
    for (i, a) in hosts.iter().enumerate() {
        for b in &hosts[i + 1..] {
            if a.2 != b.2 && (a.0 == b.0 || covers(a, b) || covers(b, a)) {
                clashes.push(format!("{} {:?} / {} {:?}", a.2, a.0, b.2, b.0));
            }
        }
    }
    assert!(clashes.is_empty(), "{}", clashes.join("\n"));
}

#[test]
fn at_least_150_curated_vendors_with_sourced_baa() {
    let rs = Ruleset::builtin().unwrap();
    let curated: Vec<_> = rs
        .vendors
        .iter()
        .filter(|v| v.origin() == "curated")
        .collect();
    assert!(curated.len() >= 150, "{} curated vendors", curated.len());
    for v in curated {
        use tracklint::vendors::Baa;
        assert!(
            v.checked.is_some(),
            "{} has no `checked` date",
            v.id.get_ref()
        );
        if v.baa != Baa::Unknown {
            assert!(
                v.baa_source.is_some(),
                "{}: baa = {:?} needs a baa_source",
                v.id.get_ref(),
                v.baa
            );
        }
    }
}

/// The vendor ids the issues name are part of the contract.
#[test]
fn contract_vendor_ids_exist() {
    let rs = Ruleset::builtin().unwrap();
    let ids = "google-analytics google-tag-manager google-ads doubleclick meta-pixel segment hotjar \
        mixpanel amplitude heap fullstory hubspot linkedin-insight tiktok-pixel twitter-pixel \
        microsoft-clarity bing-uet pinterest-tag snap-pixel reddit-pixel matomo plausible intercom \
        drift yandex-metrica quantcast criteo adobe-analytics logrocket mouseflow onetrust cookiebot \
        google-optimize vwo optimizely crazy-egg lucky-orange smartlook contentsquare quantum-metric \
        glassbox clicky statcounter kissmetrics pendo rudderstack mparticle tealium adobe-launch \
        marketo pardot salesforce-marketing-cloud klaviyo zendesk-chat livechat tawk crisp olark \
        zopim callrail invoca outbrain taboola adroll the-trade-desk amazon-ads nextdoor-pixel \
        quora-pixel trustarc osano didomi usercentrics termly iubenda cookieyes complianz klaro";
    let missing: Vec<&str> = ids
        .split_whitespace()
        .filter(|id| {
            rs.vendor_by_id(id)
                .is_none_or(|(_, v)| v.origin() != "curated")
        })
        .collect();
    assert!(missing.is_empty(), "missing curated vendors: {missing:?}");
}
