//! The generated ruleset `rulesets/third-party-web.toml` as tracklint loads
//! it. Its generator is `xtask/src/third_party_web.rs` (`cargo xtask gen`);
//! tests/generated.rs fails while the committed file is stale.
//!
//! Curated vendors always win: no generated host overlaps a curated one.
//! Generated vendors are whole company domains, matched where HTML loads
//! them and not searched for in code.

use std::path::Path;

use xtask::third_party_web::{curated, overlaps, slug, split_wildcard};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn curated_vendors_win_over_generated_entries() {
    let (curated_hosts, _) = curated(root());
    let rs = tracklint::vendors::Ruleset::builtin().unwrap();
    let mut generated = 0;
    for v in rs
        .vendors
        .iter()
        .filter(|v| v.origin() == "third-party-web")
    {
        generated += 1;
        assert!(!v.match_in_code);
        for h in &v.hosts {
            let h = split_wildcard(h.get_ref());
            if let Some(c) = curated_hosts.iter().find(|c| overlaps(c, &h)) {
                panic!(
                    "{} claims {:?}, which overlaps curated {:?}",
                    v.id.get_ref(),
                    h,
                    c
                );
            }
        }
    }
    assert!(generated > 500, "only {generated} generated vendors");
    assert!(rs.owners.len() > 300, "only {} owners", rs.owners.len());
}

#[test]
fn generated_vendors_match_in_html_not_in_code() {
    use tracklint::config::HostSet;
    use tracklint::input::read::FileKind;
    use tracklint::scan::ScanContext;
    let rs = tracklint::vendors::Ruleset::builtin().unwrap();
    let fp = HostSet::default();
    let ctx = ScanContext::new(&rs, &fp);
    let found = |html: &str| -> Vec<(String, String)> {
        tracklint::check::scan_bytes(&ctx, html.as_bytes(), "t.html", FileKind::Html)
            .unwrap()
            .into_iter()
            .map(|f| {
                (
                    f.rule.id().to_string(),
                    f.vendor
                        .map(|v| rs.vendors[v].id.get_ref().clone())
                        .unwrap_or_default(),
                )
            })
            .collect()
    };
    // Instagram is a social entity in third-party-web, not curated.
    assert_eq!(
        found("<img src=\"https://www.instagram.com/p/x/media\">"),
        [("tracker-pixel".to_string(), "instagram".to_string())]
    );
    assert_eq!(
        found("<script>var links = {ig: 'https://www.instagram.com/ourclinic'};</script>"),
        []
    );
    // A CDN is named in the third-party-script message.
    let f = tracklint::check::scan_bytes(
        &ctx,
        b"<script src=\"https://cdnjs.cloudflare.com/ajax/libs/x.js\"></script>",
        "t.html",
        FileKind::Html,
    )
    .unwrap();
    assert_eq!(f.len(), 1);
    assert!(
        f[0].message.contains("(Cloudflare CDN — cdn)"),
        "{}",
        f[0].message
    );
}

#[test]
fn slugs_are_kebab_case() {
    assert_eq!(slug("Google/Doubleclick Ads"), "google-doubleclick-ads");
    assert_eq!(slug("  Yandex Metrica!"), "yandex-metrica");
}
