//! The generated ruleset `rulesets/easyprivacy.toml` as tracklint loads it.
//! Its generator is `xtask/src/easyprivacy.rs` (`cargo xtask gen`);
//! tests/generated.rs fails while the committed file is stale.
//!
//! Curated vendors win, then third-party-web, then EasyPrivacy: no
//! EasyPrivacy host overlaps a host of either. EasyPrivacy-only hosts are
//! reported; look-alikes are not; a CNAME-cloaked first-party subdomain is
//! reported as the tracker it points to.

use std::collections::HashSet;
use tracklint::config::HostSet;
use tracklint::input::read::FileKind;
use tracklint::scan::ScanContext;
use tracklint::vendors::Ruleset;

use xtask::third_party_web::split_wildcard;

/// `host` and each of its parent domains.
fn suffixes(host: &str) -> impl Iterator<Item = &str> {
    std::iter::once(host).chain(host.match_indices('.').map(move |(i, _)| &host[i + 1..]))
}

/// (rule, vendor id, vendor name) of every finding in `html`.
fn found(rs: &Ruleset, html: &str) -> Vec<(String, String, String)> {
    let fp = HostSet::default();
    let ctx = ScanContext::new(rs, &fp);
    tracklint::check::scan_bytes(&ctx, html.as_bytes(), "t.html", FileKind::Html)
        .unwrap()
        .into_iter()
        .map(|f| {
            let v = f.vendor.map(|v| &rs.vendors[v]);
            (
                f.rule.id().to_string(),
                v.map(|v| v.id.get_ref().clone()).unwrap_or_default(),
                v.map(|v| v.name.clone()).unwrap_or_default(),
            )
        })
        .collect()
}

fn one(rule: &str, id: &str, name: &str) -> Vec<(String, String, String)> {
    vec![(rule.into(), id.into(), name.into())]
}

#[test]
fn easyprivacy_only_hosts_are_reported_and_look_alikes_are_not() {
    let rs = Ruleset::builtin().unwrap();
    // A legacy hit counter (easyprivacy_trackingservers_thirdparty.txt:
    // `||amazingcounters.com^$third-party`), named after its registrable
    // domain: third-party-web does not know it.
    let counter = one(
        "tracker-pixel",
        "amazingcounters-com",
        "amazingcounters.com",
    );
    assert_eq!(
        found(
            &rs,
            r#"<img src="http://c.amazingcounters.com/count.php?i=1&c=2" alt="">"#
        ),
        counter
    );
    assert_eq!(
        found(
            &rs,
            r#"<img src="https://amazingcounters.com/counter.png">"#
        ),
        one(
            "tracker-pixel",
            "amazingcounters-com",
            "amazingcounters.com"
        )
    );
    assert_eq!(
        found(
            &rs,
            r#"<script src="https://counter.dev/script.js"></script>"#
        ),
        one("tracker-script", "counter-dev", "counter.dev")
    );
    // A path rule (`||tiktokv.com/web/report`) matches that path only.
    assert_eq!(
        found(
            &rs,
            r#"<img src="https://mon.tiktokv.com/web/report?aid=1">"#
        ),
        one("tracker-pixel", "tiktokv-com", "tiktokv.com")
    );
    // Look-alikes, links and other paths are not these trackers.
    for near in [
        r#"<img src="https://amazingcounters.com.example/count.php">"#,
        r#"<img src="https://notamazingcounters.com/count.php">"#,
        r#"<img src="https://counter.dev.example.org/x.png">"#,
        r#"<a href="https://www.amazingcounters.com/">free counters</a>"#,
        r#"<img src="https://mon.tiktokv.com/web/reporting.png">"#,
        r#"<img src="https://mon.tiktokv.com/web/logo.png">"#,
    ] {
        let f = found(&rs, near);
        assert!(
            f.iter().all(|(_, id, _)| !matches!(
                id.as_str(),
                "amazingcounters-com" | "counter-dev" | "tiktokv-com"
            )),
            "{near}: {f:?}"
        );
    }
}

#[test]
fn a_cname_cloaked_first_party_host_is_its_tracker() {
    let rs = Ruleset::builtin().unwrap();
    // easyprivacy_specific_cname_webtrekk.txt: a.deutschehospitality.com
    // is a CNAME alias of Webtrekk (third-party-web's vendor `webtrekk`).
    let f = found(
        &rs,
        r#"<script src="https://a.deutschehospitality.com/js/webtrekk.min.js"></script>"#,
    );
    assert_eq!(f, one("tracker-script", "webtrekk-cname", "Webtrekk"));
    let (_, tracker) = rs.vendor_by_id("webtrekk").unwrap();
    let (_, cname) = rs.vendor_by_id("webtrekk-cname").unwrap();
    assert_eq!(cname.category, tracker.category);
    // The site's own other hosts are not.
    assert!(
        found(
            &rs,
            r#"<script src="https://www.deutschehospitality.com/app.js"></script>"#
        )
        .iter()
        .all(|(_, id, _)| id != "webtrekk-cname")
    );
    // Listed by a curated vendor's domain: AD EBiS is curated.
    let (_, ebis) = rs.vendor_by_id("ad-ebis-cname").unwrap();
    assert_eq!(ebis.name, rs.vendor_by_id("ad-ebis").unwrap().1.name);
}

#[test]
fn curated_then_third_party_web_win_over_easyprivacy() {
    let rs = Ruleset::builtin().unwrap();
    // EasyPrivacy lists `||hotjar.com^$third-party`; the curated Hotjar
    // vendor owns its tracking subdomains, and www.hotjar.com stays
    // nobody's tracker.
    assert_eq!(
        found(
            &rs,
            r#"<script src="https://static.hotjar.com/c/hotjar-1.js"></script>"#
        ),
        one("tracker-script", "hotjar", "Hotjar")
    );
    assert!(
        found(&rs, r#"<img src="https://www.hotjar.com/logo.png">"#)
            .iter()
            .all(|(rule, _, _)| !rule.starts_with("tracker-"))
    );
    // No EasyPrivacy pattern overlaps a curated or third-party-web one
    // (`overlaps` pairwise would be 60 million comparisons): every claimed
    // host with its parent domains, and the claimed `*.domain`s.
    let mut under = HashSet::new();
    let mut wild = HashSet::new();
    for v in rs.vendors.iter().filter(|v| v.origin() != "easyprivacy") {
        for p in v.hosts.iter().chain(&v.scripts).chain(&v.pixels) {
            let (host, w) = split_wildcard(p.get_ref().split('/').next().unwrap());
            if w {
                wild.insert(host.clone());
            }
            under.extend(suffixes(&host).map(str::to_string));
        }
    }
    let mut generated = 0;
    for v in rs.vendors.iter().filter(|v| v.origin() == "easyprivacy") {
        generated += 1;
        assert!(!v.match_in_code, "{}", v.id.get_ref());
        for p in v.hosts.iter().chain(&v.scripts).chain(&v.pixels) {
            let (host, w) = split_wildcard(p.get_ref().split('/').next().unwrap());
            assert!(w, "{}: {}", v.id.get_ref(), p.get_ref());
            let overlap = under.contains(&host) || suffixes(&host).any(|s| wild.contains(s));
            assert!(
                !overlap,
                "{} claims {}, which overlaps a curated or third-party-web host",
                v.id.get_ref(),
                p.get_ref()
            );
        }
    }
    assert!(generated > 5000, "only {generated} EasyPrivacy vendors");
}

#[test]
fn easyprivacy_hosts_are_not_searched_in_code() {
    let rs = Ruleset::builtin().unwrap();
    assert_eq!(
        found(
            &rs,
            "<script>var counter = 'https://c.amazingcounters.com/count.php';</script>"
        ),
        []
    );
}
